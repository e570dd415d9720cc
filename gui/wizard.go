package gui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/agreement"
	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
	"bankbro/core/onboarding"
)

// wizard is the onboarding: one page per step, Back and Next on each,
// nothing written to the ledger until the last page is confirmed. It takes
// over the window and gives it back when it closes.
type wizard struct {
	u   *ui
	svc *agreement.Service

	step   onboarding.Step
	plan   onboarding.Plan
	facts  onboarding.Facts
	client *bank.Client
	// hist and diffs belong to the plan they were read for (histKey).
	hist        onboarding.History
	differences []onboarding.Difference
	histKey     string
	exclude     bool
	cancel      context.CancelFunc
	done        bool

	previous fyne.CanvasObject
	title    *widget.Label
	steps    []*widget.Label
	body     *fyne.Container
	problems *widget.Label
	back     *widget.Button
	next     *widget.Button
	close    *widget.Button

	// page widgets, kept for tests
	loginButton *widget.Button
	loginStatus *widget.Label
	loginBar    *widget.ProgressBarInfinite
	loginCancel *widget.Button
	// addressAgain shows the login page's address again, where no browser
	// opened it and its dialog was closed.
	addressAgain *widget.Button
	tryAgain     *widget.Button
	accountRows  map[string]*accountRow
	historyBar   *widget.ProgressBar
	diffChoice   *widget.RadioGroup
	diffWarning  *widget.Label
	startDate    *dateField
	readButton   *widget.Button
	diffs        *fyne.Container
	summary      *widget.Label
	// openings are the choices to post the bank's balance as an account's
	// opening balance on the start-date page, by account number.
	openings map[string]*widget.Check
}

// accountRow is one bank account on the Accounts and Services pages.
type accountRow struct {
	active         *widget.Check
	gl             *widget.Select
	problem        *widget.Label
	remittance     *widget.Check
	reconciliation *widget.Check
}

var stepNames = []string{"Log in", "Accounts", "Services", "Bank fees", "Start date", "Roles", "Summary"}

// openWizard starts the onboarding in the window.
func (u *ui) openWizard() {
	svc, err := u.agreement()
	if err != nil {
		u.status.set(describe(err))
		return
	}
	w := &wizard{u: u, svc: svc, step: onboarding.StepLogin, previous: u.win.Content(), accountRows: map[string]*accountRow{}}
	w.title = heading("")
	w.body = container.NewStack()
	w.problems = widget.NewLabel("")
	w.problems.Wrapping = fyne.TextWrapWord
	w.problems.Importance = widget.DangerImportance
	w.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), w.goBack)
	w.next = widget.NewButtonWithIcon(lang.L("Next"), theme.NavigateNextIcon(), w.goNext)
	w.next.Importance = widget.HighImportance
	w.close = widget.NewButtonWithIcon(lang.L("Close"), theme.CancelIcon(), w.quit)
	var stepBox []fyne.CanvasObject
	for i, n := range stepNames {
		l := widget.NewLabel(fmt.Sprintf("%d. %s", i+1, lang.L(n)))
		w.steps = append(w.steps, l)
		stepBox = append(stepBox, l)
	}
	banner := widget.NewLabel(lang.L("Connect Sbanken"))
	banner.TextStyle.Bold = true
	if svc.Demo() {
		banner.SetText(lang.L("Connect Sbanken") + " — " + lang.L("demo bank"))
	}
	left := container.NewVBox(append([]fyne.CanvasObject{banner, widget.NewSeparator()}, stepBox...)...)
	buttons := container.NewHBox(w.close, layoutSpacer(), w.back, w.next)
	main := container.NewBorder(container.NewVBox(w.title, widget.NewSeparator()),
		container.NewVBox(w.problems, widget.NewSeparator(), buttons), nil, nil, w.body)
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(main))
	split.Offset = 0.22
	u.wiz = w
	u.win.SetContent(split)
	w.show()
}

// quit closes the wizard, stopping what it runs; nothing is written.
func (w *wizard) quit() {
	if w.cancel != nil {
		w.cancel()
	}
	w.u.win.SetContent(w.previous)
	w.u.refreshCard()
	w.u.refreshBankAccounts()
	w.u.wiz = nil
}

func (w *wizard) goBack() {
	if w.step > onboarding.StepLogin {
		w.step--
		if w.step == onboarding.StepStartDate && !w.plan.AnyReconciliation() {
			w.step--
		}
		w.show()
	}
}

func (w *wizard) goNext() {
	if w.step == onboarding.StepSummary {
		w.apply()
		return
	}
	if len(w.blocking()) > 0 {
		return
	}
	w.step++
	if w.step == onboarding.StepStartDate && !w.plan.AnyReconciliation() {
		w.step++
	}
	w.show()
}

