package gui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/agreement"
	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/norway"
	"bankbro/core/onboarding"
	"bankbro/core/sandbox"
)

var wizardToday = civil.MustParse("2026-11-26")

// eventually waits for cond, checked on the UI goroutine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// newWizardUI opens the window on the demo company's books, connected to an
// in-process demo bank whose BankID page a scripted browser fills in.
func newWizardUI(t *testing.T, integration string) (*ui, *sandbox.Server) {
	t.Helper()
	ctx := context.Background()
	a := test.NewTempApp(t)
	srv, err := sandbox.Start("", sandbox.Options{Today: wizardToday, Integration: integration})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	path := filepath.Join(t.TempDir(), "demo.bankbro")
	l, err := demo.Create(ctx, path, wizardToday)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	u := newUI(a, Options{LedgerPath: path, Today: wizardToday})
	t.Cleanup(u.close)
	browser := &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}
	u.browser.system = browser
	useBank(t, u, srv, browser)
	return u, srv
}

// useBank gives the window the demo bank srv, whose pages browser opens,
// with a login store of its own.
func useBank(t *testing.T, u *ui, srv *sandbox.Server, browser login.Browser) {
	t.Helper()
	u.closeBank()
	var err error
	u.bank, err = agreement.Open(context.Background(), u.ledger, agreement.Options{BankURL: srv.URL, Browser: browser,
		Store: login.NewFileStore(filepath.Join(t.TempDir(), "login")), Today: wizardToday})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWizardWalkthrough(t *testing.T) {
	u, srv := newWizardUI(t, "")
	u.nav.Select(4)
	u.settingsTabs.SelectIndex(1)
	if got := u.card.connect.Text; got != "Connect service" && got != "Koble til tjeneste" {
		t.Fatalf("card button = %q", got)
	}
	test.Tap(u.card.connect)
	w := u.wiz
	if w == nil || w.step != onboarding.StepLogin || !w.next.Disabled() {
		t.Fatalf("the wizard did not open on the login page with Next disabled")
	}

	test.Tap(w.loginButton)
	eventually(t, "the login and the account list", func() bool { return w.client != nil && !w.next.Disabled() })
	test.Tap(w.next)
	if w.step != onboarding.StepAccounts || len(w.accountRows) < 4 {
		t.Fatalf("step %d with %d account rows", w.step, len(w.accountRows))
	}
	shootWindow(t, "wizard-accounts", u.win)
	// A bank account's GL account is a bank deposit: cash is not offered.
	if opts := w.row(w.facts.Offered[0].Number).gl.Options; len(opts) == 0 || slices.ContainsFunc(opts, func(o string) bool { return strings.HasPrefix(o, "1900 ") }) {
		t.Errorf("GL accounts offered for a bank account: %q; want the bank deposits, not 1900 Kontanter", opts)
	}

	// The same GL account on two bank accounts blocks Next and says why, on the row.
	first := w.row(w.facts.Offered[0].Number)
	second := w.row(w.facts.Offered[1].Number)
	keep := second.gl.Selected
	second.gl.SetSelected(first.gl.Selected)
	if !w.next.Disabled() {
		t.Errorf("Next is enabled with a GL account used twice")
	}
	if !strings.Contains(second.problem.Text, "1920") || second.problem.Hidden {
		t.Errorf("the row shows %q, want the duplicate GL account named", second.problem.Text)
	}
	second.gl.SetSelected(keep)
	if w.next.Disabled() {
		t.Fatalf("Next stays disabled after the duplicate is fixed: %s", w.problems.Text)
	}
	test.Tap(w.next) // services
	test.Tap(w.next) // fee account
	if w.step != onboarding.StepFeeAccount || w.plan.FeeAccount != 7770 {
		t.Fatalf("step %d, fee account %d", w.step, w.plan.FeeAccount)
	}
	test.Tap(w.next)
	if w.step != onboarding.StepStartDate || !w.next.Disabled() {
		t.Fatalf("the start-date page must read the history before Next")
	}
	// What is left to do is said as the next step, not in red as a mistake.
	if w.problems.Text != readFirst() || w.problems.Importance == widget.DangerImportance {
		t.Errorf("start date, not read yet: %q (importance %v); want %q, not as an error", w.problems.Text, w.problems.Importance, readFirst())
	}
	test.Tap(w.readButton)
	eventually(t, "the balance comparison", func() bool { return !w.next.Disabled() })
	// The demo books lack the deposit account's opening balance: posting
	// the bank's balance is offered and ticked. Unticked, the difference
	// stays, and the owner chooses how to go on.
	deposit := depositAccount(t, w)
	depositGL := glOf(t, w, deposit)
	opening := w.openings[deposit]
	shootWindow(t, "wizard-startdate", u.win)
	if opening == nil || !opening.Checked || !w.diffChoice.Hidden {
		t.Fatalf("the deposit account's opening balance: offered %v, ticked by default %v, other choices hidden %v",
			opening != nil, opening != nil && opening.Checked, w.diffChoice.Hidden)
	}
	test.Tap(opening)
	if w.diffChoice.Hidden {
		t.Errorf("the demo books differ from the bank on one account, but no choice is offered")
	}
	if text := labelsIn(w.diffs); !strings.Contains(text, "Depositumskonto") {
		t.Errorf("the comparison does not list the deposit account: %q", text)
	}
	// Text that is no date is not taken for the date typed before it: Next
	// and the read stop until a date is there again.
	good := w.startDate.entry.Text
	test.Type(w.startDate.entry, "x")
	if !w.next.Disabled() || !w.plan.StartDate.IsZero() {
		t.Errorf("start date %q: Next enabled %v, plan date %s; want Next disabled and no date", w.startDate.entry.Text, !w.next.Disabled(), w.plan.StartDate)
	}
	if got := w.startDate.entry.Text; got != "x"+good {
		t.Errorf("the start date field shows %q after typing, want %q", got, "x"+good)
	}
	// A date before the conversion date is refused in the field too, in
	// the page's words, rather than ticked as good.
	before := w.facts.Company.ConversionDate.AddDays(-1)
	w.startDate.entry.SetText(before.Norwegian())
	if err := w.startDate.entry.Validate(); err == nil || err.Error() == "" || !strings.Contains(w.problems.Text, err.Error()) {
		t.Errorf("start date %s: the field's check says %v; the page says %q", before.Norwegian(), err, w.problems.Text)
	}
	w.startDate.entry.SetText(good)
	if w.next.Disabled() {
		t.Fatalf("Next stays disabled with the date %q again: %s", good, w.problems.Text)
	}
	// Going back keeps the choices.
	test.Tap(w.back)
	test.Tap(w.next)
	if w.histKey != w.planKey() {
		t.Errorf("going back and forth forgot the history read")
	}
	test.Tap(w.next) // roles
	// A warning alone (tax withheld on the operating account) leaves Next
	// on and is said as a warning, not in red as an error.
	keepTax := w.plan.Roles.TaxWithholding
	w.plan.Roles.TaxWithholding = w.plan.Roles.Operating
	w.validate()
	if w.next.Disabled() || w.problems.Text == "" || w.problems.Importance != widget.WarningImportance {
		t.Errorf("roles with a warning: Next disabled %v, %q (importance %v); want Next on and a warning", w.next.Disabled(), w.problems.Text, w.problems.Importance)
	}
	w.plan.Roles.TaxWithholding = keepTax
	w.validate()
	test.Tap(w.next) // summary
	if w.step != onboarding.StepSummary || !strings.Contains(w.summary.Text, "1920") {
		t.Fatalf("summary: step %d, %q", w.step, w.summary.Text)
	}
	// Accounts are named, not only numbered: the owner checks them here.
	for _, want := range []string{"→ 1920 ", lang.L("Fee account") + ": 7770 Bank- og kortgebyrer", lang.L("Salary account") + ": 9710.32.55558 Lønnskonto"} {
		if !strings.Contains(w.summary.Text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, w.summary.Text)
		}
	}
	if n, _ := u.ledger.BankAccounts(u.ctx); len(n) != 0 {
		t.Fatalf("the ledger changed before the last page was confirmed")
	}
	test.Tap(w.next) // Connect
	eventually(t, "the apply", func() bool { return u.wiz == nil })
	accounts, _ := u.ledger.BankAccounts(u.ctx)
	if len(accounts) != len(srv.Bank.AccountsFor(sandbox.ManagerID)) {
		t.Errorf("%d bank accounts connected", len(accounts))
	}
	if !strings.Contains(u.card.state.Text, "5") {
		t.Errorf("card after connecting: %q", u.card.state.Text)
	}
	// Settings → Bank accounts lists them at once, not "No bank accounts
	// yet" until Settings is left.
	if text := labelsIn(u.settingsTabs.Items[0].Content); !strings.Contains(text, accounts[0].Formatted()) {
		t.Errorf("Settings → Bank accounts after connecting shows %q, want the accounts", text)
	}
	// The status bar says what is left for the owner, as the ledger counts it.
	open := 0
	for _, a := range accounts {
		tot, _ := u.ledger.OpenTotals(u.ctx, a.ID, a.GLAccount, a.StartDate)
		open += tot.Lines
	}
	if want := fmt.Sprintf(lang.L("%d bank lines wait for you"), count(open)); open < 2 || !strings.Contains(u.status.label.Text, want) {
		t.Errorf("status after connecting %q, want it to say %q", u.status.label.Text, want)
	}
	if has, _ := u.ledger.HasOpeningBalance(u.ctx, depositGL); has {
		t.Errorf("an opening balance was posted for the deposit account though the owner unticked it")
	}
}

