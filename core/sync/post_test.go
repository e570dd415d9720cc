package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

func TestPostUnpostSuggest(t *testing.T) {
	ctx := context.Background()
	l, accts := testLedger(t, 1)
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": {
		{ID: "r1", AccountingDate: start, Amount: -1250000, Text: "Husleie mars", ReceiverName: "Gårdeier AS", KID: "0000123456782"},
		{ID: "r2", AccountingDate: start.AddDays(1), Amount: -1250000, Text: "Husleie april", ReceiverName: "Gårdeier AS"},
		{ID: "k1", AccountingDate: start.AddDays(1), Amount: 49900, Text: "Vipps", PayerName: "Ola Nordmann"},
		{ID: "k2", AccountingDate: start.AddDays(1), Amount: 29900, Text: "Vipps", PayerName: "Kari Nordmann"},
	}}}
	if _, err := Run(ctx, l, fb, Options{Today: start.AddDays(2)}); err != nil {
		t.Fatal(err)
	}
	lines, _ := l.BankLines(ctx, accts[0].ID, start, start.AddDays(1))
	byID := map[string]ledger.BankTransaction{}
	for _, b := range lines {
		byID[b.TransactionID] = b.BankTransaction
	}
	if got := byID["r1"].Counterparty; got != "Gårdeier AS" {
		t.Errorf("counterparty of money out = %q, want the receiver", got)
	}
	if got := byID["k1"].Counterparty; got != "Ola Nordmann" {
		t.Errorf("counterparty of money in = %q, want the payer", got)
	}
	if _, ok := SuggestAccount(ctx, l, byID["r2"]); ok {
		t.Errorf("a suggestion before anything was posted")
	}

	v, err := Post(ctx, l, byID["r1"].ID, 6300, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Source != "bank" || v.Date != start || v.Description != "Husleie mars" || len(v.Postings) != 2 ||
		v.Postings[0].Account != 1920 || v.Postings[0].Amount != -1250000 || v.Postings[0].BankTransaction != byID["r1"].ID ||
		v.Postings[0].KID != "0000123456782" || v.Postings[1].Account != 6300 || v.Postings[1].Amount != 1250000 {
		t.Errorf("Post = %+v", v)
	}
	if _, err := Post(ctx, l, byID["r1"].ID, 6300, ""); !errors.Is(err, ErrAlreadyPosted) {
		t.Errorf("posting a posted line again: err = %v, want ErrAlreadyPosted", err)
	}
	if _, err := Post(ctx, l, byID["k1"].ID, 1920, ""); err == nil {
		t.Errorf("posting a line against its own bank GL account succeeded")
	}
	if _, err := Post(ctx, l, byID["k1"].ID, 1234, ""); err == nil {
		t.Errorf("posting a line against an account not in the chart succeeded")
	}
	if _, err := Post(ctx, l, byID["k1"].ID, 3000, "Salg"); err != nil {
		t.Fatal(err)
	}

	suggest := []struct {
		line string
		want int
		ok   bool
	}{
		{"r2", 6300, true}, // same counterparty
		{"k2", 3000, true}, // same text, other payer
	}
	for _, tc := range suggest {
		got, ok := SuggestAccount(ctx, l, byID[tc.line])
		if got != tc.want || ok != tc.ok {
			t.Errorf("SuggestAccount(%s) = %d, %v; want %d, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}

	// A wrong posting is reversed, and the line can then be posted anew.
	rev, err := Unpost(ctx, l, v.ID, civil.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Reverses != v.ID || rev.Date != start || len(rev.Postings) != 2 || rev.Postings[0].Amount != 1250000 {
		t.Errorf("Unpost = %+v", rev)
	}
	if _, err := Unpost(ctx, l, v.ID, civil.Date{}); err == nil {
		t.Errorf("reversing a voucher twice succeeded")
	}
	if _, err := Unpost(ctx, l, rev.ID, civil.Date{}); err == nil {
		t.Errorf("reversing a reversal from Unpost succeeded")
	}
	if got, ok := SuggestAccount(ctx, l, byID["r2"]); ok {
		t.Errorf("SuggestAccount after the reversal = %d; want none", got)
	}
	v2, err := Post(ctx, l, byID["r1"].ID, 6340, "")
	if err != nil {
		t.Fatalf("posting again after the reversal: %v", err)
	}
	if got, _ := SuggestAccount(ctx, l, byID["r2"]); got != 6340 {
		t.Errorf("SuggestAccount after reposting = %d, want 6340", got)
	}
	if bal, _ := l.Balance(ctx, 1920, start); bal != -1250000 {
		t.Errorf("GL 1920 balance = %s, want -12 500,00 (one live posting)", bal)
	}

	days, err := Yesterday(ctx, l, start.AddDays(1), start.AddDays(1))
	if err != nil || len(days) != 1 {
		t.Fatalf("Yesterday = %+v, %v", days, err)
	}
	d := days[0]
	if len(d.Lines) != 3 || d.Attention() != 2 || !d.Lines[0].NeedsAttention() || !d.Lines[1].NeedsAttention() || d.Lines[2].NeedsAttention() {
		t.Errorf("Yesterday's lines = %+v; want the two unposted first, then the posted one", d.Lines)
	}
	if d.In != 79800 || d.Out != -1250000 || !d.Read || d.LinesThrough != -2500000+79800 || d.GLBalance != -1250000+49900 {
		t.Errorf("Yesterday sums: in %s out %s through %s GL %s read %v", d.In, d.Out, d.LinesThrough, d.GLBalance, d.Read)
	}
	if d.ExpectedBankBalance() != d.LinesThrough {
		t.Errorf("ExpectedBankBalance = %s, want the lines' sum (no opening balance)", d.ExpectedBankBalance())
	}
	// What a morning leaves undone, the next morning counts as earlier.
	next, err := Yesterday(ctx, l, start.AddDays(2), start.AddDays(2))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var sum money.Amount
	for _, line := range d.Lines {
		if line.NeedsAttention() {
			n, sum = n+1, sum+line.Amount
		}
	}
	if n == 0 || next[0].Earlier != n || next[0].EarlierSum != sum || d.Earlier != 0 {
		t.Errorf("the next morning counts %d lines (%s) from earlier, this one left %d (%s) and counted %d before it",
			next[0].Earlier, next[0].EarlierSum, n, sum, d.Earlier)
	}
	_ = v2
}

func TestBackupKeepsNewest(t *testing.T) {
	ctx := context.Background()
	l, _ := testLedger(t, 1)
	dir := filepath.Join(t.TempDir(), "backups")
	clock := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	l.Now = func() time.Time { return clock }
	var made []string
	for i := range 20 {
		clock = clock.Add(24 * time.Hour)
		if i == 19 {
			// Two in the same millisecond get distinct names.
			clock = clock.Add(-24 * time.Hour)
		}
		p, err := Backup(ctx, l, dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}
	got, err := ledger.BackupFiles(l.Path(), dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(got) // oldest first
	if want := made[len(made)-DefaultKeep:]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("backups kept =\n%q\nwant the newest 14 =\n%q", got, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != DefaultKeep {
		t.Errorf("backup folder holds %d files, want %d", len(entries), DefaultKeep)
	}
	b, err := ledger.Open(ctx, got[len(got)-1])
	if err != nil {
		t.Fatalf("the newest backup does not open: %v", err)
	}
	b.Close()

	// Run backs up first only when something is due.
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": fakeLines("a0", 3, 1)}}
	dir2 := t.TempDir()
	for range 2 {
		clock = clock.Add(time.Hour)
		if _, err := Run(ctx, l, fb, Options{Today: start.AddDays(3), BackupDir: dir2}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := ledger.BackupFiles(l.Path(), dir2); len(got) != 1 {
		t.Errorf("two runs, one with work to do: %d backups, want 1", len(got))
	}
}
