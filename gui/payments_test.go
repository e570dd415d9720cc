package gui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/payments"
	banksync "bankbro/core/sync"
)

func TestPaymentsLiveValidation(t *testing.T) {
	u := newScreensUI(t)
	obj := u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	test.Type(v.to, "15032080118")
	if got, want := v.errs["to"], lang.L(payments.MsgAccountChecksum); got != want {
		t.Errorf("to error = %q, want %q", got, want)
	}
	if got := v.errs["name"]; got != "" {
		t.Errorf("name error %q before anything is typed", got)
	}
	v.to.SetText("12345678946")
	if got := v.errs["to"]; got != "" {
		t.Errorf("to error = %q for a valid number", got)
	}
	test.Type(v.amount, "abc")
	if got := v.errs["amount"]; got == "" {
		t.Error("no error for an unreadable amount")
	}
	test.Tap(v.send)
	if got := v.errs["name"]; got == "" {
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
	if who.Text != "Leverandør 0  ·  faktura" || amount.Text != money.Kroner(100).Kr() || details.Text != wantDetails {
		t.Errorf("first row: %q, %q, %q; want %q, %q, %q", who.Text, amount.Text, details.Text,
			"Leverandør 0  ·  faktura", money.Kroner(100).Kr(), wantDetails)
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

// TestPaymentsFormKeepsItsPlaces: errors showing and going leave every
// field and the button where they were, nothing overlaps, and once the
// fields are right again nothing is left saying they are wrong.
func TestPaymentsFormKeepsItsPlaces(t *testing.T) {
	u := newScreensUI(t)
	w := screenWindow(t, u.paymentsScreen())
	v := u.screens().payments
	v.bg.Wait()
	inputs := []fyne.CanvasObject{v.from, v.to, v.name, v.amount, v.due, v.kidMsg, v.debit, v.send}
	names := []string{"from", "to", "name", "amount", "due", "kid or message", "debit", "send"}
	type rect struct{ pos, size fyne.Size }
	places := func() []rect {
		// Lay the whole window out again, as the next frame would.
		w.Resize(fyne.NewSize(1101, 720))
		w.Resize(fyne.NewSize(1100, 720))
		d := fyne.CurrentApp().Driver()
		var out []rect
		for _, o := range inputs {
			p := d.AbsolutePositionForObject(o)
			out = append(out, rect{fyne.NewSize(p.X, p.Y), o.Size()})
		}
		return out
	}
	before := places()

	test.Tap(v.send) // everything empty
	if !v.fieldMsg.Visible() || !strings.Contains(v.fieldMsg.Text, lang.L("Recipient")+": ") {
		t.Fatalf("after sending an empty form the form says %q, want the recipient named", v.fieldMsg.Text)
	}
	after := places()
	for i := range inputs {
		if before[i] != after[i] {
			t.Errorf("%s moved from %v to %v when the errors appeared", names[i], before[i], after[i])
		}
	}
	msg := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.fieldMsg)
	for i, o := range inputs {
		p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		if p.Y+o.Size().Height > msg.Y && p.Y < msg.Y+v.fieldMsg.Size().Height {
			t.Errorf("%s (y %v–%v) overlaps the errors (y %v–%v)", names[i], p.Y, p.Y+o.Size().Height, msg.Y, msg.Y+v.fieldMsg.Size().Height)
		}
	}
	shoot(t, "payments-errors", w.Content())

	test.Type(v.to, "1234 56 78946")
	test.Type(v.name, "Gårdeier AS")
	test.Type(v.amount, "1 250,00")
	test.Type(v.kidMsg, "Faktura 17")
	if v.fieldMsg.Visible() || v.formMsg.Text != "" {
		t.Errorf("every field is right, yet the form says %q / %q", v.fieldMsg.Text, v.formMsg.Text)
	}
	if again := places(); again[len(again)-1] != before[len(before)-1] {
		t.Errorf("the button moved from %v to %v", before[len(before)-1], again[len(again)-1])
	}
}

// TestPaymentsErrorsSpeakPlainly: a mistyped account number or KID is
// called what it is, without the names of the check-digit algorithms.
func TestPaymentsErrorsSpeakPlainly(t *testing.T) {
	u := newScreensUI(t)
	u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	test.Type(v.to, "1503.20.80118")
	test.Type(v.kidMsg, "0000123456781")
	for _, f := range []string{payments.FieldTo, payments.FieldKID} {
		got := v.errs[f]
		if got == "" || strings.Contains(got, "MOD") {
			t.Errorf("%s error = %q, want the wrong check digit said plainly", f, got)
		}
	}
	if !strings.Contains(v.fieldMsg.Text, lang.L("To account")+": ") {
		t.Errorf("the errors %q do not name the account field", v.fieldMsg.Text)
	}
}

// addWaiting stores n payments awaiting signing in the bank, due from
// today on, each with the bank's id "bank-<i>".
func addWaiting(t *testing.T, u *ui, n int) {
	t.Helper()
	accounts, err := u.ledger.BankAccounts(u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		for i := range n {
			p, err := tx.AddPayment(ledger.Payment{BankAccount: accounts[0].ID, RecipientAccount: "97104133219",
				RecipientName: fmt.Sprint("Leverandør ", i), Amount: money.Kroner(100 + int64(i)),
				DueDate: scrToday.AddDays(i), Message: "faktura", Status: string(payments.StatusPendingApproval)})
			if err != nil {
				return err
			}
			if err := tx.SetPaymentBankID(p.ID, fmt.Sprint("bank-", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPaymentsManyWaitingLeaveTheListRoom: eight payments to sign take a
// few lines above the list, not the list's place, in a small window.
func TestPaymentsManyWaitingLeaveTheListRoom(t *testing.T) {
	u := newScreensUI(t)
	addWaiting(t, u, 8)
	u.win.Resize(fyne.NewSize(900, 600))
	u.nav.Select(3) // in the window, beside the sections and above the status bar
	v := u.screens().payments
	v.bg.Wait()
	u.win.Resize(fyne.NewSize(901, 600)) // lay it out with what was read
	u.win.Resize(fyne.NewSize(900, 600))

	lines := strings.Split(v.waiting.Text, "\n")
	if len(lines) != waitingShown+1 || !strings.Contains(lines[0], "Leverandør 0,") || lines[waitingShown] != fmt.Sprintf(lang.L("… and %d more"), 8-waitingShown) {
		t.Errorf("what waits reads\n%s\nwant the %d due first and how many more", v.waiting.Text, waitingShown)
	}
	row := v.list.CreateItem().MinSize().Height
	if got := v.list.Size().Height; got < 4*row {
		t.Errorf("the list has %.0f px, room for %.1f rows; want room for 4 at least", got, got/row)
	}
	shootWindow(t, "payments-many-waiting", u.win)
}

// signingPage stands in for the bank: its signing page's address lists the
// payment ids.
type signingPage struct{}

func (signingPage) Client(context.Context) (payments.Bank, error) {
	return nil, errors.New("no bank in this test")
}

func (signingPage) ApproveURL(ids ...string) string {
	return "https://bank.test/approve?ids=" + strings.Join(ids, ",")
}

// TestPaymentsSignLater: payments left unsigned can be signed later, all at
// once from "Needs you", or one by choosing it in the list.
func TestPaymentsSignLater(t *testing.T) {
	u := newScreensUI(t)
	var opened []string
	u.browser.system = login.BrowserFunc(func(url string) error { opened = append(opened, url); return nil })
	u.nav.Select(3)
	v := u.screens().payments
	v.bank = signingPage{}
	v.bg.Wait()
	if v.signAll.Visible() {
		t.Error("a button to sign in the bank, with nothing to sign")
	}

	addWaiting(t, u, 3)
	v.reload()
	v.bg.Wait()
	if !v.signAll.Visible() {
		t.Fatal("three payments await signing, and Needs you offers no way to sign them")
	}
	test.Tap(v.signAll)
	if want := "https://bank.test/approve?ids=bank-2,bank-1,bank-0"; len(opened) != 1 || opened[0] != want {
		t.Errorf("the button opened %q, want %q", opened, want)
	}

	opened = nil
	row := slices.IndexFunc(v.shown, func(p payments.Payment) bool { return p.BankPaymentID == "bank-1" })
	v.list.Select(row)
	over := u.win.Canvas().Overlays().Top()
	if over == nil {
		t.Fatal("choosing a payment that awaits signing offers nothing")
	}
	test.Tap(buttonIn(t, over, lang.L("Sign in the bank now")))
	if want := "https://bank.test/approve?ids=bank-1"; len(opened) != 1 || opened[0] != want {
		t.Errorf("signing the chosen payment opened %q, want %q", opened, want)
	}
	if !strings.Contains(u.status.label.Text, lang.L("Refresh statuses")) {
		t.Errorf("after opening the bank the status says %q, want what to do once signed", u.status.label.Text)
	}
}

// dialogButton returns the button labelled text in the dialog on top.
func dialogButton(t *testing.T, u *ui, text string) *widget.Button {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog with %q", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("the dialog has no %q", text)
	return nil
}

// approveSend presses Send and approves the payment the dialog shows.
func approveSend(t *testing.T, u *ui, v *paymentsView) {
	t.Helper()
	test.Tap(v.send)
	v.bg.Wait()
	test.Tap(dialogButton(t, u, lang.L("Approve and send")))
	v.bg.Wait()
}

// A payment whose send fails is kept, approved, for the next refresh to
// send; the form is emptied and says so. Entered and sent again, the same
// payment is not made twice unless the owner says so: before, Send pressed
// again after the bank login had expired made a second payment, and the
// next refresh would have paid the supplier twice.
func TestPaymentsSameTwiceAsksFirst(t *testing.T) {
	u := newScreensUI(t)
	u.nav.Select(3)
	v := u.screens().payments
	v.bank = signingPage{} // its bank cannot be reached: every send fails
	v.bg.Wait()
	stored := func() []payments.Payment {
		ps, err := payments.List(u.ctx, u.ledger, payments.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	fillPayment(v)
	approveSend(t, u, v)
	ps := stored()
	if len(ps) != 1 || ps[0].Status != payments.StatusApproved {
		t.Fatalf("after a failed send: %+v, want the payment kept, approved", ps)
	}
	want := fmt.Sprintf(lang.L("The payment to %s is saved, but not sent: %s It goes to the bank when you press “Refresh statuses”."), "Kontorrekvisita AS", "")
	if v.to.Text != "" || v.amount.Text != "" || !strings.HasPrefix(v.formMsg.Text, want[:strings.Index(want, ":")]) {
		t.Errorf("after a failed send the form holds %q, %q and says %q; want it empty and saying the payment is kept", v.to.Text, v.amount.Text, v.formMsg.Text)
	}

	fillPayment(v)
	test.Tap(v.send)
	test.Tap(dialogButton(t, u, lang.L("Do not send")))
	v.bg.Wait()
	if n := len(stored()); n != 1 || v.send.Disabled() {
		t.Errorf("told not to send: %d payments, Send disabled %v; want 1 and Send usable", n, v.send.Disabled())
	}
	test.Tap(v.send)
	test.Tap(dialogButton(t, u, lang.L("Send another")))
	test.Tap(dialogButton(t, u, lang.L("Approve and send")))
	v.bg.Wait()
	if n := len(stored()); n != 2 {
		t.Errorf("told to send another: %d payments, want 2", n)
	}
}

// noPaymentsBank is a bank that has none of the app's payments.
type noPaymentsBank struct{ signingPage }

func (noPaymentsBank) Client(context.Context) (payments.Bank, error) { return noPayments{}, nil }

type noPayments struct{ payments.Bank }

func (noPayments) Payments(context.Context, string) ([]bank.Payment, error) { return nil, nil }

// A payment whose send failed can be cancelled from the list, so that no
// refresh sends it; chosen and kept, it stays.
func TestPaymentsCancelWhatWasNotSent(t *testing.T) {
	u, v := unsentPayment(t)
	if len(v.shown) != 1 || v.shown[0].Status != payments.StatusApproved {
		t.Fatalf("the list shows %+v, want the approved payment", v.shown)
	}
	id := v.shown[0].ID
	status := func() payments.Status {
		p, err := payments.Get(u.ctx, u.ledger, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Status
	}

	v.selected(0)
	test.Tap(dialogButton(t, u, lang.L("Keep it")))
	if s := status(); s != payments.StatusApproved {
		t.Errorf("kept: %s, want approved", s)
	}
	v.bank = noPaymentsBank{}
	v.selected(0)
	test.Tap(dialogButton(t, u, lang.L("Cancel the payment")))
	v.bg.Wait()
	if s := status(); s != payments.StatusCancelled || u.status.label.Text != fmt.Sprintf(lang.L("The payment to %s is cancelled."), "Kontorrekvisita AS") {
		t.Errorf("cancelled: %s, the status bar says %q", s, u.status.label.Text)
	}
}

// scriptedBank answers as told: CreatePayment with refuse, or Payments
// with have (the bank's list of the account's payments).
type scriptedBank struct {
	signingPage
	refuse error
	have   []bank.Payment
}

func (b scriptedBank) Client(context.Context) (payments.Bank, error) { return scriptedClient{b}, nil }

type scriptedClient struct{ b scriptedBank }

func (c scriptedClient) CreatePayment(context.Context, bank.PaymentRequest) (bank.Payment, error) {
	return bank.Payment{}, c.b.refuse
}
func (c scriptedClient) Payments(context.Context, string) ([]bank.Payment, error) {
	return c.b.have, nil
}
func (c scriptedClient) Payment(context.Context, string, string) (bank.Payment, error) {
	return bank.Payment{}, errors.New("not asked in this test")
}

// A payment the bank refuses is cancelled, and the form keeps it with the
// bank's reason, to be put right: it will never go, so it must not read
// "saved, goes with the next refresh".
func TestPaymentsRefusedKeepsTheForm(t *testing.T) {
	u := newScreensUI(t)
	u.nav.Select(3)
	v := u.screens().payments
	v.bank = scriptedBank{refuse: &bank.ProblemError{Status: 422, Title: "Invalid payment", Detail: "The recipient's account is closed."}}
	v.bg.Wait()
	fillPayment(v)
	approveSend(t, u, v)
	if v.to.Text == "" || !strings.Contains(v.formMsg.Text, "The recipient's account is closed.") ||
		strings.Contains(v.formMsg.Text, lang.L("Refresh statuses")) {
		t.Errorf("after a refusal the form holds %q and says %q; want it kept, with the bank's reason", v.to.Text, v.formMsg.Text)
	}
	if len(v.shown) != 1 || v.shown[0].Status != payments.StatusCancelled {
		t.Errorf("the list shows %+v, want the refused payment cancelled", v.shown)
	}
}

// A payment the bank got after all is not called cancelled, and the window
// says what the bank says it is: awaiting a signature, or paid.
func TestPaymentsCancelFindsItAtTheBank(t *testing.T) {
	for _, c := range []struct {
		status bank.PaymentStatus
		want   string
	}{
		{bank.StatusPendingApproval, "The bank had the payment to %s after all, so it is not cancelled: it waits for your signature in the bank. Do not sign it if it should not be paid."},
		{bank.StatusProcessed, "The bank had the payment to %s after all, so it is not cancelled: it is %s."},
	} {
		t.Run(string(c.status), func(t *testing.T) {
			u, v := unsentPayment(t)
			p := v.shown[0]
			v.bank = scriptedBank{have: []bank.Payment{{ID: "B1", RecipientAccountNumber: p.To,
				Amount: p.Amount, DueDate: p.Due, Text: p.Message, Reference: p.Reference, Status: c.status}}}
			v.selected(0)
			test.Tap(dialogButton(t, u, lang.L("Cancel the payment")))
			v.bg.Wait()
			want := fmt.Sprintf(lang.L(c.want), p.Name)
			if c.status == bank.StatusProcessed {
				want = fmt.Sprintf(lang.L(c.want), p.Name, lang.L(payments.StatusText(payments.StatusProcessed)))
			}
			got, err := payments.Get(u.ctx, u.ledger, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.status.label.Text != want || got.Status == payments.StatusCancelled {
				t.Errorf("the status bar says %q, the payment is %s; want %q and not cancelled", u.status.label.Text, got.Status, want)
			}
		})
	}
}

// fillPayment types a payment of 1 250,50 kr to Kontorrekvisita AS, with
// the message "Faktura 2231", into the form.
func fillPayment(v *paymentsView) {
	test.Type(v.to, "1234 56 78946")
	test.Type(v.name, "Kontorrekvisita AS")
	test.Type(v.amount, "1 250,50")
	test.Type(v.kidMsg, "Faktura 2231")
}

// unsentPayment opens Payments and sends the payment of fillPayment to a
// bank that cannot be reached: it is stored, approved and not sent.
func unsentPayment(t *testing.T) (*ui, *paymentsView) {
	t.Helper()
	u := newScreensUI(t)
	u.nav.Select(3)
	v := u.screens().payments
	v.bank = signingPage{} // the send fails
	v.bg.Wait()
	fillPayment(v)
	approveSend(t, u, v)
	return u, v
}

// Money moved to another of the company's own accounts is a transfer: the
// form debits that account's GL account as the number is typed (not 2400
// suppliers, which would book the company's own money away), and goes back
// to suppliers when the number typed on is someone else's.
func TestPaymentsTransferDebitsTheOwnAccount(t *testing.T) {
	u := newScreensUI(t)
	err := u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		_, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "acc2", Number: "12345678903", Name: "Sparekonto",
			GLAccount: 1922, Reconciliation: true, Active: true, StartDate: civil.MustParse("2026-03-01")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	debits := func() string { return strings.Fields(v.debit.Selected + " ")[0] }
	if debits() != "2400" {
		t.Fatalf("a new payment debits %q, want 2400", v.debit.Selected)
	}
	test.Type(v.to, "1234.56.78903")
	if debits() != "1922" {
		t.Errorf("to the company's savings account the form debits %q, want 1922 (its GL account)", v.debit.Selected)
	}
	v.to.SetText("1234.56.78946")
	if debits() != "2400" {
		t.Errorf("to someone else's account the form debits %q, want 2400 again", v.debit.Selected)
	}
	// To the account paid from: that is what is wrong, not the debit.
	v.to.SetText("1503.20.80119")
	if debits() != "2400" || v.errs[payments.FieldTo] != lang.L(payments.MsgToIsFrom) || v.errs[payments.FieldDebitAccount] != "" {
		t.Errorf("to the account paid from: debits %q, errors %v; want 2400 and only the recipient's account refused", v.debit.Selected, v.errs)
	}
	// A debit chosen by hand stays when the number changes.
	v.selectDebit(6300)
	v.to.SetText("1234.56.7894")
	if debits() != "6300" {
		t.Errorf("a debit chosen by hand became %q as the number was typed", v.debit.Selected)
	}
	// Sent to the savings account, the transfer is booked to it.
	v.to.SetText("1234.56.78903")
	v.name.SetText("Solsiden Kaffebar AS")
	v.amount.SetText("1 250,50")
	v.kidMsg.SetText("Til sparing")
	d, ok := v.validate(true)
	if !ok || d.DebitAccount != 1922 {
		t.Errorf("the transfer's draft debits %d (valid %v, %v), want 1922", d.DebitAccount, ok, v.errs)
	}
	v.selectDefaultDebit()
	if _, ok := v.validate(true); ok || v.errs[payments.FieldDebitAccount] != lang.L(payments.MsgDebitNotOwn) {
		t.Errorf("a transfer debiting 2400 by hand: errors %v, want the debit refused", v.errs)
	}
}

// A payment chosen in the list that asks nothing of the owner shows all of
// it: the accounts, the GL account debited with its name, the reference,
// the status and the voucher that posted it.
func TestPaymentsShowsAPayment(t *testing.T) {
	u := newScreensUI(t)
	u.paymentsScreen()
	v := u.screens().payments
	v.bg.Wait()
	lines, err := u.ledger.BankLines(u.ctx, 1, scrToday.AddDays(-1), scrToday.AddDays(-1))
	if err != nil || len(lines) == 0 {
		t.Fatalf("lines %v, %v", lines, err)
	}
	posted, err := banksync.Post(u.ctx, u.ledger, lines[0].ID, 2400, "")
	if err != nil {
		t.Fatal(err)
	}
	p := payments.Payment{Reference: "BB-TEST-1", FromAccount: "15032080119", To: "12345678946", Name: "Friele AS",
		Amount: money.Kroner(1250), Due: scrToday, KID: "0000123456782", DebitAccount: 2400,
		Status: payments.StatusProcessed, Voucher: posted.ID}
	rows, err := paymentDetails(u.ctx, u.ledger, p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]] = r[1]
	}
	a, _ := u.ledger.Account(u.ctx, 2400)
	for label, want := range map[string]string{
		lang.L("From account"):     "1503.20.80119",
		lang.L("To account"):       "1234.56.78946",
		lang.L("Account to debit"): "2400 " + a.Name,
		lang.L("Status"):           capitalize(lang.L(p.StatusText())),
		lang.L("In the books"):     fmt.Sprintf(lang.L("Posted as voucher %d"), posted.Number),
		"KID":                      "0000123456782",
	} {
		if got[label] != want {
			t.Errorf("%s: %q, want %q", label, got[label], want)
		}
	}
	v.showPayment(p)
	v.bg.Wait()
	if u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog")
	}
	if text := overlayLabels(u); !strings.Contains(text, "BB-TEST-1") || !strings.Contains(text, "1234.56.78946") {
		t.Errorf("the dialog shows %q, want the payment's reference and accounts", text)
	}
}

// The due date can be picked from a calendar, as in the wizard.
func TestPaymentsDueDateHasACalendar(t *testing.T) {
	u := newScreensUI(t)
	w := screenWindow(t, u.paymentsScreen())
	v := u.screens().payments
	v.bg.Wait()
	var pick *widget.Button
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Icon == theme.CalendarIcon() {
			pick = b
		}
	}
	if pick == nil {
		t.Fatal("no calendar button in the payment form")
	}
	test.Tap(pick)
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Error("the calendar button opened nothing")
	}
	if v.due.Text != scrToday.Norwegian() {
		t.Errorf("due date %q, want today %s", v.due.Text, scrToday.Norwegian())
	}
	// It offers today and later, not the days the bank would refuse.
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		b, ok := o.(*widget.Button)
		if !ok || b.Text == "" {
			continue
		}
		day, _ := strconv.Atoi(b.Text)
		if past := day < scrToday.Day; b.Disabled() != past {
			t.Errorf("day %d of this month: offered %v", day, !b.Disabled())
		}
	}
}

// Send shows the payment as it will go to the bank, to approve: Cancel
// stores and sends nothing, and keeps the form; Approve and send sends it.
func TestPaymentsApprovedBeforeSent(t *testing.T) {
	u := newScreensUI(t)
	u.nav.Select(3)
	v := u.screens().payments
	v.bank = signingPage{}
	v.bg.Wait()
	fillPayment(v)
	v.debit.ClearSelected() // what is sent debits the default: the approval says so
	test.Tap(v.send)
	v.bg.Wait()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Send sent the payment without asking to approve it")
	}
	var shown []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			shown = append(shown, l.Text)
		}
	}
	all := strings.Join(shown, "\n")
	for _, want := range []string{"1234.56.78946", "Kontorrekvisita AS", money.Amount(125050).Kr(), "Faktura 2231", "2400 Leverandørgjeld"} {
		if !strings.Contains(all, want) {
			t.Errorf("the approval does not show %q:\n%s", want, all)
		}
	}
	test.Tap(dialogButton(t, u, lang.L("Cancel")))
	v.bg.Wait()
	if ps, _ := payments.List(u.ctx, u.ledger, payments.Filter{}); len(ps) != 0 || v.name.Text != "Kontorrekvisita AS" || v.send.Disabled() {
		t.Errorf("after Cancel: %d payments, form name %q, Send disabled %v; want none, the form kept, Send usable", len(ps), v.name.Text, v.send.Disabled())
	}
	approveSend(t, u, v)
	if ps, _ := payments.List(u.ctx, u.ledger, payments.Filter{}); len(ps) != 1 || ps[0].Status != payments.StatusApproved {
		t.Errorf("after Approve and send: %+v, want one payment, approved", ps)
	}
}
