package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
)

// The Agreements card and the Rules tab read the ledger off the UI
// goroutine: just built, they say they are reading, and what they read
// reaches them only through do, after the background work.
func TestSettingsTabsReadInTheBackground(t *testing.T) {
	u := newScreensUI(t)
	if _, err := reconcile.SaveRule(u.ctx, u.ledger, ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "Gebyr",
		Direction: ledger.DirectionOut, Account: 7770, Active: true}); err != nil {
		t.Fatal(err)
	}
	inline = false
	t.Cleanup(func() { inline = true })
	// Hold back whatever the background hands to the UI goroutine.
	release := building()
	u.agreementsTab()
	u.rulesTab()
	c, e := u.card, u.rules
	reading := lang.L("Reading…")
	if c.state.Text != reading || c.activate.Visible() || c.login.Visible() {
		t.Errorf("card while reading: state %q, activation steps shown %v, login shown %v; want %q and neither shown",
			c.state.Text, c.activate.Visible(), c.login.Visible(), reading)
	}
	if len(e.rules) != 0 || e.none.Text != reading || !e.none.Visible() {
		t.Errorf("rules while reading: %d rules, %q shown %v; want none and %q", len(e.rules), e.none.Text, e.none.Visible(), reading)
	}
	release()
	c.bg.Wait()
	e.bg.Wait()

	if want := lang.L("Not connected") + " " + lang.L("(demo bank)"); c.state.Text != want || !c.activate.Visible() {
		t.Errorf("card: state %q, activation steps shown %v; want %q and the steps", c.state.Text, c.activate.Visible(), want)
	}
	if len(e.rules) != 1 || e.rules[0].TextContains != "Gebyr" || e.none.Visible() || e.list.Length() != 1 {
		t.Errorf("rules: %+v, %q shown %v, list of %d; want the Gebyr rule in the list", e.rules, e.none.Text, e.none.Visible(), e.list.Length())
	}
	// The chart came with them: the rule's account shows by name, and the
	// picker offers the accounts a post-and-match rule can post to.
	e.list.Select(0)
	if got, want := e.account.Text, "7770 Bank- og kortgebyrer"; got != want {
		t.Errorf("the rule's account shows as %q, want %q", got, want)
	}
	if got := e.account.text(1920); got != "1920" {
		t.Errorf("the picker offers the bank account 1920 (%q): want only income and expense accounts", got)
	}
}

// "Connect the bank" on a screen that needs the bank leads to the
// Agreements tab, where the Sbanken card is, not to the list of accounts.
func TestConnectTheBankOpensAgreements(t *testing.T) {
	u := newCompanyUI(t, "Ny AS")
	u.nav.Select(0)
	test.Tap(button(t, u.content, lang.L("Connect the bank")))
	if u.current != len(u.sections)-1 || u.settingsTabs == nil || u.settingsTabs.SelectedIndex() != 1 {
		t.Errorf("after Connect the bank: section %d, tab %v; want Settings → Agreements", u.current, u.settingsTabs.Selected())
	}
}

