//go:build unix

package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/internal/childtest"
	"bankbro/core/ledger"
)

// The environment that turns TestHelperBackupChild into a backing-up process.
const (
	envBackupChild = "BANKBRO_BACKUP_CHILD"
	envBackupDir   = "BANKBRO_BACKUP_DIR"
)

// TestHelperBackupChild is not a test: run by TestBackupKilled as a child
// process, it backs the ledger up again and again, announcing each backup,
// until it is killed.
func TestHelperBackupChild(t *testing.T) {
	if os.Getenv(envBackupChild) != "1" {
		t.Skip("only runs as the child process of TestBackupKilled")
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, os.Getenv(envDB))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	os.Stdout.WriteString("ready\n")
	for {
		if _, err := Backup(ctx, l, os.Getenv(envBackupDir), 1000); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("backup\n")
	}
}

// bigLedger creates a ledger at path with n bank lines on one account.
func bigLedger(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Create(ctx, path, ledger.Company{Name: "Kafé AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2025-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		acct, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920,
			Reconciliation: true, Active: true, StartDate: civil.MustParse("2025-01-01")})
		if err != nil {
			return err
		}
		lines := make([]ledger.BankTransaction, n)
		day := civil.MustParse("2025-01-01")
		for i := range lines {
			lines[i] = ledger.BankTransaction{TransactionID: fmt.Sprintf("tx-%07d", i), AccountingDate: day.AddDays(i / 200),
				Amount: -12345, Text: strings.Repeat("Kortkjøp REMA 1000 ", 4)}
		}
		_, _, err = tx.InsertBankTransactions(acct, 0, lines)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkBackup opens a backup file on its own and wants a whole ledger:
// SQLite's integrity check passes and every line is there.
func checkBackup(t *testing.T, path string, lines int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("backup %s is damaged: %q, %v", filepath.Base(path), ok, err)
		return
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM bank_transactions`).Scan(&n); err != nil || n != lines {
		t.Errorf("backup %s holds %d lines (%v), want %d", filepath.Base(path), n, err, lines)
	}
}

// TestBackupKilled kills a process with SIGKILL while it backs the ledger
// up (VACUUM INTO), 6 times at random moments. Every file that looks like a
// backup (Backups lists it) must be a whole ledger; a half-written copy may
// only be left under its temporary name, and the next backup clears those
// away. The ledger itself is unharmed.
func TestBackupKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 6 processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "company.bankbro")
	bdir := filepath.Join(dir, "backups")
	lines := 10000
	if raceEnabled {
		lines = 2000 // a backup takes as long as 10000 lines take without it
	}
	bigLedger(t, path, lines)

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 2))
	t.Logf("random seed %d", seed)
	checked := map[string]bool{}
	inside := 0
	for i := range 6 {
		child := childtest.Start(t, "TestHelperBackupChild", envBackupChild+"=1", envDB+"="+path, envBackupDir+"="+bdir)
		child.WaitFor("ready")
		for n := rnd.IntN(2); n > 0 && child.Lines.Scan(); n-- {
		}
		time.Sleep(time.Duration(rnd.IntN(20000)) * time.Microsecond)
		if !child.Kill().Killed {
			t.Fatalf("attempt %d: the child ended without being killed: %v", i, child.Cmd.ProcessState)
		}
		// What the kill left: whole backups, and perhaps one copy under
		// its temporary name (the next backup clears it away).
		good, err := ledger.BackupFiles(path, bdir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		for _, b := range good {
			if !checked[b] {
				checked[b] = true
				checkBackup(t, b, lines)
			}
		}
		if tmps, _ := filepath.Glob(filepath.Join(bdir, "*.tmp")); len(tmps) > 0 {
			inside++
		}
	}
	t.Logf("6 kills, %d of them inside a backup; %d whole backups checked", inside, len(checked))
	if inside == 0 {
		t.Logf("no kill landed inside a backup this time")
	}
	l, err := ledger.Open(ctx, path)
	if err != nil {
		t.Fatalf("the ledger does not open after the kills: %v", err)
	}
	defer l.Close()
	p, err := Backup(ctx, l, bdir, 1000)
	if err != nil {
		t.Fatalf("the next backup: %v", err)
	}
	checkBackup(t, p, lines)
	if left, _ := filepath.Glob(filepath.Join(bdir, "*.tmp")); len(left) > 0 {
		t.Errorf("the next backup left %d half-written copies of killed backups: %v", len(left), left)
	}
	if n, _ := l.CountBankTransactions(ctx, 1); n != lines {
		t.Errorf("the ledger holds %d lines after the kills, want %d", n, lines)
	}
}
