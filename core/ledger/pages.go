package ledger

import (
	"context"
	"fmt"

	"bankbro/core/civil"
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
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankTransactionColumns+`,
		coalesce((SELECT p.voucher FROM postings p WHERE p.bank_transaction = bank_transactions.id
			AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher) ORDER BY p.id DESC LIMIT 1), 0),
		EXISTS (SELECT 1 FROM match_bank_lines m WHERE m.bank_transaction = bank_transactions.id)
		FROM bank_transactions
		WHERE bank_account = ? ORDER BY accounting_date DESC, id DESC LIMIT ? OFFSET ?`,
		bankAccount, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read a page of bank lines: %w", err)
	}
	defer rows.Close()
	out := make([]BankLine, 0, limit)
	for rows.Next() {
		var b BankLine
		var ad, id string
		t := &b.BankTransaction
		if err := rows.Scan(&t.ID, &t.BankAccount, &t.TransactionID, &ad, &id, &t.Amount, &t.Text, &t.TypeCode,
			&t.TypeText, &t.OtherAccount, &t.KID, &t.Counterparty, &t.Reference, &b.Voucher, &b.Matched); err != nil {
			return nil, err
		}
		t.AccountingDate, _ = civil.Parse(ad)
		t.InterestDate, _ = civil.Parse(id)
		out = append(out, b)
	}
	return out, rows.Err()
}
