package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Voucher is a bookkeeping voucher (bilag): postings that sum to zero.
type Voucher struct {
	ID          int64
	Number      int64
	Date        civil.Date
	Description string
	// Source says where the voucher came from: manual, opening, bank, fee, payment, rule, demo.
	Source string
	// Reverses is the id of the voucher this one reverses (0: none).
	Reverses int64
	Postings []Posting
}

// Posting is one line of a voucher: a positive amount debits the account,
// a negative amount credits it.
type Posting struct {
	ID      int64
	Voucher int64
	Account int
	Date    civil.Date
	Amount  money.Amount
	Text    string
	KID     string
	// Reference is a payment's end-to-end reference, for matching its bank line.
	Reference string
	// BankTransaction is the bank line this posting came from (0: none).
	BankTransaction int64
}

// ErrUnbalanced is returned for a voucher whose postings do not sum to zero.
var ErrUnbalanced = errors.New("the voucher does not balance: debits and credits must sum to zero")

// AddVoucher stores a voucher with its postings, numbered next in sequence,
// and closes it. SQLite itself refuses to close a voucher that does not balance.
// Its statements are prepared once per transaction, so many vouchers in one
// transaction (the morning import's fees) cost little more than their rows.
func (tx *Tx) AddVoucher(v Voucher) (Voucher, error) {
	var sum money.Amount
	for _, p := range v.Postings {
		sum += p.Amount
	}
	if sum != 0 {
		return Voucher{}, fmt.Errorf("%q: %w (off by %s)", v.Description, ErrUnbalanced, sum)
	}
	if v.Source == "" {
		v.Source = "manual"
	}
	next, err := tx.stmt(`SELECT coalesce(max(number), 0) + 1 FROM vouchers`)
	if err != nil {
		return Voucher{}, err
	}
	if err := next.QueryRowContext(tx.ctx).Scan(&v.Number); err != nil {
		return Voucher{}, err
	}
	var reverses any
	if v.Reverses != 0 {
		reverses = v.Reverses
	}
	res, err := tx.execStmt(`INSERT INTO vouchers (number, date, description, source, reverses, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, v.Number, v.Date.String(), v.Description, v.Source, reverses, tx.now())
	if err != nil {
		return Voucher{}, fmt.Errorf("store voucher %q: %w", v.Description, err)
	}
	v.ID, _ = res.LastInsertId()
	for i := range v.Postings {
		p := &v.Postings[i]
		p.Voucher, p.Date = v.ID, v.Date
		var bt any
		if p.BankTransaction != 0 {
			bt = p.BankTransaction
		}
		res, err := tx.execStmt(`INSERT INTO postings (voucher, account, date, amount, text, kid, reference, bank_transaction)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, p.Account, v.Date.String(), int64(p.Amount), p.Text, p.KID, p.Reference, bt)
		if err != nil {
			return Voucher{}, fmt.Errorf("store voucher %q, posting on account %d: %w", v.Description, p.Account, err)
		}
		p.ID, _ = res.LastInsertId()
	}
	if _, err := tx.execStmt(`UPDATE vouchers SET closed = 1 WHERE id = ?`, v.ID); err != nil {
		return Voucher{}, fmt.Errorf("close voucher %q: %w", v.Description, err)
	}
	return v, nil
}

