package reconcile

import (
	"context"

	"bankbro/core/ledger"
)

// Rules returns the owner's rules in the order the matcher applies them.
func Rules(ctx context.Context, l *ledger.Ledger) ([]ledger.Rule, error) {
	return l.Rules(ctx)
}

// SaveRule stores a new rule last in order (ID 0) or changes one, and
// returns it as stored. The rule is validated first (ledger.Rule.Validate).
func SaveRule(ctx context.Context, l *ledger.Ledger, r ledger.Rule) (ledger.Rule, error) {
	var saved ledger.Rule
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		var err error
		saved, err = tx.SaveRule(r)
		return err
	})
	return saved, err
}

// DeleteRule removes a rule. Matches it made stay.
func DeleteRule(ctx context.Context, l *ledger.Ledger, id int64) error {
	return l.Update(ctx, func(tx *ledger.Tx) error { return tx.DeleteRule(id) })
}

// MoveRule puts a rule at position (1 is applied first).
func MoveRule(ctx context.Context, l *ledger.Ledger, id int64, position int) error {
	return l.Update(ctx, func(tx *ledger.Tx) error { return tx.MoveRule(id, position) })
}
