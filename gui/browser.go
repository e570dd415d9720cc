package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/login"
)

// windowBrowser opens the bank's pages (the BankID login, the online bank,
// signing payments) in the system's browser. Where none opens (no desktop
// browser set up, a locked-down machine), it shows the address in the
// window to copy into a browser, and what was under way goes on: a login
// waits for the bank's answer as if the page had opened. Before, the
// window said "run with --no-browser", which only the command line has.
type windowBrowser struct {
	u      *ui
	system login.Browser
}

// Open opens url, or shows it. Addresses other than web pages (a folder)
// keep the system's error. The bank integration opens its login page
// with it: a page waited for, whose address Show the address gives again.
func (b windowBrowser) Open(url string) error {
	_, err := b.open(url, true)
	return err
}

// open is Open, and says whether a browser opened (false: the address is
// shown instead); waited marks the page of a login that waits for it.
func (b windowBrowser) open(url string, waited bool) (bool, error) {
	err := b.system.Open(url)
	if err == nil || !strings.HasPrefix(url, "http") {
		return err == nil, err
	}
	onUI(func() { b.u.showAddress(url, waited) })
	return false, nil
}

// openPage opens a page of the bank for the person (the online bank,
// signing), and says whether a browser opened it: when none did, the
// window shows its address, and what follows must not say the page is
// open. Nothing waits for it, so it is not the address Show the address
// gives again.
func (u *ui) openPage(url string) (bool, error) { return u.browser.open(url, false) }

// hideAddress closes the address dialog, if one is shown: the login it was
// for is over.
func (u *ui) hideAddress() {
	waited := u.waitingFor
	u.waitingFor = ""
	if u.addressAgain != nil {
		u.addressAgain.Hide()
		u.addressAgain = nil
	}
	if u.address != nil && u.addressShown == waited { // another page's stays
		u.address.Hide()
		u.address = nil
	}
}

// newAddressAgain makes the button a screen that waits for a page (a
// login) puts beside its Cancel: hidden, it shows once the address dialog
// is closed while the wait goes on, and opens it again. Before, a closed
// dialog left "Waiting for BankID in the browser…" with no way to the
// address but Cancel and a new login.
func (u *ui) newAddressAgain() *widget.Button {
	b := widget.NewButtonWithIcon(lang.L("Show the address"), theme.VisibilityIcon(), nil)
	b.OnTapped = func() {
		if u.waitingFor != "" {
			u.showAddress(u.waitingFor, true)
		}
	}
	b.Hide()
	return b
}

// waitWith makes b (newAddressAgain) the button that shows the address of
// the page waited for now; hideAddress, when the wait is over, hides it.
func (u *ui) waitWith(b *widget.Button) {
	b.Hide()
	u.addressAgain = b
}

// showAddress tells the person to open url in a browser themselves, with
// the address to copy; waited marks the page a login waits for.
func (u *ui) showAddress(url string, waited bool) {
	text := widget.NewLabel(lang.L("Bankbro could not open a web browser. Open a browser on this computer yourself, and go to this address:"))
	text.Wrapping = fyne.TextWrapWord
	address := widget.NewEntry()
	address.SetText(url)
	address.Wrapping = fyne.TextWrapBreak
	address.MultiLine = true
	address.SetMinRowsVisible(3)
	// The address is there to be copied, not changed: typing in it puts it
	// back.
	address.OnChanged = func(s string) {
		if s != url {
			address.SetText(url)
		}
	}
	copied := widget.NewLabel("")
	copyButton := widget.NewButtonWithIcon(lang.L("Copy address"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(url)
		copied.SetText(lang.L("Copied."))
	})
	copyButton.Importance = widget.HighImportance
	content := container.NewVBox(text, address, container.NewHBox(copyButton, copied))
	d := dialog.NewCustom(lang.L("Open this address in your browser"), lang.L("Close"), content, u.win)
	d.Resize(fyne.NewSize(600, 0)) // as high as it needs; wide enough for the address on three lines
	d.SetOnClosed(func() {
		if u.address != d {
			return // closed for another: no button for it
		}
		u.address, u.addressShown = nil, ""
		// Closed while a login waits: its address is offered again.
		if u.waitingFor != "" && u.addressAgain != nil {
			u.addressAgain.Show()
		}
	})
	old := u.address
	u.address, u.addressShown = d, url
	if waited {
		u.waitingFor = url
	}
	if old != nil {
		old.Hide()
	}
	if u.addressAgain != nil {
		u.addressAgain.Hide() // the dialog is there
	}
	d.Show()
}
