package login

import (
	"fmt"
	"io"

	"github.com/pkg/browser"
)

// Browser opens the bank's login page for the person. Login calls Open once,
// from its own goroutine, with the authorize URL.
type Browser interface {
	Open(url string) error
}

func init() {
	// xdg-open and friends chatter on the terminal; that must not mix into
	// the output of `bankbro connect` or the test logs.
	browser.Stdout = io.Discard
	browser.Stderr = io.Discard
}

// SystemBrowser opens the operating system's default browser.
type SystemBrowser struct{}

// Open opens url in the system browser.
func (SystemBrowser) Open(url string) error {
	if err := browser.OpenURL(url); err != nil {
		return fmt.Errorf("could not open the system browser (%v); run with --no-browser and open the address yourself", err)
	}
	return nil
}

// PrintBrowser does not open anything: it prints the address for the person
// to open themselves (`bankbro connect --no-browser`).
type PrintBrowser struct {
	W io.Writer
}

// Open writes "Open this address to log in: URL" on its own line.
func (p PrintBrowser) Open(url string) error {
	if _, err := fmt.Fprintf(p.W, "Open this address to log in: %s\n", url); err != nil {
		return fmt.Errorf("print the login address: %w", err)
	}
	return nil
}

// BrowserFunc turns a function into a Browser.
type BrowserFunc func(url string) error

// Open calls f(url).
func (f BrowserFunc) Open(url string) error { return f(url) }
