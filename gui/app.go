// Package gui is Bankbro's window: Fyne screens over the core services. It
// draws and collects choices; the rules, the SQL and the HTTP live in core.
package gui

import (
	_ "bankbro/core/locale" // before Fyne: bokmål unless the system asks for English

	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/assets"
	"bankbro/core/agreement"
	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

// Options are the window's command-line choices.
type Options struct {
	// LedgerPath is the company file; empty means the default in the app's data folder.
	LedgerPath string
	// Today fixes what the app takes as today (tests and demos); zero means the real date.
	Today civil.Date
}

// ui is the main window and what it shows. Screens keep their widgets in
// fields so tests can drive them headless.
type ui struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	ctx  context.Context

	ledger *ledger.Ledger
	path   string

	nav      *widget.List
	sections []section
	current  int
	content  *fyne.Container
	status   *statusBar

	// browser opens addresses (the BankID login, the online bank), or shows
	// them when no browser opens; tests replace its system browser.
	browser windowBrowser
	login   loginService // bankLogin
	bank    *agreement.Service
	bankMu  gosync.Mutex // guards bank (agreement, closeBank)

	// opening is closed once a company file that openUpgrading opens in
	// the background is shown (or its error).
	opening <-chan struct{}
	// address is the dialog that shows a page's address when no browser
	// opened it (showAddress); waitingFor is that address while what waits
	// for the page runs, and addressAgain the waiting screen's button that
	// shows it again once the dialog is closed (waitWith).
	address      dialog.Dialog
	addressShown string // the address the dialog shows
	waitingFor   string
	addressAgain *widget.Button
	// bookItems are the menu items that need the company's books open
	// (enableBookItems).
	bookItems []*fyne.MenuItem
	closed    bool // the window is closed (set on the UI goroutine)

	welcomeForm  *welcomePage
	companyForm  *companyForm
	accounts     *accountsEditor
	settingsTabs *container.AppTabs
	// bankAccountsBox holds Settings → Bank accounts' list (refreshBankAccounts).
	bankAccountsBox *fyne.Container
	card            *agreementCard
	wiz             *wizard
	rules           *rulesEditor
}

// section is one entry of the navigation.
type section struct {
	key   string // translation key of its title
	icon  fyne.Resource
	build func() fyne.CanvasObject
}

func init() {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("load translations", err)
	}
}

// Start opens the main window: the company's books, or the welcome page
// that creates a company when there is none yet.
func Start(a fyne.App, opts Options) {
	u := newUI(a, opts)
	u.win.Show()
	u.restoreWindowPositionSoon() // the native window exists once shown
	// Only after the first frame: the morning import and the matcher.
	u.scheduleMornings()
}

func newUI(a fyne.App, opts Options) *ui {
	u := &ui{app: a, opts: opts, ctx: context.Background()}
	u.browser = windowBrowser{u: u, system: login.SystemBrowser{}}
	u.path = opts.LedgerPath
	if u.path == "" {
		u.path = DefaultLedgerPath(a)
	}
	u.win = a.NewWindow("Bankbro")
	u.win.SetIcon(assets.Icon)
	u.win.Resize(fyne.NewSize(1100, 720))
	u.status = newStatusBar()
	u.win.SetOnClosed(u.close)
	u.setUpDesktop()
	u.openOrWelcome()
	return u
}

func (u *ui) close() {
	u.closed = true
	u.closeBank()
	if u.ledger != nil {
		u.ledger.Close()
	}
}

// openURL opens an address in the person's browser.
func (u *ui) openURL(url string) error { return u.browser.Open(url) }

// DefaultLedgerPath is the company file in the app's data folder.
func DefaultLedgerPath(a fyne.App) string {
	return filepath.Join(a.Storage().RootURI().Path(), "company.bankbro")
}

func (u *ui) today() civil.Date {
	if !u.opts.Today.IsZero() {
		return u.opts.Today
	}
	return civil.Today()
}

func (u *ui) openOrWelcome() {
	if _, err := os.Stat(u.path); errors.Is(err, os.ErrNotExist) {
		u.win.SetTitle("Bankbro")
		u.win.SetContent(u.welcome())
		return
	}
	if ledger.NeedsUpgrade(u.path) {
		u.openUpgrading()
		return
	}
	l, err := ledger.Open(u.ctx, u.path)
	if err != nil {
		u.win.SetContent(u.openFailed(err))
		return
	}
	u.showLedger(l)
}

