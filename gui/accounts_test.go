package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/core/ledger"
)

// Settings → Chart of accounts finds accounts by number or name, adds one
// with the type its number has, refuses a number taken, keeps a bank
// account's GL account in use (and says why), and renames and retires
// an account of the owner's.
func TestChartOfAccountsEditor(t *testing.T) {
	u := newScreensUI(t)
	screenWindow(t, u.accountsTab())
	e := u.accounts
	e.bg.Wait()
	if len(e.shown) != len(ledger.StandardChart) || e.none.Visible() {
		t.Fatalf("the tab lists %d accounts (none-label shown %v), want the standard chart's %d", len(e.shown), e.none.Visible(), len(ledger.StandardChart))
	}
	e.find.SetText("bankinn")
	for _, a := range e.shown {
		if !strings.Contains(strings.ToLower(a.Name), "bankinn") {
			t.Errorf("searching %q found %d %s", "bankinn", a.Number, a.Name)
		}
	}
	if len(e.shown) < 2 {
		t.Errorf("searching %q found %d accounts", "bankinn", len(e.shown))
	}
	e.find.SetText("zzz")
	if !e.none.Visible() || e.none.Text != fmt.Sprintf(lang.L("No account has “%s” in its number or name."), "zzz") {
		t.Errorf("a search that finds nothing says %q (shown %v)", e.none.Text, e.none.Visible())
	}
	e.find.SetText("")

	// A number taken is said as it is typed, and refused: the account
	// that has it keeps its name.
	e.number.SetText("6540")
	if !strings.Contains(e.problem.Text, "6540") {
		t.Errorf("typing a number taken says %q", e.problem.Text)
	}
	e.name.SetText("Noe annet")
	test.Tap(e.save)
	e.bg.Wait()
	if a, _ := u.ledger.Account(u.ctx, 6540); a.Name != "Inventar" || !strings.Contains(e.problem.Text, "6540") {
		t.Errorf("saving a new account under 6540 left %+v, said %q", a, e.problem.Text)
	}
	// Class 9 has no type of its own: the owner chooses.
	e.number.SetText("9100")
	if e.kind.SelectedIndex() >= 0 {
		t.Errorf("9100 was offered the type %q", e.kind.Selected)
	}
	// A type the owner chose stays while the number is typed on, and a
	// note says it is not the standard's.
	e.kind.SetSelected(lang.L("Asset"))
	e.number.SetText("6546")
	if e.kind.Selected != lang.L("Asset") {
		t.Errorf("the type chosen became %q when the number was typed on", e.kind.Selected)
	}
	if want := fmt.Sprintf(lang.L("NS 4102 gives accounts %d… the type %s, not %s: check the number."), 65, strings.ToLower(lang.L("Expense")), strings.ToLower(lang.L("Asset"))); !e.typeNote.Visible() || e.typeNote.Text != want {
		t.Errorf("6546 as an asset: note %q (shown %v), want %q", e.typeNote.Text, e.typeNote.Visible(), want)
	}
	e.kind.SetSelected(lang.L("Expense"))
	if e.typeNote.Visible() {
		t.Error("the note stays with the standard's type chosen")
	}
	e.edit(nil)
	// A new number gets the type of its class.
	e.number.SetText("6545")
	if e.kind.Selected != lang.L("Expense") || e.problem.Text != "" {
		t.Errorf("6545: type %q, problem %q; want an expense account and no problem", e.kind.Selected, e.problem.Text)
	}
	e.name.SetText("Verktøy og småanskaffelser")
	test.Tap(e.save)
	e.bg.Wait()
	if a, err := u.ledger.Account(u.ctx, 6545); err != nil || a != (ledger.Account{Number: 6545, Name: "Verktøy og småanskaffelser", Type: ledger.Expense, Active: true}) {
		t.Fatalf("stored %+v, %v", a, err)
	}
	if e.editing == nil || e.editing.Number != 6545 || e.title.Text != fmt.Sprintf(lang.L("Account %d"), 6545) || !e.number.Disabled() {
		t.Errorf("after saving, the form holds %+v under %q (number editable %v); want the new account", e.editing, e.title.Text, !e.number.Disabled())
	}
	if !strings.Contains(u.status.label.Text, "6545") {
		t.Errorf("status %q", u.status.label.Text)
	}

	// The bank account's GL account stays in use.
	e.find.SetText("1920")
	e.list.Select(0)
	e.active.SetChecked(false)
	test.Tap(e.save)
	e.bg.Wait()
	if want := fmt.Sprintf(lang.L("Account %d is the GL account of bank account %s: it stays in use and keeps its type."), 1920, "1503.20.80119"); e.problem.Text != want || !e.active.Checked {
		t.Errorf("taking 1920 out of use says %q (in use ticked %v), want %q", e.problem.Text, e.active.Checked, want)
	}
	if a, _ := u.ledger.Account(u.ctx, 1920); !a.Active {
		t.Error("1920 was taken out of use")
	}
	// Retyped, it is refused too, and the form shows it as it stays.
	e.kind.SetSelected(lang.L("Income"))
	test.Tap(e.save)
	e.bg.Wait()
	if e.kind.Selected != lang.L("Asset") || !strings.Contains(e.problem.Text, "1920") {
		t.Errorf("retyping 1920: the form shows %q, says %q", e.kind.Selected, e.problem.Text)
	}

	// The owner's own account is renamed and taken out of use.
	e.find.SetText("6545")
	e.list.Select(0)
	e.name.SetText("Småverktøy")
	e.active.SetChecked(false)
	test.Tap(e.save)
	e.bg.Wait()
	if a, _ := u.ledger.Account(u.ctx, 6545); a != (ledger.Account{Number: 6545, Name: "Småverktøy", Type: ledger.Expense, Active: false}) {
		t.Errorf("after the change: %+v", a)
	}
	if e.problem.Text != "" {
		t.Errorf("problem %q", e.problem.Text)
	}

	// A new account with no name is refused in words.
	e.edit(nil)
	e.number.SetText("6546")
	test.Tap(e.save)
	e.bg.Wait()
	if want := lang.L("Write the account's name."); e.problem.Text != want {
		t.Errorf("no name: %q, want %q", e.problem.Text, want)
	}
}
