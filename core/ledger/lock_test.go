package ledger

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSecondOpenIsRefusedUntilClosed(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	if _, err := Open(ctx, l.Path()); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if !Locked(l.Path()) {
		t.Errorf("Locked = false while the ledger is open")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if Locked(l.Path()) {
		t.Errorf("Locked = true after Close")
	}
	again, err := Open(ctx, l.Path())
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

// envHoldLock makes the test binary a helper process that opens the ledger
// named by it, says so, and waits to be killed.
const envHoldLock = "BANKBRO_TEST_HOLD_LOCK"

// held keeps the helper process's ledger alive.
var held *Ledger

func TestMain(m *testing.M) {
	if path := os.Getenv(envHoldLock); path != "" {
		l, err := Open(context.Background(), path)
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		held = l // reachable, so no finalizer closes the lock's file
		os.Stdout.WriteString("locked\n")
		select {}
	}
	code := m.Run()
	if benchLedger.dir != "" {
		os.RemoveAll(benchLedger.dir)
	}
	os.Exit(code)
}

func TestLockOfAKilledProcessIsFree(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kills with a signal")
	}
	l := newLedger(t)
	path := l.Path()
	l.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envHoldLock+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q", line)
	}
	if l, err := Open(context.Background(), path); !errors.Is(err, ErrLocked) {
		t.Errorf("Open while another process holds it: err = %v, want ErrLocked", err)
		if err == nil {
			l.Close()
		}
	}
	cmd.Process.Kill() // SIGKILL: no chance to clean up
	cmd.Wait()
	if _, err := os.Stat(LockPath(path)); err != nil {
		t.Fatalf("the lock file should still be there: %v", err)
	}
	l2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open after the holder was killed: %v", err)
	}
	l2.Close()
}

func TestLockedMessage(t *testing.T) {
	l := newLedger(t)
	defer l.Close()
	_, err := Open(context.Background(), filepath.Clean(l.Path()))
	if err == nil || err.Error()[:len(ErrLocked.Error())] != ErrLocked.Error() {
		t.Errorf("err = %v, want it to begin with %q", err, ErrLocked)
	}
}