// openUpgrading opens a company file an older Bankbro wrote off the UI
// goroutine: Open updates it first, which with years of books takes
// seconds (a million bank lines: about four), and the window says what it
// is doing meanwhile instead of showing nothing. Each update is one
// transaction: if Bankbro is stopped half way, the file is as it was, and
// the next start updates it again. The morning import then runs, which the
// window's start skipped without the books.
func (u *ui) openUpgrading() {
	done := make(chan struct{})
	u.opening = done
	bar := widget.NewProgressBarInfinite()
	title, text := stateText(lang.L("Updating the company file"),
		lang.L("This version of Bankbro keeps the books a little differently, and updates the file once. With many years of books it takes a little while."))
	u.win.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 160),
		container.NewVBox(container.NewCenter(title), text, bar))))
	ctx, path := u.ctx, u.path
	goAsync(func() {
		beforeLongWork()
		l, err := ledger.Open(ctx, path)
		// Not do: showing the ledger builds screens (see restoreFrom).
		onUI(func() {
			defer close(done)
			bar.Stop()
			if u.closed { // the window was closed while the file was updated
				if l != nil {
					l.Close()
				}
				return
			}
			if err != nil {
				u.win.SetContent(u.openFailed(err))
				return
			}
			u.showLedger(l)
			u.runMorning()
		})
	})
}

