// Package payments is remittance: payments drafted and approved in the app,
// sent to the bank for signing with BankID, tracked until the bank has paid
// them, and posted in the books.
//
// A payment goes draft → approved → (sent) PendingApproval → Scheduled →
// Processed, or ends Rejected or Cancelled; Waiting means the bank lacks
// the funds and tries again for three business days. Every change is kept
// with its time in the payment's history.
//
// Sending is safe to repeat: every payment has a reference that is unique in
// the ledger, the bank treats a second request with the same reference as
// the first, and a send that failed half way is simply sent again.
//
// When the bank has a payment, the app posts it: the bank account's GL
// account is credited with the payment's reference (so the executed bank line
// matches it in reconciliation) and the chosen account debited. A payment the
// bank rejects or cancels has that posting reversed, once.
package payments

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
)

// Status is where a payment stands. The app's own statuses are draft and
// approved; the others are the bank's (bank-api.md §4).
type Status string

// The statuses of a payment.
const (
	StatusDraft           Status = "draft"
	StatusApproved        Status = "approved"
	StatusPendingApproval Status = Status(bank.StatusPendingApproval)
	StatusScheduled       Status = Status(bank.StatusScheduled)
	StatusWaiting         Status = Status(bank.StatusWaiting)
	StatusProcessed       Status = Status(bank.StatusProcessed)
	StatusRejected        Status = Status(bank.StatusRejected)
	StatusCancelled       Status = Status(bank.StatusCancelled)
)

// Statuses lists every status in the order a payment passes through them,
// for filters.
var Statuses = []Status{StatusDraft, StatusApproved, StatusPendingApproval, StatusScheduled,
	StatusWaiting, StatusProcessed, StatusRejected, StatusCancelled}

// StatusText says a status in words for people, in English; the screens
// translate it.
func StatusText(s Status) string {
	switch s {
	case StatusDraft:
		return "draft"
	case StatusApproved:
		return "approved, not sent to the bank yet"
	case StatusPendingApproval:
		return "awaiting signing in the bank"
	case StatusScheduled:
		return "scheduled"
	case StatusWaiting:
		return "waiting for funds"
	case StatusProcessed:
		return "paid"
	case StatusRejected:
		return "rejected"
	case StatusCancelled:
		return "cancelled"
	}
	return string(s)
}

// Text is StatusText(s).
func (s Status) Text() string { return StatusText(s) }

// AtBank reports whether the bank has the payment and may still change its
// status, so Refresh asks about it.
func (s Status) AtBank() bool {
	return s == StatusPendingApproval || s == StatusScheduled || s == StatusWaiting
}

// NeedsOwner reports whether the owner must act: sign it in the bank, or
// put money on the account.
func (s Status) NeedsOwner() bool { return s == StatusPendingApproval || s == StatusWaiting }

// Final reports whether the status never changes again.
func (s Status) Final() bool {
	return s == StatusProcessed || s == StatusRejected || s == StatusCancelled
}

// failed reports whether the payment will never be paid, so its posting
// must be reversed.
func (s Status) failed() bool { return s == StatusRejected || s == StatusCancelled }

// Payment is a stored payment.
type Payment struct {
	ID int64
	// Reference is the unique end-to-end reference; the bank line that pays
	// it carries the same one.
	Reference string
	// FromAccount is the 11-digit number of the account paid from.
	FromAccount string
	// To is the recipient's 11-digit account number.
	To           string
	Name         string
	Amount       money.Amount
	Due          civil.Date
	KID          string
	Message      string
	DebitAccount int
	Status       Status
	// StatusDetails is the bank's explanation of the status, if any.
	StatusDetails string
	// BankPaymentID is the bank's paymentId ("" until sent).
	BankPaymentID string
	// Voucher posted the payment; Reversal reversed that posting (0: none).
	Voucher  int64
	Reversal int64
	Created  time.Time
	Updated  time.Time
}

// StatusText is the payment's status in words for people.
func (p Payment) StatusText() string { return StatusText(p.Status) }

// Unsent reports whether the bank does not have p (as far as Bankbro
// knows): a draft, or approved and its send failed.
func (p Payment) Unsent() bool {
	return p.BankPaymentID == "" && (p.Status == StatusDraft || p.Status == StatusApproved)
}

func fromLedger(p ledger.Payment) Payment {
	return Payment{
		ID: p.ID, Reference: p.Reference, FromAccount: p.FromNumber, To: p.RecipientAccount,
		Name: p.RecipientName, Amount: p.Amount, Due: p.DueDate, KID: p.KID, Message: p.Message,
		DebitAccount: p.DebitAccount, Status: Status(p.Status), StatusDetails: p.StatusDetails,
		BankPaymentID: p.BankPaymentID, Voucher: p.Voucher, Reversal: p.Reversal,
		Created: p.CreatedAt, Updated: p.UpdatedAt,
	}
}

