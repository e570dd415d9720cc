package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bankbro/core/ledger"
)

// DefaultKeep is how many backups Backup keeps unless told otherwise.
const DefaultKeep = 14

// backupStamp names a backup by the moment it was taken; it sorts in time order.
const backupStamp = "20060102-150405.000"

// Backup writes a consistent copy of the ledger into dir (created if
// missing) as NAME-backup-YYYYMMDD-HHMMSS.mmm.bankbro, and removes the
// oldest of those backups beyond the newest keep (0: DefaultKeep). It
// returns the new backup's path. A copy is written under a temporary name
// and renamed when complete, so a crash never leaves a half backup that
// looks whole.
func Backup(ctx context.Context, l *ledger.Ledger, dir string, keep int) (string, error) {
	if keep <= 0 {
		keep = DefaultKeep
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the backup folder: %w", err)
	}
	prefix := ledger.BackupPrefix(l.Path())
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	name := prefix + now().UTC().Format(backupStamp)
	path := filepath.Join(dir, name+".bankbro")
	for i := 2; exists(path); i++ {
		path = filepath.Join(dir, fmt.Sprintf("%s-%d.bankbro", name, i))
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	// A backup killed half way leaves its copy under the temporary name:
	// never listed as a backup, but as big as the ledger. Clear those away.
	if stale, err := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*.bankbro.tmp*")); err == nil {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	if err := l.BackupInto(ctx, tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("finish the backup %s: %w", path, err)
	}
	if err := prune(dir, l.Path(), keep); err != nil {
		return path, err
	}
	return path, nil
}

// BackupBeforeRestore is Backup for ledger.Restore's keep: it keeps every
// backup there is, since the usual pruning could delete the very backup
// being restored (the oldest of those kept).
func BackupBeforeRestore(ctx context.Context, l *ledger.Ledger, dir string) (string, error) {
	all, err := ledger.BackupFiles(l.Path(), dir)
	if err != nil {
		return "", err
	}
	return Backup(ctx, l, dir, max(DefaultKeep, len(all)+1))
}

// BackupTime reads when a backup was taken from its name (Backup's
// stamp, in UTC); ok is false for a file not named by Backup.
func BackupTime(path string) (t time.Time, ok bool) {
	name := strings.TrimSuffix(filepath.Base(path), ".bankbro")
	i := strings.LastIndex(name, "-backup-")
	if i < 0 {
		return time.Time{}, false
	}
	stamp := name[i+len("-backup-"):]
	if len(stamp) > len(backupStamp) && stamp[len(backupStamp)] == '-' {
		stamp = stamp[:len(backupStamp)] // a twin's "-2"
	}
	t, err := time.ParseInLocation(backupStamp, stamp, time.UTC)
	return t, err == nil
}

// prune removes the oldest backups of the ledger at ledgerPath beyond keep.
func prune(dir, ledgerPath string, keep int) error {
	all, err := ledger.BackupFiles(ledgerPath, dir) // newest first
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range all[min(keep, len(all)):] {
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove old backups: %w", err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// globEscape makes s match only itself in a filepath.Glob pattern.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}
