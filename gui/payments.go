package gui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
	"bankbro/core/payments"
)

// paymentsBank is what the Payments screen needs of the bank integration.
type paymentsBank interface {
	Client(ctx context.Context) (payments.Bank, error)
	// ApproveURL is the bank's signing page for these payments.
	ApproveURL(paymentIDs ...string) string
}

type agreementPayments struct{ u *ui }

func (a agreementPayments) Client(ctx context.Context) (payments.Bank, error) {
	svc, err := a.u.agreement()
	if err != nil {
		return nil, err
	}
	return svc.Client(ctx)
}

func (a agreementPayments) ApproveURL(ids ...string) string {
	svc, err := a.u.agreement()
	if err != nil {
		return ""
	}
	return payments.ApproveURL(svc.URL(), ids...)
}

// paymentsView is the Payments screen.
type paymentsView struct {
	u        *ui
	bg       background
	bank     paymentsBank
	accounts []ledger.BankAccount

	from, debit *widget.Select
	// own are all the company's bank accounts, read with the form: a
	// payment to one of them is a transfer (debitFor). transferDebit is the
	// GL account debitFor chose for one (0: none).
	own                           []ledger.BankAccount
	transferDebit                 int
	to, name, amount, due, kidMsg *widget.Entry
	// labels are the form's labels of the draft's fields, and entries the
	// entries that hold them, to mark red; errs is each field's error as
	// shown (translated).
	labels   map[string]string
	entries  map[string]*widget.Entry
	errs     map[string]string
	send     *widget.Button
	fieldMsg *widget.Label // what is wrong with the fields, one line a field
	formMsg  *widget.Label

	filter *widget.Select
	list   *widget.List
	none   *widget.Label // says the list is empty
	// shown holds the pages of the list read so far; more says a next page
	// may follow, read when its row comes into view.
	shown   []payments.Payment
	more    bool
	loading bool
	gen     int // counts reloads; a page of an older list is dropped
	waiting *widget.Label
	// signAll opens the bank's signing page for toSign, the bank's ids of
	// the payments that await signing there.
	signAll *widget.Button
	toSign  []string
	refresh *widget.Button
	message *widget.Label
}

var paymentFields = []string{payments.FieldFrom, payments.FieldTo, payments.FieldName, payments.FieldAmount,
	payments.FieldDue, payments.FieldKID, payments.FieldMessage, payments.FieldDebitAccount}

func (u *ui) paymentsScreen() fyne.CanvasObject {
	defer building()()
	accounts, instead := u.screenAccounts(func(a ledger.BankAccount) bool { return a.Remittance }, lang.L("The payments could not be read"))
	if instead != nil {
		return instead
	}
	v := &paymentsView{u: u, accounts: accounts, bank: agreementPayments{u}}
	if prev := u.screens().payments; prev != nil {
		v.bank = prev.bank
	}
	u.screens().payments = v
	return v.build()
}

