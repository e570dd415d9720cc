package ledger

import (
	"context"
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// OpenTotals counts and sums what is open on one bank account from a date:
// its open bank lines and the open postings on its GL account.
type OpenTotals struct {
	Lines       int
	LinesSum    money.Amount
	Postings    int
	PostingsSum money.Amount
}

// OpenTotals reads the counts and sums of the bank account's open items
// dated on or after from, from the open-item tables (migration 5).
func (l *Ledger) OpenTotals(ctx context.Context, bankAccount int64, glAccount int, from civil.Date) (OpenTotals, error) {
	var t OpenTotals
	err := l.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date >= ?3),
		(SELECT coalesce(sum(amount), 0) FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date >= ?3),
		(SELECT count(*) FROM open_postings WHERE account = ?2 AND date >= ?3),
		(SELECT coalesce(sum(amount), 0) FROM open_postings WHERE account = ?2 AND date >= ?3)`,
		bankAccount, glAccount, from.String()).Scan(&t.Lines, &t.LinesSum, &t.Postings, &t.PostingsSum)
	if err != nil {
		return t, fmt.Errorf("count the open items: %w", err)
	}
	return t, nil
}

// OpenBankLinesPage returns limit of the bank account's open lines dated on
// or after from, oldest first, skipping the first offset: the Reconciliation
// screen's list reads what it shows, not every open line.
func (l *Ledger) OpenBankLinesPage(ctx context.Context, bankAccount int64, from civil.Date, offset, limit int) ([]BankTransaction, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions
		WHERE id IN (SELECT id FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date >= ?2
			ORDER BY accounting_date, id LIMIT ?3 OFFSET ?4)
		ORDER BY accounting_date, id`, bankAccount, from.String(), limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read the open bank lines: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// OpenPostingsPage is OpenBankLinesPage for the open postings on a GL account.
func (l *Ledger) OpenPostingsPage(ctx context.Context, glAccount int, from civil.Date, offset, limit int) ([]ReconcilePosting, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+reconcilePostingColumns+`
		FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE p.id IN (SELECT id FROM open_postings WHERE account = ?1 AND date >= ?2
			ORDER BY date, id LIMIT ?3 OFFSET ?4)
		ORDER BY p.date, p.id`, glAccount, from.String(), limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read the open postings on %d: %w", glAccount, err)
	}
	return collect(rows, scanReconcilePosting)
}