// blocking returns the errors of the current page that stop Next.
func (w *wizard) blocking() onboarding.Problems {
	switch {
	case w.client == nil:
		return onboarding.Problems{{Template: lang.L("Log in with BankID first.")}}
	case w.step == onboarding.StepLogin && len(w.facts.Offered) == 0:
		// The login page says why; an empty accounts page only said
		// "choose at least one".
		return onboarding.Problems{{Template: noMandate()}}
	}
	if w.step == onboarding.StepStartDate && w.startDate != nil && w.startDate.problem() != "" && !w.startDate.valid() {
		// Text that is no date: the field's own words ("31.02.2026 is not
		// a date: …"), not "choose the date" as if none were typed.
		return onboarding.Problems{{Template: w.startDate.problem()}}
	}
	ps := onboarding.Check(w.checked(), w.facts).At(w.step).Errors()
	if w.step == onboarding.StepStartDate && len(ps) == 0 && w.histKey != w.planKey() {
		ps = append(ps, onboarding.Problem{Template: readFirst()})
	}
	return ps
}

// show draws the current page.
func (w *wizard) show() {
	for i, l := range w.steps {
		l.TextStyle.Bold = onboarding.Step(i+1) == w.step
		l.Refresh()
	}
	w.title.SetText(lang.L(stepNames[w.step-1]))
	pages := []func() fyne.CanvasObject{w.loginPage, w.accountsPage, w.servicesPage, w.feePage,
		w.startPage, w.rolesPage, w.summaryPage} // in onboarding.Step order
	w.body.Objects = []fyne.CanvasObject{pages[w.step-1]()}
	w.body.Refresh()
	w.back.Enable()
	if w.step == onboarding.StepLogin {
		w.back.Disable()
	}
	w.next.SetText(lang.L("Next"))
	if w.step == onboarding.StepSummary {
		w.next.SetText(lang.L("Connect"))
	}
	w.validate()
}

// validate shows the page's problems and enables Next only without errors.
func (w *wizard) validate() {
	var lines []string
	ps := w.blocking()
	onRows := false
	for _, p := range ps {
		switch {
		case w.client == nil, w.step == onboarding.StepLogin:
			// Next stays disabled until a login that offers accounts; the
			// page says why, once (a red footer repeated it).
		case w.step == onboarding.StepAccounts && p.Account != "":
			onRows = true // shown on the account's own row
		default:
			lines = append(lines, problemText(p))
		}
	}
	if onRows {
		lines = append(lines, lang.L("Correct what is marked on the accounts above."))
	}
	if w.client != nil {
		for _, p := range onboarding.Check(w.checked(), w.facts).At(w.step).Warnings() {
			lines = append(lines, "⚠ "+problemText(p))
		}
	}
	if w.step == onboarding.StepAccounts {
		w.markRows()
	}
	// The start date's one step left is what to do next, not a mistake:
	// in red before the owner had done anything, it read as one.
	// Warnings alone (Next is on) are said as warnings, not as errors.
	switch {
	case len(ps) == 1 && ps[0].Template == readFirst():
		w.problems.Importance = widget.MediumImportance
	case len(ps) == 0:
		w.problems.Importance = widget.WarningImportance
	default:
		w.problems.Importance = widget.DangerImportance
	}
	w.problems.SetText(strings.Join(lines, "\n"))
	enableIf(w.next, len(ps) == 0 && !w.done)
}

// noMandate says that the person logged in may administer no account: the
// login page says it, and it keeps Next off.
func noMandate() string {
	return lang.L("You may not administer any accounts in this bank. Log in as a person with a mandate for the company's accounts.")
}

// readFirst asks for the start date's transactions to be read: the page's
// last step before Next.
func readFirst() string { return lang.L("Read the transactions for the start date first.") }

// problemText translates a core problem (key "problem.<rule>"), falling
// back to its English text.
func problemText(p onboarding.Problem) string {
	if p.Rule == "" {
		return p.Template
	}
	return lang.LocalizeKey("problem."+p.Rule, p.Template, p.Data)
}

// ---- 1. Login

