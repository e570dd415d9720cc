//go:build unix

package ledger

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A backup holds the company's books: like the ledger, only its owner may
// read it.
func TestBackupIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	l := newLedger(t)
	p := filepath.Join(t.TempDir(), "copy.bankbro")
	if err := l.BackupInto(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup mode %o, want 600", mode)
	}
	if err := CheckFile(context.Background(), p); err != nil {
		t.Errorf("the backup is not a good ledger: %v", err)
	}
	if err := l.BackupInto(context.Background(), p); err == nil {
		t.Error("a backup over an existing file was written")
	}
}

// A new ledger's write-ahead log holds the books as they are written, the
// whole first session: it, its index and the file itself are the owner's
// alone from the start, also in a folder others may read (--db FILE).
func TestNewLedgerIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "company.bankbro")
	l, err := Create(context.Background(), path, testCompany)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), mode)
		}
	}
}