// Settings → Company corrects the company's name and organisation number:
// Save comes on with a change, a wrong number is said in the window's
// words and nothing is stored, and a good one is stored, shown as
// Brønnøysund writes it, and named in the window's title.
func TestCompanyCanBeCorrected(t *testing.T) {
	u := newScreensUI(t)
	screenWindow(t, u.companyTab())
	f := u.companyForm
	if f.name.Text != "Kaffebrenneriet Solsiden AS" || f.org.Text != "921 573 405" || !f.save.Disabled() {
		t.Fatalf("the page shows %q, %q, Save on %v", f.name.Text, f.org.Text, !f.save.Disabled())
	}
	f.org.SetText("921573405") // the same number, written otherwise
	if !f.save.Disabled() {
		t.Error("Save is on with nothing changed")
	}
	f.org.SetText("921 573 406")
	if f.save.Disabled() {
		t.Fatal("Save stays off after a change")
	}
	test.Tap(f.save)
	f.bg.Wait()
	if want := lang.L("That is no organisation number: its last digit does not fit the others. Check it against the Brønnøysund Register Centre."); f.problem.Text != want || !f.problem.Visible() {
		t.Errorf("a wrong number says %q (shown %v), want %q", f.problem.Text, f.problem.Visible(), want)
	}
	if c, _ := u.ledger.Company(u.ctx); c.OrgNumber != "921573405" {
		t.Errorf("a refused number was stored: %q", c.OrgNumber)
	}
	f.name.SetText("Solsiden Kaffe AS ")
	f.org.SetText("974760673")
	if f.problem.Visible() {
		t.Error("the old refusal stays after typing")
	}
	test.Tap(f.save)
	f.bg.Wait()
	c, err := u.ledger.Company(u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Solsiden Kaffe AS" || c.OrgNumber != "974760673" || c.ConversionDate != civil.MustParse("2026-01-01") {
		t.Errorf("stored %+v", c)
	}
	if f.org.Text != "974 760 673" || f.name.Text != "Solsiden Kaffe AS" || !f.save.Disabled() || f.problem.Text != lang.L("The company's details are saved.") {
		t.Errorf("after saving the page shows %q, %q, Save on %v, %q", f.name.Text, f.org.Text, !f.save.Disabled(), f.problem.Text)
	}
	if got := u.win.Title(); got != "Bankbro — Solsiden Kaffe AS" {
		t.Errorf("window title %q", got)
	}
}

// The welcome page says what is wrong with the company in the window's
// language, not in the ledger's English.
func TestWelcomeSaysCompanyProblemsInItsWords(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{ledger.ErrCompanyName, lang.L("Write the company's name.")},
		{ledger.ErrCompanyConversion, lang.L("Write the conversion date as DD.MM.YYYY.")},
		{norway.ValidOrgNumber("12345"), lang.L("An organisation number has nine digits, such as 921 573 405.")},
		{norway.ValidOrgNumber("92157340x"), lang.L("An organisation number holds only digits (spaces between them are fine).")},
		{norway.ValidOrgNumber("921573406"), lang.L("That is no organisation number: its last digit does not fit the others. Check it against the Brønnøysund Register Centre.")},
	} {
		if got := describeCompanyProblem(c.err); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
}

// Settings → Bank accounts says on a line what Bankbro does with each
// account, and which roles it holds (chosen in the wizard, shown nowhere
// after it before).
func TestBankAccountFactsNameTheRoles(t *testing.T) {
	a := ledger.BankAccount{Name: "Driftskonto", GLAccount: 1920, Remittance: true, Reconciliation: true, Active: true,
		StartDate: civil.MustParse("2026-01-01"), ReadThrough: civil.MustParse("2026-11-26"),
		Roles: []ledger.Role{ledger.RoleSalary, ledger.RoleOperating}}
	got := bankAccountFacts(a)
	for _, want := range []string{fmt.Sprintf(lang.L("GL account %d"), 1920), lang.L("Payments and bank reconciliation"),
		fmt.Sprintf(lang.L("Reconciliation from %s"), "01.01.2026"), fmt.Sprintf(lang.L("Read through %s"), "26.11.2026"), lang.L("Active"),
		fmt.Sprintf(lang.L("Used as %s."), strings.ToLower(lang.L("Salary account")+", "+lang.L("Operating account")))} {
		if !strings.Contains(got, want) {
			t.Errorf("facts %q lack %q", got, want)
		}
	}
	a.Roles, a.Reconciliation, a.Active = nil, false, false
	if got := bankAccountFacts(a); strings.Contains(got, "\n") || strings.Contains(got, "01.01.2026") || !strings.Contains(got, lang.L("Not active")) {
		t.Errorf("no roles, no reconciliation, not active: %q", got)
	}
}

// Messages put together from parts end as sentences: a full stop unless
// one ends them already, also after a quote mark.
func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"Til konto: må ha 11 siffer":     "Til konto: må ha 11 siffer.",
		"Ferdig.":                        "Ferdig.",
		"Hva nå?":                        "Hva nå?",
		"Venter…":                        "Venter…",
		"Dager slingringsmonn, ikke «x»": "Dager slingringsmonn, ikke «x».",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