func (w *wizard) loginPage() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Bankbro opens the bank's BankID login in your browser. Log in there, and come back here: the bank then lists the accounts you may administer."))
	intro.Wrapping = fyne.TextWrapWord
	activate := widget.NewLabel(lang.L("The integration must first be turned on in the online bank: Menu → Integrations → New integration → Bankbro, with a subscription (Basis: reconciliation; Pluss: also payments)."))
	activate.Wrapping = fyne.TextWrapWord
	online := widget.NewButtonWithIcon(lang.L("Open the online bank"), theme.ComputerIcon(), w.u.openOnlineBank)
	w.loginStatus = widget.NewLabel("")
	w.loginStatus.Wrapping = fyne.TextWrapWord
	w.loginBar = widget.NewProgressBarInfinite()
	w.loginBar.Hide()
	w.loginCancel = widget.NewButton(lang.L("Cancel"), func() {
		if w.cancel != nil {
			w.cancel()
		}
	})
	w.loginCancel.Hide()
	w.addressAgain = w.u.newAddressAgain()
	w.loginButton = widget.NewButtonWithIcon(lang.L("Log in with BankID"), theme.LoginIcon(), w.login)
	w.loginButton.Importance = widget.HighImportance
	w.tryAgain = widget.NewButtonWithIcon(lang.L("Try again"), theme.ViewRefreshIcon(), w.fetchFacts)
	w.tryAgain.Hide()
	if w.client != nil {
		w.loginStatus.SetText(fmt.Sprintf(lang.L("Logged in. The bank lists %s you may administer."), counted(len(w.facts.Offered), "1 account", "%d accounts")))
		w.loginButton.SetText(lang.L("Log in again"))
		w.loginButton.Importance = widget.MediumImportance
	}
	demo := widget.NewLabel("")
	if w.svc.Demo() {
		demo.SetText(lang.L("This is a demo bank. Log in with national identity number 15887510188 and code 123456."))
		demo.Importance = widget.WarningImportance
		demo.Wrapping = fyne.TextWrapWord
	}
	return container.NewVBox(intro, demo, activate, container.NewHBox(online),
		widget.NewSeparator(), container.NewHBox(w.loginButton, w.tryAgain, w.loginCancel, w.addressAgain), w.loginBar, w.loginStatus)
}

// login runs the BankID login in the background.
func (w *wizard) login() {
	ctx, cancel := context.WithCancel(w.u.ctx)
	w.cancel = cancel
	w.loginButton.Disable()
	w.tryAgain.Hide()
	w.loginBar.Show()
	w.loginCancel.Show()
	w.loginStatus.SetText(lang.L("Waiting for BankID in the browser…"))
	w.u.waitWith(w.addressAgain)
	goAsync(func() {
		err := w.svc.Login(ctx)
		fyne.Do(func() {
			w.u.hideAddress()
			w.loginBar.Hide()
			w.loginCancel.Hide()
			w.loginButton.Enable()
			// The login button, enabled again, is the way to try again.
			switch {
			case errors.Is(err, context.Canceled):
				w.loginStatus.SetText(lang.L("The login was stopped. Log in with BankID when you are ready."))
				return
			case err != nil:
				w.loginStatus.SetText(describe(err))
				return
			}
			w.fetchFacts()
		})
	})
}

// fetchFacts asks the bank for the person's accounts (no new login).
func (w *wizard) fetchFacts() {
	w.tryAgain.Hide()
	w.loginBar.Show()
	w.loginStatus.SetText(lang.L("Asking the bank for your accounts…"))
	goAsync(func() {
		client, err := w.svc.Client(w.u.ctx)
		var facts onboarding.Facts
		if err == nil {
			facts, err = onboarding.Gather(w.u.ctx, w.u.ledger, client, w.u.today())
		}
		fyne.Do(func() {
			w.loginBar.Hide()
			if err != nil {
				w.loginStatus.SetText(describe(err))
				w.tryAgain.SetText(lang.L("Try again"))
				w.tryAgain.OnTapped = w.fetchFacts
				// Logged in already: asking again is the way on, not a new login.
				w.tryAgain.Importance = widget.HighImportance
				w.loginButton.Importance = widget.MediumImportance
				w.loginButton.Refresh()
				w.tryAgain.Show()
				return
			}
			first, before := w.client == nil, w.facts.Offered
			w.client, w.facts = client, facts
			if first {
				w.plan = onboarding.Suggest(facts)
			} else {
				// Another login may offer other accounts (the bookkeeper
				// sees two of the manager's five): a plan for the last one
				// kept accounts no page shows, and Next stayed off for them.
				w.plan = onboarding.Resuggest(w.plan, before, facts)
			}
			w.loginButton.SetText(lang.L("Log in again"))
			w.loginButton.Importance = widget.MediumImportance
			w.loginButton.Refresh()
			if len(facts.Offered) == 0 {
				w.loginStatus.SetText(noMandate())
			} else {
				w.loginStatus.SetText(fmt.Sprintf(lang.L("Logged in. The bank lists %s you may administer."), counted(len(facts.Offered), "1 account", "%d accounts")))
			}
			w.validate()
		})
	})
}

// ---- 2. Accounts

