package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/onboarding"
	"bankbro/core/payments"
	"bankbro/core/sandbox"
)

// connectDemo connects the window's demo company to its demo bank through
// the onboarding core, as the wizard does.
func connectDemo(t *testing.T, u *ui) {
	t.Helper()
	client, err := u.bank.Client(u.ctx)
	if err != nil {
		if err := u.bank.Login(u.ctx); err != nil {
			t.Fatal(err)
		}
		if client, err = u.bank.Client(u.ctx); err != nil {
			t.Fatal(err)
		}
	}
	f, err := onboarding.Gather(u.ctx, u.ledger, client, u.today())
	if err != nil {
		t.Fatal(err)
	}
	p := onboarding.Suggest(f)
	h, err := onboarding.ReadHistory(u.ctx, client, p, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := onboarding.Apply(u.ctx, u.ledger, u.bank, p, f, h); err != nil {
		t.Fatal(err)
	}
}

// buttonIn finds the button with the text among o's descendants.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		if v.Text == text {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := buttonIn(t, c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, v)
		if r == nil {
			return nil
		}
		for _, c := range r.Objects() {
			if b := buttonIn(t, c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// demoPayments opens the Payments screen on the demo company, connected to
// its demo bank.
func demoPayments(t *testing.T) (*ui, *sandbox.Server, *paymentsView) {
	t.Helper()
	u, srv := newWizardUI(t, "")
	connectDemo(t, u)
	u.win.SetContent(container.NewStack(u.paymentsScreen()))
	v := u.screens().payments
	v.bg.Wait()
	return u, srv, v
}

// sendPayment fills in 1 250,00 kr to Gårdeier AS, due 30.11.2026, with the
// KID or message, and sends it, approved.
func sendPayment(t *testing.T, u *ui, v *paymentsView, kidMsg string) {
	test.Type(v.to, "1503.20.80119")
	test.Type(v.name, "Gårdeier AS")
	test.Type(v.amount, "1 250,00")
	v.due.SetText("30.11.2026")
	test.Type(v.kidMsg, kidMsg)
	approveSend(t, u, v)
}

// refreshOnDueDate moves the bank's clock to 30.11.2026, refreshes the
// statuses and returns every payment.
func refreshOnDueDate(u *ui, srv *sandbox.Server, v *paymentsView) []payments.Payment {
	srv.Bank.SetToday(civil.MustParse("2026-11-30"))
	test.Tap(v.refresh)
	v.bg.Wait()
	ps, _ := payments.List(u.ctx, u.ledger, payments.Filter{})
	return ps
}

// TestPaymentsSendAndSign: the owner fills in a payment, sends it, signs it
// in the bank from the dialog, and sees it paid once the bank's clock
// reaches the due date.
func TestPaymentsSendAndSign(t *testing.T) {
	u, srv, v := demoPayments(t)
	if !v.none.Visible() || v.message.Visible() {
		t.Errorf("no payments yet: the empty-list text shown %v, the message row shown %v (%q)", v.none.Visible(), v.message.Visible(), v.message.Text)
	}

	sendPayment(t, u, v, "0000123456782")
	if v.formMsg.Text != "" {
		t.Fatalf("send: %q", v.formMsg.Text)
	}
	sent, err := payments.List(u.ctx, u.ledger, payments.Filter{})
	if err != nil || len(sent) != 1 || sent[0].Status != payments.StatusPendingApproval || sent[0].Amount != 125000 {
		t.Fatalf("after send: %+v, %v", sent, err)
	}
	if !strings.Contains(v.waiting.Text, "Gårdeier AS") {
		t.Errorf("what waits for the owner = %q, want the payment to sign", v.waiting.Text)
	}
	// The dialog offers to sign now; the scripted browser signs with BankID.
	over := u.win.Canvas().Overlays().Top()
	if over == nil {
		t.Fatal("no dialog offers to sign the payment")
	}
	sign := buttonIn(t, over, lang.L("Sign in the bank now"))
	if sign == nil {
		t.Fatal("the dialog has no button to sign now")
	}
	test.Tap(sign)

	if paid := refreshOnDueDate(u, srv, v); len(paid) != 1 || paid[0].Status != payments.StatusProcessed {
		t.Fatalf("after the due date: %+v", paid)
	}
	if v.waiting.Text != lang.L("Nothing waits for you.") {
		t.Errorf("waiting = %q after the payment was paid", v.waiting.Text)
	}
	if got, want := u.status.label.Text, lang.L("1 payment changed status."); got != want {
		t.Errorf("status after the refresh = %q, want %q", got, want)
	}
	if v.none.Visible() {
		t.Error("the empty-list text is shown beside a payment")
	}
}

// TestPaymentsSignLaterInTheBank: the owner sends a payment, answers
// "Later" when asked to sign, signs it afterwards from "Needs you", and sees
// it paid on the due date.
func TestPaymentsSignLaterInTheBank(t *testing.T) {
	u, srv, v := demoPayments(t)
	sendPayment(t, u, v, "0000123456782")
	over := u.win.Canvas().Overlays().Top()
	if over == nil {
		t.Fatal("no dialog offers to sign the payment")
	}
	test.Tap(buttonIn(t, over, lang.L("Later")))
	if !v.signAll.Visible() {
		t.Fatal("after Later, Needs you offers no way to sign the payment")
	}
	test.Tap(v.signAll) // the scripted browser signs with BankID

	if paid := refreshOnDueDate(u, srv, v); len(paid) != 1 || paid[0].Status != payments.StatusProcessed {
		t.Fatalf("signed later, after the due date: %+v", paid)
	}
	if v.signAll.Visible() {
		t.Error("the button to sign stays once nothing awaits signing")
	}
}

// TestPaymentsFormReadyForTheNext: after a payment is sent the form is
// empty, due today and debiting the default account again, but still from
// the account the owner chose.
func TestPaymentsFormReadyForTheNext(t *testing.T) {
	u, _, v := demoPayments(t)
	from := len(v.from.Options) - 1
	v.from.SetSelectedIndex(from)
	defaultDebit := v.debit.Selected
	for _, o := range v.debit.Options {
		if o != defaultDebit {
			v.debit.SetSelected(o)
			break
		}
	}
	sendPayment(t, u, v, "Husleie desember")
	if sent, err := payments.List(u.ctx, u.ledger, payments.Filter{}); err != nil || len(sent) != 1 {
		t.Fatalf("sent %d payments (%v), form says %q %q", len(sent), err, v.fieldMsg.Text, v.formMsg.Text)
	}
	if got, want := v.due.Text, wizardToday.Norwegian(); got != want {
		t.Errorf("the next payment is due %q, want today, %q", got, want)
	}
	if got := v.debit.Selected; got != defaultDebit {
		t.Errorf("the next payment debits %q, want the default %q", got, defaultDebit)
	}
	if got := v.from.SelectedIndex(); got != from {
		t.Errorf("the next payment is from account %d, want %d as before", got, from)
	}
	if v.to.Text != "" || v.name.Text != "" || v.amount.Text != "" || v.kidMsg.Text != "" || v.fieldMsg.Visible() {
		t.Errorf("the form is not empty for the next payment: %q %q %q %q, errors %q", v.to.Text, v.name.Text, v.amount.Text, v.kidMsg.Text, v.fieldMsg.Text)
	}
}

// TestYesterdayUnmatch: a line the matcher matched can be unmatched from the
// Yesterday screen, and is then open again.
func TestYesterdayUnmatch(t *testing.T) {
	u, _ := newWizardUI(t, "")
	connectDemo(t, u)
	u.win.SetContent(container.NewStack(u.yesterdayScreen()))
	m := u.screens().morning
	m.bg.Wait()
	row := -1
	for i, r := range m.rows {
		if r.line != nil && r.line.Matched {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatal("no matched line yesterday in the demo books")
	}
	id := m.rows[row].line.ID
	m.list.Select(row)
	if m.unmatch.Disabled() {
		t.Fatal("Unmatch is disabled for a matched line")
	}
	test.Tap(m.unmatch)
	m.bg.Wait()
	if match, err := u.ledger.MatchOfBankLine(u.ctx, id); err != nil || match != 0 {
		t.Errorf("after unmatch the line is in match %d (%v)", match, err)
	}
}

// TestReconcilePostOneLine: in manual matching, one open bank line can be
// posted to an account and is then matched.
func TestReconcilePostOneLine(t *testing.T) {
	u, _ := newWizardUI(t, "")
	connectDemo(t, u)
	u.win.SetContent(container.NewStack(u.reconcileScreen()))
	v := u.screens().reconcile
	v.bg.Wait()
	line, ok := v.linePages.row(0)
	if !ok {
		t.Fatalf("no open bank lines in the demo books (%d counted)", v.linePages.count())
	}
	v.lineChecked[line.ID] = line.Amount
	v.sums()
	if v.post.Disabled() {
		t.Fatal("Post and match is disabled with one bank line selected")
	}
	v.counter.SetText("6800 Kontorrekvisita")
	test.Tap(v.post)
	v.bg.Wait()
	if match, err := u.ledger.MatchOfBankLine(u.ctx, line.ID); err != nil || match == 0 {
		t.Errorf("the posted line is not matched (%d, %v): %q", match, err, v.message.Text)
	}
	if voucher, _ := u.ledger.VoucherForBankTransaction(u.ctx, line.ID); voucher == 0 {
		t.Error("the line has no voucher")
	}
}