// Bank is what this package needs of the bank's API; *bank.Client has it.
type Bank interface {
	CreatePayment(ctx context.Context, req bank.PaymentRequest) (bank.Payment, error)
	Payments(ctx context.Context, accountID string) ([]bank.Payment, error)
	Payment(ctx context.Context, accountID, paymentID string) (bank.Payment, error)
}

// ErrWrongStatus is returned for a step the payment's status does not allow.
var ErrWrongStatus = errors.New("not possible in the payment's status")

// Create validates the draft and stores it with a new unique reference,
// status draft. An invalid draft is refused with FieldErrors.
func Create(ctx context.Context, l *ledger.Ledger, d Draft, today civil.Date) (Payment, error) {
	if errs := d.Validate(ctx, l, today); len(errs) > 0 {
		return Payment{}, errs
	}
	d = d.WithDefaults(ctx, l)
	from, err := l.BankAccountByNumber(ctx, d.FromAccount)
	if err != nil {
		return Payment{}, err
	}
	var p ledger.Payment
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		var err error
		p, err = tx.AddPayment(ledger.Payment{
			BankAccount: from.ID, RecipientAccount: d.To, RecipientName: d.Name, Amount: d.Amount,
			DueDate: d.Due, KID: d.KID, Message: d.Message, DebitAccount: d.DebitAccount,
			Status: string(StatusDraft),
		})
		return err
	})
	if err != nil {
		return Payment{}, fmt.Errorf("store the payment to %s: %w", d.Name, err)
	}
	return fromLedger(p), nil
}

// Get returns the stored payment with the id.
func Get(ctx context.Context, l *ledger.Ledger, id int64) (Payment, error) {
	p, err := l.Payment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	return fromLedger(p), nil
}

// ByReference returns the stored payment with the reference.
func ByReference(ctx context.Context, l *ledger.Ledger, reference string) (Payment, error) {
	p, err := l.PaymentByReference(ctx, reference)
	if err != nil {
		return Payment{}, err
	}
	return fromLedger(p), nil
}

// transition moves a payment from one of the allowed statuses to another,
// inside one transaction; a payment already in the target is left as is.
func transition(ctx context.Context, l *ledger.Ledger, id int64, to Status, details string, allowed ...Status) (Payment, error) {
	var out ledger.Payment
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		p, err := tx.Payment(id)
		if err != nil {
			return err
		}
		out = p
		if Status(p.Status) == to {
			return nil
		}
		ok := false
		for _, s := range allowed {
			ok = ok || Status(p.Status) == s
		}
		if !ok {
			return fmt.Errorf("payment %s is %s: %w", p.Reference, StatusText(Status(p.Status)), ErrWrongStatus)
		}
		if _, err := tx.SetPaymentStatus(id, string(to), details); err != nil {
			return err
		}
		out, err = tx.Payment(id)
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	return fromLedger(out), nil
}

// Approve marks a draft as approved in the app, ready to be sent.
func Approve(ctx context.Context, l *ledger.Ledger, id int64) (Payment, error) {
	return transition(ctx, l, id, StatusApproved, "", StatusDraft)
}

// Cancel cancels a payment the bank does not have yet (a draft or an
// approved payment). A payment sent to the bank is stopped in the bank.
func Cancel(ctx context.Context, l *ledger.Ledger, id int64) (Payment, error) {
	return transition(ctx, l, id, StatusCancelled, "Cancelled in Bankbro before it was sent", StatusDraft, StatusApproved)
}

// ErrRefused is returned by Send for a payment the bank refused: it is
// cancelled, with the bank's reason in its status details, and Send
// returns it so.
var ErrRefused = errors.New("the bank refused the payment")

// ErrAtBank is returned by CancelUnsent for a payment the bank has after
// all: it is stopped in the bank (left unsigned, or deleted there).
var ErrAtBank = errors.New("the bank has the payment")

