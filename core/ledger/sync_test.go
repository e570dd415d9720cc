package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// syncLedger is a new ledger with one bank account (GL 1920); it returns the
// account's id.
func syncLedger(t *testing.T) (*Ledger, int64) {
	t.Helper()
	ctx := context.Background()
	l, err := Create(ctx, filepath.Join(t.TempDir(), "sync.bankbro"),
		Company{Name: "Solsiden Kaffebar AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	var id int64
	err = l.Update(ctx, func(tx *Tx) error {
		id, err = tx.SaveBankAccount(BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920,
			Reconciliation: true, Active: true, StartDate: civil.MustParse("2026-02-01")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l, id
}

func TestSyncRunRecordAndRunLines(t *testing.T) {
	ctx := context.Background()
	l, acct := syncLedger(t)
	from, to := civil.MustParse("2026-02-01"), civil.MustParse("2026-02-03")
	lines := []BankTransaction{
		{TransactionID: "a", AccountingDate: from, Amount: -5000, Text: "Gebyr", TypeCode: 312},
		{TransactionID: "b", AccountingDate: to, Amount: 100000, Text: "Innbetaling", TypeCode: 230},
	}
	var runs []int64
	for range 2 {
		err := l.Update(ctx, func(tx *Tx) error {
			run, err := tx.StartSyncRun(acct, from, to, time.Date(2026, 2, 4, 6, 0, 0, 0, time.UTC))
			if err != nil {
				return err
			}
			runs = append(runs, run)
			added, skipped, err := tx.InsertBankTransactions(acct, run, lines)
			if err != nil {
				return err
			}
			fees, err := tx.RunLines(acct, run, from, to, 53, 312)
			if err != nil {
				return err
			}
			all, err := tx.RunLines(acct, run, from, to)
			if err != nil {
				return err
			}
			if len(runs) == 1 && (len(fees) != 1 || fees[0].TransactionID != "a" || len(all) != 2) {
				t.Errorf("first run: fee lines %v, all lines %d; want [a], 2", fees, len(all))
			}
			if len(runs) == 2 && (len(fees) != 0 || len(all) != 0) {
				t.Errorf("second run: it stored nothing, yet RunLines gave %d fee lines and %d lines", len(fees), len(all))
			}
			return tx.FinishSyncRun(run, len(lines), added, skipped, "")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.SyncRuns(ctx, acct, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ new, skipped int }{{0, 2}, {2, 0}} // newest first
	if len(got) != 2 {
		t.Fatalf("SyncRuns = %d runs, want 2", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.New != w.new || g.Skipped != w.skipped || g.Fetched != 2 || g.From != from || g.To != to || g.FinishedAt.IsZero() || g.Err != "" {
			t.Errorf("run %d = %+v, want new=%d skipped=%d fetched=2 %s..%s finished", i, g, w.new, w.skipped, from, to)
		}
	}
	if n, err := l.DuplicateBankTransactions(ctx); err != nil || n != 0 {
		t.Errorf("DuplicateBankTransactions = %d, %v; want 0", n, err)
	}
}

// postLine books a bank line against counter in its own voucher.
func postLine(t *testing.T, l *Ledger, line BankTransaction, counter int) Voucher {
	t.Helper()
	var v Voucher
	err := l.Update(context.Background(), func(tx *Tx) error {
		var err error
		v, err = tx.AddVoucher(Voucher{Date: line.AccountingDate, Description: line.Text, Source: "bank", Postings: []Posting{
			{Account: 1920, Amount: line.Amount, BankTransaction: line.ID},
			{Account: counter, Amount: -line.Amount},
		}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBankLinesPostedMatchedAndSuggestions(t *testing.T) {
	ctx := context.Background()
	l, acct := syncLedger(t)
	day := civil.MustParse("2026-02-02")
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{
			{TransactionID: "rent1", AccountingDate: day.AddDays(-1), Amount: -1250000, Text: "Husleie januar", Counterparty: "Gårdeier AS"},
			{TransactionID: "rent2", AccountingDate: day, Amount: -1250000, Text: "Husleie februar", Counterparty: "Gårdeier AS"},
			{TransactionID: "coffee", AccountingDate: day, Amount: -45000, Text: "Kaffe", Counterparty: ""},
			{TransactionID: "in", AccountingDate: day, Amount: 300000, Text: "Innbetaling", Counterparty: "Kunde AS"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := l.BankLines(ctx, acct, day.AddDays(-1), day)
	if err != nil || len(lines) != 4 {
		t.Fatalf("BankLines = %d lines, %v; want 4", len(lines), err)
	}
	byID := map[string]BankLine{}
	for _, b := range lines {
		byID[b.TransactionID] = b
	}
	if _, ok, _ := l.SuggestCounterAccount(ctx, "Gårdeier AS", "Husleie februar"); ok {
		t.Errorf("a suggestion before anything was posted")
	}
	v1 := postLine(t, l, byID["rent1"].BankTransaction, 6300)
	postLine(t, l, byID["coffee"].BankTransaction, 7350)
	if _, err := l.db.Exec(`INSERT INTO match_rules (id, name) VALUES (1, 'test'); INSERT INTO match_runs VALUES (1, 1, '2026-02-03');
		INSERT INTO match_bank_lines (match, bank_transaction, rule) VALUES (1, ?, 1)`, byID["in"].ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		counterparty, text string
		want               int
		ok                 bool
	}{
		{"Gårdeier AS", "Husleie februar", 6300, true}, // same counterparty
		{"", "Kaffe", 7350, true},                      // same text
		{"Ukjent AS", "Kaffe", 7350, true},             // counterparty unknown, text known
		{"Ukjent AS", "Noe annet", 0, false},
	}
	for _, tc := range tests {
		got, ok, err := l.SuggestCounterAccount(ctx, tc.counterparty, tc.text)
		if err != nil || got != tc.want || ok != tc.ok {
			t.Errorf("SuggestCounterAccount(%q, %q) = %d, %v, %v; want %d, %v", tc.counterparty, tc.text, got, ok, err, tc.want, tc.ok)
		}
	}

	lines, _ = l.BankLines(ctx, acct, day.AddDays(-1), day)
	for _, b := range lines {
		wantPosted := b.TransactionID == "rent1" || b.TransactionID == "coffee"
		if (b.Voucher != 0) != wantPosted || b.Matched != (b.TransactionID == "in") {
			t.Errorf("line %s: voucher %d matched %v; want posted %v matched %v", b.TransactionID, b.Voucher, b.Matched, wantPosted, b.TransactionID == "in")
		}
	}
	// A reversed voucher no longer posts its line, nor suggests its account.
	err = l.Update(ctx, func(tx *Tx) error {
		_, err := tx.Reverse(v1.ID, day, "feil konto")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Update(ctx, func(tx *Tx) error {
		id, err := tx.PostedVoucher(byID["rent1"].ID)
		if id != 0 {
			t.Errorf("PostedVoucher of a reversed posting = %d, want 0", id)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := l.SuggestCounterAccount(ctx, "Gårdeier AS", "Husleie februar"); ok {
		t.Errorf("suggestion from a reversed voucher: %d", got)
	}
	if twice, err := l.LinesPostedTwice(ctx, acct); err != nil || len(twice) != 0 {
		t.Errorf("LinesPostedTwice = %v, %v; want none", twice, err)
	}

	through, in, out, err := l.BankLinesSum(ctx, acct, day, day)
	if err != nil || through != money.Amount(-1250000-1250000-45000+300000) || in != 300000 || out != -1250000-45000 {
		t.Errorf("BankLinesSum = %s, %s, %s, %v", through, in, out, err)
	}
	// Over several days, in and out sum every day's lines (a Monday's
	// morning shows Friday to Sunday).
	through, in, out, err = l.BankLinesSum(ctx, acct, civil.MustParse("2000-01-01"), day)
	if err != nil || through != money.Amount(-1250000-1250000-45000+300000) || in != 300000 || out != -1250000-1250000-45000 {
		t.Errorf("BankLinesSum over the days = %s, %s, %s, %v", through, in, out, err)
	}
}

func TestBackupInto(t *testing.T) {
	ctx := context.Background()
	l, _ := syncLedger(t)
	path := filepath.Join(t.TempDir(), "copy.bankbro")
	if err := l.BackupInto(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := l.BackupInto(ctx, path); err == nil {
		t.Errorf("BackupInto over an existing file succeeded")
	}
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer c.Close()
	accts, err := c.BankAccounts(ctx)
	if err != nil || len(accts) != 1 || accts[0].Number != "15032080119" {
		t.Errorf("backup's bank accounts = %+v, %v", accts, err)
	}
}

// TestSuggestCounterAccount pins what "the account used last time" is: the
// counter account of the newest voucher (by when it was posted, not by the
// line's date) from a line of the same counterparty, one that is not
// reversed; only without any, the same for the line's text.
func TestSuggestCounterAccount(t *testing.T) {
	ctx := context.Background()
	l, acct := syncLedger(t)
	day := civil.MustParse("2026-02-02")
	lines := map[string]BankTransaction{}
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{
			{TransactionID: "jan", AccountingDate: day.AddDays(-1), Amount: -1250000, Text: "Husleie januar", Counterparty: "Gårdeier AS"},
			{TransactionID: "feb", AccountingDate: day, Amount: -1250000, Text: "Husleie februar", Counterparty: "Gårdeier AS"},
			{TransactionID: "old", AccountingDate: day.AddDays(-1), Amount: -30000, Text: "Strøm", Counterparty: "Gårdeier AS"},
			{TransactionID: "paper", AccountingDate: day, Amount: -20000, Text: "Rekvisita", Counterparty: "Kontor AS"},
			{TransactionID: "rent-text", AccountingDate: day, Amount: -15000, Text: "Rekvisita", Counterparty: ""},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.BankLines(ctx, acct, day.AddDays(-1), day)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		lines[b.TransactionID] = b.BankTransaction
	}
	suggest := func(counterparty, text string) string {
		acct, ok, err := l.SuggestCounterAccount(ctx, counterparty, text)
		if err != nil {
			t.Fatalf("SuggestCounterAccount(%q, %q): %v", counterparty, text, err)
		}
		if !ok {
			return "none"
		}
		return fmt.Sprint(acct)
	}
	check := func(when string, tests []struct{ counterparty, text, want string }) {
		t.Helper()
		for _, tc := range tests {
			if got := suggest(tc.counterparty, tc.text); got != tc.want {
				t.Errorf("%s: SuggestCounterAccount(%q, %q) = %s, want %s", when, tc.counterparty, tc.text, got, tc.want)
			}
		}
	}
	check("nothing posted", []struct{ counterparty, text, want string }{
		{"Gårdeier AS", "Husleie februar", "none"},
		{"", "", "none"},
	})

	postLine(t, l, lines["jan"], 6300)
	postLine(t, l, lines["paper"], 6800)
	feb := postLine(t, l, lines["feb"], 6340)
	// Posted last though dated first: what the owner chose last time.
	old := postLine(t, l, lines["old"], 6300)
	postLine(t, l, lines["rent-text"], 7770)
	check("posted", []struct{ counterparty, text, want string }{
		{"Gårdeier AS", "Husleie mars", "6300"},    // the newest voucher of the counterparty, not the newest line
		{"Gårdeier AS", "Rekvisita", "6300"},       // the counterparty before the text
		{"Ukjent AS", "Rekvisita", "7770"},         // the text: its newest voucher
		{"", "Husleie februar", "6340"},            // no counterparty: the text
		{"  ", "Strøm", "6300"},                    // a blank counterparty is none
		{"Ukjent AS", "Husleie april", "none"},     // nothing like it
		{"gårdeier as", "husleie februar", "none"}, // the same, not alike
	})

	for _, v := range []Voucher{old, feb} {
		err := l.Update(ctx, func(tx *Tx) error {
			_, err := tx.Reverse(v.ID, day, "feil konto")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("the two newest of Gårdeier AS reversed", []struct{ counterparty, text, want string }{
		{"Gårdeier AS", "", "6300"},     // jan, the newest not reversed
		{"", "Husleie februar", "none"}, // its only voucher is reversed
		{"Ukjent AS", "Strøm", "none"},
	})
}

// TestSuggestCounterAccountAfterMigration: a ledger posted in before
// migration 6 suggests from what it posted then.
func TestSuggestCounterAccountAfterMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.bankbro")
	oldLedger(t, path, 5, append(oldCompanyRows("2026-01-01", `(6300, 'Leie', 'expense')`, `(6340, 'Lys', 'expense')`),
		`INSERT INTO bank_transactions (id, bank_account, transaction_id, accounting_date, amount, text, counterparty, imported_at) VALUES
			(1, 1, 't1', '2026-02-01', -100, 'Husleie', 'Gårdeier AS', 'now'), (2, 1, 't2', '2026-02-02', -200, 'Strøm', 'Gårdeier AS', 'now')`,
		`INSERT INTO vouchers (id, number, date, description, source, created_at) VALUES (1, 1, '2026-02-01', 'v', 'bank', 'now'), (2, 2, '2026-02-02', 'v', 'bank', 'now')`,
		`INSERT INTO postings (id, voucher, account, date, amount, bank_transaction) VALUES (1, 1, 1920, '2026-02-01', -100, 1), (3, 2, 1920, '2026-02-02', -200, 2)`,
		`INSERT INTO postings (id, voucher, account, date, amount) VALUES (2, 1, 6300, '2026-02-01', 100), (4, 2, 6340, '2026-02-02', 200)`,
		`UPDATE vouchers SET closed = 1`)...)
	l, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tc := range []struct {
		counterparty, text string
		want               int
	}{{"Gårdeier AS", "", 6340}, {"", "Husleie", 6300}} {
		if got, ok, err := l.SuggestCounterAccount(ctx, tc.counterparty, tc.text); err != nil || !ok || got != tc.want {
			t.Errorf("SuggestCounterAccount(%q, %q) = %d, %v, %v; want %d", tc.counterparty, tc.text, got, ok, err, tc.want)
		}
	}
}

// A card purchase's text never repeats (it holds the day and the amount):
// its shop finds the account used last time, for the next purchase there.
func TestSuggestCounterAccountForCardPurchases(t *testing.T) {
	ctx := context.Background()
	l, acct := syncLedger(t)
	day := civil.MustParse("2026-02-02")
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{
			{TransactionID: "rema", AccountingDate: day, Amount: -34900, Text: "*4521 01.02 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000"},
			{TransactionID: "kiwi", AccountingDate: day, Amount: -12900, Text: "*4521 01.02 NOK 129.00 KIWI 512 BRYGGA Kurs: 1.0000"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.BankLines(ctx, acct, day, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		postLine(t, l, b.BankTransaction, map[string]int{"rema": 4300, "kiwi": 6800}[b.TransactionID])
	}
	for _, tc := range []struct {
		counterparty, text string
		want               int
	}{
		{"", "*4521 05.02 NOK 512.40 REMA 1000 SOLSIDEN Kurs: 1.0000", 4300},
		{"", "*9911 06.02 NOK 12.00 KIWI 512 BRYGGA Kurs: 1.0000", 6800},
		{"", "*4521 05.02 NOK 99.00 KIWI 512 BRYGGA", 6800},                            // no exchange rate
		{"", "*4521 05.02 NOK 99.00 COOP PRIX Kurs: 1.0000", 0},                        // another shop
		{"REMA 1000 SOLSIDEN", "Faktura", 4300},                                        // a counterparty of that name
		{"Rema Eiendom AS", "*4521 05.02 NOK 1.00 REMA 1000 SOLSIDEN Kurs: 1.0000", 0}, // its own counterparty wins
	} {
		got, ok, err := l.SuggestCounterAccount(ctx, tc.counterparty, tc.text)
		if err != nil || got != tc.want || ok != (tc.want != 0) {
			t.Errorf("SuggestCounterAccount(%q, %q) = %d, %v, %v; want %d", tc.counterparty, tc.text, got, ok, err, tc.want)
		}
	}
}

// The ledger reads a card purchase's shop in SQL (the view
// bank_line_parties, migration 6) and the window in Go (norway.CardMerchant):
// the two must agree on every text.
func TestBankLinePartiesAgreeWithGo(t *testing.T) {
	ctx := context.Background()
	l, acct := syncLedger(t)
	texts := []string{
		"*4521 24.11 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000",
		"*7160 02.01 NOK 129.00 MICROSOFT*365 Kurs: 1.0000",
		"*0042 31.12 EUR 12.50 AMAZON.DE Kurs: 11.8520",
		"*4521 24.11 NOK 1328.42 JULA SOLSIDEN",
		"*4521 24.11 NOK 3.00 Kurs: Kurs: 1.0000",
		"*4521 24.11 NOK 3.00  REMA  Kurs: 1.0000",
		"*4521 24.11 NOK 3.00 ",
		"*4521 24.11 NOK 3.00 Kurs: 1.0000",
		"*4521 24.11 NOK 1.2.34 REMA",
		"*4521 24.11 NOK .34 REMA",
		"*4521 24.11 NOK 12.345 REMA",
		"*4521 24.11 NOK 349,00 REMA",
		"*4521 24.11 nok 349.00 REMA",
		"*4521 24-11 NOK 349.00 REMA",
		"*452 24.11 NOK 349.00 REMA",
		"*4521 24.11 NOK 349.00",
		"*4521 24.11 NØK 349.00 REMA",
		"*4521 24.11 NOK 349.00 BLÅBÆR & SØNN Kurs: 1.0000",
		"4521 24.11 NOK 349.00 REMA",
		"Vipps oppgjør 548976",
		"",
	}
	lines := make([]BankTransaction, len(texts))
	for i, text := range texts {
		lines[i] = BankTransaction{TransactionID: fmt.Sprint("t", i), AccountingDate: civil.MustParse("2026-02-02"), Amount: -100, Text: text}
	}
	lines = append(lines, BankTransaction{TransactionID: "named", AccountingDate: civil.MustParse("2026-02-02"), Amount: -100,
		Text: texts[0], Counterparty: "Rema Eiendom AS"})
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, lines)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT b.text, b.counterparty, w.party FROM bank_transactions b JOIN bank_line_parties w ON w.id = b.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var text, counterparty, party string
		if err := rows.Scan(&text, &counterparty, &party); err != nil {
			t.Fatal(err)
		}
		want := counterparty
		if want == "" {
			want = norway.CardMerchant(text)
		}
		if party != want {
			t.Errorf("text %q, counterparty %q: SQL reads %q, Go %q", text, counterparty, party, want)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != len(lines) {
		t.Fatalf("read %d of %d lines: %v", n, len(lines), err)
	}
}