func (v *paymentsView) build() fyne.CanvasObject {
	names := make([]string, len(v.accounts))
	for i, a := range v.accounts {
		names[i] = accountLabel(a)
	}
	changed := func(string) { v.validate(false) }
	v.from = widget.NewSelect(names, changed)
	v.from.SetSelectedIndex(0)
	// The due date is typed, or picked from a calendar as in the wizard;
	// the form, not the field, says when it is wrong.
	due := newDateField(v.u.today(), v.u.today, nil)
	due.entry.Validator = nil
	// The calendar offers no day the bank would refuse to pay on.
	due.check = func(d civil.Date) error {
		if d.Before(v.u.today()) {
			return errors.New(lang.L(payments.MsgDueInPast))
		}
		return nil
	}
	v.to, v.name, v.amount, v.due, v.kidMsg = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), due.entry, widget.NewEntry()
	v.to.PlaceHolder = lang.L("11 digits, e.g. 1503.20.80119")
	v.amount.PlaceHolder = lang.L("kroner and øre, e.g. 1 250,00") // a bare amount looked filled in
	v.due.SetText(v.u.today().Norwegian())
	v.kidMsg.PlaceHolder = lang.L("KID, or a message to the recipient")
	for _, e := range []*widget.Entry{v.to, v.name, v.amount, v.due, v.kidMsg} {
		e.OnChanged = changed
	}
	v.to.OnChanged = func(s string) {
		v.debitFor(s)
		v.validate(false)
	}
	// A payment debits a liability or a cost, or, moved to another of the
	// company's bank accounts, that account's GL account.
	banks := map[int]bool{}
	if all, err := v.u.ledger.BankAccounts(v.u.ctx); err == nil {
		v.own = all
		for _, b := range all {
			banks[b.GLAccount] = true
		}
	}
	var debitOptions []string
	if chart, err := v.u.ledger.Accounts(v.u.ctx); err == nil {
		for _, a := range chart {
			if a.Active && (a.Type == ledger.Liability || a.Type == ledger.Expense || banks[a.Number]) {
				debitOptions = append(debitOptions, fmt.Sprintf("%d %s", a.Number, a.Name))
			}
		}
	}
	v.debit = widget.NewSelect(debitOptions, changed)
	v.selectDefaultDebit()
	// The form's rows keep their places whatever is wrong: a wrong entry
	// turns red where it is, and what is wrong is said under the button.
	// (Error lines under each field pushed the fields below them down as
	// they came and went, so a click meant for one field landed on another.)
	rows := []struct {
		label  string
		input  fyne.CanvasObject
		fields []string
	}{
		{lang.L("From account"), v.from, []string{payments.FieldFrom}},
		{lang.L("To account"), v.to, []string{payments.FieldTo}},
		{lang.L("Recipient"), v.name, []string{payments.FieldName}},
		{lang.L("Amount"), v.amount, []string{payments.FieldAmount}},
		{lang.L("Due date"), due.object, []string{payments.FieldDue}},
		{lang.L("KID or message"), v.kidMsg, []string{payments.FieldKID, payments.FieldMessage}},
		{lang.L("Account to debit"), v.debit, []string{payments.FieldDebitAccount}},
	}
	form := widget.NewForm()
	v.labels, v.entries, v.errs = map[string]string{}, map[string]*widget.Entry{}, map[string]string{}
	for _, r := range rows {
		form.Append(r.label, r.input)
		e, _ := r.input.(*widget.Entry)
		if r.input == due.object {
			e = v.due
		}
		if e != nil {
			e.AlwaysShowValidationError = true // red at once, not only after the entry was typed in
		}
		for _, f := range r.fields {
			v.labels[f], v.entries[f] = r.label, e
		}
	}
	v.send = widget.NewButtonWithIcon(lang.L("Send to the bank"), theme.MailSendIcon(), v.submit)
	v.send.Importance = widget.HighImportance
	v.fieldMsg = widget.NewLabel("")
	v.fieldMsg.Importance = widget.DangerImportance
	v.fieldMsg.Wrapping = fyne.TextWrapWord
	v.fieldMsg.Hide()
	v.formMsg = widget.NewLabel("")
	v.formMsg.Wrapping = fyne.TextWrapWord
	left := container.NewVScroll(container.NewVBox(heading(lang.L("New payment")), form, v.send, v.fieldMsg, v.formMsg))

	filters := []string{lang.L("All")}
	for _, s := range payments.Statuses {
		// A choice of its own begins with a capital, as "All" does; in
		// the list, after the amount, the status does not.
		filters = append(filters, capitalize(lang.L(payments.StatusText(s))))
	}
	v.filter = widget.NewSelect(filters, func(string) { v.reload() })
	v.list = widget.NewList(v.length, newPaymentRow, v.updateRow)
	v.list.OnSelected = v.selected
	list, none := orEmpty(v.list, lang.L("No payments to show."))
	v.none = none
	v.waiting = widget.NewLabel("")
	// A line a payment, cut to the width, so that what waits takes a few
	// lines at most and the list keeps its room.
	v.waiting.Truncation = fyne.TextTruncateEllipsis
	v.waiting.Importance = widget.WarningImportance
	v.signAll = widget.NewButtonWithIcon(lang.L("Sign in the bank"), theme.ConfirmIcon(), func() { v.openSigning(v.toSign...) })
	v.signAll.Importance = widget.HighImportance
	v.signAll.Hide()
	v.refresh = widget.NewButtonWithIcon(lang.L("Refresh statuses"), theme.ViewRefreshIcon(), v.refreshStatuses)
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide() // until there is something to say: an empty row above the list
	right := container.NewBorder(container.NewVBox(
		container.NewBorder(nil, nil, heading(lang.L("Payments")), v.refresh),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.L("Needs you"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.signAll),
		v.waiting,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Show")), nil, v.filter), v.message), nil, nil, nil, list)
	v.filter.SetSelectedIndex(0)
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	return split
}

// draft reads the form. Unreadable amount or date give their field error.
func (v *paymentsView) draft() (payments.Draft, payments.FieldErrors) {
	var d payments.Draft
	var errs payments.FieldErrors
	if i := v.from.SelectedIndex(); i >= 0 {
		d.FromAccount = v.accounts[i].Number
	}
	d.To, d.Name = v.to.Text, v.name.Text
	if strings.TrimSpace(v.amount.Text) != "" {
		a, err := payments.ParseAmount(v.amount.Text)
		var fe payments.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
		d.Amount = a
	}
	if strings.TrimSpace(v.due.Text) != "" {
		due, err := payments.ParseDue(v.due.Text)
		var fe payments.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
		d.Due = due
	}
	km := strings.TrimSpace(v.kidMsg.Text)
	if km != "" && strings.Trim(strings.ReplaceAll(km, " ", ""), "0123456789") == "" {
		d.KID = km
	} else {
		d.Message = km
	}
	if f := strings.Fields(v.debit.Selected); len(f) > 0 {
		d.DebitAccount, _ = strconv.Atoi(f[0])
	}
	return d, errs
}

// validate marks the wrong entries red and says under the button what is
// wrong, a line a field, named as the form names it. Unless full, it skips
// the fields not filled in yet and the checks against the ledger.
func (v *paymentsView) validate(full bool) (payments.Draft, bool) {
	if v.fieldMsg == nil {
		return payments.Draft{}, false
	}
	d, errs := v.draft()
	var l *ledger.Ledger
	if full {
		l = v.u.ledger
	}
	errs = append(errs, d.Validate(v.u.ctx, l, v.u.today())...)
	clear(v.errs)
	var lines []string
	wrong := map[*widget.Entry]error{}
	for _, f := range paymentFields {
		e, ok := errs.For(f)
		if !ok || !(full || v.filled(f)) {
			continue
		}
		msg := lang.L(e.Message)
		v.errs[f] = msg
		lines = append(lines, sentence(v.labels[f]+": "+msg))
		if en := v.entries[f]; en != nil && wrong[en] == nil {
			wrong[en] = errors.New(msg)
		}
	}
	for _, en := range v.entries {
		if en != nil {
			en.SetValidationError(wrong[en])
		}
	}
	say(v.fieldMsg, strings.Join(lines, "\n"))
	return d, len(errs) == 0
}

// focusFirstWrong puts the cursor in the first entry marked red.
func (v *paymentsView) focusFirstWrong() {
	for _, f := range paymentFields {
		en := v.entries[f]
		if _, wrong := v.errs[f]; !wrong || en == nil {
			continue
		}
		if c := fyne.CurrentApp().Driver().CanvasForObject(en); c != nil {
			c.Focus(en)
		}
		return
	}
}

// filled says the person has typed in the field, so live validation may
// speak about it.
func (v *paymentsView) filled(f string) bool {
	switch f {
	case payments.FieldTo:
		return v.to.Text != ""
	case payments.FieldName:
		return v.name.Text != ""
	case payments.FieldAmount:
		return v.amount.Text != ""
	case payments.FieldDue:
		return v.due.Text != ""
	case payments.FieldKID, payments.FieldMessage:
		return v.kidMsg.Text != ""
	}
	return true
}

// submit validates fully, asks first when the same payment is in the list
// already (Similar), then has the owner approve it (approve) and sends it.
func (v *paymentsView) submit() {
	d, ok := v.validate(true)
	if !ok {
		v.formMsg.SetText("")
		v.focusFirstWrong()
		return
	}
	v.send.Disable()
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		same, err := payments.Similar(ctx, l, d)
		do(func() {
			if err != nil || len(same) == 0 { // a failed look is no reason not to send
				v.approve(d)
				return
			}
			v.askSendAgain(d, same)
		})
	})
}

