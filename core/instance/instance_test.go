package instance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecondStartSignalsTheFirst(t *testing.T) {
	ledger := filepath.Join(t.TempDir(), "company.bankbro")
	if err := Signal(ledger); !errors.Is(err, ErrNoWindow) {
		t.Fatalf("Signal with no window: err = %v, want ErrNoWindow", err)
	}
	focused := make(chan struct{}, 4)
	l, err := Listen(ledger, func() { focused <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(ledger, func() {}); err == nil {
		t.Errorf("a second listener on the same ledger was accepted")
	}
	if err := Signal(ledger); err != nil {
		t.Fatalf("Signal: %v", err)
	}
	<-focused
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Signal(ledger); !errors.Is(err, ErrNoWindow) {
		t.Errorf("Signal after Close: err = %v, want ErrNoWindow", err)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	ledger := filepath.Join(t.TempDir(), "company.bankbro")
	// What a killed window leaves: a socket file nobody listens on.
	if err := os.WriteFile(SocketPath(ledger), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Listen(ledger, func() {})
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer l.Close()
	if err := Signal(ledger); err != nil {
		t.Errorf("Signal: %v", err)
	}
}

func TestLongPathsFallBackToTheTempFolder(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("a", 120), "company.bankbro")
	if p := SocketPath(long); len(p) >= 100 || !strings.HasPrefix(p, os.TempDir()) {
		t.Errorf("SocketPath = %q", p)
	}
}
