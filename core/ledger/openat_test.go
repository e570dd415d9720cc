package ledger

import (
	"context"
	"fmt"

	"bankbro/core/civil"
)

// The open items at a day in full, the tests' reference for what
// OpenTotalsAt counts, EachOpenItemAt hands over and the Reconciliation
// screen's pages hold: read the long way, from every match's items and
// their dates (not from lateMatches and the dates migration 8 keeps).

// itemsLastDay names, for every match, the latest date of its items of
// the bank account ?1: its bank lines and its postings on GL account ?4.
const itemsLastDay = `items(match, day) AS (
		SELECT x.match, b.accounting_date FROM match_bank_lines x JOIN bank_transactions b ON b.id = x.bank_transaction
		WHERE b.bank_account = ?1
		UNION ALL
		SELECT x.match, q.date FROM match_postings x JOIN postings q ON q.id = x.posting
		WHERE q.account = ?4),
	last(match, day) AS (SELECT match, max(day) FROM items GROUP BY match)`

// OpenBankLinesAt returns the bank account's lines dated in [from, at] that
// are open at the end of day at: in no match, or in a match that also holds
// one of the account's items dated after at (at that day the other side had
// not happened yet).
func (l *Ledger) OpenBankLinesAt(ctx context.Context, bankAccount int64, from, at civil.Date) ([]BankTransaction, error) {
	var gl int
	if err := l.db.QueryRowContext(ctx, `SELECT gl_account FROM bank_accounts WHERE id = ?`, bankAccount).Scan(&gl); err != nil {
		return nil, err
	}
	rows, err := l.db.QueryContext(ctx, `WITH `+itemsLastDay+`
		SELECT `+bankTransactionColumns+` FROM bank_transactions bt
		LEFT JOIN match_bank_lines x ON x.bank_transaction = bt.id LEFT JOIN last ON last.match = x.match
		WHERE bt.bank_account = ?1 AND bt.accounting_date BETWEEN ?2 AND ?3 AND (x.match IS NULL OR last.day > ?3)
		ORDER BY bt.accounting_date, bt.id`, bankAccount, from.String(), at.String(), gl)
	if err != nil {
		return nil, fmt.Errorf("read the open bank lines: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// OpenPostingsAt returns the postings on the GL account dated in [from, at]
// that take part in reconciliation (not opening balances) and are open at
// the end of day at, in the sense of OpenBankLinesAt.
func (l *Ledger) OpenPostingsAt(ctx context.Context, glAccount int, from, at civil.Date) ([]ReconcilePosting, error) {
	var bankAccount int64
	if err := l.db.QueryRowContext(ctx, `SELECT id FROM bank_accounts WHERE gl_account = ?`, glAccount).Scan(&bankAccount); err != nil {
		return nil, err
	}
	rows, err := l.db.QueryContext(ctx, `WITH `+itemsLastDay+`
		SELECT `+reconcilePostingColumns+`
		FROM postings p JOIN vouchers v ON v.id = p.voucher
		LEFT JOIN match_postings x ON x.posting = p.id LEFT JOIN last ON last.match = x.match
		WHERE p.account = ?4 AND p.date BETWEEN ?2 AND ?3 AND v.source <> 'opening' AND (x.match IS NULL OR last.day > ?3)
		ORDER BY p.date, p.id`, bankAccount, from.String(), at.String(), glAccount)
	if err != nil {
		return nil, fmt.Errorf("read the open postings on %d: %w", glAccount, err)
	}
	return collect(rows, scanReconcilePosting)
}
