package gui

import (
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
	if !strings.Contains(v.lineSum.Text, "Selected: 1") {
		t.Errorf("line sum = %q", v.lineSum.Text)
	}
	shoot(t, "reconcile", obj)
	test.Tap(v.run)
	v.bg.Wait()
}
