package cli

import (
	"context"
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
)

func init() {
	register("init", "create a company ledger with the standard chart of accounts", runInit)
}

func runInit(ctx context.Context, args []string, env Env) int {
	f := newFlags("init", "--db FILE --name NAME --orgnr NNNNNNNNN --conversion-date YYYY-MM-DD [--demo]", env)
	f.withToday()
	db := f.String("db", "", "the ledger `FILE` to create")
	name := f.String("name", "", "the company's `NAME`")
	orgnr := f.String("orgnr", "", "the organisation number, 9 digits")
	conv := f.String("conversion-date", "", "the day the books in Bankbro begin, `YYYY-MM-DD`")
	withDemo := f.Bool("demo", false, "add opening balances and vouchers so reconciliation has something to match")
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db", "name", "orgnr", "conversion-date"); err != nil {
		return f.fail(err)
	}
	d, err := civil.Parse(*conv)
	if err != nil {
		return f.fail(usagef("--conversion-date: %v", err))
	}
	c := ledger.Company{Name: *name, OrgNumber: *orgnr, ConversionDate: d}
	if err := c.Validate(); err != nil {
		return f.fail(usagef("%v", err))
	}
	l, err := ledger.Create(ctx, *db, c)
	if err != nil {
		return f.fail(err)
	}
	defer l.Close()
	if *withDemo {
		today, err := f.Today()
		if err != nil {
			return f.fail(err)
		}
		if err := demo.Fill(ctx, l, today); err != nil {
			return f.fail(fmt.Errorf("the ledger was created, but the demo data could not be added: %w", err))
		}
	}
	fmt.Fprintf(env.Stdout, "Created %s for %s (%s), conversion date %s\n", *db, c.Name, c.OrgNumber, d)
	return 0
}
