package ledger

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
	"bankbro/core/norway"
)

var testCompany = Company{Name: "Solsiden Kaffebar AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2026-01-01")}

func newLedger(t *testing.T) *Ledger {
	t.Helper()
	l, err := Create(context.Background(), filepath.Join(t.TempDir(), "company.bankbro"), testCompany)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestCreateAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := Create(ctx, path, testCompany)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Create(ctx, path, testCompany); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an existing file: err = %v, want ErrExists", err)
	}
	l, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := l.Company(ctx)
	if err != nil || c.Name != testCompany.Name || c.ConversionDate != testCompany.ConversionDate || c.FeeAccount != 7770 {
		t.Errorf("Company = %+v, %v", c, err)
	}
	accts, _ := l.Accounts(ctx)
	if len(accts) < 80 {
		t.Errorf("standard chart has %d accounts, want at least 80", len(accts))
	}
	var mode string
	l.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestCreateRefusesBadCompany(t *testing.T) {
	dir := t.TempDir()
	bad := testCompany
	bad.OrgNumber = "974760674"
	if _, err := Create(context.Background(), filepath.Join(dir, "x.bankbro"), bad); err == nil {
		t.Fatal("a wrong organisation number was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.bankbro")); !os.IsNotExist(err) {
		t.Errorf("a refused company left a file behind")
	}
}

// The company's name and organisation number can be corrected; the
// conversion date stays, and what is no company is refused as it is at
// Create.
func TestSetCompany(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	before, err := l.Company(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, org string
		want      error
	}{
		{"  ", "974760673", ErrCompanyName},
		{"Ny AS", "974760674", norway.ErrChecksum},
		{"Ny AS", "9747606", norway.ErrLength},
	} {
		if err := l.Update(ctx, func(tx *Tx) error { return tx.SetCompany(c.name, c.org) }); !errors.Is(err, c.want) {
			t.Errorf("SetCompany(%q, %q) = %v, want %v", c.name, c.org, err, c.want)
		}
	}
	if got, _ := l.Company(ctx); got != before {
		t.Fatalf("refused corrections changed the company: %+v, was %+v", got, before)
	}
	if err := l.Update(ctx, func(tx *Tx) error { return tx.SetCompany(" Solsiden Kaffe AS ", "923 609 016") }); err != nil {
		t.Fatal(err)
	}
	got, err := l.Company(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Name, want.OrgNumber = "Solsiden Kaffe AS", "923609016"
	if got != want {
		t.Errorf("after the correction: %+v, want %+v", got, want)
	}
	var audit string
	if err := l.db.QueryRow(`SELECT details FROM audit_log WHERE action = 'company.save'`).Scan(&audit); err != nil || audit != "Solsiden Kaffebar AS (974760673) → Solsiden Kaffe AS (923609016)" {
		t.Errorf("audit log: %q, %v", audit, err)
	}
}

func TestOpenNewerSchemaAndGarbage(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	if _, err := l.db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Open(ctx, l.Path()); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open newer schema: err = %v, want ErrNewerSchema", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.bankbro")
	os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o600)
	if _, err := Open(ctx, junk); !errors.Is(err, ErrNotALedger) {
		t.Errorf("Open garbage: err = %v, want ErrNotALedger", err)
	}
}