// glOf is the GL account the wizard's plan gives the bank account number.
func glOf(t *testing.T, w *wizard, number string) int {
	t.Helper()
	for _, c := range w.plan.Accounts {
		if c.AccountNumber == number {
			return c.GLAccount
		}
	}
	t.Fatalf("%s is not in the plan", number)
	return 0
}

// depositAccount is the number of the demo bank's deposit account, the one
// the demo books have no opening balance for.
func depositAccount(t *testing.T, w *wizard) string {
	t.Helper()
	for _, a := range w.facts.Offered {
		if strings.HasPrefix(a.Name, "Depositumskonto") {
			return a.Number
		}
	}
	t.Fatal("the demo bank has no deposit account")
	return ""
}

// walkToStartDate logs in and goes to the start-date page with the
// suggested choices.
func walkToStartDate(t *testing.T, u *ui) *wizard {
	t.Helper()
	u.openWizard()
	w := u.wiz
	test.Tap(w.loginButton)
	eventually(t, "the login and the account list", func() bool { return w.client != nil && !w.next.Disabled() })
	for w.step < onboarding.StepStartDate {
		test.Tap(w.next)
	}
	return w
}

// TestWizardPostsOpeningBalance: on the conversion date the wizard offers to
// post the bank's balance as the opening balance of an account the books
// have none for, names the voucher, and posts it once; on a later start
// date it does not offer it.
func TestWizardPostsOpeningBalance(t *testing.T) {
	u, srv := newWizardUI(t, "")
	w := walkToStartDate(t, u)
	conversion := w.facts.Company.ConversionDate
	deposit := depositAccount(t, w)
	inBank, _ := srv.Bank.BalanceAt(deposit, conversion.AddDays(-1))
	depositGL := glOf(t, w, deposit)

	// A later start date: a difference there means missing postings.
	w.startDate.entry.SetText(conversion.AddDays(31).Norwegian())
	test.Tap(w.readButton)
	eventually(t, "the comparison on a later date", func() bool { return !w.next.Disabled() })
	if len(w.openings) != 0 || w.diffChoice.Hidden {
		t.Errorf("start date %s: %d opening balances offered, other choices hidden %v; want none offered and the choice to go on",
			w.plan.StartDate.Norwegian(), len(w.openings), w.diffChoice.Hidden)
	}

	w.startDate.entry.SetText(conversion.Norwegian())
	test.Tap(w.readButton)
	eventually(t, "the comparison on the conversion date", func() bool { return !w.next.Disabled() })
	opening := w.openings[deposit]
	if opening == nil || !opening.Checked {
		t.Fatalf("the deposit account's opening balance is not offered ticked (offered %v)", opening != nil)
	}
	// Read there with the box ticked, a later date can still be read: the
	// opening balance goes with the conversion date (the box ticked on the
	// last read refused the later date, and nothing said so).
	w.startDate.entry.SetText(conversion.AddDays(31).Norwegian())
	if err := w.startDate.entry.Validate(); err != nil {
		t.Errorf("a later date after a read with the opening ticked: the field says %v", err)
	}
	test.Tap(w.readButton)
	eventually(t, "the comparison on a later date after the conversion date's", func() bool {
		return !w.next.Disabled() && w.plan.StartDate == conversion.AddDays(31) && len(w.openings) == 0
	})
	w.startDate.entry.SetText(conversion.Norwegian())
	test.Tap(w.readButton)
	eventually(t, "the comparison on the conversion date again", func() bool { return !w.next.Disabled() && w.openings[deposit] != nil })
	opening = w.openings[deposit]
	if !opening.Checked {
		t.Fatal("back on the conversion date, the opening balance is not offered ticked")
	}
	// Typing the date again, a digit at a time, keeps the choice the box
	// shows (every keystroke that was no date dropped it from the plan).
	date := conversion.Norwegian()
	w.startDate.entry.SetText(date[:len(date)-1])
	w.startDate.entry.SetText(date)
	posts := false
	for _, c := range w.plan.Accounts {
		if c.AccountNumber == deposit {
			posts = c.PostOpeningBalance
		}
	}
	if !opening.Checked || !posts || w.next.Disabled() {
		t.Fatalf("after typing the date again: box ticked %v, the plan posts it %v, Next disabled %v; want all as before", opening.Checked, posts, w.next.Disabled())
	}
	page := labelsIn(w.diffs)
	for _, want := range []string{inBank.Kr(), fmt.Sprint(depositGL), "2050 Annen egenkapital", conversion.Norwegian()} {
		if !strings.Contains(page, want) {
			t.Errorf("the offer does not name %q:\n%s", want, page)
		}
	}
	if !w.diffChoice.Hidden || !w.diffWarning.Hidden {
		t.Errorf("with the only difference posted, the page still warns of it")
	}
	test.Tap(w.next) // roles
	test.Tap(w.next) // summary
	if !strings.Contains(w.summary.Text, lang.L("Post the bank's balance as the opening balance")) || !strings.Contains(w.summary.Text, inBank.Kr()) ||
		strings.Contains(w.summary.Text, lang.L("Untick it if the balance stands on another account in the books.")) {
		t.Errorf("the summary does not name the opening balance, or tells to untick a box it has not:\n%s", w.summary.Text)
	}
	test.Tap(w.next) // Connect
	eventually(t, "the apply", func() bool { return u.wiz == nil })
	books, err := u.ledger.BalanceAtStart(u.ctx, depositGL, conversion)
	if err != nil || books != inBank {
		t.Errorf("the books have %s on %d at the start of %s, the bank %s (%v)", books, depositGL, conversion.Norwegian(), inBank, err)
	}

	// Onboarding again: nothing left to offer, nothing posted twice.
	w = walkToStartDate(t, u)
	test.Tap(w.readButton)
	eventually(t, "the comparison again", func() bool { return !w.next.Disabled() })
	if len(w.openings) != 0 || !w.diffChoice.Hidden {
		t.Errorf("after posting: %d opening balances offered, choice to go on shown %v", len(w.openings), !w.diffChoice.Hidden)
	}
	if books, _ = u.ledger.BalanceAtStart(u.ctx, depositGL, conversion); books != inBank {
		t.Errorf("after onboarding again the books have %s on %d, want %s", books, depositGL, inBank)
	}
}

