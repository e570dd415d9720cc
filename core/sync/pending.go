package sync

import (
	"context"
	"fmt"

	"bankbro/core/bank"
	"bankbro/core/civil"
)

// Reservations is what Pending needs of the bank: transactions with today's
// reservations. *bank.Client implements it.
type Reservations interface {
	Transactions(ctx context.Context, accountID string, from, to civil.Date) ([]bank.Transaction, error)
}

// Pending returns the account's reservations of today: money on its way
// that the bank has not booked. They are for showing only and are never
// stored; tomorrow's import reads them once booked.
func Pending(ctx context.Context, b Reservations, accountID string, today civil.Date) ([]bank.Transaction, error) {
	if today.IsZero() {
		today = civil.Today()
	}
	txs, err := b.Transactions(ctx, accountID, today, today)
	if err != nil {
		return nil, fmt.Errorf("read today's reservations: %w", err)
	}
	var out []bank.Transaction
	for _, t := range txs {
		if t.IsReservation {
			out = append(out, t)
		}
	}
	return out, nil
}
