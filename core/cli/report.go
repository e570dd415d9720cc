package cli

import (
	"context"

	"bankbro/core/civil"
	"bankbro/core/reconcile"
)

func init() {
	register("report", "the reconciliation report: bank and ledger balances, differences, open items", runReport)
}

func runReport(ctx context.Context, args []string, env Env) int {
	f := newFlags("report", "--db FILE [--date YYYY-MM-DD] [--format text|csv]", env)
	db := f.String("db", "", "the ledger `FILE`")
	date := f.String("date", "", "the day to report on, `YYYY-MM-DD`, yesterday or earlier (default: yesterday)")
	format := f.String("format", "text", "the `FORMAT`: text, or csv (semicolons and decimal commas, as Norwegian spreadsheets read it)")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	if *format != "text" && *format != "csv" {
		return f.fail(usagef("--format %q: want text or csv", *format))
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	day := today.AddDays(-1)
	if *date != "" {
		if day, err = civil.Parse(*date); err != nil {
			return f.fail(usagef("--date: %v", err))
		}
		// As the window refuses it: the bank's lines of a day are read
		// the morning after, so a later day's balance is not known.
		if !day.Before(today) {
			return f.fail(usagef("--date %s: the bank's lines of a day are read the morning after; choose %s or earlier", day, today.AddDays(-1)))
		}
	}
	l, err := f.openLedger(ctx, *db)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	r, err := reconcile.NewReport(ctx, l, day, day)
	if err != nil {
		return f.fail(err)
	}
	if *format == "csv" {
		err = r.WriteCSV(ctx, l, env.Stdout)
	} else {
		err = r.WriteText(ctx, l, env.Stdout)
	}
	if err != nil {
		return f.fail(err)
	}
	return 0
}
