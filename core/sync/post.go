package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/reconcile"
)

// ErrAlreadyPosted is returned when a bank line that already has a live
// voucher is posted again; reverse that voucher first.
var ErrAlreadyPosted = errors.New("the bank line is already posted; reverse its voucher to post it differently")

// ErrMatched is returned when a bank line that is reconciled against
// postings is posted: its amount is in the books already, and posting it
// would book it twice. Undo the match first to post it differently.
var ErrMatched = errors.New("the bank line is already reconciled against postings in the books; undo the match to post it differently")

// Post books a bank line as the owner decided: a voucher on the line's date
// with the bank account's GL account (linked to the line) against
// counterAccount, and the line matched against it at once
// (reconcile.Settle). text describes it; "" uses the line's text. A line
// that is already posted (and not reversed) is refused with
// ErrAlreadyPosted, one that is matched with ErrMatched.
func Post(ctx context.Context, l *ledger.Ledger, bankTransactionID int64, counterAccount int, text string) (ledger.Voucher, error) {
	line, err := l.BankTransaction(ctx, bankTransactionID)
	if err != nil {
		return ledger.Voucher{}, fmt.Errorf("post the bank line: %w", err)
	}
	acct, err := l.BankAccount(ctx, line.BankAccount)
	if err != nil {
		return ledger.Voucher{}, fmt.Errorf("post the bank line: %w", err)
	}
	if err := l.UsableAccount(ctx, counterAccount); err != nil {
		return ledger.Voucher{}, fmt.Errorf("post the bank line: %w", err)
	}
	if counterAccount == acct.GLAccount {
		return ledger.Voucher{}, fmt.Errorf("post the bank line: %w", &ledger.AccountError{Number: counterAccount, Problem: ledger.AccountIsBank})
	}
	if text = strings.TrimSpace(text); text == "" {
		text = line.Text
	}
	if text == "" {
		text = "Bank " + line.AccountingDate.Norwegian()
	}
	var v ledger.Voucher
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		posted, err := tx.PostedVoucher(line.ID)
		if err != nil {
			return err
		}
		if posted != 0 {
			return fmt.Errorf("voucher id %d: %w", posted, ErrAlreadyPosted)
		}
		if match, err := tx.MatchOfBankLine(line.ID); err != nil {
			return err
		} else if match != 0 {
			return fmt.Errorf("match %d: %w", match, ErrMatched)
		}
		v, err = tx.AddVoucher(ledger.Voucher{
			Date:        line.AccountingDate,
			Description: text,
			Source:      "bank",
			Postings: []ledger.Posting{
				{Account: acct.GLAccount, Amount: line.Amount, Text: text, KID: line.KID, Reference: line.Reference, BankTransaction: line.ID},
				{Account: counterAccount, Amount: -line.Amount, Text: text},
			},
		})
		if err != nil {
			return err
		}
		if err := tx.Audit("bank.post", fmt.Sprintf("bank line %s %s %s posted to %d as voucher %d",
			acct.Formatted(), line.AccountingDate, line.Amount, counterAccount, v.Number)); err != nil {
			return err
		}
		_, err = reconcile.Settle(ctx, l, tx, v.ID)
		return err
	})
	if err != nil {
		return ledger.Voucher{}, fmt.Errorf("post the bank line of %s (%s): %w", line.AccountingDate.Norwegian(), line.Text, err)
	}
	return v, nil
}

// Reversal is what Unpost did: the reversing voucher, and the bank lines
// whose match it undid.
type Reversal struct {
	ledger.Voucher
	// Unmatched are the bank lines that were matched against the reversed
	// voucher's postings: their match is undone and they are open again.
	Unmatched []int64
}

// Unpost reverses the voucher that posts a bank line, dated date (zero: the
// voucher's own date), and returns the reversal. A match holding the
// voucher's postings no longer stands and is undone (the audit log keeps
// it), so the line is then open to be posted again; the voucher's postings
// on the bank's GL account are matched against the reversal's at once
// (reconcile.Settle), since no bank line will ever come for them. Only a
// voucher linked to a bank line can be undone here.
func Unpost(ctx context.Context, l *ledger.Ledger, voucherID int64, date civil.Date) (Reversal, error) {
	orig, err := l.Voucher(ctx, voucherID)
	if err != nil {
		return Reversal{}, fmt.Errorf("reverse the posting: %w", err)
	}
	linked := false
	for _, p := range orig.Postings {
		linked = linked || p.BankTransaction != 0
	}
	if !linked {
		return Reversal{}, fmt.Errorf("reverse the posting: voucher %d is not posted from a bank line", orig.Number)
	}
	if by, err := l.ReversedBy(ctx, voucherID); err != nil {
		return Reversal{}, fmt.Errorf("reverse the posting: %w", err)
	} else if by != 0 {
		return Reversal{}, fmt.Errorf("reverse the posting: voucher %d is already reversed", orig.Number)
	}
	if date.IsZero() {
		date = orig.Date
	}
	var rev Reversal
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		rev = Reversal{}
		if rev.Voucher, err = tx.Reverse(voucherID, date, "Reversering av bilag "+fmt.Sprint(orig.Number)+": "+orig.Description); err != nil {
			return err
		}
		for _, p := range orig.Postings {
			match, err := tx.MatchOfPosting(p.ID)
			if err != nil {
				return err
			}
			if match == 0 {
				continue
			}
			m, err := tx.DeleteMatch(match)
			if err != nil {
				return err
			}
			rev.Unmatched = append(rev.Unmatched, m.BankLines...)
		}
		_, err := reconcile.Settle(ctx, l, tx, orig.ID, rev.ID)
		return err
	})
	if err != nil {
		return Reversal{}, fmt.Errorf("reverse voucher %d: %w", orig.Number, err)
	}
	return rev, nil
}

// SuggestAccount proposes the counter account for a bank line: the one used
// last time for a line from the same counterparty, or else with the same
// text. false: no earlier line to go by (or the ledger could not be read;
// a suggestion is only a help).
func SuggestAccount(ctx context.Context, l *ledger.Ledger, line ledger.BankTransaction) (int, bool) {
	acct, ok, err := l.SuggestCounterAccount(ctx, line.Counterparty, line.Text)
	if err != nil || !ok {
		return 0, false
	}
	return acct, true
}
