package cli

import (
	"context"
	"fmt"
	"time"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
)

func init() {
	register("init", "create a company ledger with the standard chart of accounts", runInit)
}

func runInit(ctx context.Context, args []string, env Env) int {
	f := newFlags("init", "--db FILE --name NAME --orgnr NNNNNNNNN --conversion-date YYYY-MM-DD [--demo [--years N]]", env)
	f.withToday()
	db := f.String("db", "", "the ledger `FILE` to create")
	name := f.String("name", "", "the company's `NAME`")
	orgnr := f.String("orgnr", "", "the organisation number, 9 digits")
	conv := f.String("conversion-date", "", "the day the books in Bankbro begin, `YYYY-MM-DD`")
	withDemo := f.Bool("demo", false, "add opening balances and vouchers so reconciliation has something to match")
	years := f.Int("years", 0, "with --demo: fill `N` years of a busy company's books (about 100,000 bank lines a year) for measuring the app at scale; --conversion-date then defaults to N years before today")
	if code, ok := f.parse(args); !ok {
		return code
	}
	required := []string{"db", "name", "orgnr", "conversion-date"}
	if *years != 0 {
		required = required[:3]
	}
	if err := f.required(required...); err != nil {
		return f.fail(err)
	}
	if *years != 0 && !*withDemo {
		return f.fail(usagef("--years needs --demo"))
	}
	if *years < 0 {
		return f.fail(usagef("--years: want a number of years of at least 1, not %d", *years))
	}
	var d civil.Date
	var today civil.Date
	if *withDemo {
		var err error
		if today, err = f.Today(); err != nil {
			return f.fail(err)
		}
	}
	if *years != 0 && *conv == "" {
		d = demo.YearsBefore(today, *years)
	} else {
		var err error
		if d, err = civil.Parse(*conv); err != nil {
			return f.fail(usagef("--conversion-date: %v", err))
		}
	}
	if want := demo.YearsBefore(today, *years); *years != 0 && d.After(want) {
		return f.fail(usagef("--years %d needs a --conversion-date on or before %s (or none)", *years, want))
	}
	c := ledger.Company{Name: *name, OrgNumber: *orgnr, ConversionDate: d}
	if err := c.Validate(); err != nil {
		return f.fail(usagef("%v", companyRefusal(err)))
	}
	l, err := ledger.Create(ctx, *db, c)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	// A ledger whose books could not be filled is removed: nothing is half
	// written (cli.md), and the command can simply be run again.
	removed := func(err error) int {
		l.Close()
		ledger.Remove(*db)
		return f.fail(fmt.Errorf("the books could not be filled, and the ledger was removed: %w", err))
	}
	switch {
	case *years != 0:
		st, err := demo.FillYears(ctx, l, today, *years, env.Stderr)
		if err != nil {
			return removed(err)
		}
		fmt.Fprintf(env.Stderr, "Filled %d bank lines, %d vouchers, %d matches from %s to %s in %s\n",
			st.Lines, st.Vouchers, st.Matches, st.From, st.Through, st.Elapsed.Round(100*time.Millisecond))
	case *withDemo:
		if err := demo.Fill(ctx, l, today); err != nil {
			return removed(err)
		}
	}
	fmt.Fprintf(env.Stdout, "Created %s for %s (%s), conversion date %s\n", *db, c.Name, c.OrgNumber, d)
	return 0
}
