package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"bankbro/core/reconcile"
)

// Work of known size shows how far it has come; work of unknown size a
// moving bar (a percentage would stand at 0 % all along); done shows
// neither, nor Cancel.
func TestStatusBarProgress(t *testing.T) {
	s := newStatusBar()
	cancelled := false
	s.running("Leser …", 0.25, "Avbryt", func() { cancelled = true })
	if !s.progress.Visible() || s.unknown.Visible() || s.progress.Value != 0.25 {
		t.Errorf("known: percent bar shown %v at %v, moving bar shown %v", s.progress.Visible(), s.progress.Value, s.unknown.Visible())
	}
	s.running("Kopierer …", -1, "Avbryt", func() { cancelled = true })
	if s.progress.Visible() || !s.unknown.Visible() {
		t.Errorf("unknown: percent bar shown %v, moving bar shown %v", s.progress.Visible(), s.unknown.Visible())
	}
	s.cancel.OnTapped()
	if !cancelled {
		t.Error("Cancel did not cancel")
	}
	s.done("Ferdig.")
	if s.progress.Visible() || s.unknown.Visible() || s.cancel.Visible() || s.label.Text != "Ferdig." {
		t.Errorf("done: percent %v, moving %v, cancel %v, text %q", s.progress.Visible(), s.unknown.Visible(), s.cancel.Visible(), s.label.Text)
	}
}

// Every section fits a window 900 points wide, also with a long message in
// the status bar: the window must not widen itself when a section opens.
func TestSectionsFitANarrowWindow(t *testing.T) {
	u := newScreensUI(t)
	u.status.set(strings.Repeat("Avstemmingen fant 331 treff og bokførte 331 bilag. ", 6))
	const narrow = 900
	for i := range u.sections {
		u.nav.Select(i)
		if w := u.win.Content().MinSize().Width; w > narrow {
			t.Errorf("section %d (%s) needs a window %.0f wide, more than %d", i, lang.L(u.sections[i].key), w, narrow)
		}
	}
	// Reconciliation's summary with a company's big sums.
	u.nav.Select(2)
	v := u.screens().reconcile
	v.bg.Wait()
	v.figures.set(reconcile.AccountReport{BankKnown: true, BankBalance: -99_999_999_999_99, LedgerBalance: 99_999_999_999_99,
		OpeningKnown: true, BankOpening: 1, LedgerOpening: -99_999_999_999_99,
		OpenLines: 9_999_999, OpenLinesSum: -99_999_999_999_99, OpenPostings: 9_999_999, OpenPostingsSum: -99_999_999_999_99})
	if w := u.win.Content().MinSize().Width; w > narrow {
		t.Errorf("Reconciliation with a long summary needs a window %.0f wide, more than %d", w, narrow)
	}
}
