package onboarding_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/onboarding"
	"bankbro/core/reconcile"
	"bankbro/core/sandbox"
	banksync "bankbro/core/sync"
)

var conversion = civil.MustParse("2026-01-01")

// setupEmpty is setup for a brand-new company: the demo bank's company with
// the standard chart and nothing posted, as `bankbro init` without --demo
// leaves it.
func setupEmpty(t *testing.T) *env {
	t.Helper()
	return setupWith(t, sandbox.ManagerID, func(ctx context.Context, path string) (*ledger.Ledger, error) {
		return ledger.Create(ctx, path, ledger.Company{Name: sandbox.CompanyName, OrgNumber: demo.OrgNumber, ConversionDate: conversion})
	})
}

// compare returns the balances on the plan's start date.
func (e *env) compare(t *testing.T, p onboarding.Plan) []onboarding.Difference {
	t.Helper()
	_, _, diffs := e.read(t, p)
	return diffs
}

// openingVouchers returns the opening-balance vouchers posting to gl.
func openingVouchers(t *testing.T, l *ledger.Ledger, gl int) []ledger.Voucher {
	t.Helper()
	ctx := context.Background()
	ps, err := l.Postings(ctx, gl, civil.MustParse("2000-01-01"), today)
	if err != nil {
		t.Fatal(err)
	}
	var out []ledger.Voucher
	for _, p := range ps {
		v, err := l.Voucher(ctx, p.Voucher)
		if err != nil {
			t.Fatal(err)
		}
		if v.Source == ledger.SourceOpening {
			out = append(out, v)
		}
	}
	return out
}

func postAllOpenings(p onboarding.Plan) onboarding.Plan {
	p.Accounts = append([]onboarding.AccountChoice(nil), p.Accounts...)
	for i := range p.Accounts {
		p.Accounts[i].PostOpeningBalance = true
	}
	return p
}

// TestPostOpeningBalances: a new company with empty books connects its
// accounts on the conversion date and posts the bank's balances as opening
// balances. Afterwards the books agree with the bank on the start date, the
// reconciliation report has no difference there, and the morning's
// "Expected in the bank" and the books differ only by the lines not yet
// posted.
func TestPostOpeningBalances(t *testing.T) {
	ctx := context.Background()
	e := setupEmpty(t)
	p := onboarding.Suggest(e.facts(t))
	if p.StartDate != conversion {
		t.Fatalf("suggested start date %s, want the conversion date", p.StartDate)
	}
	before := e.compare(t, p)
	bankAt, names := map[string]money.Amount{}, map[string]string{}
	for _, d := range before {
		bankAt[d.AccountNumber], names[d.AccountNumber] = d.Bank, d.Name
		if d.Bank == 0 {
			continue
		}
		if !d.OpeningOffered || !d.OpeningByDefault() || d.Ledger != 0 {
			t.Errorf("%s with empty books: offered %v, by default %v, ledger %s; want offered and ticked",
				d.AccountNumber, d.OpeningOffered, d.OpeningByDefault(), d.Ledger)
		}
	}

	p = postAllOpenings(p)
	res, _ := e.apply(t, p)
	if len(res.Openings) != len(before) {
		t.Fatalf("%d opening balances posted, want %d: %+v", len(res.Openings), len(before), res.Openings)
	}
	for _, o := range res.Openings {
		vs := openingVouchers(t, e.l, o.GLAccount)
		if len(vs) != 1 {
			t.Fatalf("%d opening vouchers on %d, want 1", len(vs), o.GLAccount)
		}
		v := vs[0]
		var sum money.Amount
		for _, ps := range v.Postings {
			sum += ps.Amount
		}
		if v.Number > int64(len(before)) {
			t.Errorf("opening voucher of %s is number %d: the opening balances should come first, before the fees", o.AccountNumber, v.Number)
		}
		if v.Date != conversion || sum != 0 || len(v.Postings) != 2 ||
			v.Postings[0].Account != o.GLAccount || v.Postings[0].Amount != bankAt[o.AccountNumber] ||
			v.Postings[1].Account != onboarding.OpeningCounterAccount || v.Description != "Inngående balanse "+names[o.AccountNumber] {
			t.Errorf("opening voucher of %s = %+v, want on %s %s on %d against %d, balancing",
				o.AccountNumber, v, conversion, bankAt[o.AccountNumber], o.GLAccount, onboarding.OpeningCounterAccount)
		}
	}

	for _, d := range e.compare(t, p) {
		if d.Diff() != 0 || d.OpeningOffered {
			t.Errorf("%s after posting: difference %s, offered again %v", d.AccountNumber, d.Diff(), d.OpeningOffered)
		}
	}
	report, err := reconcile.NewReport(ctx, e.l, conversion, conversion)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range report.Accounts {
		unexplained := a.Difference() - (a.OpenLinesSum - a.OpenPostingsSum)
		if !a.OpeningKnown || a.OpeningDifference() != 0 || unexplained != 0 {
			t.Errorf("report on %s for %s: opening difference %s, difference %s not explained by open items (%s)",
				conversion, a.BankAccount.Number, a.OpeningDifference(), a.Difference(), unexplained)
		}
		if a.OpenLines == 0 && a.Difference() != 0 {
			t.Errorf("report on %s for %s: difference %s with no open items", conversion, a.BankAccount.Number, a.Difference())
		}
	}
	yesterday := today.AddDays(-1)
	days, err := banksync.Yesterday(ctx, e.l, yesterday, yesterday)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		lines, err := e.l.BankLines(ctx, d.Account.ID, conversion, yesterday)
		if err != nil {
			t.Fatal(err)
		}
		var unposted money.Amount
		for _, b := range lines {
			if b.Voucher == 0 {
				unposted += b.Amount
			}
		}
		if got := d.ExpectedBankBalance() - d.GLBalance; got != unposted {
			t.Errorf("%s yesterday: expected in the bank %s, books %s: they differ by %s, the lines not posted sum to %s",
				d.Account.Number, d.ExpectedBankBalance(), d.GLBalance, got, unposted)
		}
	}
	log, err := e.l.AuditLog(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	logged := 0
	for _, entry := range log {
		if entry.Action == "onboarding.opening_balance" {
			logged++
		}
	}
	if logged != len(res.Openings) {
		t.Errorf("%d opening balances in the audit log, want %d", logged, len(res.Openings))
	}

	// Running the onboarding again never posts an opening balance twice.
	res, _ = e.apply(t, p)
	if len(res.Openings) != 0 || res.Changed() {
		t.Errorf("second apply posted %d opening balances (changed %v)", len(res.Openings), res.Changed())
	}
	for _, c := range p.Accounts {
		if n := len(openingVouchers(t, e.l, c.GLAccount)); n != 1 {
			t.Errorf("after the second apply %d opening vouchers on %d, want 1", n, c.GLAccount)
		}
	}
}