// CancelUnsent cancels a payment the bank does not have, so that no
// refresh sends it: a draft at once; an approved payment whose send failed
// only after asking the bank (connect gives its client), since a send whose
// answer was lost may have reached it. Then the payment is recorded as
// sent, as a refresh would, and not cancelled (ErrAtBank): the app must
// not call a payment cancelled that the bank may pay. One cancelled
// already is returned as it is; one the bank has is refused
// (ErrWrongStatus) without asking it.
func CancelUnsent(ctx context.Context, l *ledger.Ledger, connect func(context.Context) (Bank, error), id int64) (Payment, error) {
	lp, err := l.Payment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	p := fromLedger(lp)
	switch {
	case p.Status == StatusCancelled:
		return p, nil
	case !p.Unsent():
		return Payment{}, fmt.Errorf("cancel payment %s: it is %s: %w", p.Reference, p.StatusText(), ErrWrongStatus)
	case p.Status == StatusDraft: // never approved, never sent: the bank need not be asked
		return Cancel(ctx, l, id)
	}
	b, err := connect(ctx)
	if err != nil {
		return Payment{}, err
	}
	atBank, err := b.Payments(ctx, lp.FromBankID)
	if err != nil {
		return Payment{}, fmt.Errorf("cancel payment %s: ask the bank whether it has it: %w", p.Reference, err)
	}
	for _, bp := range atBank {
		if bp.Reference == p.Reference {
			out, _, err := recordSent(ctx, l, p.ID, bp)
			if err != nil {
				return Payment{}, err
			}
			return out, fmt.Errorf("cancel payment %s: %w", p.Reference, ErrAtBank)
		}
	}
	return Cancel(ctx, l, id)
}

// Send sends an approved payment to the bank with its reference, records the
// bank's payment id and status (normally awaiting signing), and posts it. A
// payment already sent is returned as it is. When Send fails, sending again
// is safe: the bank answers a repeated reference with the payment it
// already has, never with a second one. A payment the bank refuses is
// cancelled (ErrRefused, with the cancelled payment).
func Send(ctx context.Context, l *ledger.Ledger, b Bank, id int64) (Payment, error) {
	p, err := l.Payment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	if p.BankPaymentID != "" {
		return fromLedger(p), nil
	}
	if Status(p.Status) != StatusApproved {
		return Payment{}, fmt.Errorf("send payment %s: it is %s, and only an approved payment is sent: %w",
			p.Reference, StatusText(Status(p.Status)), ErrWrongStatus)
	}
	req := bank.PaymentRequest{
		AccountID: p.FromBankID, RecipientAccountNumber: p.RecipientAccount, BeneficiaryName: p.RecipientName,
		Amount: p.Amount, DueDate: p.DueDate, KID: p.KID, Text: p.Message, Reference: p.Reference,
	}
	bp, err := b.CreatePayment(ctx, req)
	if bank.TroubleOf(err) == bank.TroubleRefused {
		// The bank looked at it and will not take it (its due date has
		// passed, say): it ends here, in the open, rather than be sent
		// again by every refresh. It was never posted, so nothing is
		// reversed.
		out, terr := transition(ctx, l, p.ID, StatusCancelled, refusal(err), StatusApproved)
		if terr != nil {
			return Payment{}, fmt.Errorf("payment of %s kr to %s was refused by the bank: %w", p.Amount, p.RecipientName, errors.Join(err, terr))
		}
		return out, fmt.Errorf("payment of %s kr to %s was refused by the bank and is cancelled in Bankbro: %w: %w",
			p.Amount, p.RecipientName, ErrRefused, err)
	}
	if err != nil {
		return Payment{}, fmt.Errorf("payment of %s kr to %s was not sent; sending it again is safe: %w",
			p.Amount, p.RecipientName, err)
	}
	out, _, err := recordSent(ctx, l, p.ID, bp)
	return out, err
}

// recordSent stores what the bank answered for a payment it now has: its id
// and status, the posting, and (if the bank already refused it) the reversal.
func recordSent(ctx context.Context, l *ledger.Ledger, id int64, bp bank.Payment) (Payment, bool, error) {
	var out ledger.Payment
	var changed bool
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		p, err := tx.Payment(id)
		if err != nil {
			return err
		}
		if err := sameAtBank(p, bp); err != nil {
			return err
		}
		if p.BankPaymentID == "" {
			if err := tx.SetPaymentBankID(p.ID, bp.ID); err != nil {
				return err
			}
		}
		if p.Voucher == 0 {
			v, err := tx.AddVoucher(paymentVoucher(p))
			if err != nil {
				return fmt.Errorf("post payment %s: %w", p.Reference, err)
			}
			if err := tx.SetPaymentVoucher(p.ID, v.ID); err != nil {
				return err
			}
			if err := tx.Audit("payment.send", fmt.Sprintf("%s sent to the bank as %s, posted as voucher %d", p.Reference, bp.ID, v.Number)); err != nil {
				return err
			}
		}
		if changed, err = applyBankStatus(ctx, l, tx, p.ID, bp); err != nil {
			return err
		}
		out, err = tx.Payment(p.ID)
		return err
	})
	if err != nil {
		return Payment{}, false, err
	}
	return fromLedger(out), changed, nil
}

