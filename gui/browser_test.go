package gui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// shownAddress returns the address entry of the dialog on top of the
// window, if one shows an address to open.
func shownAddress(u *ui) *widget.Entry {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*widget.Entry); ok {
			return e
		}
	}
	return nil
}

// Where no browser opens, the window shows the login's address to copy
// into one, and the login goes on: opened by hand, it logs in as if the
// browser had opened it. Before, the window said "run with --no-browser".
func TestLoginWithoutABrowserShowsTheAddress(t *testing.T) {
	u, srv := newWizardUI(t, "")
	noBrowser := login.BrowserFunc(func(string) error { return errors.New("exec: xdg-open: executable file not found") })
	wb := windowBrowser{u: u, system: noBrowser}
	person := &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}
	var shown string
	opened := make(chan error, 1)
	browser := login.BrowserFunc(func(url string) error {
		err := wb.Open(url)
		// What the person sees is what they copy into a browser.
		if e := shownAddress(u); e != nil {
			shown = e.Text
			go func() { opened <- person.Open(shown) }()
		}
		return err
	})
	w := openWizardWith(t, u, srv, browser)
	test.Tap(w.loginButton)
	if shown == "" {
		t.Fatal("no address was shown when the browser could not be opened")
	}
	if err := <-opened; err != nil {
		t.Fatalf("opening the shown address by hand: %v", err)
	}
	eventually(t, "the login and the account list", func() bool { return w.client != nil && !w.next.Disabled() })

	// The login is over: its address is no longer asked for.
	if shownAddress(u) != nil {
		t.Error("the address dialog stays open after the login")
	}

	// The address can be copied, and typing in it does not change it.
	u.showAddress(shown, false)
	e := shownAddress(u)
	test.Type(e, "x")
	if e.Text != shown {
		t.Errorf("the address became %q", e.Text)
	}
	test.Tap(dialogButton(t, u, lang.L("Copy address")))
	if got := fyne.CurrentApp().Clipboard().Content(); got != shown {
		t.Errorf("clipboard holds %q, want the address", got)
	}
}

// A folder that cannot be opened keeps its own error: the address dialog
// is for the bank's web pages.
func TestWindowBrowserShowsOnlyWebAddresses(t *testing.T) {
	u := newScreensUI(t)
	failed := errors.New("no file manager")
	wb := windowBrowser{u: u, system: login.BrowserFunc(func(string) error { return failed })}
	if err := wb.Open("file:///home/eier/Bankbro"); !errors.Is(err, failed) || u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("a folder: error %v, dialog shown %v; want the error and no dialog", err, u.win.Canvas().Overlays().Top() != nil)
	}
	if err := wb.Open("https://demobank.example/innlogging"); err != nil || shownAddress(u) == nil {
		t.Errorf("a web page: error %v, address shown %v; want no error and the address", err, shownAddress(u) != nil)
	}
}

// Where no browser opened the login page and its address dialog was
// closed, the waiting login offers the address again; a login cancelled
// says so in words, not "log in: context canceled", and the login button
// is the one way to try again. (The tests run a login on their own
// goroutine: the person's part is done while the browser is "opened".)
func TestLoginAddressAgainAndCancel(t *testing.T) {
	u, srv := newWizardUI(t, "")
	wb := windowBrowser{u: u, system: login.BrowserFunc(func(string) error { return errors.New("exec: xdg-open: executable file not found") })}
	var w *wizard
	// The person's part runs inside the login, off the test's goroutine:
	// a check that fails says so and cancels the login, which then ends
	// the test's wait (t.Fatalf there would leave the login waiting).
	person := login.BrowserFunc(func(url string) error {
		if err := wb.Open(url); err != nil {
			return err
		}
		defer test.Tap(w.loginCancel)
		e := shownAddress(u)
		if e == nil || e.Text != url || w.addressAgain.Visible() {
			t.Errorf("no browser: address shown %v, Show the address offered %v; want the address alone", e, w.addressAgain.Visible())
			return nil
		}
		test.Tap(dialogButton(t, u, lang.L("Close")))
		shootWindow(t, "login-address-again", u.win)
		if !w.addressAgain.Visible() || shownAddress(u) != nil {
			t.Errorf("after the dialog is closed: Show the address offered %v, dialog shown %v", w.addressAgain.Visible(), shownAddress(u) != nil)
			return nil
		}
		// Another page shown meanwhile (the online bank) is not the one
		// the login waits for: Show the address still gives the login's.
		u.showAddress("https://demobank.example/nettbank", false)
		test.Tap(dialogButton(t, u, lang.L("Close")))
		test.Tap(w.addressAgain)
		if e := shownAddress(u); e == nil || e.Text != url || w.addressAgain.Visible() {
			t.Errorf("Show the address: dialog %v, button still offered %v; want the login's address again", e, w.addressAgain.Visible())
			return nil
		}
		// Shown again over itself, one dialog stays.
		u.showAddress(url, true)
		if n := len(u.win.Canvas().Overlays().List()); n != 1 {
			t.Errorf("%d dialogs stacked, want the one", n)
		}
		test.Tap(dialogButton(t, u, lang.L("Close")))
		return nil
	})
	w = openWizardWith(t, u, srv, person)
	test.Tap(w.loginButton)
	want := lang.L("The login was stopped. Log in with BankID when you are ready.")
	eventually(t, "the cancelled login", func() bool { return w.loginStatus.Text == want })
	if w.addressAgain.Visible() || w.tryAgain.Visible() || w.loginButton.Disabled() || shownAddress(u) != nil {
		t.Errorf("after Cancel: Show the address %v, Try again %v, login button disabled %v, dialog %v; want only the login button",
			w.addressAgain.Visible(), w.tryAgain.Visible(), w.loginButton.Disabled(), shownAddress(u) != nil)
	}
}

// openWizardWith opens the wizard on a bank integration whose pages
// browser opens.
func openWizardWith(t *testing.T, u *ui, srv *sandbox.Server, browser login.Browser) *wizard {
	t.Helper()
	useBank(t, u, srv, browser)
	u.nav.Select(4)
	u.settingsTabs.SelectIndex(1)
	test.Tap(u.card.connect)
	return u.wiz
}