// askSendAgain names the payments like d in the list and sends d only if
// the owner says so: a second one pays the recipient twice.
func (v *paymentsView) askSendAgain(d payments.Draft, same []payments.Payment) {
	var lines []string
	for i, p := range same {
		if i == 3 {
			lines = append(lines, fmt.Sprintf(lang.L("and %d more"), len(same)-i))
			break
		}
		lines = append(lines, "• "+paymentLine(p)+": "+lang.L(p.StatusText()))
	}
	text := widget.NewLabel(strings.Join(lines, "\n") + "\n\n" +
		lang.L("Sending this one too pays the recipient twice. A payment that is approved but not sent goes to the bank when you press “Refresh statuses”."))
	text.Wrapping = fyne.TextWrapWord
	v.confirmSend(lang.L("This payment is in the list already"), lang.L("Send another"), lang.L("Do not send"), text,
		func() { v.approve(d) })
}

// confirmSend asks the owner with content before next goes on toward the
// bank; No gives Send back, for the form to be changed or sent later.
func (v *paymentsView) confirmSend(title, yes, no string, content fyne.CanvasObject, next func()) {
	d := dialog.NewCustomConfirm(title, yes, no, content, func(ok bool) {
		if ok {
			next()
			return
		}
		v.send.Enable()
	}, v.u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// approve shows the payment as it will go to the bank, for the owner to
// approve before it is sent (DESIGN: validated, approved in the app, sent).
// Before, Send sent it at once: a wrong amount or account went unseen.
func (v *paymentsView) approve(d payments.Draft) {
	d = d.Normalized()
	// The account d debits, named as the form offers it: the form may have
	// changed while Similar looked, and d is what is sent.
	debit := strconv.Itoa(d.DebitAccount)
	for _, o := range v.debit.Options {
		if strings.HasPrefix(o, debit+" ") {
			debit = o
		}
	}
	form := widget.NewForm()
	for _, r := range draftRows(d, debit) {
		value := widget.NewLabel(r[1])
		value.Wrapping = fyne.TextWrapWord
		form.Append(r[0], value)
	}
	note := widget.NewLabel(lang.L("Once you approve it, it goes to the bank at once. The bank pays it when you have signed it there with BankID."))
	note.Wrapping = fyne.TextWrapWord
	v.confirmSend(lang.L("Approve the payment"), lang.L("Approve and send"), lang.L("Cancel"), container.NewVBox(form, note),
		func() { v.sendDraft(d) })
}

// sendDraft creates, approves and sends d in the background, and offers to
// sign it in the bank.
func (v *paymentsView) sendDraft(d payments.Draft) {
	v.send.Disable()
	ctx, cancel := context.WithCancel(v.u.ctx)
	st := v.u.status
	st.running(lang.L("Sending the payment to the bank…"), -1, lang.L("Cancel"), cancel)
	l, today, bank := v.u.ledger, v.u.today(), v.bank
	v.bg.run(func() {
		defer cancel()
		var p payments.Payment
		saved, err := payments.Create(ctx, l, d, today)
		if err == nil {
			saved, err = payments.Approve(ctx, l, saved.ID)
		}
		if err == nil {
			var b payments.Bank
			if b, err = bank.Client(ctx); err == nil {
				p, err = payments.Send(ctx, l, b, saved.ID)
			}
		}
		do(func() {
			v.send.Enable()
			switch {
			case errors.Is(err, payments.ErrRefused):
				// Cancelled, never to go: the form keeps it, to be put right.
				msg := fmt.Sprintf(lang.L("The bank refused the payment to %s, so it is cancelled: %s Correct it and send it again."), saved.Name, refusalText(p.StatusDetails))
				st.done(msg)
				v.formMsg.SetText(msg)
				v.reload()
			case err != nil && saved.Status == payments.StatusApproved:
				v.u.askLogin(err)
				// Kept, approved, and sent by the next refresh: the form
				// is emptied, so that Send is not pressed for it again.
				msg := fmt.Sprintf(lang.L("The payment to %s is saved, but not sent: %s It goes to the bank when you press “Refresh statuses”."), saved.Name, describe(err))
				st.done(msg)
				v.clearForNext()
				v.formMsg.SetText(msg)
				v.reload()
			case err != nil:
				st.done(describe(err))
				v.formMsg.SetText(describe(err))
				v.reload()
			default:
				st.done(fmt.Sprintf(lang.L("The payment to %s is at the bank."), p.Name))
				v.formMsg.SetText("")
				v.clearForNext()
				v.reload()
				v.askSign(p)
			}
		})
	})
}

// clearForNext makes the form ready for the next payment: empty, due today
// and debiting the default account, but from the same account as the last.
func (v *paymentsView) clearForNext() {
	for _, e := range []*widget.Entry{v.to, v.name, v.amount, v.kidMsg} {
		e.SetText("")
	}
	v.due.SetText(v.u.today().Norwegian())
	v.selectDefaultDebit()
	v.validate(false)
}

// selectDefaultDebit picks the account a payment debits unless told
// otherwise.
func (v *paymentsView) selectDefaultDebit() { v.selectDebit(payments.DefaultDebitAccount) }

// selectDebit picks the GL account number to debit, if it is offered.
func (v *paymentsView) selectDebit(number int) {
	for _, o := range v.debit.Options {
		if strings.HasPrefix(o, strconv.Itoa(number)+" ") {
			v.debit.SetSelected(o)
		}
	}
}

// debitFor picks the account to debit for the recipient's account number
// to as it is typed: a whole number of another of the company's accounts
// debits that account's GL account (payments.DebitFor: a transfer, not a
// supplier paid); typed on to another, the form goes back to the default
// from there.
func (v *paymentsView) debitFor(to string) {
	digits := payments.Draft{To: to}.Normalized().To
	gl := payments.DefaultDebitAccount
	from := ""
	if i := v.from.SelectedIndex(); i >= 0 && i < len(v.accounts) {
		from = v.accounts[i].Number
	}
	if digits != from { // to the account paid from: the form says that is wrong
		gl = payments.DebitFor(digits, v.own)
	}
	if gl != payments.DefaultDebitAccount {
		v.transferDebit = gl
		v.selectDebit(gl)
		return
	}
	if v.transferDebit != 0 && strings.HasPrefix(v.debit.Selected, strconv.Itoa(v.transferDebit)+" ") {
		v.selectDefaultDebit()
	}
	v.transferDebit = 0
}

// askSign offers to sign p in the bank, if it awaits signing there.
func (v *paymentsView) askSign(p payments.Payment) {
	if !awaitsSigning(p) {
		return
	}
	which := paymentLine(p)
	dialog.ShowCustomConfirm(lang.L("Sign in the bank"),
		lang.L("Sign in the bank now"), lang.L("Later"),
		widget.NewLabel(which+"\n"+lang.L("The bank pays it only after you have signed it with BankID.")),
		func(now bool) {
			if now {
				v.openSigning(p.BankPaymentID)
			}
		}, v.u.win)
}

// paymentLine names a payment for people: "Gårdeier AS, 1 250,00 kr, due
// 23.11.2026".
func paymentLine(p payments.Payment) string {
	return fmt.Sprintf(lang.L("%s, %s, due %s"), p.Name, p.Amount.Kr(), p.Due.Norwegian())
}

// refusalText is the bank's reason for refusing a payment, or a stand-in
// when it gave none.
func refusalText(details string) string {
	if details == "" {
		return lang.L("the bank gave no reason.")
	}
	return details
}

// awaitsSigning reports whether the bank has p and waits for the owner to
// sign it.
func awaitsSigning(p payments.Payment) bool {
	return p.Status == payments.StatusPendingApproval && p.BankPaymentID != ""
}

// openSigning opens the bank's page where the owner signs the payments with
// these bank ids, in the browser.
func (v *paymentsView) openSigning(ids ...string) {
	opened, err := v.u.openPage(v.bank.ApproveURL(ids...))
	switch {
	case err != nil:
		say(v.message, describe(err))
	case opened:
		v.u.status.set(lang.L("The bank's signing page is open in your browser. When you have signed, press “Refresh statuses”."))
	default: // its address is shown to open by hand
		v.u.status.set(lang.L("When you have signed in the bank, press “Refresh statuses”."))
	}
}

// selected offers to sign a payment of the list that awaits signing, or to
// cancel one the bank does not have.
func (v *paymentsView) selected(i widget.ListItemID) {
	v.list.Unselect(i) // a row is not a state to keep
	if i >= len(v.shown) {
		return
	}
	switch p := v.shown[i]; {
	case awaitsSigning(p):
		v.askSign(p)
	case p.Unsent() && !v.refresh.Disabled(): // a refresh running may be sending it
		v.askCancel(p)
	default:
		v.showPayment(p)
	}
}

// showPayment shows all of p: the row says whom, how much and when, but
// not from which account, against which GL account, under which reference
// or as which voucher it was posted.
func (v *paymentsView) showPayment(p payments.Payment) {
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		rows, err := paymentDetails(ctx, l, p)
		do(func() {
			if err != nil {
				v.message.SetText(describe(err))
				return
			}
			form := widget.NewForm()
			for _, r := range rows {
				value := widget.NewLabel(r[1])
				value.Wrapping = fyne.TextWrapWord
				form.Append(r[0], value)
			}
			d := dialog.NewCustom(fmt.Sprintf(lang.L("Payment %s"), p.Reference), lang.L("Close"), form, v.u.win)
			d.Resize(fyne.NewSize(560, 0))
			d.Show()
		})
	})
}