// glOptions are the GL accounts a bank account may have: the chart's bank
// deposits in use, 1920 to 1999 (NS 4102). 1900 Kontanter, cash, was
// offered too.
func (w *wizard) glOptions() []string {
	var out []string
	for _, a := range w.facts.Chart {
		if a.Number >= 1920 && a.Number < 2000 && a.Active {
			out = append(out, fmt.Sprintf("%d %s", a.Number, a.Name))
		}
	}
	return out
}

func glNumber(option string) int {
	n, _ := strconv.Atoi(strings.SplitN(option, " ", 2)[0])
	return n
}

// glName is GL account n with its name, "7770 Bank- og kortgebyrer", or
// the number alone when the chart does not have it.
func (w *wizard) glName(n int) string {
	if o := w.glOption(n); o != "" {
		return o
	}
	return strconv.Itoa(n)
}

func (w *wizard) glOption(n int) string {
	for _, a := range w.facts.Chart {
		if a.Number == n {
			return fmt.Sprintf("%d %s", a.Number, a.Name)
		}
	}
	return ""
}

func (w *wizard) accountsPage() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Tick the accounts to connect, and choose the GL account that mirrors each one in the books. Unticked accounts are left out."))
	intro.Wrapping = fyne.TextWrapWord
	rows := []fyne.CanvasObject{}
	for _, a := range w.facts.Offered {
		a := a
		r := w.row(a.Number)
		choice, active := w.plan.Choice(a.Number)
		r.active = widget.NewCheck("", nil)
		r.active.SetChecked(active)
		r.gl = widget.NewSelect(w.glOptions(), nil)
		r.gl.PlaceHolder = lang.L("GL account")
		if active {
			r.gl.SetSelected(w.glOption(choice.GLAccount))
		} else {
			r.gl.Disable()
		}
		r.active.OnChanged = func(on bool) {
			if on {
				gl := onboarding.SuggestGL(a, w.plan, w.facts.Existing)
				w.plan.Accounts = append(w.plan.Accounts, onboarding.AccountChoice{AccountNumber: a.Number, GLAccount: gl,
					Remittance: w.facts.PaymentsAllowed, Reconciliation: true})
				r.gl.Enable()
				r.gl.SetSelected(w.glOption(gl))
			} else {
				w.removeAccount(a.Number)
				r.gl.ClearSelected()
				r.gl.Disable()
			}
			w.validate()
		}
		r.gl.OnChanged = func(s string) {
			w.setChoice(a.Number, func(c *onboarding.AccountChoice) { c.GLAccount = glNumber(s) })
			w.validate()
		}
		r.problem = widget.NewLabel("")
		r.problem.Importance = widget.DangerImportance
		r.problem.Wrapping = fyne.TextWrapWord
		name := widget.NewLabelWithStyle(a.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		info := widget.NewLabel(norway.FormatAccountNumber(a.Number) + "   " + a.Balance.Kr())
		line := container.NewBorder(nil, nil, r.active, container.NewGridWrap(fyne.NewSize(330, r.gl.MinSize().Height), r.gl),
			container.NewVBox(name, info))
		rows = append(rows, line, r.problem, widget.NewSeparator())
	}
	return container.NewBorder(intro, nil, nil, nil, container.NewVScroll(container.NewVBox(rows...)))
}

func (w *wizard) row(number string) *accountRow {
	r, ok := w.accountRows[number]
	if !ok {
		r = &accountRow{}
		w.accountRows[number] = r
	}
	return r
}

// markRows puts each account's problems on its own row.
func (w *wizard) markRows() {
	per := map[string][]string{}
	for _, p := range onboarding.Check(w.plan, w.facts).At(onboarding.StepAccounts) {
		per[p.Account] = append(per[p.Account], problemText(p))
	}
	for number, r := range w.accountRows {
		if r.problem != nil {
			r.problem.SetText(strings.Join(per[number], "\n"))
			showIf(r.problem, len(per[number]) > 0)
		}
	}
}

func (w *wizard) removeAccount(number string) {
	var keep []onboarding.AccountChoice
	for _, c := range w.plan.Accounts {
		if c.AccountNumber != number {
			keep = append(keep, c)
		}
	}
	w.plan.Accounts = keep
	for _, r := range []*string{&w.plan.Roles.Salary, &w.plan.Roles.Operating, &w.plan.Roles.TaxWithholding} {
		if *r == number {
			*r = ""
		}
	}
}

func (w *wizard) setChoice(number string, f func(*onboarding.AccountChoice)) {
	for i := range w.plan.Accounts {
		if w.plan.Accounts[i].AccountNumber == number {
			f(&w.plan.Accounts[i])
		}
	}
}

func (w *wizard) accountName(number string) string {
	for _, a := range w.facts.Offered {
		if a.Number == number {
			return a.Name
		}
	}
	return ""
}

// ---- 3. Services