// openWizard opens the connection wizard as the owner does: Settings →
// Agreements → Connect service.
func openWizard(u *ui) *wizard {
	u.nav.Select(4)
	u.settingsTabs.SelectIndex(1)
	test.Tap(u.card.connect)
	return u.wiz
}

func TestWizardIntegrationNotActivated(t *testing.T) {
	u, srv := newWizardUI(t, "none")
	w := openWizard(u)
	test.Tap(w.loginButton)
	eventually(t, "the explanation", func() bool { return !w.tryAgain.Hidden })
	if !strings.Contains(w.loginStatus.Text, "online bank") && !strings.Contains(w.loginStatus.Text, "nettbanken") {
		t.Errorf("login status = %q, want the activation explained", w.loginStatus.Text)
	}
	if err := srv.Bank.SetIntegration("pluss"); err != nil {
		t.Fatal(err)
	}
	test.Tap(w.tryAgain) // no new BankID login
	eventually(t, "the accounts after activation", func() bool { return w.client != nil })
	if len(w.facts.Offered) < 4 {
		t.Errorf("after activation the bank lists %d accounts", len(w.facts.Offered))
	}
}

func TestWizardCloseWritesNothing(t *testing.T) {
	u, _ := newWizardUI(t, "")
	u.openWizard()
	w := u.wiz
	test.Tap(w.loginButton)
	eventually(t, "the login", func() bool { return w.client != nil })
	test.Tap(w.next)
	test.Tap(w.close)
	if u.wiz != nil {
		t.Fatal("the wizard is still open")
	}
	if n, _ := u.ledger.BankAccounts(u.ctx); len(n) != 0 {
		t.Errorf("closing the wizard wrote %d bank accounts", len(n))
	}
}