func addBank(t *testing.T, l *Ledger) int64 {
	t.Helper()
	var id int64
	err := l.Update(context.Background(), func(tx *Tx) error {
		var err error
		id, err = tx.SaveBankAccount(BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920, Reconciliation: true, Active: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestBankTransactionsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	line := BankTransaction{TransactionID: "t1", AccountingDate: civil.MustParse("2026-02-01"), Amount: -125000, Text: "Husleie"}
	var added, skipped int
	for i := 0; i < 2; i++ {
		err := l.Update(ctx, func(tx *Tx) error {
			a, s, err := tx.InsertBankTransactions(id, 0, []BankTransaction{line})
			added, skipped = added+a, skipped+s
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if added != 1 || skipped != 1 {
		t.Errorf("added, skipped = %d, %d; want 1, 1", added, skipped)
	}
	for _, stmt := range []string{
		"UPDATE bank_transactions SET amount = 0",
		"DELETE FROM bank_transactions",
	} {
		if _, err := l.db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refusal by trigger", stmt, err)
		}
	}
	got, _ := l.BankTransactions(ctx, id, civil.MustParse("2026-01-01"), civil.MustParse("2026-12-31"))
	if len(got) != 1 || got[0].Amount != -125000 {
		t.Errorf("stored lines = %+v", got)
	}
}

func TestVouchersMustBalance(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	d := civil.MustParse("2026-02-01")
	// Through the Go API.
	err := l.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddVoucher(Voucher{Date: d, Description: "skjev", Postings: []Posting{{Account: 1920, Amount: 100}, {Account: 3000, Amount: -99}}})
		return err
	})
	if !errors.Is(err, ErrUnbalanced) {
		t.Errorf("unbalanced voucher: err = %v", err)
	}
	// Inside SQLite itself: closing an unbalanced voucher is refused.
	raw, err := l.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO vouchers (id, number, date, description, created_at) VALUES (100, 100, '2026-02-01', 'x', 'now')`,
		`INSERT INTO postings (voucher, account, date, amount) VALUES (100, 1920, '2026-02-01', 100)`,
		`INSERT INTO postings (voucher, account, date, amount) VALUES (100, 3000, '2026-02-01', -99)`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec(`UPDATE vouchers SET closed = 1 WHERE id = 100`); err == nil || !strings.Contains(err.Error(), "does not balance") {
		t.Errorf("closing an unbalanced voucher: err = %v", err)
	}
	raw.Rollback()
	// A balanced voucher closes, and then nothing can be added, changed or deleted.
	var v Voucher
	err = l.Update(ctx, func(tx *Tx) error {
		var err error
		v, err = tx.AddVoucher(Voucher{Date: d, Description: "Kontantsalg", Postings: []Posting{{Account: 1920, Amount: 50000}, {Account: 3000, Amount: -50000}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO postings (voucher, account, date, amount) VALUES (` + itoa(v.ID) + `, 1920, '2026-02-01', 1)`,
		`UPDATE postings SET amount = 1 WHERE voucher = ` + itoa(v.ID),
		`DELETE FROM postings WHERE voucher = ` + itoa(v.ID),
		`UPDATE vouchers SET description = 'endret' WHERE id = ` + itoa(v.ID),
		`DELETE FROM vouchers WHERE id = ` + itoa(v.ID),
	} {
		if _, err := l.db.Exec(stmt); err == nil {
			t.Errorf("%s: accepted, want refusal", stmt)
		}
	}
	bal, _ := l.Balance(ctx, 1920, d)
	if bal != money.Amount(50000) {
		t.Errorf("balance 1920 = %d, want 50000", bal)
	}
	// A reversal cancels it, once.
	err = l.Update(ctx, func(tx *Tx) error { _, err := tx.Reverse(v.ID, d, "Feil"); return err })
	if err != nil {
		t.Fatal(err)
	}
	if bal, _ := l.Balance(ctx, 1920, d); bal != 0 {
		t.Errorf("balance after reversal = %d", bal)
	}
	err = l.Update(ctx, func(tx *Tx) error { _, err := tx.Reverse(v.ID, d, "Feil igjen"); return err })
	if err == nil {
		t.Errorf("a voucher was reversed twice")
	}
}

func TestGLAccountAndRolesAreUnique(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	first := addBank(t, l)
	err := l.Update(ctx, func(tx *Tx) error {
		_, err := tx.SaveBankAccount(BankAccount{BankID: "A2", Number: "97104133219", Name: "Lønn", GLAccount: 1920, Active: true})
		return err
	})
	if err == nil {
		t.Fatal("two bank accounts on GL 1920 were accepted")
	}
	var second int64
	err = l.Update(ctx, func(tx *Tx) error {
		var err error
		second, err = tx.SaveBankAccount(BankAccount{BankID: "A2", Number: "97104133219", Name: "Lønn", GLAccount: 1921, Active: true})
		if err != nil {
			return err
		}
		if err := tx.SetRole(RoleSalary, first); err != nil {
			return err
		}
		return tx.SetRole(RoleSalary, second) // moves the role
	})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := l.BankAccounts(ctx)
	if len(all) != 2 || len(all[0].Roles) != 0 || len(all[1].Roles) != 1 || all[1].Roles[0] != RoleSalary {
		t.Errorf("bank accounts = %+v", all)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestDayTotalsEqualTheLines: the per-day totals the triggers keep give the
// same balances as adding up every line and posting.
func TestDayTotalsEqualTheLines(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	start := civil.MustParse("2026-01-01")
	var lines []BankTransaction
	for i := 0; i < 500; i++ {
		lines = append(lines, BankTransaction{TransactionID: "d" + itoa(int64(i)), AccountingDate: start.AddDays(i * 13 % 97), Amount: money.Amount(i*37%1000 - 500)})
	}
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(id, 0, lines); err != nil {
			return err
		}
		_, _, err := tx.InsertBankTransactions(id, 0, lines[:50]) // already stored: no change
		if err != nil {
			return err
		}
		for i := 0; i < 60; i++ {
			a := money.Amount(i * 101)
			if _, err := tx.AddVoucher(Voucher{Date: start.AddDays(i * 7 % 90), Description: "v", Postings: []Posting{{Account: 1920, Amount: a}, {Account: 3000, Amount: -a}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for d := start.AddDays(-1); d.Before(start.AddDays(100)); d = d.AddDays(9) {
		var bank, gl money.Amount
		l.db.QueryRow(`SELECT coalesce(sum(amount), 0) FROM bank_transactions WHERE bank_account = ? AND accounting_date <= ?`, id, d.String()).Scan(&bank)
		l.db.QueryRow(`SELECT coalesce(sum(amount), 0) FROM postings WHERE account = 1920 AND date <= ?`, d.String()).Scan(&gl)
		through, _, _, err := l.BankLinesSum(ctx, id, d, d)
		if err != nil || through != bank {
			t.Errorf("%s: bank lines through = %s, want %s (%v)", d, through, bank, err)
		}
		if got, _ := l.Balance(ctx, 1920, d); got != gl {
			t.Errorf("%s: balance = %s, want %s", d, got, gl)
		}
	}
	if n, _ := l.CountBankTransactions(ctx, id); n != 500 {
		t.Errorf("count = %d, want 500", n)
	}
}

// LargeCache raises the connection's page cache for one transaction; the
// next transaction on that connection has the old size, whether the first
// was committed or its context was cancelled (which rolls it back and
// leaves it unusable).
func TestLargeCacheIsPutBack(t *testing.T) {
	l := newLedger(t)
	l.db.SetMaxOpenConns(1) // every transaction on the one connection
	size := func(ctx context.Context, tx *Tx) int64 {
		var n int64
		if err := tx.tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var before int64
	if err := l.Update(context.Background(), func(tx *Tx) error { before = size(tx.ctx, tx); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, cancelled := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		err := l.Update(ctx, func(tx *Tx) error {
			if err := tx.LargeCache(); err != nil {
				return err
			}
			if got := size(ctx, tx); got != -32768 {
				t.Errorf("cache_size during the work = %d, want -32768", got)
			}
			if cancelled {
				cancel()
				return ctx.Err()
			}
			return nil
		})
		cancel()
		if (err != nil) != cancelled {
			t.Fatalf("cancelled %v: Update = %v", cancelled, err)
		}
		var after int64
		if err := l.Update(context.Background(), func(tx *Tx) error { after = size(tx.ctx, tx); return nil }); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("cancelled %v: the next transaction's cache_size is %d, want %d as before", cancelled, after, before)
		}
	}
}

// A large change (LargeCache) is saved once it is in the WAL; copying it
// into the file runs after Update returns, and Close waits for it.
func TestLargeChangeIsCheckpointedAfterUpdate(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	held := make(chan struct{})
	release := sync.OnceFunc(func() { close(held) })
	t.Cleanup(release) // before Close, which waits for the checkpoint (cleanups run last first)
	l.beforeCheckpoint = func() { <-held }
	size := func() int64 {
		t.Helper()
		fi, err := os.Stat(l.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	const n = 20_000
	err := l.Update(ctx, func(tx *Tx) error {
		if err := tx.LargeCache(); err != nil {
			return err
		}
		var cache, auto int
		if err := tx.tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -32768 {
			t.Errorf("inside the change: cache_size %d, %v; want -32768", cache, err)
		}
		if err := tx.tx.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
			t.Errorf("inside the change: wal_autocheckpoint %d, %v; want 0", auto, err)
		}
		id, err := tx.SaveBankAccount(BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920, Reconciliation: true, Active: true})
		if err != nil {
			return err
		}
		lines := make([]BankTransaction, n)
		for i := range lines {
			lines[i] = BankTransaction{TransactionID: fmt.Sprint("t", i), AccountingDate: civil.MustParse("2026-03-02"),
				Amount: -money.Amount(100 + i), Text: fmt.Sprint("Kortkjøp ", i)}
		}
		_, _, err = tx.InsertBankTransactions(id, 0, lines)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := size(); got != before {
		t.Errorf("the file grew from %d to %d bytes before Update returned: the commit checkpointed", before, got)
	}
	var count int
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM bank_transactions`).Scan(&count); err != nil || count != n {
		t.Fatalf("bank lines read while the checkpoint waits: %d, %v; want %d", count, err, n)
	}
	release()
	l.checkpoints.Wait()
	if got := size(); got <= before+n*50 {
		t.Errorf("after the checkpoint the file is %d bytes (was %d): the %d lines were not copied into it", got, before, n)
	}
	var auto, cache int
	for range 3 { // every pooled connection is back at the small cache and SQLite's checkpoint size
		if err := l.db.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 1000 {
			t.Errorf("wal_autocheckpoint = %d, %v; want 1000", auto, err)
		}
		if err := l.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -512 {
			t.Errorf("cache_size = %d, %v; want -512", cache, err)
		}
	}
}