func (w *wizard) servicesPage() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Choose what Bankbro does with each account: payments (send payments to the bank for signing), bank reconciliation (read transactions every morning and match them), or both."))
	intro.Wrapping = fyne.TextWrapWord
	rows := []fyne.CanvasObject{}
	for _, c := range w.plan.Accounts {
		number := c.AccountNumber
		r := w.row(number)
		r.remittance = widget.NewCheck(lang.L("Payments"), func(on bool) {
			w.setChoice(number, func(c *onboarding.AccountChoice) { c.Remittance = on })
			w.validate()
		})
		r.remittance.SetChecked(c.Remittance)
		if !w.facts.PaymentsAllowed {
			r.remittance.SetChecked(false)
			r.remittance.Disable()
		}
		r.reconciliation = widget.NewCheck(lang.L("Bank reconciliation"), func(on bool) {
			w.setChoice(number, func(c *onboarding.AccountChoice) { c.Reconciliation = on })
			w.validate()
		})
		r.reconciliation.SetChecked(c.Reconciliation)
		title := widget.NewLabelWithStyle(w.accountName(number)+"  "+norway.FormatAccountNumber(number), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Truncation = fyne.TextTruncateEllipsis
		rows = append(rows, title, container.NewHBox(r.remittance, r.reconciliation), widget.NewSeparator())
	}
	var notes []fyne.CanvasObject
	if !w.facts.PaymentsAllowed {
		n := widget.NewLabel(fmt.Sprintf(lang.L("Payments are off: the bank's subscription is %s, which has no payments. Choose Pluss in the online bank to send payments from Bankbro."), w.facts.Subscription))
		n.Wrapping = fyne.TextWrapWord
		n.Importance = widget.WarningImportance
		notes = append(notes, n)
	}
	ocr := widget.NewLabel(lang.L("Note: OCR (the file of incoming KID payments) needs a separate agreement with Nets."))
	ocr.Wrapping = fyne.TextWrapWord // normal weight: low importance is near invisible in the dark theme
	notes = append(notes, ocr)
	return container.NewBorder(intro, container.NewVBox(notes...), nil, nil, container.NewVScroll(container.NewVBox(rows...)))
}

// ---- 4. Bank fee account

func (w *wizard) feePage() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Bank fees are posted automatically to this GL account every morning."))
	intro.Wrapping = fyne.TextWrapWord
	var opts []string
	for _, a := range w.facts.Chart {
		if a.Type == ledger.Expense && a.Active {
			opts = append(opts, fmt.Sprintf("%d %s", a.Number, a.Name))
		}
	}
	sel := widget.NewSelect(opts, func(s string) {
		w.plan.FeeAccount = glNumber(s)
		w.validate()
	})
	sel.SetSelected(w.glOption(w.plan.FeeAccount))
	return container.NewVBox(intro, widget.NewForm(widget.NewFormItem(lang.L("Fee account"), sel)))
}

// ---- 5. Start date

func (w *wizard) planKey() string {
	var b strings.Builder
	b.WriteString(w.plan.StartDate.String())
	for _, c := range w.plan.Accounts {
		if c.Reconciliation {
			fmt.Fprintf(&b, "|%s:%d", c.AccountNumber, c.GLAccount)
		}
	}
	return b.String()
}