// showLedger switches the window to the company's books.
func (u *ui) showLedger(l *ledger.Ledger) {
	u.ledger = l
	c, err := l.Company(u.ctx)
	if err == nil {
		u.win.SetTitle("Bankbro — " + c.Name)
	}
	u.sections = []section{
		{"Yesterday", theme.HistoryIcon(), u.yesterdayScreen},
		{"Bank", theme.ListIcon(), u.bankScreen},
		{"Reconciliation", theme.ConfirmIcon(), u.reconcileScreen},
		{"Payments", theme.MailSendIcon(), u.paymentsScreen},
		{"Settings", theme.SettingsIcon(), u.settingsScreen},
	}
	u.content = container.NewStack()
	u.nav = widget.NewList(
		func() int { return len(u.sections) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Bankavstemming"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Icon).SetResource(u.sections[id].icon)
			box.Objects[1].(*widget.Label).SetText(lang.L(u.sections[id].key))
		},
	)
	u.nav.OnSelected = func(id widget.ListItemID) { u.show(id) }
	brand := container.NewHBox(widget.NewIcon(assets.Mark), widget.NewLabelWithStyle("Bankbro", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	left := container.NewBorder(container.NewPadded(brand), nil, nil, nil, u.nav)
	split := container.NewHSplit(left, u.content)
	split.Offset = 0.18
	u.win.SetContent(container.NewBorder(nil, u.status.object(), nil, nil, split))
	u.nav.Select(0)
	u.enableBookItems()
}

// show switches to section i.
func (u *ui) show(i int) {
	u.current = i
	u.content.Objects = []fyne.CanvasObject{u.sections[i].build()}
	u.content.Refresh()
}

// troubleText says what went wrong with the bank, by its kind ("" for
// none). The integration's trouble has its own words in describe.
func troubleText(t bank.Trouble) string {
	switch t {
	case bank.TroubleUnreachable:
		return lang.L("Bankbro cannot reach the bank. Check the internet connection, then try again.")
	case bank.TroubleNoAnswer:
		return lang.L("The bank did not answer in time, or the connection was cut. Nothing was stored half way; try again in a while.")
	case bank.TroubleBusy:
		return lang.L("The bank is having trouble right now. Nothing was stored half way; try again later.")
	case bank.TroubleBadAnswer:
		return lang.L("The bank sent an answer Bankbro cannot read. Nothing of it was stored; try again later, and contact the bank if it goes on.")
	case bank.TroubleRefused:
		return lang.L("The bank refused the request.")
	case bank.TroubleMandate:
		return lang.L("The bank does not allow this for your user; check your access (mandate) in the online bank.")
	case bank.TroubleNotFound:
		return lang.L("The bank does not know the account or payment; it may no longer exist or may not be yours to manage.")
	case bank.TroubleLogin:
		return lang.L("The bank login has expired. Log in again with BankID: Yesterday → Log in again.")
	case bank.TroubleSubscription:
		return lang.L("Your Bankbro subscription in the bank does not include payments. Choose the Pluss subscription under Integrations in the online bank to send payments from Bankbro.")
	case bank.TroubleOther:
		return lang.L("The bank answered with an error. Nothing was stored half way; try again later, and contact the bank if it goes on.")
	}
	return ""
}

// describe turns an error into a sentence for people.
func describe(err error) string {
	var accountErr *ledger.AccountError
	var inUse *ledger.AccountInUseError
	var importErr *banksync.AccountError
	var elsewhere *reconcile.PostedElsewhereError
	if many, ok := err.(interface{ Unwrap() []error }); ok { // errors.Join: one line each
		var lines []string
		for _, e := range many.Unwrap() {
			lines = append(lines, describe(e))
		}
		return strings.Join(lines, "\n")
	}
	if errors.As(err, &importErr) && bank.TroubleOf(err) != bank.TroubleNone {
		return fmt.Sprintf(lang.L("Account %s: %s"), norway.FormatAccountNumber(importErr.AccountNumber), describe(importErr.Err))
	}
	switch {
	case bank.IsIntegrationNotActivated(err):
		return lang.L("The bank does not let Bankbro in yet: the integration is not turned on in the online bank. Open the online bank, choose Menu → Integrations → New integration → Bankbro and a subscription, then press Try again (no new BankID login is needed).")
	case errors.Is(err, login.ErrNotLoggedIn):
		return lang.L("Bankbro is not logged in to the bank on this computer. Log in with BankID: Yesterday → Log in.")
	case errors.Is(err, login.ErrLoginRequired):
		return lang.L("The bank login has expired. Log in again with BankID: Yesterday → Log in again.")
	case errors.Is(err, login.ErrCancelled):
		return lang.L("The login was cancelled in the bank.")
	case errors.Is(err, context.Canceled):
		return lang.L("Cancelled.")
	case errors.Is(err, ledger.ErrNewerSchema):
		return lang.L("This company file was written by a newer version of Bankbro. Update Bankbro to open it.")
	case errors.Is(err, ledger.ErrNotALedger):
		return lang.L("The company file is damaged or is not a Bankbro file.")
	case errors.As(err, &accountErr):
		switch accountErr.Problem {
		case ledger.AccountMissing:
			return fmt.Sprintf(lang.L("Account %d is not in the chart of accounts."), accountErr.Number)
		case ledger.AccountInactive:
			return fmt.Sprintf(lang.L("Account %d %s is not in use."), accountErr.Number, accountErr.Name)
		default:
			return fmt.Sprintf(lang.L("Account %d is the bank account's own account in the books: choose the account the money belongs to."), accountErr.Number)
		}
	case errors.As(err, &inUse):
		switch inUse.Use {
		case ledger.UsedByBankAccount:
			return fmt.Sprintf(lang.L("Account %d is the GL account of bank account %s: it stays in use and keeps its type."), inUse.Number, inUse.BankAccount)
		case ledger.UsedForFees:
			return fmt.Sprintf(lang.L("Bank fees are posted to account %d: it stays in use and keeps its type."), inUse.Number)
		case ledger.UsedByPostings:
			return fmt.Sprintf(lang.L("Account %d has postings: it keeps its type. Make a new account for the other type."), inUse.Number)
		}
		return fmt.Sprintf(lang.L("An active rule posts to account %d: it stays in use and keeps its type. Change the rule first (Settings → Rules)."), inUse.Number)
	case errors.Is(err, ledger.ErrAccountName):
		return lang.L("Write the account's name.")
	case errors.Is(err, ledger.ErrAccountNumber):
		return lang.L("An account number has four digits, 1000 to 9999.")
	case errors.Is(err, ledger.ErrCompanyName):
		return lang.L("Write the company's name.")
	case errors.Is(err, ledger.ErrCompanyConversion):
		return lang.L("Write the conversion date as DD.MM.YYYY.")
	case troubleText(bank.TroubleOf(err)) != "":
		return troubleText(bank.TroubleOf(err))
	case errors.As(err, &elsewhere):
		return fmt.Sprintf(lang.L("The bank line is posted as voucher %d: match it against that voucher's posting, or reverse the posting first."), elsewhere.Number)
	case errors.Is(err, ledger.ErrRestoring):
		return lang.L("A backup was restored meanwhile, so this was not saved. Do it again if it is still needed.")
	case errors.Is(err, banksync.ErrMatched):
		return lang.L("This bank line is already matched, so its amount is in the books already. To post it differently, undo the match first.")
	}
	return fmt.Sprint(err)
}
