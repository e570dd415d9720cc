package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// BankTransaction is a booked line as the bank delivered it.
type BankTransaction struct {
	ID             int64
	BankAccount    int64
	TransactionID  string
	AccountingDate civil.Date
	InterestDate   civil.Date
	Amount         money.Amount
	Text           string
	TypeCode       int
	TypeText       string
	OtherAccount   string
	KID            string
	Counterparty   string
	Reference      string
}

// InsertBankTransactions stores the lines that are not stored yet (by the
// bank account and the bank's transactionId) and reports how many were new
// and how many were already there. The lines go in batches of many rows per
// statement; a batch SQLite refuses is stored again line by line, so the
// error names the line.
func (tx *Tx) InsertBankTransactions(bankAccount int64, syncRun int64, lines []BankTransaction) (added, skipped int, err error) {
	const (
		insert = `INSERT INTO bank_transactions
		(bank_account, transaction_id, accounting_date, interest_date, amount, text, type_code, type_text,
		 other_account, kid, counterparty, reference, sync_run, imported_at) VALUES `
		skipStored = ` ON CONFLICT (bank_account, transaction_id) DO NOTHING`
		width      = 14
	)
	now := tx.now()
	var run any
	if syncRun != 0 {
		run = syncRun
	}
	args := make([]any, 0, width*min(len(lines), insertValues/width))
	for batch := range slices.Chunk(lines, insertValues/width) {
		args = args[:0]
		for _, t := range batch {
			args = append(args, bankAccount, t.TransactionID, t.AccountingDate.String(),
				nullDate(t.InterestDate), int64(t.Amount), t.Text, t.TypeCode, t.TypeText, t.OtherAccount,
				t.KID, t.Counterparty, t.Reference, run, now)
		}
		stored, err := tx.insertMany(insert, skipStored, width, args)
		if err != nil {
			// Only this statement was undone: find the line SQLite refuses.
			for i, t := range batch {
				if _, err := tx.insertMany(insert, skipStored, width, args[i*width:(i+1)*width]); err != nil {
					return 0, 0, fmt.Errorf("store bank transaction %s: %w", t.TransactionID, err)
				}
			}
			return 0, 0, fmt.Errorf("store bank transactions: %w", err)
		}
		added += int(stored)
		skipped += len(batch) - int(stored)
	}
	return added, skipped, nil
}

const bankTransactionColumns = `id, bank_account, transaction_id, accounting_date, coalesce(interest_date, ''),
	amount, text, type_code, type_text, other_account, kid, counterparty, reference`

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// collect reads every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) ([]T, error) {
	var out []T
	if err := each(rows, scan, func(v T) error { out = append(out, v); return nil }); err != nil {
		return nil, err
	}
	return out, nil
}

// each scans rows one at a time into fn, which stops it with an error, and
// closes them.
func each[T any](rows *sql.Rows, scan func(rowScanner) (T, error), fn func(T) error) error {
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanBankTransaction reads a row selected with bankTransactionColumns,
// followed by the extra destinations given.
func scanBankTransaction(row rowScanner) (BankTransaction, error) {
	return scanBankTransactionAnd(row)
}

func scanBankTransactionAnd(row rowScanner, extra ...any) (BankTransaction, error) {
	var t BankTransaction
	var ad, id string
	dest := append([]any{&t.ID, &t.BankAccount, &t.TransactionID, &ad, &id, &t.Amount, &t.Text, &t.TypeCode,
		&t.TypeText, &t.OtherAccount, &t.KID, &t.Counterparty, &t.Reference}, extra...)
	err := row.Scan(dest...)
	t.AccountingDate, _ = civil.Parse(ad)
	t.InterestDate, _ = civil.Parse(id)
	return t, err
}

// BankTransactions returns the stored lines of a bank account with an
// accounting date in [from, to], oldest first.
func (l *Ledger) BankTransactions(ctx context.Context, bankAccount int64, from, to civil.Date) ([]BankTransaction, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions
		WHERE bank_account = ? AND accounting_date BETWEEN ? AND ? ORDER BY accounting_date, id`,
		bankAccount, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read bank transactions: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// BankTransactions returns the stored lines of a bank account with an
// accounting date in [from, to], oldest first, as seen inside the transaction.
func (tx *Tx) BankTransactions(bankAccount int64, from, to civil.Date) ([]BankTransaction, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions
		WHERE bank_account = ? AND accounting_date BETWEEN ? AND ? ORDER BY accounting_date, id`,
		bankAccount, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read bank transactions: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// BankTransaction returns one stored line by its id.
func (l *Ledger) BankTransaction(ctx context.Context, id int64) (BankTransaction, error) {
	t, err := scanBankTransaction(l.db.QueryRowContext(ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions WHERE id = ?`, id))
	if err != nil {
		return BankTransaction{}, fmt.Errorf("bank transaction %d: %w", id, ErrNoSuchRecord)
	}
	return t, nil
}

// CountBankTransactions returns how many lines the bank account has stored.
func (l *Ledger) CountBankTransactions(ctx context.Context, bankAccount int64) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(sum(lines), 0) FROM bank_day_totals WHERE bank_account = ?`, bankAccount).Scan(&n)
	return n, err
}

// BankSum returns the sum of the stored lines of the bank account with an
// accounting date in [from, to].
func (l *Ledger) BankSum(ctx context.Context, bankAccount int64, from, to civil.Date) (money.Amount, error) {
	var s money.Amount
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0) FROM bank_day_totals
		WHERE bank_account = ? AND date BETWEEN ? AND ?`, bankAccount, from.String(), to.String()).Scan(&s)
	return s, err
}
