package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"bankbro/core/agreement"
	"bankbro/core/login"
	"bankbro/core/norway"
	"bankbro/core/onboarding"
)

func init() {
	register("connect", "connect the bank: BankID login, then apply an onboarding plan", runConnect)
}

func runConnect(ctx context.Context, args []string, env Env) int {
	f := newFlags("connect", "--db FILE --plan PLAN.json [--bank URL] [--no-browser]", env)
	db := f.String("db", "", "the ledger `FILE`")
	planPath := f.String("plan", "", "the onboarding plan, a JSON `FILE` (see cli.md)")
	bankURL := f.String("bank", "", "the bank's base `URL` (default: the embedded demo bank)")
	authURL := f.String("auth-url", "", "the bank's login address {auth}, for a bank that serves it apart from its API (`URL`; default: --bank)")
	apiURL := f.String("api-url", "", "the bank's API address {api} (`URL`; default: --bank)")
	onlineURL := f.String("online-bank-url", "", "the bank's online bank, where the integration is turned on (`URL`; default: {auth}/nettbank)")
	clientID := f.String("client-id", "", "the client `ID` the bank registered for Bankbro (default: "+agreement.DefaultClientID+")")
	noBrowser := f.Bool("no-browser", false, "print the login address instead of opening the browser")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db", "plan"); err != nil {
		return f.fail(err)
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	pf, err := os.Open(*planPath)
	if err != nil {
		return f.fail(fmt.Errorf("read the plan: %w", err))
	}
	plan, err := onboarding.ReadPlan(pf)
	pf.Close()
	if err != nil {
		return f.fail(err)
	}
	opts := agreement.Options{BankURL: *bankURL, AuthURL: *authURL, APIURL: *apiURL, OnlineBankURL: *onlineURL,
		ClientID: *clientID, Today: today, Browser: env.Browser}
	if *noBrowser {
		opts.Browser = login.PrintBrowser{W: env.Stderr}
	}
	l, svc, done, err := f.openBank(ctx, *db, opts)
	if err != nil {
		return f.fail(err)
	}
	defer done()
	if err := svc.Login(ctx); err != nil {
		return f.fail(err)
	}
	client, err := svc.Client(ctx)
	if err != nil {
		return f.fail(err)
	}
	facts, err := onboarding.Gather(ctx, l, client, today)
	if err != nil {
		return f.fail(err)
	}
	if errs := onboarding.Check(plan, facts).Errors(); len(errs) > 0 {
		for _, p := range errs {
			fmt.Fprintf(env.Stderr, "bankbro connect: %s\n", p.Message())
		}
		return 1
	}
	hist, err := onboarding.ReadHistory(ctx, client, plan, facts, nil)
	if err != nil {
		return f.fail(err)
	}
	diffs, err := onboarding.Compare(ctx, l, plan, facts, hist)
	if err != nil {
		return f.fail(err)
	}
	for _, w := range append(onboarding.Check(plan, facts).Warnings(), onboarding.DifferenceWarnings(plan.Unsettled(diffs), plan.StartDate)...) {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w.Message())
	}
	if plan.ExcludeAccountsWithDifference {
		var left []onboarding.Difference
		plan, left = onboarding.Exclude(plan, diffs)
		for _, d := range left {
			fmt.Fprintf(env.Stdout, "left out %s (%s): the balances differ by %s\n", norway.FormatAccountNumber(d.AccountNumber), d.Name, d.Diff().Kr())
		}
	}
	res, err := onboarding.Apply(ctx, l, svc, plan, facts, hist)
	if errors.Is(err, onboarding.ErrRulesBroken) {
		return f.fail(err)
	}
	if err != nil {
		return f.fail(err)
	}
	if !res.Changed() {
		fmt.Fprintln(env.Stdout, "Nothing changed: the ledger already follows the plan.")
		return 0
	}
	fmt.Fprintf(env.Stdout, "Connected: %d accounts created, %d updated, %d deactivated, %d unchanged; %d transactions stored (%d already there), %d matched.\n",
		res.Created, res.Updated, res.Deactivated, res.Unchanged, res.LinesAdded, res.LinesSkipped, res.Matched)
	for _, o := range res.Openings {
		fmt.Fprintf(env.Stdout, "Opening balance of %s posted as voucher %d on %s: %s on %d, against %d.\n",
			o.AccountNumber, o.Voucher.Number, o.Voucher.Date, o.Amount.Kr(), o.GLAccount, onboarding.OpeningCounterAccount)
	}
	switch {
	case res.BackupErr != nil:
		fmt.Fprintf(env.Stderr, "The backup after connecting failed (the next import takes one): %v\n", res.BackupErr)
	case res.Backup != "":
		fmt.Fprintf(env.Stdout, "Backed up to %s.\n", res.Backup)
	}
	return 0
}