// TestWizardLayoutManyLongAccounts: with eight accounts, some with long
// names, the pages fit a 1024×700 window (names are shortened, nothing
// pushes the window wider).
func TestWizardLayoutManyLongAccounts(t *testing.T) {
	u, _ := newWizardUI(t, "")
	u.openWizard()
	w := u.wiz
	facts, err := onboarding.Gather(u.ctx, u.ledger, &fakeOffer{}, wizardToday)
	if err != nil {
		t.Fatal(err)
	}
	w.client, w.facts = bank.New("http://127.0.0.1:1", nil), facts
	w.plan = onboarding.Suggest(facts)
	if len(w.plan.Accounts) != 8 {
		t.Fatalf("plan has %d accounts", len(w.plan.Accounts))
	}
	u.win.Resize(fyne.NewSize(1024, 700))
	for step := onboarding.StepAccounts; step <= onboarding.StepSummary; step++ {
		if step == onboarding.StepStartDate {
			continue // needs the bank
		}
		w.step = step
		w.show()
		if min := u.win.Content().MinSize(); min.Width > 1024 {
			t.Errorf("step %d needs %.0f px of width, more than 1024", step, min.Width)
		}
		shootWindow(t, fmt.Sprintf("wizard-8-accounts-step%d", step), u.win)
	}
}

