package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bankbro/core/civil"
)

// The open items at a day in full, the tests' reference for what
// OpenTotalsAt counts, EachOpenItemAt hands over and the Reconciliation
// screen's pages hold. (The report once read them like this; it counts in
// SQL now, and only the tests need every column.)

// OpenBankLinesAt returns the bank account's lines dated in [from, at] that
// are open at the end of day at: in no match, or in a match that also holds
// an item dated after at (at that day the other side had not happened yet).
// It reads the open lines and the matches of items dated after at, so it
// costs what is open and what came after at, however long the history (the
// unary + keeps SQLite from walking the account's lines by date instead).
func (l *Ledger) OpenBankLinesAt(ctx context.Context, bankAccount int64, from, at civil.Date) ([]BankTransaction, error) {
	rows, err := l.db.QueryContext(ctx, `WITH `+lateMatches+`
		SELECT `+bankTransactionColumns+` FROM bank_transactions bt
		WHERE `+openLinesAt+`
		ORDER BY bt.accounting_date, bt.id`, bankAccount, from.String(), at.String())
	if err != nil {
		return nil, fmt.Errorf("read the open bank lines: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// OpenPostingsAt returns the postings on the GL account dated in [from, at]
// that take part in reconciliation and are open at the end of day at, in the
// sense of OpenBankLinesAt (and at its cost).
func (l *Ledger) OpenPostingsAt(ctx context.Context, glAccount int, from, at civil.Date) ([]ReconcilePosting, error) {
	var bankAccount int64
	err := l.db.QueryRowContext(ctx, `SELECT id FROM bank_accounts WHERE gl_account = ?`, glAccount).Scan(&bankAccount)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read the open postings on %d: %w", glAccount, err)
	}
	rows, err := l.db.QueryContext(ctx, `WITH `+lateMatches+`
		SELECT `+reconcilePostingColumns+`
		FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE `+openPostingsAt+`
		ORDER BY p.date, p.id`, bankAccount, from.String(), at.String(), glAccount)
	if err != nil {
		return nil, fmt.Errorf("read the open postings on %d: %w", glAccount, err)
	}
	return collect(rows, scanReconcilePosting)
}