func (w *wizard) startPage() fyne.CanvasObject {
	intro := widget.NewLabel(fmt.Sprintf(lang.L("Bank reconciliation starts on this date: not before the conversion date %s, not after today. Bankbro reads every transaction from that date to yesterday and compares the bank's balance with the books'."),
		w.facts.Company.ConversionDate.Norwegian()))
	intro.Wrapping = fyne.TextWrapWord
	w.startDate = newDateField(w.plan.StartDate, w.u.today, func(d civil.Date) {
		w.plan.StartDate = d
		w.validate()
	})
	w.startDate.check = func(d civil.Date) error {
		p := w.plan
		p.StartDate = d
		p.Accounts = w.openingsOn(d, slices.Clone(p.Accounts))
		if errs := onboarding.Check(p, w.facts).At(onboarding.StepStartDate).Errors(); len(errs) > 0 {
			return errors.New(problemText(errs[0]))
		}
		return nil
	}
	w.historyBar = widget.NewProgressBar()
	w.historyBar.Hide()
	results := container.NewVBox()
	w.diffChoice = widget.NewRadioGroup([]string{lang.L("Continue anyway"), lang.L("Exclude accounts with a difference")}, func(s string) {
		w.exclude = s == lang.L("Exclude accounts with a difference")
	})
	w.diffChoice.Hide()
	cancel := widget.NewButton(lang.L("Cancel"), func() {
		if w.cancel != nil {
			w.cancel()
		}
	})
	cancel.Hide()
	var read *widget.Button
	read = widget.NewButtonWithIcon(lang.L("Read transactions and compare"), theme.DownloadIcon(), func() {
		if errs := onboarding.Check(w.checked(), w.facts).At(onboarding.StepStartDate).Errors(); len(errs) > 0 {
			return
		}
		ctx, stop := context.WithCancel(w.u.ctx)
		w.cancel = stop
		read.Disable()
		cancel.Show()
		w.historyBar.SetValue(0)
		w.historyBar.Show()
		plan, facts := w.checked(), w.facts
		key := w.planKey()
		goAsync(func() {
			hist, err := onboarding.ReadHistory(ctx, w.client, plan, facts, func(p onboarding.Progress) {
				fyne.Do(func() {
					if p.Total > 0 {
						w.historyBar.SetValue(float64(p.Done) / float64(p.Total))
					}
				})
			})
			var diffs []onboarding.Difference
			if err == nil {
				diffs, err = onboarding.Compare(ctx, w.u.ledger, plan, facts, hist)
			}
			fyne.Do(func() {
				read.Enable()
				cancel.Hide()
				w.historyBar.Hide()
				if err != nil {
					results.Objects = []fyne.CanvasObject{widget.NewLabel(describe(err))}
					results.Refresh()
					return
				}
				w.hist, w.differences = hist, diffs
				w.chooseOpenings()
				w.showDiffs(results)
				w.histKey = key
				w.validate()
			})
		})
	})
	read.Importance = widget.HighImportance
	w.readButton, w.diffs = read, results
	if w.histKey == w.planKey() {
		w.showDiffs(results)
	}
	form := widget.NewForm(widget.NewFormItem(lang.L("Start date"), container.NewGridWrap(fyne.NewSize(220, w.startDate.entry.MinSize().Height), w.startDate.object)))
	return container.NewBorder(container.NewVBox(intro, form, container.NewHBox(read, cancel), w.historyBar), w.diffChoice, nil, nil,
		container.NewVScroll(results))
}

// showDiffs lists the bank's and the ledger's balance per account.
func (w *wizard) showDiffs(results *fyne.Container) {
	amount := func(text string, imp widget.Importance) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: imp == widget.HighImportance})
		if imp != widget.HighImportance {
			l.Importance = imp
		}
		return l
	}
	row := func(name fyne.CanvasObject, bank, ledger, diff fyne.CanvasObject) fyne.CanvasObject {
		cell := func(o fyne.CanvasObject) fyne.CanvasObject {
			return container.NewGridWrap(fyne.NewSize(140, name.MinSize().Height), o)
		}
		return container.NewBorder(nil, nil, nil, container.NewHBox(cell(bank), cell(ledger), cell(diff)), name)
	}
	grid := container.NewVBox(row(widget.NewLabelWithStyle(lang.L("Account"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		amount(lang.L("Bank"), widget.HighImportance), amount(lang.L("Ledger"), widget.HighImportance), amount(lang.L("Difference"), widget.HighImportance)))
	w.openings = map[string]*widget.Check{}
	for _, d := range w.differences {
		name := widget.NewLabel(fmt.Sprintf("%s %s (%d)", d.Name, norway.FormatAccountNumber(d.AccountNumber), d.GLAccount))
		name.Truncation = fyne.TextTruncateEllipsis
		imp := widget.SuccessImportance
		if d.Diff() != 0 {
			imp = widget.DangerImportance
		}
		grid.Add(row(name, amount(d.Bank.String(), widget.MediumImportance), amount(d.Ledger.String(), widget.MediumImportance), amount(d.Diff().String(), imp)))
		if d.OpeningOffered {
			grid.Add(w.openingChoice(d))
		}
	}
	lines := 0
	for _, h := range w.hist.Accounts {
		lines += len(h.Lines)
	}
	head := widget.NewLabel(fmt.Sprintf(lang.L("Balances at the start of %s. %s read up to yesterday."), w.plan.StartDate.Norwegian(), counted(lines, "1 transaction", "%d transactions")))
	head.Wrapping = fyne.TextWrapWord
	w.diffWarning = widget.NewLabel(lang.L("The bank and the books differ for the accounts marked in red. Correcting the opening balance right away is recommended; you can go on anyway, or leave those accounts out of this onboarding."))
	w.diffWarning.Wrapping = fyne.TextWrapWord
	w.diffWarning.Importance = widget.WarningImportance
	results.Objects = []fyne.CanvasObject{head, grid, w.diffWarning}
	results.Refresh()
	w.showDiffChoice()
}

// chooseOpenings sets, for newly read balances, whether each account's
// difference is posted as its opening balance: ticked where it is offered
// and the books hold nothing for the account yet.
func (w *wizard) chooseOpenings() {
	for i := range w.plan.Accounts {
		w.plan.Accounts[i].PostOpeningBalance = false
	}
	for _, d := range w.differences {
		on := d.OpeningByDefault()
		w.setChoice(d.AccountNumber, func(c *onboarding.AccountChoice) { c.PostOpeningBalance = on })
	}
}

// checked is the plan as the rules check it and a read takes it: on a
// start date other than the conversion date, without the opening balances
// chosen for the conversion date (openingsOn). The plan keeps them, as the
// boxes show them, until the next read chooses again (chooseOpenings).
func (w *wizard) checked() onboarding.Plan {
	p := w.plan
	p.Accounts = w.openingsOn(p.StartDate, slices.Clone(p.Accounts))
	return p
}

// openingsOn drops, for a start date d other than the conversion date, the
// opening balances chosen for the conversion date: they are posted only
// there. Kept, they refused the later date, and the message never said
// that the box ticked on the last read was why.
func (w *wizard) openingsOn(d civil.Date, accounts []onboarding.AccountChoice) []onboarding.AccountChoice {
	if d == w.facts.Company.ConversionDate {
		return accounts
	}
	for i := range accounts {
		accounts[i].PostOpeningBalance = false
	}
	return accounts
}

// openingChoice offers to post an account's difference as its opening
// balance, naming the voucher it would post.
func (w *wizard) openingChoice(d onboarding.Difference) fyne.CanvasObject {
	check := widget.NewCheck(lang.L("Post the bank's balance as the opening balance"), nil)
	check.SetChecked(w.plan.PostsOpening(d))
	check.OnChanged = func(on bool) {
		w.setChoice(d.AccountNumber, func(c *onboarding.AccountChoice) { c.PostOpeningBalance = on })
		w.showDiffChoice()
	}
	w.openings[d.AccountNumber] = check
	detail := widget.NewLabel(w.openingText(d))
	detail.Wrapping = fyne.TextWrapWord
	detail.SizeName = theme.SizeNameCaptionText
	// The voucher stands close beneath the check's text, as its small print.
	indent := canvas.NewRectangle(color.Transparent)
	indent.SetMinSize(fyne.NewSize(theme.IconInlineSize(), 0))
	tight := layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding())
	return container.New(tight, check, container.NewBorder(nil, nil, indent, nil, detail))
}

