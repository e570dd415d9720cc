// Package instance keeps Bankbro to one window per company file: the first
// window listens on a local socket beside the ledger, and a second start
// asks it to come forward instead of opening the ledger again.
package instance

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// message is what a second start sends; reply is the first window's answer.
const (
	message = "bankbro: come forward\n"
	reply   = "ok\n"
)

// SocketPath is the socket the window of the ledger at ledgerPath listens
// on: beside the ledger, or, where that path would be too long for a unix
// socket address, in the temporary folder under a name made from it.
func SocketPath(ledgerPath string) string {
	abs, err := filepath.Abs(ledgerPath)
	if err != nil {
		abs = ledgerPath
	}
	p := abs + ".sock"
	if len(p) < 100 {
		return p
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "bankbro-"+hex.EncodeToString(sum[:8])+".sock")
}

// Listener answers second starts for one ledger.
type Listener struct {
	ln   net.Listener
	path string
	wg   sync.WaitGroup
}

// Listen starts answering second starts on the ledger at ledgerPath; each
// one calls focus (on the listener's goroutine). A socket file left by a
// Bankbro that was killed is replaced; one that still answers is not.
func Listen(ledgerPath string, focus func()) (*Listener, error) {
	path := SocketPath(ledgerPath)
	if Signal(ledgerPath) == nil {
		return nil, errors.New("another Bankbro window already answers for this company file")
	}
	os.Remove(path) // stale: nobody answered
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen for a second start of Bankbro: %w", err)
	}
	l := &Listener{ln: ln, path: path}
	l.wg.Add(1)
	go l.serve(focus)
	return l, nil
}

func (l *Listener) serve(focus func()) {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(2 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil && line == message {
			c.Write([]byte(reply))
			focus()
		}
		c.Close()
	}
}

// Close stops answering and removes the socket file.
func (l *Listener) Close() error {
	if l == nil {
		return nil
	}
	err := l.ln.Close()
	l.wg.Wait()
	os.Remove(l.path)
	return err
}

// ErrNoWindow says that no Bankbro window answered for the ledger.
var ErrNoWindow = errors.New("no Bankbro window is open with this company file")

// Signal asks the window that has the ledger at ledgerPath open to come
// forward. It returns nil when a window answered, ErrNoWindow when none did.
func Signal(ledgerPath string) error {
	c, err := net.DialTimeout("unix", SocketPath(ledgerPath), time.Second)
	if err != nil {
		return ErrNoWindow
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(message)); err != nil {
		return ErrNoWindow
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.EqualFold(line, reply) {
		return ErrNoWindow
	}
	return nil
}
