package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/assets"
	"bankbro/core/agreement"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/norway"
)

// settingsScreen is Settings: bank accounts (with the Agreements tab) and the company.
func (u *ui) settingsScreen() fyne.CanvasObject {
	bankTabs := container.NewAppTabs(
		container.NewTabItem(lang.L("Bank accounts"), u.bankAccountsTab()),
		container.NewTabItem(lang.L("Agreements"), u.agreementsTab()),
	)
	u.settingsTabs = bankTabs
	outer := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Bank accounts"), assets.BankIcon, bankTabs),
		container.NewTabItemWithIcon(lang.L("Rules"), theme.ListIcon(), u.rulesTab()),
		container.NewTabItemWithIcon(lang.L("Chart of accounts"), theme.GridIcon(), u.accountsTab()),
		container.NewTabItemWithIcon(lang.L("Company"), theme.HomeIcon(), u.companyTab()),
		container.NewTabItemWithIcon(lang.L("Data"), theme.StorageIcon(), u.dataTab()),
	)
	outer.SetTabLocation(container.TabLocationLeading)
	return outer
}

// companyTab shows the company, and corrects its name and organisation
// number. The conversion date is shown only: the opening balances and
// every reconciliation start date rest on it.
func (u *ui) companyTab() fyne.CanvasObject {
	c, err := u.ledger.Company(u.ctx)
	if err != nil {
		return widget.NewLabel(describe(err))
	}
	name, org := widget.NewEntry(), widget.NewEntry()
	name.SetText(c.Name)
	org.SetText(norway.FormatOrgNumber(c.OrgNumber))
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	say := func(text string, importance widget.Importance) {
		problem.Importance = importance
		problem.SetText(text)
		problem.Show()
	}
	var save *widget.Button
	var bg background
	save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() {
		// Off the UI goroutine: a write waits while the morning import
		// or a restore holds the ledger.
		ctx, l, newName, newOrg := u.ctx, u.ledger, name.Text, org.Text
		save.Disable()
		bg.run(func() {
			err := l.Update(ctx, func(tx *ledger.Tx) error { return tx.SetCompany(newName, newOrg) })
			var saved ledger.Company
			if err == nil {
				saved, err = l.Company(ctx)
			}
			do(func() {
				if err != nil {
					save.Enable()
					say(describeCompanyProblem(err), widget.DangerImportance)
					return
				}
				c = saved
				name.SetText(c.Name)
				org.SetText(norway.FormatOrgNumber(c.OrgNumber))
				u.win.SetTitle("Bankbro — " + c.Name)
				say(lang.L("The company's details are saved."), widget.SuccessImportance)
				save.Disable()
			})
		})
	})
	save.Importance = widget.HighImportance
	save.Disable()
	changed := func(string) {
		digits, _ := norway.OrgNumber(org.Text)
		if strings.TrimSpace(name.Text) != c.Name || digits != c.OrgNumber {
			save.Enable()
		} else {
			save.Disable()
		}
		problem.Hide()
	}
	name.OnChanged, org.OnChanged = changed, changed
	file := widget.NewLabel(u.ledger.Path())
	file.Wrapping = fyne.TextWrapBreak // a long path must not widen the window
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Company name"), name),
		widget.NewFormItem(lang.L("Organisation number"), org),
		widget.NewFormItem(lang.L("Conversion date"), widget.NewLabel(c.ConversionDate.Norwegian())),
		widget.NewFormItem(lang.L("Company file"), file),
	)
	form.Items[2].HintText = lang.L("The opening balances are posted on it: it cannot be changed.")
	u.companyForm = &companyForm{name: name, org: org, save: save, problem: problem, bg: &bg}
	return container.NewVBox(heading(lang.L("Company")), form, container.NewHBox(layoutSpacer(), save), problem)
}

// companyForm is the company page's fields, for tests.
type companyForm struct {
	name, org *widget.Entry
	save      *widget.Button
	problem   *widget.Label
	bg        *background
}

// showAgreements goes to Settings → Bank accounts → Agreements, where the
// Sbanken card is.
func (u *ui) showAgreements() {
	if u.nav != nil {
		u.nav.Select(len(u.sections) - 1)
	}
	if u.settingsTabs != nil {
		u.settingsTabs.SelectIndex(1)
	}
}

// bankAccountsTab lists the connected bank accounts, read off the UI
// goroutine (refreshBankAccounts).
func (u *ui) bankAccountsTab() fyne.CanvasObject {
	u.bankAccountsBox = container.NewStack(widget.NewLabel(lang.L("Reading…")))
	u.refreshBankAccounts()
	return u.bankAccountsBox
}