// Reverse posts a voucher that cancels voucher id on date, each posting with
// the opposite sign. A voucher is reversed at most once.
func (tx *Tx) Reverse(id int64, date civil.Date, description string) (Voucher, error) {
	orig, err := tx.Voucher(id)
	if err != nil {
		return Voucher{}, err
	}
	rev := Voucher{Date: date, Description: description, Source: "reversal", Reverses: id}
	for _, p := range orig.Postings {
		rev.Postings = append(rev.Postings, Posting{Account: p.Account, Amount: -p.Amount, Text: p.Text, KID: p.KID})
	}
	v, err := tx.AddVoucher(rev)
	if err != nil {
		return Voucher{}, fmt.Errorf("reverse voucher %d: %w", orig.Number, err)
	}
	return v, tx.Audit("voucher.reverse", fmt.Sprintf("voucher %d reversed by %d", orig.Number, v.Number))
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Voucher returns a voucher with its postings.
func (l *Ledger) Voucher(ctx context.Context, id int64) (Voucher, error) {
	return l.voucher(ctx, l.db, id)
}

// Voucher is Ledger.Voucher as this transaction sees it.
func (tx *Tx) Voucher(id int64) (Voucher, error) {
	return tx.l.voucher(tx.ctx, tx.tx, id)
}

func (l *Ledger) voucher(ctx context.Context, q querier, id int64) (Voucher, error) {
	v := Voucher{ID: id}
	var date string
	var reverses sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT number, date, description, source, reverses FROM vouchers WHERE id = ?`, id).
		Scan(&v.Number, &date, &v.Description, &v.Source, &reverses)
	if err != nil {
		return Voucher{}, fmt.Errorf("voucher %d: %w", id, ErrNoSuchRecord)
	}
	v.Date, _ = civil.Parse(date)
	v.Reverses = reverses.Int64
	rows, err := q.QueryContext(ctx, `SELECT `+postingColumns+` FROM postings WHERE voucher = ? ORDER BY id`, id)
	if err != nil {
		return Voucher{}, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPosting(rows)
		if err != nil {
			return Voucher{}, err
		}
		v.Postings = append(v.Postings, p)
	}
	return v, rows.Err()
}

// ReversedBy returns the id of the voucher that reverses id (0: none).
func (l *Ledger) ReversedBy(ctx context.Context, id int64) (int64, error) {
	var r int64
	err := l.db.QueryRowContext(ctx, `SELECT id FROM vouchers WHERE reverses = ?`, id).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return r, err
}

const postingColumns = `id, voucher, account, date, amount, text, kid, reference, coalesce(bank_transaction, 0)`

func scanPosting(row rowScanner) (Posting, error) {
	var p Posting
	var date string
	err := row.Scan(&p.ID, &p.Voucher, &p.Account, &date, &p.Amount, &p.Text, &p.KID, &p.Reference, &p.BankTransaction)
	p.Date, _ = civil.Parse(date)
	return p, err
}

// Postings returns the postings on a GL account dated in [from, to], oldest first.
func (l *Ledger) Postings(ctx context.Context, account int, from, to civil.Date) ([]Posting, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+postingColumns+` FROM postings
		WHERE account = ? AND date BETWEEN ? AND ? ORDER BY date, id`, account, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read postings on %d: %w", account, err)
	}
	return collect(rows, scanPosting)
}

// Balance returns the balance of a GL account at the end of date: the sum of
// every posting on it up to and including that day.
func (l *Ledger) Balance(ctx context.Context, account int, date civil.Date) (money.Amount, error) {
	var s money.Amount
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0) FROM posting_day_totals WHERE account = ? AND date <= ?`,
		account, date.String()).Scan(&s)
	if err != nil {
		return 0, fmt.Errorf("balance of %d on %s: %w", account, date, err)
	}
	return s, nil
}

// VoucherForBankTransaction returns the voucher posted from the bank line
// (and not reversed), or 0.
func (l *Ledger) VoucherForBankTransaction(ctx context.Context, bankTransaction int64) (int64, error) {
	var id int64
	err := l.db.QueryRowContext(ctx, postedVoucherQuery, bankTransaction).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SourceOpening marks the voucher of opening balances, posted on the
// conversion date and standing for the balance at the start of that day.
const SourceOpening = "opening"

// BalanceAtStart returns a GL account's balance at the start of date: every
// posting before it, plus opening balances posted on it.
func (l *Ledger) BalanceAtStart(ctx context.Context, account int, date civil.Date) (money.Amount, error) {
	return balanceAtStart(ctx, l.db, account, date)
}

// BalanceAtStart is Ledger.BalanceAtStart as this transaction sees it.
func (tx *Tx) BalanceAtStart(account int, date civil.Date) (money.Amount, error) {
	return balanceAtStart(tx.ctx, tx.tx, account, date)
}

func balanceAtStart(ctx context.Context, q querier, account int, date civil.Date) (money.Amount, error) {
	var s money.Amount
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(sum(amount), 0) FROM posting_day_totals WHERE account = ?1 AND date < ?2) +
		(SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account = ?1 AND p.date = ?2
			AND p.voucher IN (SELECT id FROM vouchers WHERE source = 'opening' AND date = ?2))`,
		account, date.String()).Scan(&s)
	if err != nil {
		return 0, fmt.Errorf("balance of %d at the start of %s: %w", account, date, err)
	}
	return s, nil
}

// HasOpeningBalance reports whether an opening-balance voucher (SourceOpening)
// posts to the GL account, so that onboarding never posts a second one.
func (l *Ledger) HasOpeningBalance(ctx context.Context, account int) (bool, error) {
	return hasOpeningBalance(ctx, l.db, account)
}

// HasOpeningBalance is Ledger.HasOpeningBalance as this transaction sees it.
func (tx *Tx) HasOpeningBalance(account int) (bool, error) {
	return hasOpeningBalance(tx.ctx, tx.tx, account)
}

func hasOpeningBalance(ctx context.Context, q querier, account int) (bool, error) {
	var found bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE p.account = ? AND v.source = 'opening')`, account).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("look for an opening balance on %d: %w", account, err)
	}
	return found, nil
}