// draftRows are the label and value of each of d's fields, as a payment's
// details show them; debit names the GL account debited ("2400
// Leverandørgjeld").
func draftRows(d payments.Draft, debit string) [][2]string {
	rows := [][2]string{
		{lang.L("From account"), norway.FormatAccountNumber(d.FromAccount)},
		{lang.L("To account"), norway.FormatAccountNumber(d.To)},
		{lang.L("Recipient"), d.Name},
		{lang.L("Amount"), d.Amount.Kr()},
		{lang.L("Due date"), d.Due.Norwegian()},
	}
	if d.KID != "" {
		rows = append(rows, [2]string{"KID", d.KID})
	} else {
		rows = append(rows, [2]string{lang.L("KID or message"), d.Message})
	}
	return append(rows, [2]string{lang.L("Account to debit"), debit})
}

// paymentDetails are the label and value of every field of p worth
// showing, read from the ledger where a number needs its name.
func paymentDetails(ctx context.Context, l *ledger.Ledger, p payments.Payment) ([][2]string, error) {
	debit := fmt.Sprint(p.DebitAccount)
	if a, err := l.Account(ctx, p.DebitAccount); err == nil {
		debit += " " + a.Name
	}
	rows := draftRows(payments.Draft{FromAccount: p.FromAccount, To: p.To, Name: p.Name, Amount: p.Amount, Due: p.Due,
		KID: p.KID, Message: p.Message}, debit)
	status := capitalize(lang.L(p.StatusText()))
	if p.StatusDetails != "" {
		status += ": " + p.StatusDetails // the bank's words
	}
	rows = append(rows, [2]string{lang.L("Status"), status})
	for _, x := range []struct {
		id   int64
		text string
	}{{p.Voucher, lang.L("Posted as voucher %d")}, {p.Reversal, lang.L("Reversed by voucher %d")}} {
		if x.id == 0 {
			continue
		}
		vo, err := l.Voucher(ctx, x.id)
		if err != nil {
			return nil, err
		}
		rows = append(rows, [2]string{lang.L("In the books"), fmt.Sprintf(x.text, vo.Number)})
	}
	return rows, nil
}

