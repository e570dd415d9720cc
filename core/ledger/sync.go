package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// SyncRun is one run of the morning import for one bank account: what was
// asked of the bank, what came back and what was stored.
type SyncRun struct {
	ID          int64
	BankAccount int64
	StartedAt   time.Time
	FinishedAt  time.Time // zero while the run is in flight
	// From and To are the accounting dates asked for, both included.
	From, To civil.Date
	// Fetched is how many booked lines the bank sent; New how many of them
	// were stored; Skipped how many were stored already.
	Fetched, New, Skipped int
	// Err is why the run failed ("" when it did not).
	Err string
}

// StartSyncRun records that an import of the bank account's lines dated in
// [from, to] begins at startedAt, and returns the run's id for
// InsertBankTransactions and FinishSyncRun.
func (tx *Tx) StartSyncRun(bankAccount int64, from, to civil.Date, startedAt time.Time) (int64, error) {
	res, err := tx.exec(`INSERT INTO sync_runs (bank_account, started_at, from_date, to_date) VALUES (?, ?, ?, ?)`,
		bankAccount, startedAt.UTC().Format(time.RFC3339Nano), from.String(), to.String())
	if err != nil {
		return 0, fmt.Errorf("record the start of an import: %w", err)
	}
	return res.LastInsertId()
}

// FinishSyncRun records the outcome of run: the counts, and errText when
// it failed.
func (tx *Tx) FinishSyncRun(run int64, fetched, added, skipped int, errText string) error {
	var e any
	if errText != "" {
		e = errText
	}
	_, err := tx.exec(`UPDATE sync_runs SET finished_at = ?, fetched = ?, new = ?, skipped = ?, error = ? WHERE id = ?`,
		tx.now(), fetched, added, skipped, e, run)
	if err != nil {
		return fmt.Errorf("record the end of an import: %w", err)
	}
	return nil
}

// SyncRuns returns the bank account's newest import runs first, at most limit.
func (l *Ledger) SyncRuns(ctx context.Context, bankAccount int64, limit int) ([]SyncRun, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, bank_account, started_at, coalesce(finished_at, ''),
		from_date, to_date, fetched, new, skipped, coalesce(error, '')
		FROM sync_runs WHERE bank_account = ? ORDER BY id DESC LIMIT ?`, bankAccount, limit)
	if err != nil {
		return nil, fmt.Errorf("read the import runs: %w", err)
	}
	defer rows.Close()
	var out []SyncRun
	for rows.Next() {
		var r SyncRun
		var started, finished, from, to string
		if err := rows.Scan(&r.ID, &r.BankAccount, &started, &finished, &from, &to,
			&r.Fetched, &r.New, &r.Skipped, &r.Err); err != nil {
			return nil, err
		}
		r.StartedAt, _ = time.Parse(time.RFC3339Nano, started)
		r.FinishedAt, _ = time.Parse(time.RFC3339Nano, finished)
		r.From, _ = civil.Parse(from)
		r.To, _ = civil.Parse(to)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunLines returns the lines that sync run stored for the bank account,
// dated in [from, to] (the run's range, which lets the date index do the
// work), with one of the type codes (none given: any), oldest first.
func (tx *Tx) RunLines(bankAccount, run int64, from, to civil.Date, typeCodes ...int) ([]BankTransaction, error) {
	q := `SELECT ` + bankTransactionColumns + ` FROM bank_transactions
		WHERE bank_account = ? AND accounting_date BETWEEN ? AND ? AND sync_run = ?`
	args := []any{bankAccount, from.String(), to.String(), run}
	if len(typeCodes) > 0 {
		q += ` AND type_code IN (?` + strings.Repeat(", ?", len(typeCodes)-1) + `)`
		for _, c := range typeCodes {
			args = append(args, c)
		}
	}
	rows, err := tx.tx.QueryContext(tx.ctx, q+` ORDER BY accounting_date, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read the lines of import run %d: %w", run, err)
	}
	return collect(rows, scanBankTransaction)
}

// PostedVoucher returns the voucher that posts the bank line and is not
// reversed, or 0, as seen inside the transaction.
func (tx *Tx) PostedVoucher(bankTransaction int64) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(tx.ctx, postedVoucherQuery, bankTransaction).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up the voucher of bank line %d: %w", bankTransaction, err)
	}
	return id, nil
}

// postedVoucherQuery finds the newest live voucher with a posting linked to
// a bank line. Reversals copy no link, so a reversed voucher drops out.
const postedVoucherQuery = `SELECT p.voucher FROM postings p
	WHERE p.bank_transaction = ? AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher)
	ORDER BY p.id DESC LIMIT 1`

// BankLine is a stored bank line with what has been done with it.
type BankLine struct {
	BankTransaction
	// Voucher is the live (not reversed) voucher that posts the line, or 0.
	Voucher int64
	// Matched says the line is reconciled against postings.
	Matched bool
}

// bankLineColumns selects a bank line with its live voucher (the latest
// posting from it whose voucher is not reversed) and whether it is matched.
const bankLineColumns = bankTransactionColumns + `,
	coalesce((SELECT p.voucher FROM postings p WHERE p.bank_transaction = bank_transactions.id
		AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher) ORDER BY p.id DESC LIMIT 1), 0),
	EXISTS (SELECT 1 FROM match_bank_lines m WHERE m.bank_transaction = bank_transactions.id)`

