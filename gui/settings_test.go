package gui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/core/ledger"
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
