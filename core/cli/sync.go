package cli

import (
	"context"
	"fmt"

	"bankbro/core/agreement"
	banksync "bankbro/core/sync"
)

func init() {
	register("sync", "the morning import: read every new booked transaction through yesterday", runSync)
}

func runSync(ctx context.Context, args []string, env Env) int {
	f := newFlags("sync", "--db FILE [--today YYYY-MM-DD]", env)
	db := f.String("db", "", "the ledger `FILE`")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	l, svc, done, err := f.openBank(ctx, *db, agreement.Options{Today: today})
	if err != nil {
		return f.fail(err)
	}
	defer done()
	client, err := svc.Client(ctx)
	if err != nil {
		return f.fail(err)
	}
	res, err := banksync.Morning(ctx, l, client, banksync.Options{Today: today})
	for _, line := range res.Lines() {
		fmt.Fprintln(env.Stdout, line)
	}
	if err != nil {
		return f.fail(err)
	}
	return 0
}
