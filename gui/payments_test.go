package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
)

func TestPaymentsLiveValidation(t *testing.T) {
	u := newScreensUI(t)
	obj := u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	test.Type(v.to, "15032080118")
	if got := v.errs["to"].Text; !strings.Contains(got, "MOD11") {
		t.Errorf("to error = %q, want the control digit", got)
	}
	if got := v.errs["name"].Text; got != "" {
		t.Errorf("name error %q before anything is typed", got)
	}
	v.to.SetText("15032080119")
	if got := v.errs["to"].Text; got != "" {
		t.Errorf("to error = %q for a valid number", got)
	}
	test.Type(v.amount, "abc")
	if got := v.errs["amount"].Text; got == "" {
		t.Error("no error for an unreadable amount")
	}
	test.Tap(v.send)
	if got := v.errs["name"].Text; got == "" {
		t.Error("submit shows no error for the missing name")
	}
	if v.waiting.Text != lang.L("Nothing waits for you.") {
		t.Errorf("waiting = %q", v.waiting.Text)
	}
	shoot(t, "payments", obj)
}
