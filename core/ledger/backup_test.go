package ledger

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// addLine stores one bank line on the account.
func addLine(t *testing.T, l *Ledger, account int64, id, text string, amount money.Amount) {
	t.Helper()
	err := l.Update(context.Background(), func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(account, 0, []BankTransaction{{TransactionID: id,
			AccountingDate: civil.MustParse("2026-03-02"), Amount: amount, Text: text}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// backupOf writes a backup of l into dir under the name core/sync.Backup uses.
func backupOf(t *testing.T, l *Ledger, dir, stamp string) string {
	t.Helper()
	os.MkdirAll(dir, 0o700)
	p := filepath.Join(dir, "company-backup-"+stamp+".bankbro")
	if err := l.BackupInto(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// lineAfterBackup makes a ledger with one line, backs it up into dir and
// adds a second line.
func lineAfterBackup(t *testing.T) (l *Ledger, acct int64, dir, backup string) {
	t.Helper()
	l = newLedger(t)
	acct = addBank(t, l)
	addLine(t, l, acct, "T1", "Kaffebønner", -125050)
	dir = filepath.Join(filepath.Dir(l.Path()), "backups")
	backup = backupOf(t, l, dir, "20260301-000000.000")
	addLine(t, l, acct, "T2", "Melk", -9900)
	return l, acct, dir, backup
}

func TestRestoreKeepsTheCurrentFileAndSwaps(t *testing.T) {
	ctx := context.Background()
	l, acct, dir, old := lineAfterBackup(t)

	var kept string
	restored, keptAs, err := Restore(ctx, l, old, func(cur *Ledger) (string, error) {
		kept = backupOf(t, cur, dir, "20260302-000000.000")
		return kept, nil
	}, nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	defer restored.Close()
	if keptAs != kept {
		t.Errorf("kept as %q, want %q", keptAs, kept)
	}
	if n, _ := restored.CountBankTransactions(ctx, acct); n != 1 {
		t.Errorf("restored ledger has %d lines, want the backup's 1", n)
	}
	k, err := Open(ctx, kept)
	if err != nil {
		t.Fatalf("open the kept copy: %v", err)
	}
	defer k.Close()
	if n, _ := k.CountBankTransactions(ctx, acct); n != 2 {
		t.Errorf("kept copy has %d lines, want 2", n)
	}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	for i := range 300 {
		addLine(t, l, acct, "T"+string(rune('a'+i%26))+string(rune('a'+i/26)), "Kortsalg Solsiden kaffebar med en lang tekst", 4500)
	}
	dir := t.TempDir()
	good := backupOf(t, l, dir, "20260301-000000.000")
	truncated := half(t, good, filepath.Join(dir, "truncated.bankbro"))
	newer := backupOf(t, l, dir, "20260302-000000.000")
	setVersion(t, newer, SchemaVersion()+1)
	junk := filepath.Join(dir, "junk.bankbro")
	os.WriteFile(junk, []byte("not a ledger at all"), 0o600)

	for _, c := range []struct {
		name string
		path string
		want error
	}{
		{"truncated", truncated, ErrDamaged},
		{"newer schema", newer, ErrNewerSchema},
		{"not SQLite", junk, ErrNotALedger},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := CheckFile(ctx, c.path); !errors.Is(err, c.want) {
				t.Errorf("CheckFile: err = %v, want %v", err, c.want)
			}
			called := false
			_, _, err := Restore(ctx, l, c.path, func(*Ledger) (string, error) { called = true; return "", nil }, nil)
			if !errors.Is(err, c.want) {
				t.Errorf("Restore: err = %v, want %v", err, c.want)
			}
			if called {
				t.Errorf("the current file was touched before the backup was checked")
			}
		})
	}
	if n, err := l.CountBankTransactions(ctx, acct); err != nil || n != 300 {
		t.Errorf("after refused restores: %d lines, %v", n, err)
	}
	if err := CheckFile(ctx, good); err != nil {
		t.Errorf("CheckFile(good backup): %v", err)
	}
}

func TestDamagedLedgerOffersTheNewestGoodBackup(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	for i := range 300 {
		addLine(t, l, acct, "L"+string(rune('a'+i%26))+string(rune('a'+i/26)), "Varekjøp Tine SA med en lang tekst her", -250000)
	}
	path := l.Path()
	dir := filepath.Join(filepath.Dir(path), "backups")
	good := backupOf(t, l, dir, "20260301-000000.000")
	newerGood := backupOf(t, l, dir, "20260302-000000.000")
	// The newest backup is itself cut off: it must be passed over.
	newest := backupOf(t, l, dir, "20260303-000000.000")
	half(t, newest, newest)
	l.Close()
	// The company file itself is cut off in half.
	half(t, path, path)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	damaged, _ := os.ReadFile(path)

	_, err := Open(ctx, path)
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open(truncated): err = %v, want ErrDamaged", err)
	}
	files, _ := BackupFiles(path, dir)
	if len(files) != 3 || files[0] != newest || files[2] != good {
		t.Errorf("BackupFiles = %v, want newest first", files)
	}
	offer, err := NewestGoodBackup(ctx, path, dir)
	if err != nil || offer != newerGood {
		t.Fatalf("NewestGoodBackup = %q, %v; want %q", offer, err, newerGood)
	}
	aside, err := SetAsideAndRestore(ctx, path, offer)
	if err != nil {
		t.Fatalf("SetAsideAndRestore: %v", err)
	}
	if kept, _ := os.ReadFile(aside); string(kept) != string(damaged) {
		t.Errorf("the damaged file was not kept as it was (%s)", aside)
	}
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after restore: %v", err)
	}
	defer r.Close()
	if n, _ := r.CountBankTransactions(ctx, acct); n != 300 {
		t.Errorf("restored: %d lines, want 300", n)
	}
}

func TestNewerSchemaAtStart(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	path := l.Path()
	l.Close()
	setVersion(t, path, SchemaVersion()+1)
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open: err = %v, want ErrNewerSchema", err)
	}
	if err := CheckFile(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("CheckFile: err = %v, want ErrNewerSchema", err)
	}
}

// half writes the first half of from to to.
func half(t *testing.T, from, to string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	return to
}

// setVersion sets the file's schema version, as a newer Bankbro would.
func setVersion(t *testing.T, path string, v int) {
	t.Helper()
	l, err := open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.db.Exec("PRAGMA user_version = " + strconv.Itoa(v)); err != nil {
		t.Fatal(err)
	}
}

// A restore cancelled while the current file is being kept stops before the
// swap: the ledger stays open and as it was.
func TestRestoreCancelledBeforeTheSwap(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, acct, dir, old := lineAfterBackup(t)

	restored, keptAs, err := Restore(ctx, l, old, func(cur *Ledger) (string, error) {
		kept := backupOf(t, cur, dir, "20260302-000000.000")
		cancel() // the owner presses Cancel while the backup is written
		return kept, nil
	}, nil)
	if !errors.Is(err, context.Canceled) || restored != nil || keptAs != "" {
		t.Fatalf("Restore = %v, %q, %v; want nothing and context.Canceled", restored, keptAs, err)
	}
	if n, err := l.CountBankTransactions(context.Background(), acct); err != nil || n != 2 {
		t.Errorf("the ledger after a cancelled restore: %d lines, %v; want it open with its 2", n, err)
	}
}
