package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/norway"
)

// Role is a job a bank account has in the company.
type Role string

// The roles; each is held by at most one bank account.
const (
	RoleSalary         Role = "salary"
	RoleOperating      Role = "operating"
	RoleTaxWithholding Role = "tax_withholding"
)

// Roles lists every role in display order.
var Roles = []Role{RoleSalary, RoleOperating, RoleTaxWithholding}

// BankAccount is a bank account connected through the integration.
type BankAccount struct {
	ID int64
	// BankID is the bank's accountId.
	BankID string
	// Number is the 11-digit account number.
	Number string
	Name   string
	// GLAccount is the general-ledger account that mirrors this bank account.
	GLAccount      int
	Remittance     bool
	Reconciliation bool
	// StartDate is the first day of bank reconciliation.
	StartDate civil.Date
	// ReadThrough is the last day whose transactions are all stored.
	ReadThrough civil.Date
	Active      bool
	Roles       []Role
}

// Formatted returns the account number as people read it: 1503.20.80119.
func (b BankAccount) Formatted() string { return norway.FormatAccountNumber(b.Number) }

const bankAccountColumns = `id, bank_id, number, name, gl_account, remittance, reconciliation,
	coalesce(start_date, ''), coalesce(read_through, ''), active`

func scanBankAccount(row rowScanner) (BankAccount, error) {
	var b BankAccount
	var start, through string
	err := row.Scan(&b.ID, &b.BankID, &b.Number, &b.Name, &b.GLAccount, &b.Remittance, &b.Reconciliation,
		&start, &through, &b.Active)
	b.StartDate, _ = civil.Parse(start)
	b.ReadThrough, _ = civil.Parse(through)
	return b, err
}

// BankAccounts returns every bank account, active or not, with its roles.
func (l *Ledger) BankAccounts(ctx context.Context) ([]BankAccount, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankAccountColumns+` FROM bank_accounts ORDER BY gl_account`)
	if err != nil {
		return nil, fmt.Errorf("read bank accounts: %w", err)
	}
	var out []BankAccount
	for rows.Next() {
		b, err := scanBankAccount(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roles, err := l.roles(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, r := range Roles {
			if roles[r] == out[i].ID {
				out[i].Roles = append(out[i].Roles, r)
			}
		}
	}
	return out, nil
}

// BankAccount returns the bank account with the given id.
func (l *Ledger) BankAccount(ctx context.Context, id int64) (BankAccount, error) {
	all, err := l.BankAccounts(ctx)
	if err != nil {
		return BankAccount{}, err
	}
	for _, b := range all {
		if b.ID == id {
			return b, nil
		}
	}
	return BankAccount{}, fmt.Errorf("bank account %d: %w", id, ErrNoSuchRecord)
}

// BankAccountByNumber returns the bank account with the 11-digit number.
func (l *Ledger) BankAccountByNumber(ctx context.Context, number string) (BankAccount, error) {
	all, err := l.BankAccounts(ctx)
	if err != nil {
		return BankAccount{}, err
	}
	for _, b := range all {
		if b.Number == number {
			return b, nil
		}
	}
	return BankAccount{}, fmt.Errorf("bank account %s: %w", norway.FormatAccountNumber(number), ErrNoSuchRecord)
}

func (l *Ledger) roles(ctx context.Context) (map[Role]int64, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT role, bank_account FROM bank_roles`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[Role]int64{}
	for rows.Next() {
		var r Role
		var id int64
		if err := rows.Scan(&r, &id); err != nil {
			return nil, err
		}
		m[r] = id
	}
	return m, rows.Err()
}

// SaveBankAccount creates the bank account (matched on the bank's accountId)
// or updates its settings. It returns the account's id. ReadThrough is never
// set here: only an import moves it.
func (tx *Tx) SaveBankAccount(b BankAccount) (int64, error) {
	if _, err := norway.ParseAccountNumber(b.Number); err != nil {
		return 0, err
	}
	var start any
	if !b.StartDate.IsZero() {
		start = b.StartDate.String()
	}
	now := tx.now()
	var id int64
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO bank_accounts
		(bank_id, number, name, gl_account, remittance, reconciliation, start_date, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (bank_id) DO UPDATE SET number = excluded.number, name = excluded.name,
			gl_account = excluded.gl_account, remittance = excluded.remittance,
			reconciliation = excluded.reconciliation, start_date = excluded.start_date,
			active = excluded.active, updated_at = excluded.updated_at
		WHERE (number, name, gl_account, remittance, reconciliation, coalesce(start_date, ''), active) IS NOT
			(excluded.number, excluded.name, excluded.gl_account, excluded.remittance, excluded.reconciliation,
			 coalesce(excluded.start_date, ''), excluded.active)
		RETURNING id`,
		b.BankID, b.Number, b.Name, b.GLAccount, b.Remittance, b.Reconciliation, start, b.Active, now, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// Nothing changed, so nothing was written (not even updated_at).
		err = tx.tx.QueryRowContext(tx.ctx, `SELECT id FROM bank_accounts WHERE bank_id = ?`, b.BankID).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("save bank account %s: %w", norway.FormatAccountNumber(b.Number), err)
	}
	return id, nil
}