// refreshBankAccounts reads Settings → Bank accounts again, in the
// background: after the wizard it said "No bank accounts yet" until
// Settings was left.
func (u *ui) refreshBankAccounts() {
	box := u.bankAccountsBox
	if box == nil {
		return
	}
	l, ctx := u.ledger, u.ctx
	goAsync(func() {
		accounts, err := l.BankAccounts(ctx)
		do(func() {
			box.Objects = []fyne.CanvasObject{u.bankAccountsList(accounts, err)}
			box.Refresh()
		})
	})
}

// bankAccountsList shows the accounts read, or why none could be.
func (u *ui) bankAccountsList(accounts []ledger.BankAccount, err error) fyne.CanvasObject {
	if err != nil {
		return widget.NewLabel(describe(err))
	}
	if len(accounts) == 0 {
		b := widget.NewButton(lang.L("Go to Agreements"), u.showAgreements)
		return emptyState(lang.L("No bank accounts yet"), lang.L("Bank accounts are created when you connect the bank under Agreements."), b)
	}
	// An account a block: its name and number, then what Bankbro does
	// with it on a line, and its roles. Cards with a heading each showed
	// two accounts a screen, and the roles chosen in the wizard nowhere.
	rows := []fyne.CanvasObject{}
	for i, a := range accounts {
		if i > 0 {
			rows = append(rows, widget.NewSeparator())
		}
		name := widget.NewLabelWithStyle(accountLabel(a), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		facts := widget.NewLabel(bankAccountFacts(a))
		facts.Wrapping = fyne.TextWrapWord
		rows = append(rows, container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), name, facts))
	}
	return container.NewVScroll(container.NewVBox(rows...))
}

// bankAccountFacts says on a line what Bankbro does with bank account a:
// "GL account 1920 · Payments and bank reconciliation · Reconciliation
// from 01.01.2026 · Read through 27.11.2026 · Active", and on the next its
// roles, if it has any.
func bankAccountFacts(a ledger.BankAccount) string {
	state := lang.L("Active")
	if !a.Active {
		state = lang.L("Not active")
	}
	facts := []string{fmt.Sprintf(lang.L("GL account %d"), a.GLAccount), serviceText(a.Remittance, a.Reconciliation)}
	if a.Reconciliation && !a.StartDate.IsZero() {
		facts = append(facts, fmt.Sprintf(lang.L("Reconciliation from %s"), a.StartDate.Norwegian()))
	}
	if !a.ReadThrough.IsZero() {
		facts = append(facts, fmt.Sprintf(lang.L("Read through %s"), a.ReadThrough.Norwegian()))
	}
	text := strings.Join(append(facts, state), " · ")
	var roles []string
	for _, r := range a.Roles {
		switch r {
		case ledger.RoleSalary:
			roles = append(roles, lang.L("Salary account"))
		case ledger.RoleOperating:
			roles = append(roles, lang.L("Operating account"))
		case ledger.RoleTaxWithholding:
			roles = append(roles, lang.L("Tax-withholding account"))
		}
	}
	if len(roles) > 0 {
		text += "\n" + fmt.Sprintf(lang.L("Used as %s."), strings.ToLower(strings.Join(roles, ", ")))
	}
	return text
}

func serviceText(remittance, reconciliation bool) string {
	switch {
	case remittance && reconciliation:
		return lang.L("Payments and bank reconciliation")
	case remittance:
		return lang.L("Payments")
	case reconciliation:
		return lang.L("Bank reconciliation")
	}
	return lang.L("None")
}

// agreementCard is the Sbanken integration card.
type agreementCard struct {
	state   *widget.Label
	login   *widget.Label
	connect *widget.Button
	online  *widget.Button
	// activate tells how to turn the integration on; shown until connected.
	activate *widget.Label
	bg       background
}

