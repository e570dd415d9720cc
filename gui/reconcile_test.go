package gui

import (
	"bankbro/core/civil"
	"fyne.io/fyne/v2/lang"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestReconcileReportAndMatchButton(t *testing.T) {
	u := newScreensUI(t)
	obj := u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	if !strings.Contains(v.summary.Text, "10.03.2026") {
		t.Errorf("summary = %q", v.summary.Text)
	}
	if v.message.Visible() {
		t.Errorf("the message line is shown with nothing to say (%q): an empty row under the toolbar", v.message.Text)
	}
	first, ok := v.linePages.row(0)
	if v.linePages.count() == 0 || !ok {
		t.Fatalf("no open bank lines (%d counted)", v.linePages.count())
	}
	// The list reads its rows a page at a time: all of them, in order, are
	// the account's open lines.
	want, err := u.ledger.OpenBankLinesAt(u.ctx, v.account.ID, v.account.StartDate, civil.MustParse("9999-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if v.linePages.count() != len(want) {
		t.Fatalf("the list counts %d open lines, the ledger has %d", v.linePages.count(), len(want))
	}
	for i, w := range want {
		if got, ok := v.linePages.row(i); !ok || got.ID != w.ID {
			t.Fatalf("row %d = line %d (%v), want line %d", i, got.ID, ok, w.ID)
		}
	}
	if !v.match.Disabled() {
		t.Error("Match is enabled with nothing selected")
	}
	v.lineChecked[first.ID] = first.Amount
	v.sums()
	if !v.match.Disabled() {
		t.Error("Match is enabled with one side empty")
	}
	if !strings.HasPrefix(v.lineSum.Text, strings.SplitN(lang.L("Selected: %d, sum %s (all open: %s)"), "%d", 2)[0]+"1,") {
		t.Errorf("line sum = %q", v.lineSum.Text)
	}
	shoot(t, "reconcile", obj)
	test.Tap(v.run)
	v.bg.Wait()
	if v.message.Visible() {
		t.Errorf("after Run matcher (it reports in the status bar) the message line is shown: %q", v.message.Text)
	}
	v.date.SetText("31.02.2026")
	v.reload()
	if !v.message.Visible() || !strings.Contains(v.message.Text, "30.11.2026") {
		t.Errorf("a wrong date: message %q (shown %v), want how to write a date", v.message.Text, v.message.Visible())
	}
}