// openingVoucher names the opening-balance voucher for d: what the summary
// lists.
func (w *wizard) openingVoucher(d onboarding.Difference) string {
	return fmt.Sprintf(lang.L("Voucher dated %s, %s on %s, counter account %s."), w.facts.Company.ConversionDate.Norwegian(),
		d.Diff().Kr(), w.glName(d.GLAccount), w.glName(onboarding.OpeningCounterAccount))
}

// openingText names the opening-balance voucher for d, and, where it is
// ticked for the owner because the books hold nothing for the account yet,
// why and when to untick it: a red difference beside a ticked box read as
// a problem covered over with equity.
func (w *wizard) openingText(d onboarding.Difference) string {
	voucher := w.openingVoucher(d)
	if !d.OpeningByDefault() {
		return voucher
	}
	return fmt.Sprintf(lang.L("The books hold no balance on %s yet: the bank's balance is its opening balance."), w.glName(d.GLAccount)) +
		" " + voucher + " " + lang.L("Untick it if the balance stands on another account in the books.")
}

// showDiffChoice warns and offers to go on or leave accounts out while a
// difference remains that is not posted as an opening balance.
func (w *wizard) showDiffChoice() {
	differ := len(w.plan.Unsettled(w.differences)) > 0
	showIf(w.diffWarning, differ)
	showIf(w.diffChoice, differ)
	if differ && w.diffChoice.Selected == "" {
		w.diffChoice.SetSelected(lang.L("Continue anyway"))
	}
}

// ---- 6. Roles

func (w *wizard) rolesPage() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("Which account pays salaries, which is the operating account, and which holds withheld tax?"))
	intro.Wrapping = fyne.TextWrapWord
	none := lang.L("None")
	opts := []string{none}
	byLabel := map[string]string{none: ""}
	label := func(number string) string {
		if number == "" {
			return none
		}
		return norway.FormatAccountNumber(number) + " " + w.accountName(number)
	}
	for _, c := range w.plan.Accounts {
		opts = append(opts, label(c.AccountNumber))
		byLabel[label(c.AccountNumber)] = c.AccountNumber
	}
	sel := func(target *string) *widget.Select {
		s := widget.NewSelect(opts, func(v string) {
			*target = byLabel[v]
			w.validate()
		})
		if _, ok := w.plan.Choice(*target); !ok {
			*target = ""
		}
		s.SetSelected(label(*target))
		return s
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Salary account"), sel(&w.plan.Roles.Salary)),
		widget.NewFormItem(lang.L("Operating account"), sel(&w.plan.Roles.Operating)),
		widget.NewFormItem(lang.L("Tax-withholding account"), sel(&w.plan.Roles.TaxWithholding)),
	)
	return container.NewVBox(intro, form)
}

