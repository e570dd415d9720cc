package ledger

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrDamaged says the file is a SQLite database that fails its own
// integrity check, or is shorter than its header says (a cut-off copy).
var ErrDamaged = errors.New("the company file is damaged")

// errEmpty is readHeader's answer for a new, empty file.
var errEmpty = errors.New("empty file")

// readHeader reads a SQLite file's 100-byte header and its size; an empty
// file is errEmpty, anything else that is no SQLite file ErrNotALedger.
func readHeader(path string) (h [100]byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return h, 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return h, 0, fmt.Errorf("open %s: %w", path, err)
	}
	if st.Size() == 0 {
		return h, 0, errEmpty
	}
	if _, err := io.ReadFull(f, h[:]); err != nil || string(h[:16]) != "SQLite format 3\x00" {
		return h, 0, fmt.Errorf("%s: %w", path, ErrNotALedger)
	}
	return h, st.Size(), nil
}

// checkHeader catches a cut-off (truncated) database file cheaply, before
// SQLite reads it: the header records how many pages the file holds.
func checkHeader(path string) error {
	h, size, err := readHeader(path)
	if errors.Is(err, errEmpty) {
		return nil // a new, empty file: SQLite writes the header
	}
	if err != nil {
		return err
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	// The page count is valid only when the change counter matches the
	// "version valid for" number; otherwise SQLite goes by the file size.
	valid := binary.BigEndian.Uint32(h[24:28]) == binary.BigEndian.Uint32(h[92:96])
	// A process killed while copying its write-ahead log back into the file
	// leaves the file short of its header's size; SQLite finishes the copy
	// from the -wal at the next open, so the file is not damaged then.
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil
	}
	if valid && pages > 0 && size < pages*pageSize {
		return fmt.Errorf("%s is %d bytes, its header says %d: %w", path, size, pages*pageSize, ErrDamaged)
	}
	return nil
}

// CheckFile tells whether the file at path is a whole Bankbro ledger this
// build can open: a SQLite database that passes its integrity check, with
// a company in it, at a schema version no newer than SchemaVersion. It only
// reads the file. The errors are ErrNotALedger, ErrDamaged or ErrNewerSchema.
func CheckFile(ctx context.Context, path string) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrNotALedger, err)
	}
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&result); err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrDamaged, err)
	}
	if result != "ok" {
		return fmt.Errorf("%s: %w (%s)", path, ErrDamaged, result)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("%s has schema version %d, this Bankbro knows %d: %w", path, version, SchemaVersion(), ErrNewerSchema)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT name FROM company WHERE id = 1").Scan(&name); err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrNotALedger, err)
	}
	return nil
}

// BackupPrefix is how the names of the backups of the ledger at
// ledgerPath begin: "company-backup-" for company.bankbro.
func BackupPrefix(ledgerPath string) string {
	base := filepath.Base(ledgerPath)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "-backup-"
}

// BackupFiles lists the backups of the ledger at ledgerPath in dir, newest
// first: the files named NAME-backup-STAMP.bankbro that core/sync.Backup
// writes (their stamps sort in time order).
func BackupFiles(ledgerPath, dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the backups: %w", err)
	}
	prefix := BackupPrefix(ledgerPath)
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".bankbro") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return strings.Compare(strings.TrimSuffix(b, ".bankbro"), strings.TrimSuffix(a, ".bankbro"))
	})
	return out, nil
}

// NewestGoodBackup returns the newest backup of the ledger at ledgerPath in
// dir that passes CheckFile, or "" when there is none.
func NewestGoodBackup(ctx context.Context, ledgerPath, dir string) (string, error) {
	all, err := BackupFiles(ledgerPath, dir)
	if err != nil {
		return "", err
	}
	for _, p := range all {
		if CheckFile(ctx, p) == nil {
			return p, nil
		}
	}
	return "", nil
}

