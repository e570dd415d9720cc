package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"testing"

	"bankbro/core/civil"
)

// checkSearchIndex fails the test unless both search indexes hold exactly
// the rows of their tables (FTS5's integrity-check compares an external
// content index with its table) and the marks are at the top.
func checkSearchIndex(t *testing.T, l *Ledger) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO bank_search (bank_search) VALUES ('integrity-check')`,
		`INSERT INTO posting_search (posting_search) VALUES ('integrity-check')`,
	} {
		if _, err := l.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var behind int
	err := l.db.QueryRow(`SELECT
		(SELECT coalesce(max(id), 0) FROM bank_transactions) - (SELECT through FROM search_indexed WHERE source = 'bank_transactions') +
		(SELECT coalesce(max(id), 0) FROM postings) - (SELECT through FROM search_indexed WHERE source = 'postings')`).Scan(&behind)
	if err != nil || behind != 0 {
		t.Fatalf("search marks behind by %d (%v)", behind, err)
	}
}

func searchCount(t *testing.T, l *Ledger, query string) int {
	t.Helper()
	p, err := l.Search(context.Background(), query, SearchCursor{}, 50)
	if err != nil {
		t.Fatalf("Search(%q): %v", query, err)
	}
	return len(p.Hits)
}

// The search index is fed once per change: what a change stores is
// searchable when it is committed, a change that fails adds nothing, and
// the index always equals the tables.
func TestSearchIndexFollowsChanges(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	day := civil.MustParse("2026-03-02")
	store := func(id, text string) error {
		return l.Update(ctx, func(tx *Tx) error {
			_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: id, AccountingDate: day, Amount: -5000, Text: text}})
			return err
		})
	}
	if err := store("t1", "Kaffebønner Friele"); err != nil {
		t.Fatal(err)
	}
	if n := searchCount(t, l, "friele"); n != 1 {
		t.Errorf("after the first change: %d hits for friele, want 1", n)
	}
	checkSearchIndex(t, l)

	refused := errors.New("refused")
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: "t2", AccountingDate: day, Amount: -100, Text: "Melk Tine"}}); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update = %v, want the change refused", err)
	}
	if n := searchCount(t, l, "tine"); n != 0 {
		t.Errorf("a refused change left %d hits for tine, want 0", n)
	}
	checkSearchIndex(t, l)

	if err := store("t3", "Melk Tine"); err != nil {
		t.Fatal(err)
	}
	_ = l.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddVoucher(Voucher{Date: day, Description: "Kontantsalg", Postings: []Posting{
			{Account: 1920, Amount: 2500, Text: "Kontantsalg kiosk"}, {Account: 3000, Amount: -2500, Text: "Kontantsalg kiosk"}}})
		return err
	})
	if n := searchCount(t, l, "tine"); n != 1 {
		t.Errorf("%d hits for tine, want 1", n)
	}
	if n := searchCount(t, l, "kiosk"); n != 2 {
		t.Errorf("%d hits for kiosk, want the voucher's 2 postings", n)
	}
	checkSearchIndex(t, l)
}

// A ledger from before migration 4, whose index its row triggers fed, keeps
// its index and marks the rows already in it, so nothing is indexed twice.
func TestSearchIndexMigratedFromTriggers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := Create(ctx, path, testCompany)
	if err != nil {
		t.Fatal(err)
	}
	acct := addBank(t, l)
	// Turn the file back into version 3: the row triggers, no marks.
	body, err := migrations.ReadFile("migrations/0002_search.sql")
	if err != nil {
		t.Fatal(err)
	}
	triggers := regexp.MustCompile(`(?s)CREATE TRIGGER.*?\nEND;`).FindAllString(string(body), -1)
	if len(triggers) != 2 {
		t.Fatalf("found %d triggers in 0002_search.sql, want 2", len(triggers))
	}
	for _, q := range append([]string{`DROP TABLE search_indexed`}, append(triggers,
		`INSERT INTO bank_transactions (bank_account, transaction_id, accounting_date, amount, text, imported_at)
		 VALUES (`+itoa(acct)+`, 'old', '2025-01-02', -700, 'Gammel leverandør Brødhuset', '2025-01-03T06:00:00Z')`,
		`PRAGMA user_version = 3`)...) {
		if _, err := l.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	l.Close()

	if l, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	checkSearchIndex(t, l)
	err = l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: "new", AccountingDate: civil.MustParse("2026-01-02"), Amount: -800, Text: "Ny leverandør Brødhuset"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := searchCount(t, l, "brødhuset"); n != 2 {
		t.Errorf("%d hits for brødhuset, want the old line and the new", n)
	}
	checkSearchIndex(t, l)
}
