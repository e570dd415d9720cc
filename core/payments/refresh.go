package payments

import (
	"context"
	"errors"
	"fmt"

	"bankbro/core/bank"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// Change is a payment whose status Refresh changed.
type Change struct {
	Payment Payment
	From    Status
	To      Status
}

// Refresh asks the bank where every payment it may still change stands
// (awaiting signing, scheduled, waiting for funds) and records each change
// with its time; a payment the bank rejected or cancelled has its posting
// reversed. It also finds approved payments whose send was cut off after
// the bank got them, and records them as sent, and sends the approved ones
// the bank does not have (their send failed).
//
// It goes on past a failing account or payment and returns what it changed
// together with every error met.
func Refresh(ctx context.Context, l *ledger.Ledger, b Bank) ([]Change, error) {
	open, err := l.Payments(ctx, ledger.PaymentFilter{Statuses: []string{
		string(StatusApproved), string(StatusPendingApproval), string(StatusScheduled), string(StatusWaiting)}})
	if err != nil {
		return nil, fmt.Errorf("refresh payments: %w", err)
	}
	byAccount := map[string][]ledger.Payment{}
	var accounts []string
	for _, p := range open {
		if _, seen := byAccount[p.FromBankID]; !seen {
			accounts = append(accounts, p.FromBankID)
		}
		byAccount[p.FromBankID] = append(byAccount[p.FromBankID], p)
	}

	var changes []Change
	var errs []error
	for _, acct := range accounts {
		ps := byAccount[acct]
		atBank, err := b.Payments(ctx, acct)
		if err != nil {
			errs = append(errs, fmt.Errorf("payments from account %s: %w", norway.FormatAccountNumber(ps[0].FromNumber), err))
			continue
		}
		byID := map[string]bank.Payment{}
		byRef := map[string]bank.Payment{}
		for _, bp := range atBank {
			byID[bp.ID] = bp
			if bp.Reference != "" {
				byRef[bp.Reference] = bp
			}
		}
		for _, p := range ps {
			c, err := refreshOne(ctx, l, b, p, byID, byRef)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if c != nil {
				changes = append(changes, *c)
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) > 0 {
		return changes, fmt.Errorf("refresh payments: %w", errors.Join(errs...))
	}
	return changes, nil
}

func refreshOne(ctx context.Context, l *ledger.Ledger, b Bank, p ledger.Payment, byID, byRef map[string]bank.Payment) (*Change, error) {
	from := Status(p.Status)
	if p.BankPaymentID == "" {
		// Approved but not known as sent: the bank has it if a send reached
		// the bank and its answer was lost; else the send failed (the bank
		// was down, the subscription lacked payments), and it is sent now,
		// as the owner approved it (sending again is safe: see Send).
		bp, ok := byRef[p.Reference]
		if !ok {
			out, err := Send(ctx, l, b, p.ID)
			if errors.Is(err, ErrRefused) {
				// Refused (its due date has passed, say): Send cancelled
				// it, in the open, rather than leave it for every refresh.
				err = nil
			}
			if err != nil {
				return nil, fmt.Errorf("payment %s: %w", p.Reference, err)
			}
			return &Change{Payment: out, From: from, To: out.Status}, nil
		}
		out, _, err := recordSent(ctx, l, p.ID, bp)
		if err != nil {
			return nil, err
		}
		return &Change{Payment: out, From: from, To: out.Status}, nil
	}
	bp, ok := byID[p.BankPaymentID]
	if !ok {
		var err error
		bp, err = b.Payment(ctx, p.FromBankID, p.BankPaymentID)
		if err != nil {
			return nil, fmt.Errorf("payment %s: %w", p.Reference, err)
		}
	}
	var out ledger.Payment
	var changed bool
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		var err error
		if changed, err = applyBankStatus(ctx, l, tx, p.ID, bp); err != nil {
			return err
		}
		out, err = tx.Payment(p.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w", p.Reference, err)
	}
	if !changed {
		return nil, nil
	}
	return &Change{Payment: fromLedger(out), From: from, To: Status(out.Status)}, nil
}

// refusal is why the bank refused a payment, in its own words ("" when it
// gave none), for the payment's status details.
func refusal(err error) string {
	var p *bank.ProblemError
	if errors.As(err, &p) {
		return p.Reason()
	}
	return ""
}
