package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
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
	if _, err := l.db.Exec(`INSERT INTO matches (id, rule, created_at) VALUES (1, 'test', '2026-02-03');
		INSERT INTO match_bank_lines (match, bank_transaction) VALUES (1, ?)`, byID["in"].ID); err != nil {
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

	through, in, out, err := l.BankLinesSum(ctx, acct, day)
	if err != nil || through != money.Amount(-1250000-1250000-45000+300000) || in != 300000 || out != -1250000-45000 {
		t.Errorf("BankLinesSum = %s, %s, %s, %v", through, in, out, err)
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