// TestOpeningBalanceNeverPostedTwice: where an opening balance already
// stands on the GL account, even a wrong one, onboarding does not offer or
// post another; it is corrected in the books, not doubled.
func TestOpeningBalanceNeverPostedTwice(t *testing.T) {
	ctx := context.Background()
	e := setupEmpty(t)
	p := postAllOpenings(onboarding.Suggest(e.facts(t)))
	gl := p.Accounts[0].GLAccount
	if err := e.l.Update(ctx, func(tx *ledger.Tx) error {
		_, err := tx.AddVoucher(ledger.Voucher{Date: conversion, Description: "Inngående balanse", Source: ledger.SourceOpening,
			Postings: []ledger.Posting{{Account: gl, Amount: 100_00}, {Account: 2050, Amount: -100_00}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, d := range e.compare(t, p) {
		if d.GLAccount == gl && (d.Diff() == 0 || d.OpeningOffered) {
			t.Errorf("%d with a wrong opening balance: difference %s, offered %v; want a difference and no offer", gl, d.Diff(), d.OpeningOffered)
		}
	}
	res, _ := e.apply(t, p)
	for _, o := range res.Openings {
		if o.GLAccount == gl {
			t.Errorf("a second opening balance was posted on %d: %+v", gl, o)
		}
	}
	if n := len(openingVouchers(t, e.l, gl)); n != 1 {
		t.Errorf("%d opening vouchers on %d, want the one posted before", n, gl)
	}
}

// TestOpeningBalanceOnlyOnConversionDate: on a later start date a difference
// means missing postings, so posting an opening balance is not offered, and
// a plan that asks for it is refused, naming the rule.
func TestOpeningBalanceOnlyOnConversionDate(t *testing.T) {
	ctx := context.Background()
	e := setupEmpty(t)
	p := onboarding.Suggest(e.facts(t))
	p.StartDate = civil.MustParse("2026-10-01")
	for _, d := range e.compare(t, p) {
		if d.OpeningOffered {
			t.Errorf("%s: opening balance offered on a start date after the conversion date", d.AccountNumber)
		}
	}
	p = postAllOpenings(p)
	f, h, _ := e.read(t, p)
	if errs := onboarding.Check(p, f).Errors(); len(errs) == 0 || errs[0].Rule != "opening-not-conversion" ||
		!strings.Contains(errs[0].Message(), "01.01.2026") {
		t.Errorf("opening balance on a later start date: %v", errs)
	}
	if _, err := onboarding.Apply(ctx, e.l, e.svc, p, f, h); !errors.Is(err, onboarding.ErrRulesBroken) {
		t.Errorf("apply with an opening balance on a later start date: err = %v", err)
	}
	if n := len(openingVouchers(t, e.l, p.Accounts[0].GLAccount)); n != 0 {
		t.Errorf("%d opening vouchers posted", n)
	}
}

// TestExcludeKeepsPostedOpening: an account whose difference is posted as
// its opening balance has no difference to be left out for. In the demo
// books only the deposit account lacks an opening balance.
func TestExcludeKeepsPostedOpening(t *testing.T) {
	ctx := context.Background()
	e := setup(t, sandbox.ManagerID)
	p := postAllOpenings(onboarding.Suggest(e.facts(t)))
	p.ExcludeAccountsWithDifference = true
	res, _ := e.apply(t, p)
	if len(res.Openings) != 1 || !strings.Contains(res.Openings[0].Voucher.Description, "Depositumskonto") {
		t.Fatalf("opening balances posted: %+v, want the deposit account's", res.Openings)
	}
	accounts, _ := e.l.BankAccounts(ctx)
	if len(accounts) != len(p.Accounts) {
		t.Errorf("%d accounts connected, want all %d", len(accounts), len(p.Accounts))
	}
	days, err := banksync.Yesterday(ctx, e.l, today.AddDays(-1), today.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range days {
		if d.Account.Number == res.Openings[0].AccountNumber && d.ExpectedBankBalance() != d.GLBalance {
			t.Errorf("deposit account yesterday: expected in the bank %s, books %s", d.ExpectedBankBalance(), d.GLBalance)
		}
	}
}