// SetRole gives the role to the bank account (0 clears the role).
func (tx *Tx) SetRole(r Role, bankAccount int64) error {
	var err error
	if bankAccount == 0 {
		_, err = tx.exec(`DELETE FROM bank_roles WHERE role = ?`, string(r))
	} else {
		_, err = tx.exec(`INSERT INTO bank_roles (role, bank_account) VALUES (?, ?)
			ON CONFLICT (role) DO UPDATE SET bank_account = excluded.bank_account`, string(r), bankAccount)
	}
	if err != nil {
		return fmt.Errorf("set role %s: %w", r, err)
	}
	return nil
}

// SetReadThrough records that every transaction of the bank account up to
// and including d is stored. It never moves backwards.
func (tx *Tx) SetReadThrough(bankAccount int64, d civil.Date) error {
	_, err := tx.exec(`UPDATE bank_accounts SET read_through = ?
		WHERE id = ? AND (read_through IS NULL OR read_through < ?)`, d.String(), bankAccount, d.String())
	return err
}

// ResetReadThrough sets where the next import starts: used by onboarding
// when a start date moves earlier, so the missing days are read.
func (tx *Tx) ResetReadThrough(bankAccount int64, d civil.Date) error {
	var v any
	if !d.IsZero() {
		v = d.String()
	}
	_, err := tx.exec(`UPDATE bank_accounts SET read_through = ? WHERE id = ?`, v, bankAccount)
	return err
}

// nullDate turns the zero date into NULL.
func nullDate(d civil.Date) sql.NullString {
	return sql.NullString{String: d.String(), Valid: !d.IsZero()}
}

// ReassignGLAccounts gives bank accounts new GL accounts in one step, so
// two accounts may swap theirs: SQLite checks uniqueness row by row, so the
// accounts first park on a placeholder (their id, negated) with the foreign
// key check deferred to the commit.
func (tx *Tx) ReassignGLAccounts(gl map[int64]int) error {
	if len(gl) == 0 {
		return nil
	}
	if _, err := tx.exec(`PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	for id := range gl {
		if _, err := tx.exec(`UPDATE bank_accounts SET gl_account = ? WHERE id = ?`, -id, id); err != nil {
			return fmt.Errorf("move bank account %d off its GL account: %w", id, err)
		}
	}
	for id, n := range gl {
		if _, err := tx.exec(`UPDATE bank_accounts SET gl_account = ?, updated_at = ? WHERE id = ?`, n, tx.now(), id); err != nil {
			return fmt.Errorf("give bank account %d GL account %d: %w", id, n, err)
		}
	}
	return nil
}
