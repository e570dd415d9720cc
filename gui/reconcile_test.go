package gui

import (
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
	if len(v.open.BankLines) == 0 {
		t.Fatal("no open bank lines")
	}
	if !v.match.Disabled() {
		t.Error("Match is enabled with nothing selected")
	}
	v.lineChecked[v.open.BankLines[0].ID] = true
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
}