// ---- 7. Summary

func (w *wizard) finalPlan() (onboarding.Plan, []onboarding.Difference) {
	if w.exclude {
		return onboarding.Exclude(w.plan, w.differences)
	}
	return w.plan, nil
}

func (w *wizard) summaryPage() fyne.CanvasObject {
	plan, left := w.finalPlan()
	var b strings.Builder
	for _, c := range plan.Accounts {
		fmt.Fprintf(&b, "• %s %s → %s: %s\n", norway.FormatAccountNumber(c.AccountNumber), w.accountName(c.AccountNumber), w.glName(c.GLAccount), serviceText(c.Remittance, c.Reconciliation))
	}
	for _, d := range left {
		fmt.Fprintf(&b, "• %s %s: %s\n", norway.FormatAccountNumber(d.AccountNumber), d.Name, fmt.Sprintf(lang.L("left out (difference %s)"), d.Diff().Kr()))
	}
	heading := "\n" + lang.L("Post the bank's balance as the opening balance") + ":\n"
	for _, d := range w.differences {
		if plan.PostsOpening(d) {
			fmt.Fprintf(&b, "%s• %s %s: %s\n", heading, norway.FormatAccountNumber(d.AccountNumber), d.Name, w.openingVoucher(d))
			heading = ""
		}
	}
	fmt.Fprintf(&b, "\n%s: %s\n", lang.L("Fee account"), w.glName(plan.FeeAccount))
	if plan.AnyReconciliation() {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Start date"), plan.StartDate.Norwegian())
	}
	role := func(n string) string {
		if n == "" {
			return lang.L("None")
		}
		return strings.TrimSpace(norway.FormatAccountNumber(n) + " " + w.accountName(n))
	}
	fmt.Fprintf(&b, "%s: %s\n%s: %s\n%s: %s\n", lang.L("Salary account"), role(plan.Roles.Salary),
		lang.L("Operating account"), role(plan.Roles.Operating), lang.L("Tax-withholding account"), role(plan.Roles.TaxWithholding))
	w.summary = widget.NewLabel(b.String())
	w.summary.Wrapping = fyne.TextWrapWord
	intro := widget.NewLabel(lang.L("Check your choices. Connect writes them all to the books at once; nothing has been written yet."))
	intro.Wrapping = fyne.TextWrapWord
	return container.NewBorder(intro, nil, nil, nil, container.NewVScroll(w.summary))
}

// apply writes the plan in one transaction, in the background.
func (w *wizard) apply() {
	plan, _ := w.finalPlan()
	w.next.Disable()
	w.back.Disable()
	w.problems.Importance = widget.MediumImportance
	w.problems.SetText(lang.L("Connecting…"))
	hist := w.hist
	if !plan.AnyReconciliation() {
		hist = onboarding.History{}
	}
	goAsync(func() {
		// The mandate is checked again at apply, against the bank as it is now.
		facts, err := onboarding.Gather(w.u.ctx, w.u.ledger, w.client, w.u.today())
		var res onboarding.Result
		if err == nil {
			res, err = onboarding.Apply(w.u.ctx, w.u.ledger, w.svc, plan, facts, hist)
		}
		fyne.Do(func() {
			w.problems.Importance = widget.DangerImportance
			if err != nil {
				w.problems.SetText(describe(err))
				w.next.Enable()
				w.back.Enable()
				return
			}
			w.done = true
			// What is left for the owner, not the matcher's count of
			// matches (3 063 "matched" read as 72 left when 8 were).
			msg := fmt.Sprintf(lang.L("Connected: %s, %s stored; %s."), counted(res.Created+res.Updated+res.Unchanged, "1 account", "%d accounts"), counted(res.LinesAdded, "1 transaction", "%d transactions"), counted(res.Open, "1 bank line waits for you", "%d bank lines wait for you"))
			if res.BackupErr != nil {
				msg += " " + fmt.Sprintf(lang.L("The backup after it failed (the next import takes one): %v"), res.BackupErr)
			}
			w.u.status.done(msg)
			w.u.refreshNewest() // Settings → Data names the backup taken
			w.quit()
		})
	})
}

// goAsync runs long work off the UI goroutine (inline in the headless
// tests, see inline), at the collector's pace for work (memory.go): the
// wizard's reads of the history and its import, a restore.
func goAsync(fn func()) {
	done := working()
	run := func() {
		defer done()
		fn()
	}
	if inline {
		run()
		return
	}
	go run()
}