// fakeOffer is a bank that offers eight accounts with long names.
type fakeOffer struct{}

func (fakeOffer) Accounts(context.Context) ([]bank.Account, error) {
	var out []bank.Account
	names := []string{"Driftskonto", "Lønnskonto", "Skattetrekkskonto",
		"Sparekonto for fremtidige investeringer i nytt kafélokale på Grünerløkka",
		"Depositumskonto husleie", "Valutakonto EUR for innkjøp av kaffebønner fra Etiopia og Colombia",
		"Prosjektkonto", "Klientmidler"}
	for i, serial := 0, 0; i < len(names); serial++ {
		body := fmt.Sprintf("97100000%02d", serial)
		c, ok := norway.AccountNumberControl(body)
		if !ok {
			continue // no valid number starts with these digits
		}
		out = append(out, bank.Account{ID: fmt.Sprintf("A%d", i), Number: body + string(c), Name: names[i], Balance: money.Kroner(int64(1000 * (i + 1)))})
		i++
	}
	return out, nil
}

func (fakeOffer) Archive(context.Context, string, civil.Date, civil.Date) ([]bank.Transaction, error) {
	return nil, nil
}

func (fakeOffer) Payments(context.Context, string) ([]bank.Payment, error) { return nil, nil }

// shootWindow saves what the window shows when BANKBRO_SHOTS is set.
func shootWindow(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	if os.Getenv("BANKBRO_SHOTS") == "" {
		return
	}
	_ = os.MkdirAll("/tmp/shots", 0o755)
	f, err := os.Create(filepath.Join("/tmp/shots", name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// Logging in again as the bookkeeper, who may administer two of the
// manager's five accounts, gives a plan for those two: Next is on, and the
// accounts page lists them. (The plan kept the manager's five, three on no
// page, and Next stayed off for them.)
func TestWizardLoginAgainAsAnother(t *testing.T) {
	u, _ := newWizardUI(t, "")
	w := openWizard(u)
	test.Tap(w.loginButton)
	eventually(t, "the manager's login", func() bool { return w.client != nil && !w.next.Disabled() })
	manager := len(w.facts.Offered)
	u.browser.system.(*sandbox.TestBrowser).NationalID = sandbox.BookkeeperID
	test.Tap(w.loginButton)
	eventually(t, "the bookkeeper's login", func() bool { return len(w.facts.Offered) > 0 && len(w.facts.Offered) < manager })
	if w.next.Disabled() || len(w.plan.Accounts) != len(w.facts.Offered) {
		t.Fatalf("after the bookkeeper's login: Next disabled %v, %d accounts planned for %d offered (problems %q)",
			w.next.Disabled(), len(w.plan.Accounts), len(w.facts.Offered), w.problems.Text)
	}
	test.Tap(w.next)
	if w.step != onboarding.StepAccounts || len(w.accountRows) != len(w.facts.Offered) || w.next.Disabled() {
		t.Errorf("accounts page: step %d, %d rows for %d offered, Next disabled %v (%q)", w.step, len(w.accountRows), len(w.facts.Offered), w.next.Disabled(), w.problems.Text)
	}
}

// A person the bank lets administer no account cannot go on from the login
// page: Next stays off and says to log in as someone who may (it went on
// to an empty accounts page that only said "choose at least one").
func TestWizardNoMandateStaysOnLogin(t *testing.T) {
	u, _ := newWizardUI(t, "")
	u.browser.system.(*sandbox.TestBrowser).NationalID = sandbox.NoMandateID
	w := openWizard(u)
	test.Tap(w.loginButton)
	eventually(t, "the login with no mandate", func() bool { return w.client != nil })
	want := lang.L("You may not administer any accounts in this bank. Log in as a person with a mandate for the company's accounts.")
	if len(w.facts.Offered) != 0 || !w.next.Disabled() || w.loginStatus.Text != want || w.problems.Text != "" {
		t.Errorf("no mandate: %d accounts offered, Next disabled %v, login page %q, footer %q; want none, disabled, %q once",
			len(w.facts.Offered), w.next.Disabled(), w.loginStatus.Text, w.problems.Text, want)
	}
	test.Tap(w.next)
	if w.step != onboarding.StepLogin {
		t.Errorf("Next went on to step %d", w.step)
	}
}

// A wizard left after the login leaves a login and no connection: the
// card says so, not "Not connected" beside "The bank login expires in 30
// days".
func TestCardLoggedInButNotConnected(t *testing.T) {
	u, _ := newWizardUI(t, "")
	w := openWizard(u)
	test.Tap(w.loginButton)
	eventually(t, "the login", func() bool { return w.client != nil && !w.next.Disabled() })
	w.quit()
	want := lang.L("You are logged in to the bank, but no account is connected yet: Connect service finishes it.")
	eventually(t, "the card", func() bool { return strings.HasPrefix(u.card.login.Text, want) })
	if !strings.HasPrefix(u.card.state.Text, lang.L("Not connected")) {
		t.Errorf("card state %q", u.card.state.Text)
	}
}

// Text in the start date that is no date says so, in the field's words,
// rather than "choose the date reconciliation starts" as if none were
// typed; the welcome page's conversion date too.
func TestDateTextThatIsNoDateSaysSo(t *testing.T) {
	u, _ := newWizardUI(t, "")
	w := walkToStartDate(t, u)
	w.startDate.entry.SetText("31.02.2026")
	if want := notADate("31.02.2026").Error(); !w.next.Disabled() || !strings.Contains(w.problems.Text, want) {
		t.Errorf("start date 31.02.2026: Next disabled %v, problems %q; want %q", w.next.Disabled(), w.problems.Text, want)
	}
	w.startDate.entry.SetText("")
	if want := lang.L("Write the date as DD.MM.YYYY."); !strings.Contains(w.problems.Text, want) {
		t.Errorf("no start date: problems %q; want %q", w.problems.Text, want)
	}

	u.welcome()
	p := u.welcomeForm
	p.name.SetText("Solsiden Kaffebar AS")
	p.orgnr.SetText("974760673")
	p.conversion.entry.SetText("31.02.2026")
	test.Tap(p.create)
	if want := notADate("31.02.2026").Error(); !strings.Contains(p.problem.Text, want) {
		t.Errorf("welcome page, 31.02.2026: %q; want %q", p.problem.Text, want)
	}
}
