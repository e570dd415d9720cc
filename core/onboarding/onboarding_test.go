package onboarding_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bankbro/core/agreement"
	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/onboarding"
	"bankbro/core/sandbox"
	banksync "bankbro/core/sync"
)

var today = civil.MustParse("2026-11-26")

type env struct {
	srv    *sandbox.Server
	l      *ledger.Ledger
	svc    *agreement.Service
	client *bank.Client
}

// setup starts the demo bank, makes the demo company's ledger and logs in
// as who (through the real BankID page, as a browser would).
func setup(t *testing.T, who string) *env {
	t.Helper()
	return setupWith(t, who, func(ctx context.Context, path string) (*ledger.Ledger, error) {
		return demo.Create(ctx, path, today)
	})
}

// setupWith is setup with the company's ledger made by create.
func setupWith(t *testing.T, who string, create func(ctx context.Context, path string) (*ledger.Ledger, error)) *env {
	t.Helper()
	ctx := context.Background()
	srv, err := sandbox.Start("", sandbox.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	l, err := create(ctx, filepath.Join(t.TempDir(), "company.bankbro"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	e := &env{srv: srv, l: l}
	e.login(t, who)
	return e
}

func (e *env) login(t *testing.T, who string) {
	t.Helper()
	ctx := context.Background()
	store := login.NewFileStore(filepath.Join(t.TempDir(), "login"))
	svc, err := agreement.Open(ctx, e.l, agreement.Options{BankURL: e.srv.URL, Store: store,
		Browser: &sandbox.TestBrowser{NationalID: who, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Login(ctx); err != nil {
		t.Fatalf("login: %v", err)
	}
	if e.client, err = svc.Client(ctx); err != nil {
		t.Fatal(err)
	}
	e.svc = svc
}

func (e *env) facts(t *testing.T) onboarding.Facts {
	t.Helper()
	f, err := onboarding.Gather(context.Background(), e.l, e.client, today)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// read reads the history for the plan and compares the balances on its
// start date, as the wizard's start-date page does.
func (e *env) read(t *testing.T, p onboarding.Plan) (onboarding.Facts, onboarding.History, []onboarding.Difference) {
	t.Helper()
	ctx := context.Background()
	f := e.facts(t)
	h, err := onboarding.ReadHistory(ctx, e.client, p, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := onboarding.Compare(ctx, e.l, p, f, h)
	if err != nil {
		t.Fatal(err)
	}
	return f, h, diffs
}

func (e *env) apply(t *testing.T, p onboarding.Plan) (onboarding.Result, []onboarding.Difference) {
	t.Helper()
	ctx := context.Background()
	f, h, diffs := e.read(t, p)
	if p.ExcludeAccountsWithDifference {
		p, _ = onboarding.Exclude(p, diffs)
	}
	res, err := onboarding.Apply(ctx, e.l, e.svc, p, f, h)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return res, diffs
}

func rules(ps onboarding.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Rule)
	}
	return strings.Join(out, ",")
}

func TestRules(t *testing.T) {
	e := setup(t, sandbox.ManagerID)
	f := e.facts(t)
	if len(f.Offered) < 4 {
		t.Fatalf("the manager may administer %d accounts, want at least 4", len(f.Offered))
	}
	good := onboarding.Suggest(f)
	if errs := onboarding.Check(good, f).Errors(); len(errs) > 0 {
		t.Fatalf("the suggested plan breaks rules: %v", errs)
	}
	// Tax withholding goes to 1950 and savings to 1940, as the standard
	// chart names them; the rest to 1920, 1921, … in the bank's order.
	for _, o := range f.Offered {
		for _, c := range good.Accounts {
			if c.AccountNumber != o.Number {
				continue
			}
			switch {
			case onboarding.IsTaxWithholding(o) && c.GLAccount != 1950:
				t.Errorf("%s (%s) suggested %d, want 1950", o.Name, o.Type, c.GLAccount)
			case onboarding.IsSavings(o) && c.GLAccount != 1940:
				t.Errorf("%s (%s) suggested %d, want 1940", o.Name, o.Type, c.GLAccount)
			case !onboarding.IsTaxWithholding(o) && !onboarding.IsSavings(o) && (c.GLAccount < 1920 || c.GLAccount > 1927):
				t.Errorf("%s (%s) suggested %d, want one of 1920–1927", o.Name, o.Type, c.GLAccount)
			}
		}
	}
	if !slices.ContainsFunc(f.Offered, onboarding.IsSavings) {
		t.Error("the demo bank offers no savings account to suggest 1940 for")
	}
	a0, a1 := f.Offered[0].Number, f.Offered[1].Number
	tests := []struct {
		name   string
		change func(p *onboarding.Plan)
		want   string
	}{
		{"same GL twice", func(p *onboarding.Plan) { p.Accounts[1].GLAccount = p.Accounts[0].GLAccount }, "gl-duplicate,gl-duplicate"},
		{"unknown GL", func(p *onboarding.Plan) { p.Accounts[0].GLAccount = 1999 }, "gl-unknown"},
		{"no service", func(p *onboarding.Plan) { p.Accounts[0].Remittance, p.Accounts[0].Reconciliation = false, false }, "no-service"},
		{"start before conversion", func(p *onboarding.Plan) { p.StartDate = civil.MustParse("2025-12-31") }, "start-before-conversion"},
		{"start after today", func(p *onboarding.Plan) { p.StartDate = today.AddDays(1) }, "start-after-today"},
		{"unknown fee account", func(p *onboarding.Plan) { p.FeeAccount = 7771 }, "fee-unknown"},
		{"not in mandate", func(p *onboarding.Plan) { p.Accounts[0].AccountNumber = "15032080119" }, "mandate,role-inactive"},
		{"role on inactive account", func(p *onboarding.Plan) { p.Accounts = p.Accounts[1:]; p.Roles = onboarding.Roles{Salary: a0} }, "role-inactive"},
		{"no accounts", func(p *onboarding.Plan) { p.Accounts = nil; p.Roles = onboarding.Roles{} }, "no-accounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			p.Accounts = append([]onboarding.AccountChoice(nil), good.Accounts...)
			tt.change(&p)
			got := onboarding.Check(p, f).Errors()
			if rules(got) != tt.want {
				t.Errorf("rules broken = %q, want %q (%v)", rules(got), tt.want, got)
			}
		})
	}
	// A fee account taken out of use is refused here, not when the plan
	// is applied.
	inactive := f
	inactive.Chart = append([]ledger.Account(nil), f.Chart...)
	for i := range inactive.Chart {
		if inactive.Chart[i].Number == good.FeeAccount {
			inactive.Chart[i].Active = false
		}
	}
	if got := rules(onboarding.Check(good, inactive).Errors()); got != "fee-inactive" {
		t.Errorf("fee account %d not in use: rules broken %q, want fee-inactive", good.FeeAccount, got)
	}
	// The duplicate-GL message names both accounts and says why.
	p := good
	p.Accounts = append([]onboarding.AccountChoice(nil), good.Accounts...)
	p.Accounts[1].GLAccount = p.Accounts[0].GLAccount
	msg := onboarding.Check(p, f).Errors()[0].Message()
	if !strings.Contains(msg, "break the reconciliation") || !strings.Contains(msg, a1[:4]) {
		t.Errorf("duplicate GL message = %q", msg)
	}
	// Tax withholding on the operating account is a warning, not an error.
	p = good
	p.Roles.TaxWithholding = p.Roles.Operating
	if w := onboarding.Check(p, f); rules(w.Warnings()) != "tax-is-operating" || len(w.Errors()) != 0 {
		t.Errorf("tax on operating account: %v", w)
	}
	// So is tax withholding on the salary account.
	p = good
	p.Roles.TaxWithholding = p.Roles.Salary
	if w := onboarding.Check(p, f); rules(w.Warnings()) != "tax-is-salary" || len(w.Errors()) != 0 {
		t.Errorf("tax on salary account: %v", w)
	}
}

func TestApplyAndReapply(t *testing.T) {
	ctx := context.Background()
	e := setup(t, sandbox.ManagerID)
	f := e.facts(t)
	p := onboarding.Suggest(f)
	res, diffs := e.apply(t, p)
	if res.Created != len(p.Accounts) || res.LinesAdded == 0 {
		t.Fatalf("first apply = %+v", res)
	}
	// The demo books have opening balances for the four usual accounts; the
	// fifth account has none, so exactly it differs.
	differ := 0
	for _, d := range diffs {
		bank, _ := e.srv.Bank.BalanceAt(d.AccountNumber, p.StartDate.AddDays(-1))
		if d.Bank != bank {
			t.Errorf("%s: bank balance at start = %s, demo bank says %s", d.AccountNumber, d.Bank, bank)
		}
		if d.Diff() != 0 {
			differ++
		}
	}
	if differ != 1 {
		t.Errorf("%d accounts differ on the start date, want 1: %+v", differ, diffs)
	}
	// Every line from the start date to yesterday is stored once.
	accounts, _ := e.l.BankAccounts(ctx)
	for _, a := range accounts {
		want, _ := e.srv.Bank.ArchiveFor(a.Number, p.StartDate, today.AddDays(-1))
		n, _ := e.l.CountBankTransactions(ctx, a.ID)
		if n != len(want) {
			t.Errorf("%s: %d lines stored, the bank has %d", a.Number, n, len(want))
		}
		if a.ReadThrough != today.AddDays(-1) {
			t.Errorf("%s read through %s", a.Number, a.ReadThrough)
		}
	}
	// The demo's bookkeeper entered every line before the morning's days
	// (bank fees aside, which the import posts): after the matcher has run,
	// what stays open on the accounts the demo books keep is the morning's
	// lines, left for the owner.
	morning, _ := banksync.MorningDays(today)
	for _, a := range accounts {
		if _, kept := demo.GLFor[a.Name]; !kept {
			continue
		}
		lines, postings := 0, 0
		err := e.l.EachOpenItemAt(ctx, a.ID, a.GLAccount, a.StartDate, today.AddDays(-1), func(it ledger.OpenItem) error {
			if it.Posting {
				postings++
			} else if lines++; it.Date.Before(morning) {
				t.Errorf("%s: bank line %d of %s is open; the demo books enter every line before %s", a.Number, it.ID, it.Date, morning)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if postings != 0 {
			t.Errorf("%s: %d postings left open, want every one matched", a.Number, postings)
		}
		if a.Name == "Driftskonto" && lines == 0 {
			t.Errorf("%s: nothing open, want the morning's lines", a.Number)
		}
	}
	if res.Matched < 1000 {
		t.Errorf("the matcher matched %d lines over the demo's year, want most of them", res.Matched)
	}
	open := 0
	for _, a := range accounts {
		tot, err := e.l.OpenTotals(ctx, a.ID, a.GLAccount, a.StartDate)
		if err != nil {
			t.Fatal(err)
		}
		open += tot.Lines
	}
	if res.Open != open || open == 0 {
		t.Errorf("the apply says %d bank lines are left open, the ledger has %d", res.Open, open)
	}
	// The books are backed up once the history is in, in the morning's
	// backup folder; an apply that stores nothing takes no backup.
	if res.BackupErr != nil || filepath.Dir(res.Backup) != banksync.BackupDir(e.l) {
		t.Errorf("backup after the first apply: %q, %v; want one in %s", res.Backup, res.BackupErr, banksync.BackupDir(e.l))
	} else if err := ledger.CheckFile(ctx, res.Backup); err != nil {
		t.Errorf("the backup after the first apply is not a good ledger: %v", err)
	}
	// The same plan again changes nothing.
	res, _ = e.apply(t, p)
	if res.Changed() || res.LinesAdded != 0 || res.Backup != "" {
		t.Errorf("second apply of the same plan = %+v, want no change", res)
	}
	// Leaving an account out deactivates it and keeps its lines.
	dropped := p.Accounts[1] // the salary account, with lines every month
	q := p
	q.Accounts = append([]onboarding.AccountChoice{p.Accounts[0]}, p.Accounts[2:]...)
	q.Roles.Salary = ""
	res, _ = e.apply(t, q)
	if res.Deactivated != 1 || res.LinesAdded != 0 {
		t.Errorf("apply without %s = %+v", dropped.AccountNumber, res)
	}
	b, _ := e.l.BankAccountByNumber(ctx, dropped.AccountNumber)
	if n, _ := e.l.CountBankTransactions(ctx, b.ID); b.Active || n == 0 {
		t.Errorf("deactivated account: active=%v, %d lines kept", b.Active, n)
	}
}

func TestExcludeAccountsWithDifference(t *testing.T) {
	ctx := context.Background()
	e := setup(t, sandbox.ManagerID)
	p := onboarding.Suggest(e.facts(t))
	p.ExcludeAccountsWithDifference = true
	e.apply(t, p)
	accounts, _ := e.l.BankAccounts(ctx)
	if len(accounts) != len(p.Accounts)-1 {
		t.Errorf("%d accounts connected, want %d (one left out for its difference)", len(accounts), len(p.Accounts)-1)
	}
}

func TestMandateShrank(t *testing.T) {
	e := setup(t, sandbox.ManagerID)
	p := onboarding.Suggest(e.facts(t))
	// The bookkeeper may administer only two accounts: the manager's plan
	// is refused at apply, naming an account outside the mandate.
	e.login(t, sandbox.BookkeeperID)
	f := e.facts(t)
	if len(f.Offered) != 2 {
		t.Fatalf("bookkeeper sees %d accounts, want 2", len(f.Offered))
	}
	_, err := onboarding.Apply(context.Background(), e.l, e.svc, p, f, onboarding.History{})
	if !errors.Is(err, onboarding.ErrRulesBroken) || !strings.Contains(err.Error(), "may not administer") {
		t.Errorf("apply beyond the mandate: err = %v", err)
	}
}

func TestSwapGLAccounts(t *testing.T) {
	ctx := context.Background()
	e := setup(t, sandbox.ManagerID)
	p := onboarding.Suggest(e.facts(t))
	e.apply(t, p)
	q := p
	q.Accounts = append([]onboarding.AccountChoice(nil), p.Accounts...)
	q.Accounts[0].GLAccount, q.Accounts[1].GLAccount = p.Accounts[1].GLAccount, p.Accounts[0].GLAccount
	res, _ := e.apply(t, q)
	if res.Updated != 2 {
		t.Errorf("swap: %+v, want 2 accounts updated", res)
	}
	for _, c := range q.Accounts[:2] {
		b, err := e.l.BankAccountByNumber(ctx, c.AccountNumber)
		if err != nil || b.GLAccount != c.GLAccount {
			t.Errorf("%s has GL %d, want %d (%v)", c.AccountNumber, b.GLAccount, c.GLAccount, err)
		}
	}
}

// TestBasisSubscriptionRefusesPayments: under the Basis subscription the
// bank has no payments, so a plan that asks for them is refused, naming the
// account and the subscription; reconciliation alone is fine.
func TestBasisSubscriptionRefusesPayments(t *testing.T) {
	e := setup(t, sandbox.ManagerID)
	if err := e.srv.Bank.SetIntegration(sandbox.IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	f := e.facts(t)
	if f.PaymentsAllowed {
		t.Fatal("Gather says payments are allowed under Basis")
	}
	p := onboarding.Suggest(f)
	for _, c := range p.Accounts {
		if c.Remittance {
			t.Errorf("Suggest turned payments on for %s under Basis", c.AccountNumber)
		}
	}
	p.Accounts[0].Remittance = true
	errs := onboarding.Check(p, f).Errors()
	if rules(errs) != "subscription" || !strings.Contains(errs[0].Message(), "Basis") ||
		!strings.Contains(errs[0].Message(), p.Accounts[0].AccountNumber[:4]) {
		t.Errorf("payments under Basis: %v", errs)
	}
}

// Logging in again as someone who may administer fewer accounts (the
// bookkeeper, two of the manager's five) gives a plan for the accounts this
// login offers that keeps what was chosen for them, and breaks no rule: the
// wizard's Next stayed off for accounts no page showed. Back as the
// manager, the others come back as suggested, on GL accounts the kept ones
// do not use, with their roles.
func TestResuggestForAnotherLogin(t *testing.T) {
	e := setup(t, sandbox.ManagerID)
	manager := e.facts(t)
	p := onboarding.Suggest(manager)
	e.login(t, sandbox.BookkeeperID)
	bookkeeper := e.facts(t)
	if len(bookkeeper.Offered) != 2 || len(manager.Offered) < 4 {
		t.Fatalf("the bookkeeper is offered %d accounts, the manager %d", len(bookkeeper.Offered), len(manager.Offered))
	}
	// The owner's own choices: no payments anywhere, and the bookkeeper's
	// two accounts' GL accounts swapped.
	p.FeeAccount = 7790
	var bi []int
	for i := range p.Accounts {
		p.Accounts[i].Remittance = false
		for _, a := range bookkeeper.Offered {
			if a.Number == p.Accounts[i].AccountNumber {
				bi = append(bi, i)
			}
		}
	}
	a, b := bi[0], bi[1]
	p.Accounts[a].GLAccount, p.Accounts[b].GLAccount = p.Accounts[b].GLAccount, p.Accounts[a].GLAccount
	if p.Roles.TaxWithholding == "" || p.Roles.Salary == "" {
		t.Fatalf("the manager's plan has no tax or salary account: %+v", p.Roles)
	}

	q := onboarding.Resuggest(p, manager.Offered, bookkeeper)
	if len(q.Accounts) != 2 || q.FeeAccount != 7790 || q.StartDate != p.StartDate {
		t.Errorf("plan for the bookkeeper: %+v", q)
	}
	for _, c := range q.Accounts {
		if want, _ := p.Choice(c.AccountNumber); c != want {
			t.Errorf("%s: %+v, want the choice made before %+v", c.AccountNumber, c, want)
		}
	}
	offered := func(f onboarding.Facts, n string) bool {
		return slices.ContainsFunc(f.Offered, func(a bank.Account) bool { return a.Number == n })
	}
	for name, role := range map[string][2]string{"salary": {q.Roles.Salary, p.Roles.Salary}, "operating": {q.Roles.Operating, p.Roles.Operating},
		"tax withholding": {q.Roles.TaxWithholding, p.Roles.TaxWithholding}} {
		if want := role[1]; !offered(bookkeeper, want) {
			want = ""
		} else if role[0] != want {
			t.Errorf("the %s role for the bookkeeper is %q, want %q kept", name, role[0], want)
		}
		if role[0] != "" && !offered(bookkeeper, role[0]) {
			t.Errorf("the %s role stays on %s, which the bookkeeper is not offered", name, role[0])
		}
	}
	if errs := onboarding.Check(q, bookkeeper).Errors(); len(errs) > 0 {
		t.Errorf("the plan for the bookkeeper breaks rules: %v", errs)
	}

	e.login(t, sandbox.ManagerID)
	r := onboarding.Resuggest(q, bookkeeper.Offered, manager)
	if len(r.Accounts) != len(manager.Offered) {
		t.Errorf("back to the manager: %d accounts in the plan, want %d", len(r.Accounts), len(manager.Offered))
	}
	for _, n := range []string{p.Accounts[a].AccountNumber, p.Accounts[b].AccountNumber} {
		if got, _ := r.Choice(n); got.GLAccount != func() int { c, _ := p.Choice(n); return c.GLAccount }() {
			t.Errorf("%s lost its GL account back as the manager: %+v", n, got)
		}
	}
	if r.Roles.TaxWithholding != p.Roles.TaxWithholding {
		t.Errorf("back as the manager the tax-withholding role is %q, want %q as suggested", r.Roles.TaxWithholding, p.Roles.TaxWithholding)
	}
	if errs := onboarding.Check(r, manager).Errors(); len(errs) > 0 {
		t.Errorf("the plan back for the manager breaks rules: %v", errs)
	}

	// The bookkeeper first, then the manager: the three accounts new to the
	// owner come as suggested, on GL accounts the two chosen do not use.
	first := onboarding.Suggest(bookkeeper)
	for i := range first.Accounts {
		first.Accounts[i].GLAccount = 1921 + i // 1921, 1922: not Suggest's 1920, 1921
	}
	m := onboarding.Resuggest(first, bookkeeper.Offered, manager)
	if len(m.Accounts) != len(manager.Offered) || m.Roles.TaxWithholding == "" {
		t.Errorf("the manager after the bookkeeper: %+v", m)
	}
	if errs := onboarding.Check(m, manager).Errors(); len(errs) > 0 {
		t.Errorf("the manager's plan after the bookkeeper's breaks rules: %v", errs)
	}
}
