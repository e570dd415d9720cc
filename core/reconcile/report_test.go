package reconcile

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/sandbox"
)

// demoLedger connects every account of the demo bank's company with
// reconciliation from first, records the bank's opening balance as
// onboarding does, and imports the archive through the day before today.
func demoLedger(t testing.TB, bank *sandbox.Bank, first civil.Date) (*ledger.Ledger, []sandbox.AccountInfo) {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Create(ctx, filepath.Join(t.TempDir(), "demo.bankbro"),
		ledger.Company{Name: "Demo AS", OrgNumber: "974760673", ConversionDate: first.AddDays(-100)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accounts := bank.AccountsFor(sandbox.ManagerID)
	yesterday := bank.Today().AddDays(-1)
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		for i, a := range accounts {
			id, err := tx.SaveBankAccount(ledger.BankAccount{BankID: a.AccountID, Number: a.AccountNumber, Name: a.Name,
				GLAccount: 1920 + i, Reconciliation: true, StartDate: first, Active: true})
			if err != nil {
				return err
			}
			opening, err := bank.BalanceAt(a.AccountNumber, first.AddDays(-1))
			if err != nil {
				return err
			}
			if err := tx.SetOpeningBankBalance(id, opening); err != nil {
				return err
			}
			archive, err := bank.ArchiveFor(a.AccountNumber, first, yesterday)
			if err != nil {
				return err
			}
			lines := make([]ledger.BankTransaction, len(archive))
			for j, x := range archive {
				lines[j] = ledger.BankTransaction{TransactionID: x.TransactionID, AccountingDate: x.AccountingDate,
					InterestDate: x.InterestDate, Amount: x.Amount, Text: x.Text, TypeCode: x.TransactionTypeCode,
					TypeText: x.TransactionTypeText, OtherAccount: x.OtherAccountNumber, KID: x.KID,
					Counterparty: x.ReceiverName + x.PayerName, Reference: x.Reference}
			}
			if _, _, err := tx.InsertBankTransactions(id, 0, lines); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("connect the demo bank's accounts: %v", err)
	}
	return l, accounts
}

func TestReportBankBalanceEqualsTheDemoBank(t *testing.T) {
	ctx := context.Background()
	today := civil.MustParse("2026-11-26")
	bank, err := sandbox.New(sandbox.Options{Seed: 7, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	first := civil.MustParse("2026-08-01")
	l, accounts := demoLedger(t, bank, first)
	if len(accounts) < 4 {
		t.Fatalf("the demo company has %d accounts, want at least 4", len(accounts))
	}
	rep, err := NewReport(ctx, l, first.AddDays(-5), today.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Accounts) != len(accounts) {
		t.Fatalf("report has %d accounts, want %d", len(rep.Accounts), len(accounts))
	}
	checked := 0
	for _, a := range rep.Accounts {
		for _, d := range a.Days {
			if d.Date.Before(first.AddDays(-1)) {
				if d.BankKnown {
					t.Errorf("%s on %s: the bank balance is known before the start date", a.BankAccount.Number, d.Date)
				}
				continue
			}
			want, err := bank.BalanceAt(a.BankAccount.Number, d.Date)
			if err != nil {
				t.Fatal(err)
			}
			if !d.BankKnown || d.Bank != want {
				t.Errorf("%s on %s: bank balance %s (known %t), the demo bank says %s", a.BankAccount.Number, d.Date, d.Bank, d.BankKnown, want)
			}
			checked++
		}
		// Nothing is posted: the ledger is empty and every line is open.
		if a.LedgerBalance != 0 || a.Difference() != a.OpeningDifference()+a.OpenLinesSum-a.OpenPostingsSum {
			t.Errorf("%s: ledger %s, difference %s, opening difference %s, open lines %s",
				a.BankAccount.Number, a.LedgerBalance, a.Difference(), a.OpeningDifference(), a.OpenLinesSum)
		}
	}
	if checked < 100*4 {
		t.Errorf("checked %d days, want at least 400", checked)
	}
}

func TestReportTextAndCSV(t *testing.T) {
	f := newFixture(t)
	err := f.l.Update(f.ctx, func(tx *ledger.Tx) error {
		if _, err := tx.AddVoucher(ledger.Voucher{Date: conversion, Description: "Inngående balanse", Source: "opening",
			Postings: []ledger.Posting{{Account: 1920, Amount: 1_000_000_00}, {Account: 2050, Amount: -1_000_000_00}}}); err != nil {
			return err
		}
		return tx.SetOpeningBankBalance(f.bank.ID, 1_000_000_00)
	})
	if err != nil {
		t.Fatal(err)
	}
	f.addLines(t, f.bank, item{name: "L1", amount: -125050, text: "Husleie mars"}, item{name: "L2", date: "2026-03-03", amount: -4900, text: "Gebyr; giro"})
	f.addPostings(t, f.bank, item{name: "P1", amount: -125050, text: "Husleie"}, item{name: "P2", date: "2026-03-04", amount: 30000, text: "Salg"})
	f.run(t)
	rep, err := NewReport(f.ctx, f.l, civil.MustParse("2026-03-01"), civil.MustParse("2026-03-05"))
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Accounts[0]
	want := struct{ bank, ledger, diff, openL, openP money.Amount }{1_000_000_00 - 125050 - 4900, 1_000_000_00 - 125050 + 30000, -4900 - 30000, -4900, 30000}
	if a.BankBalance != want.bank || a.LedgerBalance != want.ledger || a.Difference() != want.diff ||
		a.OpenLinesSum != want.openL || a.OpenPostingsSum != want.openP || len(a.Days) != 5 {
		t.Errorf("report = bank %s ledger %s diff %s open %s/%s days %d; want %+v and 5 days",
			a.BankBalance, a.LedgerBalance, a.Difference(), a.OpenLinesSum, a.OpenPostingsSum, len(a.Days), want)
	}

	var text bytes.Buffer
	if err := rep.WriteText(f.ctx, f.l, &text); err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // label -> amount, for rows that end in an amount at the margin
	for _, line := range strings.Split(text.String(), "\n") {
		if i := strings.LastIndex(line, "  "); i > 0 && utf8.RuneCountInString(line) == textWidth {
			rows[strings.TrimSpace(line[:i])] = strings.ReplaceAll(strings.TrimSpace(line[i:]), money.NBSP, " ")
		}
	}
	for label, amount := range map[string]string{
		"Balance in the bank":     "998 700,50",
		"Balance in the ledger":   "999 049,50",
		"Difference":              "-349,00",
		"Open bank lines (1)":     "-49,00",
		"03.03.2026  Gebyr; giro": "-49,00",
		"Open postings (1)":       "300,00",
		"04.03.2026  Salg":        "300,00",
	} {
		if rows[label] != amount {
			t.Errorf("text report: %q = %q, want %q\n%s", label, rows[label], amount, text.String())
		}
	}
	for _, line := range []string{"Bank reconciliation 05.03.2026", "1503.20.80119 Drift A1 (GL 1920), reconciled from 01.03.2026"} {
		if !strings.Contains(text.String(), line) {
			t.Errorf("text report lacks %q:\n%s", line, text.String())
		}
	}

	var out bytes.Buffer
	if err := rep.WriteCSV(f.ctx, f.l, &out); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&out)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v\n%s", err, out.String())
	}
	wantRecs := [][]string{
		{"account", "name", "gl_account", "date", "bank_balance", "ledger_balance", "difference", "open_bank_lines", "open_bank_lines_sum", "open_postings", "open_postings_sum", "opening_difference"},
		{"15032080119", "Drift A1", "1920", "2026-03-05", "998700,50", "999049,50", "-349,00", "1", "-49,00", "1", "300,00", "0,00"},
		{"account", "side", "id", "date", "amount", "text"},
		{"15032080119", "bank", strconv.FormatInt(f.lines["L2"], 10), "2026-03-03", "-49,00", "Gebyr; giro"},
		{"15032080119", "ledger", strconv.FormatInt(f.posts["P2"], 10), "2026-03-04", "300,00", "Salg"},
		{"account", "date", "bank_balance", "ledger_balance", "difference"},
		{"15032080119", "2026-03-01", "1000000,00", "1000000,00", "0,00"},
	}
	for i, w := range wantRecs {
		if i >= len(recs) || strings.Join(recs[i], "|") != strings.Join(w, "|") {
			t.Errorf("CSV record %d = %q, want %q\n%s", i, recs[min(i, len(recs)-1)], w, out.String())
		}
	}
}

func TestReportRefusesBadPeriods(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ from, to civil.Date }{
		{civil.MustParse("2026-03-05"), civil.MustParse("2026-03-01")},
		{civil.Date{}, civil.MustParse("2026-03-01")},
		{civil.MustParse("1900-01-01"), civil.MustParse("2026-03-01")},
	} {
		if _, err := NewReport(f.ctx, f.l, tc.from, tc.to); err == nil {
			t.Errorf("NewReport(%s, %s) accepted the period", tc.from, tc.to)
		}
	}
}

func TestDifferenceSince(t *testing.T) {
	day := func(d string, bank, books money.Amount) Day {
		return Day{Date: civil.MustParse(d), BankKnown: true, Bank: bank, Ledger: books}
	}
	for _, c := range []struct {
		name  string
		days  []Day
		start string // the account's start date, if any
		since string
		open  bool
		ok    bool
	}{
		{"none", []Day{day("2026-11-20", 100, 100), day("2026-11-21", 90, 90)}, "", "", false, false},
		{"began on the 21st", []Day{day("2026-11-20", 100, 100), day("2026-11-21", 90, 100), day("2026-11-22", 80, 90)}, "", "2026-11-21", false, true},
		{"grew on the 22nd, there all along", []Day{day("2026-11-20", 100, 90), day("2026-11-21", 100, 90), day("2026-11-22", 100, 80)}, "", "2026-11-20", true, true},
		{"gone a day, back on the 22nd", []Day{day("2026-11-20", 100, 90), day("2026-11-21", 100, 100), day("2026-11-22", 100, 80)}, "", "2026-11-22", false, true},
		{"all along", []Day{day("2026-11-20", 100, 90), day("2026-11-21", 110, 100)}, "", "2026-11-20", true, true},
		{"all along since the start date: it began there", []Day{day("2026-11-20", 100, 90), day("2026-11-21", 110, 100)}, "2026-11-20", "2026-11-20", false, true},
		{"all along, the start date before the period", []Day{day("2026-11-20", 100, 90), day("2026-11-21", 110, 100)}, "2026-11-19", "2026-11-20", true, true},
		{"bank not known", []Day{{Date: civil.MustParse("2026-11-20"), Ledger: 5}}, "", "", false, false},
	} {
		a := AccountReport{Days: c.days}
		if c.start != "" {
			a.BankAccount.StartDate = civil.MustParse(c.start)
		}
		since, open, ok := a.DifferenceSince()
		if ok != c.ok || open != c.open || (ok && since != civil.MustParse(c.since)) {
			t.Errorf("%s: DifferenceSince = %s, %v, %v; want %s, %v, %v", c.name, since, open, ok, c.since, c.open, c.ok)
		}
	}
}

// A payment and its reversal two months later are matched by the matcher
// (rule reversals); on the days between, the payment was open, also where
// the reversal lies more than a month after the day (match_spans holds the
// match with the dates the matcher gave it).
func TestReportCountsALongMatchOpenBetweenItsDates(t *testing.T) {
	f := newFixture(t)
	f.addPostings(t, f.bank, item{name: "P1", date: "2026-03-02", amount: kr(-800)},
		item{name: "R1", date: "2026-05-01", reverses: "P1"})
	if res := f.run(t); res.Matched() != 1 {
		t.Fatalf("the run made %d matches, want the payment with its reversal", res.Matched())
	}
	for _, c := range []struct {
		day  string
		open int
	}{{"2026-03-01", 0}, {"2026-03-02", 1}, {"2026-03-10", 1}, {"2026-04-15", 1}, {"2026-04-30", 1}, {"2026-05-01", 0}} {
		d := civil.MustParse(c.day)
		rep, err := NewReport(f.ctx, f.l, d, d)
		if err != nil {
			t.Fatal(err)
		}
		if a := rep.Accounts[0]; a.OpenPostings != c.open {
			t.Errorf("on %s: %d open postings (%s), want %d", c.day, a.OpenPostings, a.OpenPostingsSum, c.open)
		}
	}
}
