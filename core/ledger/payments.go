package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Payment is a payment made in the app and sent to the bank for signing
// (remittance). Its status names are those of package payments.
type Payment struct {
	ID int64
	// Reference is the end-to-end reference the bank puts on the executed
	// transaction, and the idempotency key of the send: unique in the ledger.
	Reference string
	// BankAccount is the ledger id of the account the money leaves from.
	BankAccount int64
	// FromNumber and FromBankID are the 11-digit number and the bank's
	// accountId of that account (read only: filled in when read).
	FromNumber string
	FromBankID string
	// FromGLAccount is the GL account of that bank account (read only).
	FromGLAccount    int
	RecipientAccount string
	RecipientName    string
	Amount           money.Amount
	DueDate          civil.Date
	KID              string
	Message          string
	// DebitAccount is the GL account debited when the payment is posted.
	DebitAccount  int
	Status        string
	StatusDetails string
	// BankPaymentID is the bank's paymentId once the bank has the payment.
	BankPaymentID string
	// Voucher is the voucher that posted the payment (0: not posted).
	Voucher int64
	// Reversal is the voucher that reversed that posting (0: none).
	Reversal  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PaymentStatusChange is one entry of a payment's status history.
type PaymentStatusChange struct {
	Status  string
	Details string
	At      time.Time
}

// PaymentFilter selects payments; zero fields select everything.
type PaymentFilter struct {
	// Statuses, when not empty, keeps only payments in one of them.
	Statuses []string
	// BankAccount, when not 0, keeps only payments from that bank account.
	BankAccount int64
	// DueFrom and DueTo, when not zero, bound the due date (inclusive).
	DueFrom, DueTo civil.Date
	// Recipient and Amount, when not empty and not 0, keep only payments
	// to that account number (11 digits) and of that amount.
	Recipient string
	Amount    money.Amount
	// Limit, when not 0, returns at most that many payments, after skipping
	// Offset: one page of a list.
	Offset, Limit int
}

const paymentColumns = `p.id, p.reference, p.bank_account, b.number, b.bank_id, b.gl_account,
	p.recipient_account, p.recipient_name, p.amount, p.due_date, p.kid, p.message,
	coalesce(p.debit_account, 0), p.status, p.status_details, p.bank_payment_id,
	coalesce(p.voucher, 0), coalesce(p.reversal, 0), p.created_at, p.updated_at`

const paymentFrom = ` FROM payments p JOIN bank_accounts b ON b.id = p.bank_account`

func scanPayment(row rowScanner) (Payment, error) {
	var p Payment
	var due, created, updated string
	err := row.Scan(&p.ID, &p.Reference, &p.BankAccount, &p.FromNumber, &p.FromBankID, &p.FromGLAccount,
		&p.RecipientAccount, &p.RecipientName, &p.Amount, &due, &p.KID, &p.Message,
		&p.DebitAccount, &p.Status, &p.StatusDetails, &p.BankPaymentID,
		&p.Voucher, &p.Reversal, &created, &updated)
	if err != nil {
		return Payment{}, err
	}
	p.DueDate, _ = civil.Parse(due)
	p.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	p.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	return p, nil
}

// referenceAlphabet leaves out letters and digits people mix up (0/O, 1/I).
const referenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newReference makes "BB-000042-7KQ3": the payment's sequence number, which
// makes it unique in this ledger, and four random characters, which keep a
// new ledger file of the same company from reusing the reference of a
// payment the bank already has (the bank would answer with that one).
func newReference(seq int64) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make a payment reference: %w", err)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "BB-%06d-", seq)
	for _, c := range b {
		s.WriteByte(referenceAlphabet[int(c)%len(referenceAlphabet)])
	}
	return s.String(), nil
}