// sameAtBank checks that the payment the bank holds under our reference is
// ours: another ledger file could have used the reference before.
func sameAtBank(p ledger.Payment, bp bank.Payment) error {
	if bp.ID == "" {
		return fmt.Errorf("payment %s: the bank answered without a payment id", p.Reference)
	}
	if p.BankPaymentID != "" && p.BankPaymentID != bp.ID {
		return fmt.Errorf("payment %s: the bank answered with payment %s, but it was sent as %s", p.Reference, bp.ID, p.BankPaymentID)
	}
	if bp.Amount != p.Amount || bp.RecipientAccountNumber != p.RecipientAccount || bp.DueDate != p.DueDate ||
		(bp.Reference != "" && bp.Reference != p.Reference) {
		return fmt.Errorf("payment %s: the bank already holds a different payment under this reference (%s kr to %s due %s); nothing was recorded",
			p.Reference, bp.Amount, norway.FormatAccountNumber(bp.RecipientAccountNumber), bp.DueDate)
	}
	return nil
}

// paymentVoucher posts a payment on its due date: the bank account's GL
// account is credited with the reference (reconciliation rule 1 matches the
// bank line by it) and the chosen account debited. Like every text the
// ledger writes itself ("Inngående balanse", "Reversering av bilag"), it is
// in Norwegian: the books are kept in Norway, whatever the window speaks.
func paymentVoucher(p ledger.Payment) ledger.Voucher {
	text := "Betaling til " + p.RecipientName
	if p.Message != "" {
		text += ": " + p.Message
	}
	return ledger.Voucher{
		Date:        p.DueDate,
		Description: fmt.Sprintf("Betaling %s til %s (%s)", p.Reference, p.RecipientName, norway.FormatAccountNumber(p.RecipientAccount)),
		Source:      "payment",
		Postings: []ledger.Posting{
			{Account: p.DebitAccount, Amount: p.Amount, Text: text, KID: p.KID},
			{Account: p.FromGLAccount, Amount: -p.Amount, Text: text, Reference: p.Reference},
		},
	}
}

// applyBankStatus records the bank's status of a payment, and reverses the
// posting of a payment the bank rejected or cancelled (once: the ledger
// refuses a second reversal).
func applyBankStatus(ctx context.Context, l *ledger.Ledger, tx *ledger.Tx, id int64, bp bank.Payment) (bool, error) {
	changed, err := tx.SetPaymentStatus(id, string(bp.Status), bp.StatusDetails)
	if err != nil {
		return false, err
	}
	if !Status(bp.Status).failed() {
		return changed, nil
	}
	p, err := tx.Payment(id)
	if err != nil {
		return false, err
	}
	if p.Voucher == 0 || p.Reversal != 0 {
		return changed, nil
	}
	// Dated like the posting: the money never left, on any day.
	rev, err := tx.Reverse(p.Voucher, p.DueDate, fmt.Sprintf("Reversering: betaling %s til %s ble %s av banken",
		p.Reference, p.RecipientName, ledgerStatusWord(Status(bp.Status))))
	if err != nil {
		return false, fmt.Errorf("reverse the posting of payment %s: %w", p.Reference, err)
	}
	if err := tx.SetPaymentReversal(p.ID, rev.ID); err != nil {
		return false, err
	}
	// The posting and its reversal cancel out: matched at once, so they do
	// not stand as open items until the next run of the matcher.
	if _, err := reconcile.Settle(ctx, l, tx, p.Voucher, rev.ID); err != nil {
		return false, fmt.Errorf("clear the reversed posting of payment %s: %w", p.Reference, err)
	}
	return true, nil
}

// ledgerStatusWord names, for the ledger's Norwegian text, why the bank
// ended a payment (only these two reverse its posting).
func ledgerStatusWord(s Status) string {
	switch s {
	case StatusRejected:
		return "avvist"
	case StatusCancelled:
		return "kansellert"
	}
	return string(s)
}

// ApproveURL is the bank's page where the owner signs the payments with
// BankID ("Sign in the bank now"): {auth}/payments/approve?paymentIds=…,
// the bank's payment ids separated by commas.
func ApproveURL(authBase string, paymentIDs ...string) string {
	return strings.TrimRight(authBase, "/") + "/payments/approve?paymentIds=" +
		url.QueryEscape(strings.Join(paymentIDs, ","))
}
