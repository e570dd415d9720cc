package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// oldLedger writes, with raw SQL, a ledger file at path as a build whose
// newest migration was version made it, then runs stmts in it (the rows of
// that time), and closes it: Open then migrates it as it would a user's file.
func oldLedger(t *testing.T, path string, version int, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, _ := migrationNames()
	for _, n := range names {
		if migrationNumber(n) > version {
			continue
		}
		body, _ := migrations.ReadFile(n)
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	for _, q := range append([]string{fmt.Sprintf("PRAGMA user_version = %d", version)}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// oldCompanyRows are the rows an old file needs for a company converted on
// conversion with bank account 1 (Drift, on GL 1920): the company, account
// 1920 and the accounts given as SQL values ("(3000, 'Salg', 'income')"),
// and the bank account.
func oldCompanyRows(conversion string, accounts ...string) []string {
	return []string{
		`INSERT INTO company (id, name, org_number, conversion_date, created_at) VALUES (1, 'A', '974760673', '` + conversion + `', 'now')`,
		`INSERT INTO accounts (number, name, type) VALUES ` + strings.Join(append([]string{`(1920, 'Bank', 'asset')`}, accounts...), ", "),
		`INSERT INTO bank_accounts (id, bank_id, number, name, gl_account, reconciliation, created_at, updated_at)
		 VALUES (1, 'A1', '15032080119', 'Drift', 1920, 1, 'now', 'now')`,
	}
}

// A ledger from before migration 4, whose index its row triggers fed, keeps
// its index and marks the rows already in it, so nothing is indexed twice.
func TestSearchIndexMigratedFromTriggers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	oldLedger(t, path, 3, append(oldCompanyRows("2025-01-01"),
		`INSERT INTO bank_transactions (bank_account, transaction_id, accounting_date, amount, text, imported_at)
		 VALUES (1, 'old', '2025-01-02', -700, 'Gammel leverandør Brødhuset', '2025-01-03T06:00:00Z')`)...)

	l, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	checkSearchIndex(t, l)
	err = l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(1, 0, []BankTransaction{{TransactionID: "new", AccountingDate: civil.MustParse("2026-01-02"), Amount: -800, Text: "Ny leverandør Brødhuset"}})
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

// NeedsUpgrade tells from the header alone a file an older Bankbro wrote,
// which Open then updates.
func TestNeedsUpgrade(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.bankbro")
	oldLedger(t, old, SchemaVersion()-1, oldCompanyRows("2025-01-01")...)
	if !NeedsUpgrade(old) {
		t.Errorf("a file at version %d does not need an upgrade", SchemaVersion()-1)
	}
	l, err := Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if NeedsUpgrade(old) {
		t.Error("after Open the file still needs an upgrade")
	}
	empty := filepath.Join(dir, "empty.bankbro")
	text := filepath.Join(dir, "text.bankbro")
	os.WriteFile(empty, nil, 0o600)
	os.WriteFile(text, []byte("not a ledger, but long enough to have a header of a hundred bytes......................................."), 0o600)
	for _, p := range []string{newLedger(t).path, empty, text, filepath.Join(dir, "missing.bankbro")} {
		if NeedsUpgrade(p) {
			t.Errorf("NeedsUpgrade(%s) = true", filepath.Base(p))
		}
	}
}