func scanBankLine(row rowScanner) (BankLine, error) {
	var b BankLine
	var err error
	b.BankTransaction, err = scanBankTransactionAnd(row, &b.Voucher, &b.Matched)
	return b, err
}

// BankLines returns the bank account's lines dated in [from, to], oldest
// first, each with its voucher and whether it is matched.
func (l *Ledger) BankLines(ctx context.Context, bankAccount int64, from, to civil.Date) ([]BankLine, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankLineColumns+` FROM bank_transactions
		WHERE bank_account = ? AND accounting_date BETWEEN ? AND ? ORDER BY accounting_date, id`,
		bankAccount, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read the bank lines: %w", err)
	}
	return collect(rows, scanBankLine)
}

// BankLineByID returns one stored line with its voucher and whether it is
// matched.
func (l *Ledger) BankLineByID(ctx context.Context, id int64) (BankLine, error) {
	b, err := scanBankLine(l.db.QueryRowContext(ctx, `SELECT `+bankLineColumns+` FROM bank_transactions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return BankLine{}, fmt.Errorf("bank line %d: %w", id, ErrNoSuchRecord)
	}
	if err != nil {
		return BankLine{}, fmt.Errorf("read bank line %d: %w", id, err)
	}
	return b, nil
}

// DuplicateBankTransactions counts stored lines that share a bank account
// and transactionId with another line; the schema forbids it, so anything
// but 0 means the books are damaged.
func (l *Ledger) DuplicateBankTransactions(ctx context.Context) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(sum(c - 1), 0) FROM
		(SELECT count(*) AS c FROM bank_transactions GROUP BY bank_account, transaction_id HAVING c > 1)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("look for duplicate bank lines: %w", err)
	}
	return n, nil
}

// LinesPostedTwice returns the bank account's lines that more than one
// live (not reversed) voucher posts; anything but none means a line was
// posted twice.
func (l *Ledger) LinesPostedTwice(ctx context.Context, bankAccount int64) ([]int64, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT p.bank_transaction FROM postings p
		JOIN bank_transactions b ON b.id = p.bank_transaction
		WHERE b.bank_account = ? AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher)
		GROUP BY p.bank_transaction HAVING count(DISTINCT p.voucher) > 1`, bankAccount)
	if err != nil {
		return nil, fmt.Errorf("look for bank lines posted twice: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SuggestCounterAccount returns the counter account of the newest live
// voucher posted from a bank line of the same counterparty, or failing
// that with the same text: what the owner chose last time. The counter
// posting is the one not linked to a bank line. A card purchase has no
// counterparty: its shop stands in for it (norway.LineParty), as in
// the table it is looked up in.
func (l *Ledger) SuggestCounterAccount(ctx context.Context, counterparty, text string) (int, bool, error) {
	counterparty = norway.LineParty(counterparty, text)
	for _, q := range []struct{ column, value string }{{"counterparty", counterparty}, {"text", text}} {
		if strings.TrimSpace(q.value) == "" {
			continue
		}
		var account int
		// posted_bank_lines (migration 6) holds the lines posted from, by
		// counterparty and by text, newest voucher last: the walk stops at
		// the first voucher not reversed, however long the history.
		err := l.db.QueryRowContext(ctx, `SELECT c.account FROM posted_bank_lines p
			JOIN postings c ON c.voucher = p.voucher AND c.id <> p.posting AND c.bank_transaction IS NULL
			WHERE p.`+q.column+` = ? AND p.`+q.column+` <> ''
				AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher)
			ORDER BY p.voucher DESC, c.id LIMIT 1`, q.value).Scan(&account)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return 0, false, fmt.Errorf("look up the account used last time for %q: %w", q.value, err)
		}
		return account, true, nil
	}
	return 0, false, nil
}

// BackupInto writes a consistent copy of the whole ledger to path (which
// must not exist) with SQLite's VACUUM INTO; writers wait meanwhile, readers
// do not. Like the ledger, the copy may be read by its owner only: the file
// is made empty with that mode first (VACUUM INTO fills an empty file; it
// would create one readable by all).
func (l *Ledger) BackupInto(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("back up the ledger to %s: %w", path, err)
	}
	f.Close()
	if _, err := l.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("back up the ledger to %s: %w", path, err)
	}
	return nil
}

// BankLinesSum returns the sum of the bank account's stored lines dated up
// to and including to, and the sums in and out of the days from to to.
func (l *Ledger) BankLinesSum(ctx context.Context, bankAccount int64, from, to civil.Date) (through, in, out money.Amount, err error) {
	err = l.db.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(sum(amount), 0) FROM bank_day_totals WHERE bank_account = ?1 AND date <= ?3),
		coalesce(sum(CASE WHEN amount > 0 THEN amount END), 0),
		coalesce(sum(CASE WHEN amount < 0 THEN amount END), 0)
		FROM bank_transactions WHERE bank_account = ?1 AND accounting_date BETWEEN ?2 AND ?3`, bankAccount, from.String(), to.String()).
		Scan(&through, &in, &out)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("sum the bank lines through %s: %w", to, err)
	}
	return through, in, out, nil
}