// AddPayment stores a new payment with its first status and returns it as
// stored. An empty Reference gets a new unique one.
func (tx *Tx) AddPayment(p Payment) (Payment, error) {
	if p.Status == "" {
		return Payment{}, errors.New("store a payment: it has no status")
	}
	if p.Reference == "" {
		var seq int64
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT coalesce(max(id), 0) + 1 FROM payments`).Scan(&seq); err != nil {
			return Payment{}, fmt.Errorf("number the payment: %w", err)
		}
		ref, err := newReference(seq)
		if err != nil {
			return Payment{}, err
		}
		p.Reference = ref
	}
	var debit any
	if p.DebitAccount != 0 {
		debit = p.DebitAccount
	}
	now := tx.now()
	res, err := tx.exec(`INSERT INTO payments (reference, bank_account, recipient_account, recipient_name,
		amount, due_date, kid, message, debit_account, status, status_details, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Reference, p.BankAccount, p.RecipientAccount, p.RecipientName, int64(p.Amount), p.DueDate.String(),
		p.KID, p.Message, debit, p.Status, p.StatusDetails, now, now)
	if err != nil {
		return Payment{}, fmt.Errorf("store payment %s to %s: %w", p.Reference, p.RecipientName, err)
	}
	id, _ := res.LastInsertId()
	if err := tx.addPaymentHistory(id, p.Status, p.StatusDetails, now); err != nil {
		return Payment{}, err
	}
	if err := tx.Audit("payment.create", fmt.Sprintf("%s: %s kr to %s (%s), due %s",
		p.Reference, p.Amount, p.RecipientName, p.RecipientAccount, p.DueDate)); err != nil {
		return Payment{}, err
	}
	return tx.Payment(id)
}

func (tx *Tx) addPaymentHistory(id int64, status, details, at string) error {
	_, err := tx.exec(`INSERT INTO payment_status_history (payment, status, details, at) VALUES (?, ?, ?, ?)`,
		id, status, details, at)
	if err != nil {
		return fmt.Errorf("record status %s of payment %d: %w", status, id, err)
	}
	return nil
}

// SetPaymentStatus sets a payment's status and its details and records the
// change, with the time, in the payment's history. Setting the status and
// details it already has records nothing; changed reports whether anything
// changed.
func (tx *Tx) SetPaymentStatus(id int64, status, details string) (changed bool, err error) {
	if status == "" {
		return false, fmt.Errorf("set the status of payment %d: the status is empty", id)
	}
	now := tx.now()
	res, err := tx.exec(`UPDATE payments SET status = ?, status_details = ?, updated_at = ?
		WHERE id = ? AND (status <> ? OR status_details <> ?)`, status, details, now, id, status, details)
	if err != nil {
		return false, fmt.Errorf("set the status of payment %d to %s: %w", id, status, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.Payment(id); err != nil {
			return false, err
		}
		return false, nil
	}
	if err := tx.addPaymentHistory(id, status, details, now); err != nil {
		return false, err
	}
	return true, tx.Audit("payment.status", fmt.Sprintf("payment %d: %s %s", id, status, details))
}

// SetPaymentBankID records the bank's paymentId of a payment.
func (tx *Tx) SetPaymentBankID(id int64, bankPaymentID string) error {
	if _, err := tx.exec(`UPDATE payments SET bank_payment_id = ?, updated_at = ? WHERE id = ?`,
		bankPaymentID, tx.now(), id); err != nil {
		return fmt.Errorf("record bank payment id %q of payment %d: %w", bankPaymentID, id, err)
	}
	return nil
}

// SetPaymentVoucher records the voucher that posted a payment. A payment is
// posted once: a second voucher is refused.
func (tx *Tx) SetPaymentVoucher(id, voucher int64) error {
	res, err := tx.exec(`UPDATE payments SET voucher = ?, updated_at = ? WHERE id = ? AND voucher IS NULL`,
		voucher, tx.now(), id)
	if err != nil {
		return fmt.Errorf("record voucher %d of payment %d: %w", voucher, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("record voucher %d of payment %d: the payment is already posted, or does not exist", voucher, id)
	}
	return nil
}

// SetPaymentReversal records the voucher that reversed a payment's posting.
// A posting is reversed once: a second reversal is refused.
func (tx *Tx) SetPaymentReversal(id, reversal int64) error {
	res, err := tx.exec(`UPDATE payments SET reversal = ?, updated_at = ? WHERE id = ? AND reversal IS NULL`,
		reversal, tx.now(), id)
	if err != nil {
		return fmt.Errorf("record reversal %d of payment %d: %w", reversal, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("record reversal %d of payment %d: the payment is already reversed, or does not exist", reversal, id)
	}
	return nil
}

// Payment reads a payment inside the transaction, so a decision taken on
// what it says holds until the transaction commits.
func (tx *Tx) Payment(id int64) (Payment, error) {
	return paymentBy(tx.ctx, tx.tx, `p.id = ?`, id)
}

// Payment returns the payment with the given id.
func (l *Ledger) Payment(ctx context.Context, id int64) (Payment, error) {
	return paymentBy(ctx, l.db, `p.id = ?`, id)
}

// PaymentByReference returns the payment with the given reference.
func (l *Ledger) PaymentByReference(ctx context.Context, reference string) (Payment, error) {
	return paymentBy(ctx, l.db, `p.reference = ?`, reference)
}

func paymentBy(ctx context.Context, q querier, where string, arg any) (Payment, error) {
	p, err := scanPayment(q.QueryRowContext(ctx, `SELECT `+paymentColumns+paymentFrom+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, fmt.Errorf("payment %v: %w", arg, ErrNoSuchRecord)
	}
	if err != nil {
		return Payment{}, fmt.Errorf("read payment %v: %w", arg, err)
	}
	return p, nil
}

// Payments returns the payments the filter selects, the latest due first.
func (l *Ledger) Payments(ctx context.Context, f PaymentFilter) ([]Payment, error) {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, `p.status IN (?`+strings.Repeat(`, ?`, len(f.Statuses)-1)+`)`)
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if f.BankAccount != 0 {
		where = append(where, `p.bank_account = ?`)
		args = append(args, f.BankAccount)
	}
	if !f.DueFrom.IsZero() {
		where = append(where, `p.due_date >= ?`)
		args = append(args, f.DueFrom.String())
	}
	if !f.DueTo.IsZero() {
		where = append(where, `p.due_date <= ?`)
		args = append(args, f.DueTo.String())
	}
	if f.Recipient != "" {
		where = append(where, `p.recipient_account = ?`)
		args = append(args, f.Recipient)
	}
	if f.Amount != 0 {
		where = append(where, `p.amount = ?`)
		args = append(args, int64(f.Amount))
	}
	query := `SELECT ` + paymentColumns + paymentFrom
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY p.due_date DESC, p.id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(0, f.Offset))
	}
	rows, err := l.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read payments: %w", err)
	}
	return collect(rows, scanPayment)
}

// PaymentHistory returns a payment's statuses, oldest first, with the time
// each was recorded.
func (l *Ledger) PaymentHistory(ctx context.Context, id int64) ([]PaymentStatusChange, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT status, details, at FROM payment_status_history
		WHERE payment = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("read the history of payment %d: %w", id, err)
	}
	defer rows.Close()
	var out []PaymentStatusChange
	for rows.Next() {
		var c PaymentStatusChange
		var at string
		if err := rows.Scan(&c.Status, &c.Details, &at); err != nil {
			return nil, fmt.Errorf("read the history of payment %d: %w", id, err)
		}
		c.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, c)
	}
	return out, rows.Err()
}
