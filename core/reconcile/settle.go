package reconcile

import (
	"context"
	"fmt"

	"bankbro/core/ledger"
)

// Settle matches at once, inside the caller's transaction, what new
// vouchers settle: by the matcher's first two rules, a voucher's postings
// against its reversal's (RuleReversal) and a bank line against the
// postings posted from it (RuleLinked). It looks only at the open postings
// of the given vouchers and the bank lines they were posted from, so it
// costs what those vouchers hold, not the books' history, and the owner
// sees a posted line matched, or a reversed posting cleared, without
// waiting for the next run of the matcher. It returns how many matches it
// made.
func Settle(ctx context.Context, l *ledger.Ledger, tx *ledger.Tx, vouchers ...int64) (int, error) {
	lines, posts, err := tx.OpenItemsOfVouchers(vouchers)
	if err != nil || len(posts) == 0 {
		return 0, err
	}
	accounts, err := accountsFor(ctx, l, nil)
	if err != nil {
		return 0, err
	}
	rejected, err := tx.RejectedMatches()
	if err != nil {
		return 0, err
	}
	var all []ledger.NewMatch
	for _, b := range accounts {
		// The items the matcher would see: on this account, from its start date.
		var ls []ledger.ReconcileLine
		var ps []ledger.ReconcilePosting
		for _, x := range lines {
			if x.BankAccount == b.ID && !x.AccountingDate.Before(b.StartDate) {
				ls = append(ls, x)
			}
		}
		for _, p := range posts {
			if p.Account == b.GLAccount && !p.Date.Before(b.StartDate) {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			continue
		}
		m := newMatcher(ls, ps, rejected)
		m.reversals()
		m.linked()
		all = append(all, m.newMatches()...)
	}
	ids, err := tx.AddMatches(all)
	if err != nil {
		return 0, fmt.Errorf("match what vouchers %v settle: %w", vouchers, err)
	}
	for i, nm := range all {
		if err := tx.Audit("match.add", fmt.Sprintf("match %d (%s): %s", ids[i], nm.Rule, ledger.MatchKey(nm.BankLines, nm.Postings))); err != nil {
			return 0, err
		}
	}
	return len(all), nil
}