// askCancel offers to cancel p, which the bank does not have (its send
// failed): else the next refresh sends it.
func (v *paymentsView) askCancel(p payments.Payment) {
	why := lang.L("It is not at the bank: it goes there with the next “Refresh statuses”. Cancel it if it should not be paid.")
	if p.Status == payments.StatusDraft {
		why = lang.L("It is a draft, never approved: it is not sent.")
	}
	text := widget.NewLabel(paymentLine(p) + "\n" + why)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Not sent to the bank"), lang.L("Cancel the payment"), lang.L("Keep it"), text,
		func(yes bool) {
			if yes {
				v.cancelUnsent(p)
			}
		}, v.u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// cancelUnsent cancels p after asking the bank whether it got it after all
// (payments.CancelUnsent).
func (v *paymentsView) cancelUnsent(p payments.Payment) {
	ctx, cancel := context.WithCancel(v.u.ctx)
	st := v.u.status
	st.running(lang.L("Asking the bank whether it has the payment…"), -1, lang.L("Cancel"), cancel)
	l, bank := v.u.ledger, v.bank
	v.bg.run(func() {
		defer cancel()
		out, err := payments.CancelUnsent(ctx, l, bank.Client, p.ID)
		do(func() {
			switch {
			case errors.Is(err, payments.ErrAtBank) && out.Status == payments.StatusPendingApproval:
				st.done(fmt.Sprintf(lang.L("The bank had the payment to %s after all, so it is not cancelled: it waits for your signature in the bank. Do not sign it if it should not be paid."), p.Name))
			case errors.Is(err, payments.ErrAtBank):
				st.done(fmt.Sprintf(lang.L("The bank had the payment to %s after all, so it is not cancelled: it is %s."), p.Name, lang.L(out.StatusText())))
			case err != nil:
				v.u.askLogin(err)
				st.done(fmt.Sprintf(lang.L("The payment to %s is not cancelled: %s"), p.Name, describe(err)))
			default:
				st.done(fmt.Sprintf(lang.L("The payment to %s is cancelled."), p.Name))
			}
			v.reload()
		})
	})
}

// reload reads the list and what waits for the owner.
func (v *paymentsView) reload() {
	f := v.listFilter()
	v.gen++
	v.shown, v.more, v.loading = nil, false, true
	v.list.Refresh()
	gen, l, ctx := v.gen, v.u.ledger, v.u.ctx
	v.bg.run(func() {
		waiting, err := payments.Waiting(ctx, l)
		do(func() {
			if err != nil {
				say(v.message, describe(err))
				return
			}
			say(v.message, "")
			v.showWaiting(waiting)
		})
	})
	v.bg.run(func() { v.loadPage(gen, f, 0) })
}

// paymentsPageSize is how many payments one query reads for the list.
const paymentsPageSize = 100

// listFilter is what the filter picker selects.
func (v *paymentsView) listFilter() payments.Filter {
	var f payments.Filter
	if i := v.filter.SelectedIndex(); i > 0 {
		f.Statuses = []payments.Status{payments.Statuses[i-1]}
	}
	return f
}

// loadPage reads the page of the list that begins at offset and appends
// it, unless the list has been reloaded meanwhile.
func (v *paymentsView) loadPage(gen int, f payments.Filter, offset int) {
	f.Offset, f.Limit = offset, paymentsPageSize+1 // one more: is there a next page?
	page, err := payments.List(v.u.ctx, v.u.ledger, f)
	do(func() {
		if gen != v.gen || offset != len(v.shown) {
			return
		}
		v.loading = false
		if err != nil {
			say(v.message, describe(err))
			return
		}
		v.more = len(page) > paymentsPageSize
		v.shown = append(v.shown, page[:min(len(page), paymentsPageSize)]...)
		showIf(v.none, len(v.shown) == 0)
		v.list.Refresh()
	})
}

func (v *paymentsView) length() int {
	if v.more {
		return len(v.shown) + 1 // the row that reads the next page
	}
	return len(v.shown)
}

// waitingShown is how many of the payments that wait for the owner are
// listed by name; the others are counted.
const waitingShown = 3

// showWaiting lists what waits for the owner, the earliest due first.
func (v *paymentsView) showWaiting(ps []payments.Payment) {
	v.toSign = nil
	for _, p := range ps {
		if awaitsSigning(p) {
			v.toSign = append(v.toSign, p.BankPaymentID)
		}
	}
	showIf(v.signAll, len(v.toSign) > 0)
	if len(ps) == 0 {
		v.waiting.Importance = widget.MediumImportance
		v.waiting.SetText(lang.L("Nothing waits for you."))
		return
	}
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b payments.Payment) int { return a.Due.Compare(b.Due) })
	var lines []string
	for _, p := range ps[:min(len(ps), waitingShown)] {
		lines = append(lines, fmt.Sprintf("• %s %s, %s: %s", p.Due.Norwegian(), p.Name, p.Amount.Kr(), lang.L(p.StatusText())))
	}
	if len(ps) > waitingShown {
		lines = append(lines, counted(len(ps)-waitingShown, "… and 1 more", "… and %d more"))
	}
	v.waiting.Importance = widget.WarningImportance
	v.waiting.SetText(strings.Join(lines, "\n"))
}

