package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// DefaultDebitAccount is the GL account a payment debits unless another is
// chosen: 2400 suppliers (leverandørgjeld).
const DefaultDebitAccount = 2400

// Limits the bank sets on a payment (bank-api.md §4).
const (
	MaxMessageLength = 140
	MaxNameLength    = 70
)

// Draft is a payment as a person fills it in, before it is stored.
type Draft struct {
	// FromAccount is the 11-digit number of the company's bank account the
	// money leaves from; it must have remittance turned on.
	FromAccount string
	// To is the recipient's 11-digit account number.
	To string
	// Name is the recipient's name.
	Name   string
	Amount money.Amount
	// Due is the day the bank pays it.
	Due civil.Date
	// Exactly one of KID and Message is given.
	KID     string
	Message string
	// DebitAccount is the GL account to debit (0: DefaultDebitAccount).
	DebitAccount int
}

// The names of a Draft's fields in a FieldError. They are the flag names of
// `bankbro pay`, so the command line can say which flag is wrong.
const (
	FieldFrom         = "from"
	FieldTo           = "to"
	FieldName         = "name"
	FieldAmount       = "amount"
	FieldDue          = "due"
	FieldKID          = "kid"
	FieldMessage      = "message"
	FieldDebitAccount = "debit-account"
)

var fieldLabels = map[string]string{
	FieldFrom:         "from account",
	FieldTo:           "to account",
	FieldName:         "recipient name",
	FieldAmount:       "amount",
	FieldDue:          "due date",
	FieldKID:          "KID",
	FieldMessage:      "message",
	FieldDebitAccount: "account to debit",
}

// FieldError is what is wrong with one field of a draft. Message is a fixed
// English phrase (without the value), so a screen can translate it and show
// it beside the field.
type FieldError struct {
	Field   string
	Value   string
	Message string
}

// Error reads as a sentence naming the field and the value:
// `to account "1503.20.80118": has a wrong control digit (MOD11)`.
func (e FieldError) Error() string {
	label := fieldLabels[e.Field]
	if label == "" {
		label = e.Field
	}
	if e.Value == "" {
		return label + ": " + e.Message
	}
	return fmt.Sprintf("%s %q: %s", label, e.Value, e.Message)
}

// FieldErrors is everything wrong with a draft, in the order of the form.
type FieldErrors []FieldError

// Error joins the field errors into one message.
func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "the payment is not valid: " + strings.Join(parts, "; ")
}

// For returns the first error of a field, for showing it beside that field.
func (es FieldErrors) For(field string) (FieldError, bool) {
	for _, e := range es {
		if e.Field == field {
			return e, true
		}
	}
	return FieldError{}, false
}

// The messages of a FieldError.
const (
	MsgRequiredFrom      = "choose the account to pay from"
	MsgRequiredTo        = "give the recipient's account number"
	MsgRequiredName      = "give the recipient's name"
	MsgRequiredDue       = "give a due date"
	MsgKIDOrMessage      = "give either a KID or a message"
	MsgKIDAndMessage     = "give either a KID or a message, not both"
	MsgAccountLength     = "must have 11 digits"
	MsgAccountDigits     = "may only hold digits"
	MsgAccountChecksum   = "has a wrong control digit (MOD11)"
	MsgKIDLength         = "must have 2 to 25 digits"
	MsgKIDDigits         = "may only hold digits"
	MsgKIDChecksum       = "has a wrong control digit (MOD10 or MOD11)"
	MsgNotCompanyAccount = "is not one of the company's bank accounts in Bankbro"
	MsgAccountInactive   = "is not active in Bankbro"
	MsgNoRemittance      = "does not have payments (remittance) turned on; turn it on under Settings → Bank accounts"
	MsgNameTooLong       = "is longer than 70 characters"
	MsgMessageTooLong    = "is longer than 140 characters"
	MsgAmountNotPositive = "must be more than zero"
	MsgAmountUnreadable  = "is not an amount; write it like 1250,00"
	MsgAmountTooPrecise  = "has more than two decimals: kroner and øre, like 1250,50"
	MsgDueInPast         = "is in the past"
	MsgDueUnreadable     = "is not a date; write it like 2026-11-30 or 30.11.2026"
	MsgDebitNotInChart   = "is not in the chart of accounts"
	MsgDebitInactive     = "is not active in the chart of accounts"
	MsgDebitIsBank       = "is the GL account of the bank account paid from"
	MsgDebitNotOwn       = "must be the GL account of the company's own account paid to (a transfer between the company's accounts)"
	MsgToIsFrom          = "is the account paid from"
	MsgLedgerUnreadable  = "could not be checked against the ledger"
)

