package payments

import (
	"context"
	"fmt"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// Filter selects payments for the list; zero fields select everything.
type Filter struct {
	// Statuses, when not empty, keeps the payments in one of them.
	Statuses []Status
	// FromAccount, when set, keeps the payments from that account number.
	FromAccount string
	// DueFrom and DueTo, when not zero, bound the due date (inclusive).
	DueFrom, DueTo civil.Date
	// Limit, when not 0, returns at most that many payments, after skipping
	// Offset: one page of a list.
	Offset, Limit int
}

// List returns the payments the filter selects, the latest due first.
func List(ctx context.Context, l *ledger.Ledger, f Filter) ([]Payment, error) {
	lf := ledger.PaymentFilter{DueFrom: f.DueFrom, DueTo: f.DueTo, Offset: f.Offset, Limit: f.Limit}
	for _, s := range f.Statuses {
		lf.Statuses = append(lf.Statuses, string(s))
	}
	if f.FromAccount != "" {
		n, err := norway.ParseAccountNumber(f.FromAccount)
		if err != nil {
			return nil, fmt.Errorf("list payments: %w", err)
		}
		b, err := l.BankAccountByNumber(ctx, string(n))
		if err != nil {
			return nil, fmt.Errorf("list payments: %w", err)
		}
		lf.BankAccount = b.ID
	}
	ps, err := l.Payments(ctx, lf)
	if err != nil {
		return nil, fmt.Errorf("list payments: %w", err)
	}
	out := make([]Payment, len(ps))
	for i, p := range ps {
		out[i] = fromLedger(p)
	}
	return out, nil
}

// Waiting returns the payments that wait for the owner: awaiting signing in
// the bank, or waiting for funds on the account.
func Waiting(ctx context.Context, l *ledger.Ledger) ([]Payment, error) {
	return List(ctx, l, Filter{Statuses: []Status{StatusPendingApproval, StatusWaiting}})
}

// StatusChange is one entry of a payment's history.
type StatusChange struct {
	Status Status
	// Details is the bank's explanation, if any.
	Details string
	At      time.Time
}

// History returns a payment's statuses, oldest first, each with when it
// was recorded.
func History(ctx context.Context, l *ledger.Ledger, id int64) ([]StatusChange, error) {
	hs, err := l.PaymentHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]StatusChange, len(hs))
	for i, h := range hs {
		out[i] = StatusChange{Status: Status(h.Status), Details: h.Details, At: h.At}
	}
	return out, nil
}

// Similar returns the payments that look like d paid, or on its way,
// already: to the same account and of the same amount, with the same KID
// (an invoice's own number), or with the same message and due date.
// Cancelled and rejected payments are left out. The window asks before it
// sends a payment that has one: the same invoice entered twice, or Send
// pressed again after a send that failed (that payment is kept, approved,
// and sent by the next refresh).
func Similar(ctx context.Context, l *ledger.Ledger, d Draft) ([]Payment, error) {
	d = d.WithDefaults(ctx, l)
	var live []string
	for _, s := range Statuses {
		if !s.failed() {
			live = append(live, string(s))
		}
	}
	ps, err := l.Payments(ctx, ledger.PaymentFilter{Statuses: live, Recipient: d.To, Amount: d.Amount})
	if err != nil {
		return nil, fmt.Errorf("look for the same payment: %w", err)
	}
	var out []Payment
	for _, p := range ps {
		if d.KID != "" && p.KID == d.KID || d.KID == "" && p.KID == "" && p.Message == d.Message && p.DueDate == d.Due {
			out = append(out, fromLedger(p))
		}
	}
	return out, nil
}
