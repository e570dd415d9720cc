package reconcile

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

var (
	conversion = civil.MustParse("2026-01-01")
	start      = civil.MustParse("2026-03-01")
)

// fixture is a company ledger with one bank account (GL 1920) reconciled
// from start, and names for the items a test creates.
type fixture struct {
	ctx    context.Context
	l      *ledger.Ledger
	bank   ledger.BankAccount
	seq    int
	lines  map[string]int64 // name -> bank line id
	posts  map[string]int64 // name -> GL posting id
	vouch  map[string]int64 // posting name -> voucher id
	byLine map[int64]string
	byPost map[int64]string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Create(ctx, filepath.Join(t.TempDir(), "company.bankbro"),
		ledger.Company{Name: "Solsiden Kaffebar AS", OrgNumber: "974760673", ConversionDate: conversion})
	if err != nil {
		t.Fatalf("create the ledger: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	f := &fixture{ctx: ctx, l: l, lines: map[string]int64{}, posts: map[string]int64{}, vouch: map[string]int64{},
		byLine: map[int64]string{}, byPost: map[int64]string{}}
	f.bank = f.addBank(t, "A1", "15032080119", 1920)
	return f
}

func (f *fixture) addBank(t testing.TB, bankID, number string, gl int) ledger.BankAccount {
	t.Helper()
	var id int64
	err := f.l.Update(f.ctx, func(tx *ledger.Tx) error {
		var err error
		id, err = tx.SaveBankAccount(ledger.BankAccount{BankID: bankID, Number: number, Name: "Drift " + bankID,
			GLAccount: gl, Reconciliation: true, StartDate: start, Active: true})
		return err
	})
	if err != nil {
		t.Fatalf("add bank account: %v", err)
	}
	b, err := f.l.BankAccount(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// item describes a bank line or a GL posting in a test case.
type item struct {
	name   string
	date   string // "2026-03-02"; "" is 2026-03-02
	amount money.Amount
	text   string
	kid    string
	ref    string
	// link (postings) names the bank line the posting was posted from.
	link string
	// reverses (postings) names the posting whose voucher this one reverses.
	reverses string
}

func (it item) day() civil.Date {
	if it.date == "" {
		return civil.MustParse("2026-03-02")
	}
	return civil.MustParse(it.date)
}

// addLines stores bank lines of the fixture's account.
func (f *fixture) addLines(t testing.TB, bank ledger.BankAccount, items ...item) {
	t.Helper()
	var batch []ledger.BankTransaction
	for _, it := range items {
		f.seq++
		batch = append(batch, ledger.BankTransaction{TransactionID: fmt.Sprintf("tx-%d", f.seq), AccountingDate: it.day(),
			Amount: it.amount, Text: it.text, KID: it.kid, Reference: it.ref})
	}
	err := f.l.Update(f.ctx, func(tx *ledger.Tx) error {
		_, _, err := tx.InsertBankTransactions(bank.ID, 0, batch)
		return err
	})
	if err != nil {
		t.Fatalf("insert bank lines: %v", err)
	}
	for i, it := range items {
		for _, bt := range f.mustLines(t, bank, it.day()) {
			if bt.TransactionID == batch[i].TransactionID {
				f.lines[it.name] = bt.ID
				f.byLine[bt.ID] = it.name
			}
		}
	}
}

func (f *fixture) mustLines(t testing.TB, bank ledger.BankAccount, d civil.Date) []ledger.BankTransaction {
	t.Helper()
	lines, err := f.l.BankTransactions(f.ctx, bank.ID, d, d)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// addPostings posts a voucher per item: the GL account against 3000 (money
// in) or 4300 (money out); or, with reverses, the reversal of that voucher.
func (f *fixture) addPostings(t testing.TB, bank ledger.BankAccount, items ...item) {
	t.Helper()
	err := f.l.Update(f.ctx, func(tx *ledger.Tx) error {
		for _, it := range items {
			var v ledger.Voucher
			var err error
			if it.reverses != "" {
				v, err = tx.Reverse(f.vouch[it.reverses], it.day(), "Reversal of "+it.reverses)
			} else {
				counter := 3000
				if it.amount < 0 {
					counter = 4300
				}
				v, err = tx.AddVoucher(ledger.Voucher{Date: it.day(), Description: it.name, Postings: []ledger.Posting{
					{Account: bank.GLAccount, Amount: it.amount, Text: it.text, KID: it.kid, Reference: it.ref, BankTransaction: f.lines[it.link]},
					{Account: counter, Amount: -it.amount, Text: it.text},
				}})
			}
			if err != nil {
				return err
			}
			for _, p := range v.Postings {
				if p.Account == bank.GLAccount {
					f.posts[it.name] = p.ID
					f.byPost[p.ID] = it.name
				}
			}
			f.vouch[it.name] = v.ID
		}
		return nil
	})
	if err != nil {
		t.Fatalf("post vouchers: %v", err)
	}
}

func (f *fixture) addRules(t testing.TB, rules ...ledger.Rule) []ledger.Rule {
	t.Helper()
	var out []ledger.Rule
	for _, r := range rules {
		saved, err := SaveRule(f.ctx, f.l, r)
		if err != nil {
			t.Fatalf("save rule %+v: %v", r, err)
		}
		out = append(out, saved)
	}
	return out
}

// describe names a set of items the way test cases write them:
// "one_to_one L1|P1", names sorted on each side.
func (f *fixture) describe(rule string, lines, posts []int64) string {
	var ln, pn []string
	for _, id := range lines {
		ln = append(ln, f.byLine[id])
	}
	for _, id := range posts {
		pn = append(pn, f.byPost[id])
	}
	sort.Strings(ln)
	sort.Strings(pn)
	return rule + " " + strings.Join(ln, ",") + "|" + strings.Join(pn, ",")
}

// matches describes every stored match of the bank account, sorted.
func (f *fixture) matches(t testing.TB, bank ledger.BankAccount) []string {
	t.Helper()
	ms, err := f.l.Matches(f.ctx, bank.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, f.describe(m.Rule, m.BankLines, m.Postings))
	}
	sort.Strings(out)
	return out
}

func (f *fixture) suggestions(ss []Suggestion) []string {
	var out []string
	for _, s := range ss {
		out = append(out, f.describe(s.Rule, s.lineIDs(), s.postingIDs()))
	}
	sort.Strings(out)
	return out
}

func (f *fixture) run(t testing.TB) Result {
	t.Helper()
	res, err := Run(f.ctx, f.l, Options{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