// digitsOnly strips the separators people type in numbers.
func digitsOnly(s string) string {
	return strings.NewReplacer(" ", "", ".", "", "\u00a0", "").Replace(strings.TrimSpace(s))
}

// Normalized returns the draft as it is stored: account numbers and KID as
// bare digits, the name and message trimmed, the default debit account set.
func (d Draft) Normalized() Draft {
	d.FromAccount = digitsOnly(d.FromAccount)
	d.To = digitsOnly(d.To)
	d.KID = digitsOnly(d.KID)
	d.Name = strings.TrimSpace(d.Name)
	d.Message = strings.TrimSpace(d.Message)
	if d.DebitAccount == 0 {
		d.DebitAccount = DefaultDebitAccount
	}
	return d
}

func accountNumberMessage(err error) string {
	switch {
	case errors.Is(err, norway.ErrDigits):
		return MsgAccountDigits
	case errors.Is(err, norway.ErrLength):
		return MsgAccountLength
	default:
		return MsgAccountChecksum
	}
}

func kidMessage(err error) string {
	switch {
	case errors.Is(err, norway.ErrDigits):
		return MsgKIDDigits
	case errors.Is(err, norway.ErrLength):
		return MsgKIDLength
	default:
		return MsgKIDChecksum
	}
}

// WithDefaults is Normalized, with the debit account not chosen (0) taken
// from the ledger's bank accounts (DebitFor). A ledger that cannot be read
// leaves the default.
func (d Draft) WithDefaults(ctx context.Context, l *ledger.Ledger) Draft {
	if d.DebitAccount == 0 && digitsOnly(d.To) != digitsOnly(d.FromAccount) {
		own, _ := l.BankAccounts(ctx)
		d.DebitAccount = DebitFor(d.To, own)
	}
	return d.Normalized()
}

// DebitFor is the GL account a payment to the account number to debits
// unless told otherwise: a payment to another of the company's own bank
// accounts (own) is a transfer, and debits that account's GL account; any
// other debits DefaultDebitAccount.
func DebitFor(to string, own []ledger.BankAccount) int {
	to = digitsOnly(to)
	for _, b := range own {
		if b.Number == to && b.GLAccount != 0 {
			return b.GLAccount
		}
	}
	return DefaultDebitAccount
}

