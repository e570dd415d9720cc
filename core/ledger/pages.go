package ledger

import (
	"context"
	"fmt"
)

// BankLinesPage returns up to limit of the bank account's stored lines,
// newest first (by accounting date, then id), skipping the first offset:
// one page of a list that may hold millions of lines. Each line comes with
// its live voucher and whether it is matched, like BankLines. Count the
// lines with CountBankTransactions.
func (l *Ledger) BankLinesPage(ctx context.Context, bankAccount int64, offset, limit int) ([]BankLine, error) {
	if offset < 0 || limit <= 0 {
		return nil, nil
	}
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankLineColumns+` FROM bank_transactions
		WHERE bank_account = ? ORDER BY accounting_date DESC, id DESC LIMIT ? OFFSET ?`,
		bankAccount, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read a page of bank lines: %w", err)
	}
	return collect(rows, scanBankLine)
}