// Restore replaces the open ledger l with the backup at from and returns
// the ledger reopened. It checks the backup first (CheckFile) and, before
// anything changes, hands the current ledger to keep, which writes a
// backup of it (core/sync.Backup) and returns where; keep may read l but
// not change it. On failure the current file is left as it was, or, past
// the swap, is in that backup.
//
// Changes being saved (Update) end first, so that the kept backup holds
// them; waiting, if not nil, is called when there are any. Changes begun
// meanwhile wait, and fail with ErrRestoring once the file is swapped.
func Restore(ctx context.Context, l *Ledger, from string, keep func(*Ledger) (string, error), waiting func()) (*Ledger, string, error) {
	if err := CheckFile(ctx, from); err != nil {
		return nil, "", err
	}
	if !l.writes.TryAcquire(writeGate) {
		if waiting != nil {
			waiting()
		}
		if err := l.writes.Acquire(ctx, writeGate); err != nil {
			return nil, "", err
		}
	}
	defer l.writes.Release(writeGate)
	if l.replaced.Load() {
		return nil, "", ErrRestoring
	}
	kept, err := keep(l)
	if err != nil {
		return nil, "", fmt.Errorf("keep the current company file before restoring: %w", err)
	}
	// A cancel up to here leaves the company file as it was (and one more
	// backup of it); past here the file is replaced, and the restored file
	// is opened whatever the context says, so that the window never ends
	// up without a company file.
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	path := l.Path()
	l.replaced.Store(true)
	if err := l.Close(); err != nil {
		return nil, kept, fmt.Errorf("close the company file: %w", err)
	}
	if err := replaceWith(path, from); err != nil {
		return nil, kept, err
	}
	restored, err := Open(context.WithoutCancel(ctx), path)
	if err != nil {
		return nil, kept, fmt.Errorf("open the restored company file: %w", err)
	}
	return restored, kept, nil
}

// SetAsideAndRestore is for a ledger that cannot be opened (damaged, or
// written by a newer Bankbro): it renames the file at path to a name of its
// own beside it, never overwriting or deleting it, then copies the backup
// at from into its place. It returns the set-aside file's path.
func SetAsideAndRestore(ctx context.Context, path, from string) (string, error) {
	if err := CheckFile(ctx, from); err != nil {
		return "", err
	}
	lock, err := lockLedger(path)
	if err != nil {
		return "", err
	}
	defer lock.release()
	ext := filepath.Ext(path)
	aside := strings.TrimSuffix(path, ext) + "-set-aside-" + time.Now().UTC().Format("20060102-150405") + ext
	for i := 2; exists(aside); i++ {
		aside = fmt.Sprintf("%s-set-aside-%s-%d%s", strings.TrimSuffix(path, ext), time.Now().UTC().Format("20060102-150405"), i, ext)
	}
	for _, sfx := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+sfx, aside+sfx); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("set the company file aside as %s: %w", aside, err)
		}
	}
	if err := copyInto(path, from); err != nil {
		return aside, err
	}
	return aside, nil
}

// replaceWith puts a copy of from at path, dropping path's WAL files (the
// ledger is closed, so they hold nothing that is not in its backup).
func replaceWith(path, from string) error {
	lock, err := lockLedger(path)
	if err != nil {
		return err
	}
	defer lock.release()
	for _, sfx := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + sfx); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore the backup: %w", err)
		}
	}
	return copyInto(path, from)
}

// copyInto writes a copy of from to a temporary name beside path and
// renames it over path when complete, so path is never half written.
func copyInto(path, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("read the backup %s: %w", from, err)
	}
	defer src.Close()
	tmp := path + ".restore"
	dst, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("restore the backup: %w", err)
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore the backup to %s: %w", path, err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openReadOnly opens the ledger file at path to read only, as it is:
// nothing is written to it, nor a journal beside it (a backup, a file to
// check before it is restored).
func openReadOnly(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// PaymentsAtBank returns the references of the payments the bank has (a
// bank payment id) and has not refused or seen cancelled, in the ledger
// file at path, read only: what a restore of that file would still know
// of (the window compares a backup's with the open ledger's before it
// restores).
func PaymentsAtBank(ctx context.Context, path string) (map[string]bool, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT reference FROM payments
		WHERE bank_payment_id <> '' AND status NOT IN ('Rejected', 'Cancelled')`)
	if err != nil {
		return nil, fmt.Errorf("read the payments of %s: %w", path, err)
	}
	out := map[string]bool{}
	err = each(rows, func(row rowScanner) (string, error) {
		var ref string
		return ref, row.Scan(&ref)
	}, func(ref string) error {
		out[ref] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the payments of %s: %w", path, err)
	}
	return out, nil
}
