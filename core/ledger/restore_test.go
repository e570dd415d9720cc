package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bankbro/core/civil"
)

// importLine stores the bank line id in tx, as the morning import would.
func importLine(tx *Tx, acct int64, id string) error {
	_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: id,
		AccountingDate: civil.MustParse("2026-03-02"), Amount: -5000, Text: "Morgenimport"}})
	return err
}

// heldWrite starts a write transaction on l that stores the bank line id
// and then waits, uncommitted, until release is called (at the latest when
// the test ends). It returns once the line is written, with the channel
// the transaction's outcome comes on.
func heldWrite(t *testing.T, l *Ledger, acct int64, id string) (release func(), wrote <-chan error) {
	t.Helper()
	inside, held := make(chan struct{}), make(chan struct{})
	release = sync.OnceFunc(func() { close(held) })
	t.Cleanup(release)
	done := make(chan error, 1)
	go func() {
		done <- l.Update(context.Background(), func(tx *Tx) error {
			err := importLine(tx, acct, id)
			close(inside)
			<-held
			return err
		})
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("the held write ended at once: %v", err)
	}
	return release, done
}

// restoring is a Restore running in the background.
type restoring struct {
	waiting chan struct{} // closed when Restore waits for running writes
	kept    chan string   // the kept backup, when Restore has taken it
	done    chan struct{} // closed when Restore has returned
	l       *Ledger       // what Restore returned, once done
	keptAs  string
	err     error
}

// startRestore restores from into l in the background, keeping the
// current file in dir. afterKeep, if not nil, runs in keep after the
// backup is written.
func startRestore(ctx context.Context, l *Ledger, from, dir string, afterKeep func()) *restoring {
	r := &restoring{waiting: make(chan struct{}), kept: make(chan string, 1), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.l, r.keptAs, r.err = Restore(ctx, l, from, func(cur *Ledger) (string, error) {
			kept := filepath.Join(dir, "company-backup-20260302-000000.000.bankbro")
			if err := cur.BackupInto(ctx, kept); err != nil {
				return "", err
			}
			r.kept <- kept
			if afterKeep != nil {
				afterKeep()
			}
			return kept, nil
		}, func() { close(r.waiting) })
	}()
	return r
}

// swapped waits for Restore and checks that it swapped the files: the
// kept backup has kept lines, the restored file the backup's 1.
func (r *restoring) swapped(t *testing.T, acct int64, kept int) {
	t.Helper()
	<-r.done
	if r.err != nil {
		t.Fatalf("Restore: %v", r.err)
	}
	t.Cleanup(func() { r.l.Close() })
	k, err := Open(context.Background(), r.keptAs)
	if err != nil {
		t.Fatalf("open the kept backup: %v", err)
	}
	defer k.Close()
	if n, err := k.CountBankTransactions(context.Background(), acct); err != nil || n != kept {
		t.Errorf("the kept backup has %d lines, %v; want %d", n, err, kept)
	}
	if n, err := r.l.CountBankTransactions(context.Background(), acct); err != nil || n != 1 {
		t.Errorf("the restored file has %d lines, %v; want the backup's 1", n, err)
	}
}

// A restore waits for the write running when it is asked for: the kept
// backup holds what that write stored, and the file restored is the
// backup's.
func TestRestoreWaitsForTheRunningWrite(t *testing.T) {
	l, acct, dir, old := lineAfterBackup(t) // the backup has 1 line, the file 2
	release, wrote := heldWrite(t, l, acct, "T3")

	r := startRestore(context.Background(), l, old, dir, nil)
	select {
	case <-r.waiting:
	case <-r.kept:
		t.Fatal("Restore kept the current file while a write was running")
	case <-r.done:
		t.Fatalf("Restore returned while a write was running: %v", r.err)
	}
	release()
	if err := <-wrote; err != nil {
		t.Fatalf("the running write: %v", err)
	}
	r.swapped(t, acct, 3) // the file's 2 and the write that was running
}

// A write begun while a restore runs waits for it and is then refused: it
// is in neither the kept backup nor the restored file. So is a write on
// the old ledger after the restore.
func TestWriteDuringRestoreIsRefused(t *testing.T) {
	l, acct, dir, old := lineAfterBackup(t)
	wrote := make(chan error, 1)
	restored := make(chan struct{})
	r := startRestore(context.Background(), l, old, dir, func() {
		// The import's next step begins while the restore swaps files;
		// were it let in, it would commit after the swap.
		go func() {
			wrote <- l.Update(context.Background(), func(tx *Tx) error {
				err := importLine(tx, acct, "T9")
				<-restored
				return err
			})
		}()
	})
	<-r.done
	close(restored)
	if err := <-wrote; !errors.Is(err, ErrRestoring) {
		t.Errorf("a write begun during the restore: err = %v, want ErrRestoring", err)
	}
	if err := l.Update(context.Background(), func(*Tx) error { return nil }); !errors.Is(err, ErrRestoring) {
		t.Errorf("a write on the old ledger after the restore: err = %v, want ErrRestoring", err)
	}
	r.swapped(t, acct, 2) // the file's 2, without the refused write
}

// Cancel while a restore waits for a long write returns at once and
// leaves the ledger working: the long write, and one that queued behind
// the restore, are saved.
func TestRestoreCancelledWhileWaitingForAWrite(t *testing.T) {
	l, acct, dir, old := lineAfterBackup(t)
	release, wrote := heldWrite(t, l, acct, "T3")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startRestore(ctx, l, old, dir, nil)
	select {
	case <-r.waiting:
	case <-r.done:
		t.Fatalf("Restore returned while a write was running: %v", r.err)
	}
	queued := make(chan error, 1)
	go func() {
		queued <- l.Update(context.Background(), func(tx *Tx) error { return tx.SetSetting("queued", "yes") })
	}()
	cancel()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled Restore still waits for the running write")
	}
	if !errors.Is(r.err, context.Canceled) || r.l != nil || r.keptAs != "" {
		t.Fatalf("Restore = %v, %q, %v; want nothing and context.Canceled", r.l, r.keptAs, r.err)
	}
	select {
	case kept := <-r.kept:
		t.Errorf("a cancelled Restore kept the file as %s", kept)
	default:
	}
	release()
	if err := <-wrote; err != nil {
		t.Errorf("the long write: %v", err)
	}
	if err := <-queued; err != nil {
		t.Errorf("the write queued behind the restore: %v", err)
	}
	addLine(t, l, acct, "T4", "Brød", -4500)
	if n, err := l.CountBankTransactions(context.Background(), acct); err != nil || n != 4 {
		t.Errorf("after the cancelled restore: %d lines, %v; want 4", n, err)
	}
	if v, _ := l.Setting(context.Background(), "queued"); v != "yes" {
		t.Errorf("the queued write's setting = %q", v)
	}
}