// agreementsTab shows one card per bank integration (today: Sbanken).
func (u *ui) agreementsTab() fyne.CanvasObject {
	c := &agreementCard{state: widget.NewLabel(lang.L("Reading…")), login: widget.NewLabel("")}
	c.state.Wrapping = fyne.TextWrapWord
	c.login.Wrapping = fyne.TextWrapWord
	c.connect = widget.NewButtonWithIcon(lang.L("Connect service"), theme.LoginIcon(), func() { u.openWizard() })
	c.connect.Importance = widget.HighImportance
	c.online = widget.NewButtonWithIcon(lang.L("Open the online bank"), theme.ComputerIcon(), func() { u.openOnlineBank() })
	c.activate = widget.NewLabel(lang.L("Before you connect, turn the integration on in your online bank: Menu → Integrations → New integration → Bankbro, and choose a subscription."))
	c.activate.Wrapping = fyne.TextWrapWord
	c.activate.Hide()
	c.login.Hide()
	u.card = c
	u.refreshCard()

	logo := canvas.NewImageFromResource(assets.SbankenLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(56, 56))
	title := widget.NewLabelWithStyle("Sbanken", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what := widget.NewLabel(lang.L("Transactions and information are fetched directly from the bank; no files are sent."))
	what.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		container.NewBorder(nil, nil, logo, nil, container.NewVBox(title, what)),
		widget.NewSeparator(),
		c.state, c.login, c.activate,
		container.NewHBox(c.online, layoutSpacer(), c.connect),
	)
	card := widget.NewCard("", "", body)
	return container.NewVBox(container.NewGridWrap(fyne.NewSize(560, 330), card))
}

// refreshCard reads the integration's state off the UI goroutine (opening
// the integration reads the ledger and may start the demo bank) and then
// puts it on the card.
func (u *ui) refreshCard() {
	c := u.card
	if c == nil {
		return
	}
	c.bg.run(func() {
		st, err := u.agreementStatus()
		do(func() { c.show(st, err) })
	})
}

func (u *ui) agreementStatus() (agreement.Status, error) {
	svc, err := u.agreement()
	if err != nil {
		return agreement.Status{}, err
	}
	return svc.Status(u.ctx)
}

// show puts the integration's state on the card.
func (c *agreementCard) show(st agreement.Status, err error) {
	if err != nil {
		c.state.SetText(describe(err))
		return
	}
	demo := ""
	if st.Demo {
		demo = " " + lang.L("(demo bank)")
	}
	if !st.Connected {
		c.state.SetText(lang.L("Not connected") + demo)
		c.connect.SetText(lang.L("Connect service"))
		c.activate.Show()
	} else {
		c.activate.Hide()
		c.state.SetText(fmt.Sprintf(lang.L("Active since %s with %s: %d with payments, %d with bank reconciliation."),
			st.Since.Norwegian(), counted(st.Accounts, "1 account", "%d accounts"), st.Remittance, st.Reconciliation) + demo)
		c.connect.SetText(lang.L("Change"))
	}
	switch days := st.DaysLeft(time.Now()); {
	case st.LoginExpires.IsZero():
		c.login.SetText("")
	case !st.Connected && days > 0:
		// Logged in, and the wizard left before the end: its login's days
		// beside "Not connected" read as a contradiction.
		c.login.SetText(lang.L("You are logged in to the bank, but no account is connected yet: Connect service finishes it."))
	case days <= 0:
		c.login.SetText(lang.L("The bank login has expired. Log in again to keep reading transactions."))
	default:
		c.login.SetText(fmt.Sprintf(lang.L("The bank login expires in %s."), counted(days, "1 day", "%d days")))
	}
	if st.StoreKind == login.KindFile && !st.LoginExpires.IsZero() {
		c.login.SetText(c.login.Text + " " + lang.L("No system keyring was found, so the login is kept in a protected file beside the company file."))
	}
	showIf(c.login, c.login.Text != "")
}

// agreement opens the bank integration of the ledger once. The card and
// the screens' background work ask for it from other goroutines than the
// UI's, so bankMu keeps them from opening it twice.
func (u *ui) agreement() (*agreement.Service, error) {
	u.bankMu.Lock()
	defer u.bankMu.Unlock()
	if u.bank != nil {
		return u.bank, nil
	}
	svc, err := agreement.Open(u.ctx, u.ledger, agreement.Options{Today: u.opts.Today, Browser: u.browser})
	if err != nil {
		return nil, err
	}
	u.bank = svc
	return svc, nil
}

// closeBank closes the bank integration; the next agreement opens it again.
func (u *ui) closeBank() {
	u.bankMu.Lock()
	defer u.bankMu.Unlock()
	if u.bank != nil {
		u.bank.Close()
		u.bank = nil
	}
}

func (u *ui) openOnlineBank() {
	svc, err := u.agreement()
	if err != nil {
		u.status.set(describe(err))
		return
	}
	if _, err := u.openPage(svc.OnlineBankURL()); err != nil {
		u.status.set(describe(err))
	}
}