// newPaymentRow is a row of the payments list, on two lines: who is paid
// and how much, and beneath, smaller, when, to which account and how far it
// has come. (On one line, at the window's default width, the recipient and
// the status were cut after a dozen letters.)
func newPaymentRow() fyne.CanvasObject {
	who, amount, details := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	who.Truncation = fyne.TextTruncateEllipsis
	amount.Alignment = fyne.TextAlignTrailing
	details.Truncation = fyne.TextTruncateEllipsis
	details.SizeName = theme.SizeNameCaptionText
	// The two lines sit close: each label keeps its own inner padding.
	tight := layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding())
	return container.New(tight, container.NewBorder(nil, nil, nil, amount, who), details)
}

// paymentRow returns the labels of a row made by newPaymentRow.
func paymentRow(o fyne.CanvasObject) (who, amount, details *widget.Label) {
	top := o.(*fyne.Container).Objects[0].(*fyne.Container)
	return top.Objects[0].(*widget.Label), top.Objects[1].(*widget.Label), o.(*fyne.Container).Objects[1].(*widget.Label)
}

func (v *paymentsView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	who, amount, details := paymentRow(o)
	if i >= len(v.shown) {
		who.SetText(lang.L("Reading…"))
		amount.SetText("")
		details.SetText("")
		if v.more && !v.loading {
			v.loading = true
			gen, f, offset := v.gen, v.listFilter(), len(v.shown)
			v.bg.run(func() { v.loadPage(gen, f, offset) })
		}
		return
	}
	p := v.shown[i]
	// What it was for, beside whom: the owner tells two payments to the
	// same supplier apart by it.
	switch {
	case p.Message != "":
		who.SetText(p.Name + "  ·  " + p.Message)
	case p.KID != "":
		who.SetText(p.Name + "  ·  KID " + p.KID)
	default:
		who.SetText(p.Name)
	}
	amount.SetText(p.Amount.Kr())
	status := lang.L(p.StatusText())
	if (p.Status == payments.StatusRejected || p.Status == payments.StatusCancelled) && p.StatusDetails != "" {
		status += ": " + p.StatusDetails // the bank's reason, in its words
	}
	details.SetText(p.Due.Norwegian() + "  ·  " + norway.FormatAccountNumber(p.To) + "  ·  " + status)
}

func (v *paymentsView) refreshStatuses() {
	v.refresh.Disable()
	ctx, cancel := context.WithCancel(v.u.ctx)
	st := v.u.status
	st.running(lang.L("Asking the bank about the payments…"), -1, lang.L("Cancel"), cancel)
	l, bank := v.u.ledger, v.bank
	v.bg.run(func() {
		defer working()()
		defer cancel()
		var changes []payments.Change
		b, err := bank.Client(ctx)
		if err == nil {
			changes, err = payments.Refresh(ctx, l, b)
		}
		do(func() {
			v.refresh.Enable()
			switch {
			case err != nil && len(changes) > 0: // some answered, some did not
				st.done(changedStatus(len(changes)) + " " + describe(err))
			case err != nil:
				v.u.askLogin(err)
				st.done(describe(err))
			default:
				st.done(changedStatus(len(changes)))
			}
			v.reload()
		})
	})
}

// changedStatus says how many payments a refresh found changed.
func changedStatus(n int) string {
	if n == 0 {
		return lang.L("No payment changed status.")
	}
	return counted(n, "1 payment changed status.", "%d payments changed status.")
}

// capitalize puts a capital first: "betalt" → "Betalt".
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