// Validate checks the draft against the rules of the bank and of the books,
// and returns what is wrong, field by field (nil: nothing). today is the
// company's today (Oslo). l is used to check the from-account and the
// debit account; with a nil l those checks are left out, so a form can
// validate the other fields as they are typed.
func (d Draft) Validate(ctx context.Context, l *ledger.Ledger, today civil.Date) FieldErrors {
	var errs FieldErrors
	add := func(field, value, msg string) {
		errs = append(errs, FieldError{Field: field, Value: value, Message: msg})
	}
	n := d.Normalized()
	if l != nil {
		n = d.WithDefaults(ctx, l)
	}

	var from ledger.BankAccount
	switch {
	case n.FromAccount == "":
		add(FieldFrom, "", MsgRequiredFrom)
	default:
		if _, err := norway.ParseAccountNumber(n.FromAccount); err != nil {
			add(FieldFrom, d.FromAccount, accountNumberMessage(err))
			break
		}
		if l == nil {
			break
		}
		var err error
		from, err = l.BankAccountByNumber(ctx, n.FromAccount)
		switch {
		case errors.Is(err, ledger.ErrNoSuchRecord):
			add(FieldFrom, d.FromAccount, MsgNotCompanyAccount)
		case err != nil:
			add(FieldFrom, d.FromAccount, MsgLedgerUnreadable)
		case !from.Active:
			add(FieldFrom, d.FromAccount, MsgAccountInactive)
		case !from.Remittance:
			add(FieldFrom, d.FromAccount, MsgNoRemittance)
		}
	}

	var own ledger.BankAccount // the company's own account paid to, if it is one
	if n.To == "" {
		add(FieldTo, "", MsgRequiredTo)
	} else if _, err := norway.ParseAccountNumber(n.To); err != nil {
		add(FieldTo, d.To, accountNumberMessage(err))
	} else if n.To == n.FromAccount {
		add(FieldTo, d.To, MsgToIsFrom)
	} else if l != nil {
		var err error
		// Not knowing whether it is the company's own would book a
		// transfer against suppliers.
		if own, err = l.BankAccountByNumber(ctx, n.To); err != nil && !errors.Is(err, ledger.ErrNoSuchRecord) {
			add(FieldTo, d.To, MsgLedgerUnreadable)
		}
	}

	switch {
	case n.Name == "":
		add(FieldName, "", MsgRequiredName)
	case utf8.RuneCountInString(n.Name) > MaxNameLength:
		add(FieldName, n.Name, MsgNameTooLong)
	}

	if d.Amount <= 0 {
		add(FieldAmount, d.Amount.String(), MsgAmountNotPositive)
	}

	switch {
	case d.Due.IsZero():
		add(FieldDue, "", MsgRequiredDue)
	case d.Due.Before(today):
		add(FieldDue, d.Due.String(), MsgDueInPast)
	}

	switch {
	case n.KID == "" && n.Message == "":
		add(FieldKID, "", MsgKIDOrMessage)
	case n.KID != "" && n.Message != "":
		add(FieldKID, d.KID, MsgKIDAndMessage)
	case n.KID != "":
		if err := norway.ValidKID(n.KID); err != nil {
			add(FieldKID, d.KID, kidMessage(err))
		}
	case utf8.RuneCountInString(n.Message) > MaxMessageLength:
		add(FieldMessage, n.Message, MsgMessageTooLong)
	}

	if l != nil {
		value := fmt.Sprint(n.DebitAccount)
		a, err := l.Account(ctx, n.DebitAccount)
		switch {
		case errors.Is(err, ledger.ErrNoSuchRecord):
			add(FieldDebitAccount, value, MsgDebitNotInChart)
		case err != nil:
			add(FieldDebitAccount, value, MsgLedgerUnreadable)
		case !a.Active:
			add(FieldDebitAccount, value, MsgDebitInactive)
		case from.ID != 0 && from.GLAccount == n.DebitAccount:
			add(FieldDebitAccount, value, MsgDebitIsBank)
		case own.GLAccount != 0 && own.GLAccount != n.DebitAccount:
			// Money moved between the company's own accounts stays the
			// company's: debiting suppliers (or costs) would book it away.
			add(FieldDebitAccount, value, MsgDebitNotOwn)
		}
	}
	return errs
}

// ParseAmount reads an amount as people type it ("1 250,00") for a draft;
// the error is a FieldError naming the amount field and the text.
func ParseAmount(s string) (money.Amount, error) {
	a, err := money.Parse(s)
	switch {
	case errors.Is(err, money.ErrNotExact):
		return 0, FieldError{Field: FieldAmount, Value: s, Message: MsgAmountTooPrecise}
	case err != nil:
		return 0, FieldError{Field: FieldAmount, Value: s, Message: MsgAmountUnreadable}
	}
	return a, nil
}

// ParseDue reads a due date written as 2026-11-30 or 30.11.2026; the error
// is a FieldError naming the due field and the text.
func ParseDue(s string) (civil.Date, error) {
	s = strings.TrimSpace(s)
	if d, err := civil.Parse(s); err == nil {
		return d, nil
	}
	if d, err := civil.ParseNorwegian(s); err == nil {
		return d, nil
	}
	return civil.Date{}, FieldError{Field: FieldDue, Value: s, Message: MsgDueUnreadable}
}
