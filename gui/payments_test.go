package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/core/ledger"
	"bankbro/core/money"
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

// TestPaymentsListReadsPages: the list reads a page of payments, and the
// next one only when its last row comes into view.
func TestPaymentsListReadsPages(t *testing.T) {
	u := newScreensUI(t)
	accounts, err := u.ledger.BankAccounts(u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		for i := range 250 {
			_, err := tx.AddPayment(ledger.Payment{BankAccount: accounts[0].ID, RecipientAccount: "97104133219",
				RecipientName: fmt.Sprint("Leverandør ", i), Amount: money.Kroner(100 + int64(i)),
				DueDate: scrToday.AddDays(-i), Message: "faktura", Status: "draft"})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	obj := u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	if len(v.shown) != paymentsPageSize || !v.more || v.length() != paymentsPageSize+1 {
		t.Fatalf("after opening: %d read, more %v, %d rows; want one page of %d and a row for more",
			len(v.shown), v.more, v.length(), paymentsPageSize)
	}
	row := v.list.CreateItem()
	v.updateRow(0, row)
	who, amount, details := paymentRow(row)
	wantDetails := scrToday.Norwegian() + "  ·  9710.41.33219  ·  " + lang.L("draft")
	if who.Text != "Leverandør 0" || amount.Text != money.Kroner(100).String() || details.Text != wantDetails {
		t.Errorf("first row: %q, %q, %q; want %q, %q, %q", who.Text, amount.Text, details.Text,
			"Leverandør 0", money.Kroner(100).String(), wantDetails)
	}
	shoot(t, "payments-list", obj)
	v.updateRow(paymentsPageSize, row) // the row past the page comes into view
	v.bg.Wait()
	if len(v.shown) != 2*paymentsPageSize || !v.more {
		t.Fatalf("after the first page: %d read, more %v; want %d and more", len(v.shown), v.more, 2*paymentsPageSize)
	}
	v.updateRow(2*paymentsPageSize, row)
	v.bg.Wait()
	if len(v.shown) != 250 || v.more || v.length() != 250 {
		t.Fatalf("at the end: %d read, more %v, %d rows; want 250, no more", len(v.shown), v.more, v.length())
	}
	if first, last := v.shown[0].Due, v.shown[249].Due; first != scrToday || last != scrToday.AddDays(-249) {
		t.Errorf("due dates %s … %s, want the latest due first", first, last)
	}
}
