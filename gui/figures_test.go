package gui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/money"
	"bankbro/core/reconcile"
)

// The difference at the start shows only when the books' opening balance
// disagrees with the bank's; before the bank's balance is known neither the
// balance nor the difference is made up.
func TestReportFiguresOpeningDifferenceAndUnknownBank(t *testing.T) {
	f := newReportFigures()
	a := reconcile.AccountReport{BankKnown: true, BankBalance: 150_000, LedgerBalance: 100_000,
		OpeningKnown: true, BankOpening: 90_000, LedgerOpening: 40_000, OpenLines: 1, OpenLinesSum: 0}
	f.set(a)
	if !f.opening.Visible() || !f.openingLabel.Visible() || f.opening.Text != money.Amount(50_000).Kr() {
		t.Errorf("opening difference 500,00: shown %v, %q", f.opening.Visible(), f.opening.Text)
	}
	if f.diff.Text != money.Amount(50_000).Kr() || f.diff.Importance != widget.DangerImportance {
		t.Errorf("difference %q (importance %v), want 500,00 kr in red", f.diff.Text, f.diff.Importance)
	}
	a.BankOpening = a.LedgerOpening
	a.BankBalance = a.LedgerBalance
	f.set(a)
	if f.opening.Visible() || f.openingLabel.Visible() || f.diff.Importance == widget.DangerImportance {
		t.Errorf("no difference: opening shown %v, difference %q importance %v", f.opening.Visible(), f.diff.Text, f.diff.Importance)
	}
	a.BankKnown = false
	f.set(a)
	if f.bank.Text != lang.L("not known") || f.diff.Text != lang.L("not known") || f.diff.Importance == widget.DangerImportance {
		t.Errorf("bank not known: bank %q, difference %q", f.bank.Text, f.diff.Text)
	}
	f.clear()
	if f.shown() || f.books.Text != "" {
		t.Errorf("cleared figures still show %q", labelsIn(f.object()))
	}
}
