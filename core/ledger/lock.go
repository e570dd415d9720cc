package ledger

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked is returned when another Bankbro (the window or a command) has
// the company file open: a ledger is only ever open for writing once.
var ErrLocked = errors.New("Bankbro is already open with this company file")

// fileLock is an exclusive lock on the file LockPath(ledger) beside the
// ledger. The operating system releases it when the process ends, however
// it ends, so a killed Bankbro never leaves a stale lock behind.
type fileLock struct{ f *os.File }

// LockPath is the lock file that guards the ledger at path.
func LockPath(path string) string { return path + ".lock" }

// lockLedger takes the ledger's lock, or fails with ErrLocked at once.
func lockLedger(path string) (*fileLock, error) {
	f, err := os.OpenFile(LockPath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the company file %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
		return nil, fmt.Errorf("lock the company file %s: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

// release gives the lock up; the lock file stays, empty and harmless.
func (l *fileLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// Locked reports whether another process or Ledger holds the ledger at path.
func Locked(path string) bool {
	l, err := lockLedger(path)
	if err != nil {
		return errors.Is(err, ErrLocked)
	}
	l.release()
	return false
}
