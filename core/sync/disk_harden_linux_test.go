//go:build linux

package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

// smallDisk mounts a tmpfs of size bytes on a new folder and returns it;
// the test is skipped where mounting is not allowed (not root).
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a small disk here (%v); the test needs root", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// remount makes the small disk at dir read-only or writable again.
func remount(t *testing.T, dir string, readOnly bool) {
	t.Helper()
	flags := uintptr(syscall.MS_REMOUNT)
	if readOnly {
		flags |= syscall.MS_RDONLY
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, ""); err != nil {
		t.Fatalf("remount %s (read-only %v): %v", dir, readOnly, err)
	}
}

// fill writes a file on the disk at dir until the disk is full, then
// frees leave bytes of it.
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	if leave > 0 {
		st, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(max(st.Size()-leave, 0)); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestImportOnFullDisk fills the disk under the ledger, all but room for a
// small change, and runs an import of five months: it must fail with a message that says the disk is full,
// store nothing (the bank lines read straight from the file are as before,
// and the last day read has not moved), leave no half backup, and once
// space is freed the next import reads everything, once.
func TestImportOnFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := smallDisk(t, "4m")
	startDate := civil.MustParse("2025-10-01")
	day1 := civil.MustParse("2025-10-20")
	day2 := civil.MustParse("2026-03-10")
	srv, c := demoBank(t, day1)
	path := filepath.Join(dir, "company.bankbro")
	l, accts := demoLedger(t, path, c, 2, startDate)
	defer l.Close()
	if _, err := Run(ctx, l, c, Options{Today: day1}); err != nil {
		t.Fatal(err)
	}
	sum, n := tableSum(t, path, 0)
	// Room for a small change, not for five months of lines: an import
	// that wrote part of its change apart (the last day read before the
	// lines) would get that part in.
	filler := fill(t, dir, 64<<10)
	srv.Bank.SetToday(day2)

	backups := filepath.Join(dir, "backups")
	for _, opts := range []Options{{Today: day2}, {Today: day2, BackupDir: backups}} {
		res, err := Run(ctx, l, c, opts)
		if err == nil {
			t.Fatalf("the import succeeded on a full disk: %v", res.Lines())
		}
		t.Logf("backup %v: %v", opts.BackupDir != "", err)
		if !strings.Contains(err.Error(), "disk is full") {
			t.Errorf("the error %q does not say the disk is full", err)
		}
		if s, m := tableSum(t, path, 0); s != sum || m != n {
			t.Errorf("the stored lines changed on a full disk: %d rows before, %d after", n, m)
		}
		for _, a := range accts {
			if fresh, _ := l.BankAccount(ctx, a.ID); fresh.ReadThrough != day1.AddDays(-1) {
				t.Errorf("%s: the last day read moved to %s on a full disk", a.Number, fresh.ReadThrough)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(backups, "*")); len(left) > 0 {
		t.Errorf("a failed backup left %v", left)
	}

	os.Remove(filler)
	if _, err := Run(ctx, l, c, Options{Today: day2}); err != nil {
		t.Fatalf("the import once space is free: %v", err)
	}
	for _, a := range accts {
		checkAccountEqualsBank(t, l, srv.Bank, a, startDate, day2.AddDays(-1))
	}
}

// TestImportOnReadOnlyDisk opens a ledger whose disk has become read-only
// (a read-only mount: root ignores file modes, so a chmod proves nothing
// here) and imports: it must fail with a message that says the file cannot
// be written, and nothing changes; once the disk is writable again, the
// import reads everything, once.
func TestImportOnReadOnlyDisk(t *testing.T) {
	ctx := context.Background()
	dir := smallDisk(t, "32m")
	startDate := civil.MustParse("2026-03-02")
	day1 := civil.MustParse("2026-03-10")
	day2 := day1.AddDays(5)
	srv, c := demoBank(t, day1)
	path := filepath.Join(dir, "company.bankbro")
	l, accts := demoLedger(t, path, c, 2, startDate)
	if _, err := Run(ctx, l, c, Options{Today: day1}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	sum, n := tableSum(t, path, 0)
	srv.Bank.SetToday(day2)
	remount(t, dir, true)

	l2, err := ledger.Open(ctx, path)
	if err == nil {
		_, err = Run(ctx, l2, c, Options{Today: day2, BackupDir: filepath.Join(dir, "backups")})
		l2.Close()
	}
	if err == nil {
		t.Fatal("a ledger on a read-only disk was opened and imported into")
	}
	t.Logf("the import on a read-only disk: %v", err)
	// The folder's name holds the test's, "…ReadOnlyDisk…": only the rest
	// of the message counts.
	msg := strings.ToLower(strings.ReplaceAll(err.Error(), dir, "DIR"))
	if !strings.Contains(msg, "read-only") && !strings.Contains(msg, "readonly") {
		t.Errorf("the error %q does not say the disk is read-only", err)
	}
	remount(t, dir, false)
	if s, m := tableSum(t, path, 0); s != sum || m != n {
		t.Errorf("the stored lines changed: %d rows before, %d after", n, m)
	}
	l3, err := ledger.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	for _, a := range accts {
		if fresh, _ := l3.BankAccount(ctx, a.ID); fresh.ReadThrough != day1.AddDays(-1) {
			t.Errorf("%s: the last day read moved to %s", a.Number, fresh.ReadThrough)
		}
	}
	if _, err := Run(ctx, l3, c, Options{Today: day2}); err != nil {
		t.Fatalf("the import once the disk is writable: %v", err)
	}
	for _, a := range accts {
		checkAccountEqualsBank(t, l3, srv.Bank, a, startDate, day2.AddDays(-1))
	}
}
