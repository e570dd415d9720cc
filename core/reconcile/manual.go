package reconcile

import (
	"context"
	"fmt"

	"bankbro/core/ledger"
)

// PostedElsewhereError refuses to match a bank line that was posted
// (voucher Number) against postings other than its own: its amount would
// stand in the books twice, once in its own posting, still open, and once
// in the postings chosen.
type PostedElsewhereError struct {
	BankLine int64
	Voucher  int64 // the voucher's id
	Number   int64 // and number
}

func (e *PostedElsewhereError) Error() string {
	return fmt.Sprintf("bank line %d is posted as voucher %d: match it against that voucher's posting, or reverse the posting first", e.BankLine, e.Number)
}

// Match matches bank lines against postings by hand (rule "" records
// RuleManual). The items must be open, the bank lines of one bank account,
// the postings on its GL account, and the sums must agree; by hand, a bank
// line posted from must be matched together with its own posting
// (PostedElsewhereError); otherwise the error says which item or what
// difference stands in the way.
func Match(ctx context.Context, l *ledger.Ledger, bankLineIDs, postingIDs []int64, rule string) error {
	if rule == "" {
		rule = RuleManual
	}
	return l.Update(ctx, func(tx *ledger.Tx) error {
		// By hand only: an accepted suggestion is the matcher's pairing,
		// which its own rules weighed (its "linked" rule matches a posted
		// line with its posting first).
		if rule == RuleManual {
			if err := ownPostingsChosen(tx, bankLineIDs, postingIDs); err != nil {
				return err
			}
		}
		_, err := tx.AddMatch(rule, bankLineIDs, postingIDs)
		return err
	})
}

// ownPostingsChosen checks that every bank line posted from is matched
// together with a posting of its own voucher.
func ownPostingsChosen(tx *ledger.Tx, bankLineIDs, postingIDs []int64) error {
	chosen := map[int64]bool{}
	for _, p := range postingIDs {
		chosen[p] = true
	}
	for _, line := range bankLineIDs {
		id, err := tx.PostedVoucher(line)
		if err != nil || id == 0 {
			if err != nil {
				return err
			}
			continue
		}
		v, err := tx.Voucher(id)
		if err != nil {
			return err
		}
		own := false
		for _, p := range v.Postings {
			own = own || (p.BankTransaction == line && chosen[p.ID])
		}
		if !own {
			return &PostedElsewhereError{BankLine: line, Voucher: v.ID, Number: v.Number}
		}
	}
	return nil
}

// Unmatch undoes a match: its items are open again, and the matcher will not
// make that same match again by itself. Vouchers a post-and-match rule posted
// stay (corrections are reversals).
func Unmatch(ctx context.Context, l *ledger.Ledger, matchID int64) error {
	return l.Update(ctx, func(tx *ledger.Tx) error {
		m, err := tx.DeleteMatch(matchID)
		if err != nil {
			return err
		}
		return tx.RejectMatch(ledger.MatchKey(m.BankLines, m.Postings))
	})
}

// Suggestions returns what the matcher would propose now, without storing
// anything: the ambiguous matches for the owner to accept or reject. It
// reads the open items of the given bank accounts only (every account with
// reconciliation when none is given): a screen showing one account needs
// no other account's items in memory. A suggestion pairs bank lines with
// postings, so an account with nothing open on one side has none, and its
// other side is not read (21,000 open lines in the 1M demo ledger, read for
// nothing each time Reconciliation opened).
func Suggestions(ctx context.Context, l *ledger.Ledger, bankAccounts ...int64) ([]Suggestion, error) {
	accounts, err := accountsFor(ctx, l, bankAccounts)
	if err != nil {
		return nil, err
	}
	var both []int64
	for _, b := range accounts {
		open, err := l.OpenTotals(ctx, b.ID, b.GLAccount, b.StartDate)
		if err != nil {
			return nil, err
		}
		if open.Lines > 0 && open.Postings > 0 {
			both = append(both, b.ID)
		}
	}
	if len(both) == 0 {
		return nil, nil
	}
	res, err := Run(ctx, l, Options{DryRun: true, BankAccounts: both})
	if err != nil {
		return nil, err
	}
	return res.Suggestions, nil
}

// Accept makes the suggested match, recorded as Accepted(s.Rule).
func Accept(ctx context.Context, l *ledger.Ledger, s Suggestion) error {
	if err := Match(ctx, l, s.lineIDs(), s.postingIDs(), Accepted(s.Rule)); err != nil {
		return fmt.Errorf("accept the suggestion: %w", err)
	}
	return nil
}

// Reject records that the suggestion is wrong: it is not proposed again.
func Reject(ctx context.Context, l *ledger.Ledger, s Suggestion) error {
	return l.Update(ctx, func(tx *ledger.Tx) error {
		if err := tx.RejectMatch(s.Key()); err != nil {
			return err
		}
		return tx.Audit("match.reject", fmt.Sprintf("%s suggestion %s", s.Rule, s.Key()))
	})
}
