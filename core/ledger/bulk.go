package ledger

import (
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// AddVouchers stores many vouchers the way AddVoucher stores one: each is
// numbered next in sequence, written open with its postings, then closed,
// so SQLite's closing trigger checks every one of them. The statements are
// prepared once for the whole batch, which is what makes generating years
// of books (core/demo) take minutes instead of hours. The vouchers are
// returned with their ids, numbers and posting ids filled in.
func (tx *Tx) AddVouchers(vs []Voucher) ([]Voucher, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	for _, v := range vs {
		var sum money.Amount
		for _, p := range v.Postings {
			sum += p.Amount
		}
		if sum != 0 {
			return nil, fmt.Errorf("%q: %w (off by %s)", v.Description, ErrUnbalanced, sum)
		}
	}
	var next int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT coalesce(max(number), 0) + 1 FROM vouchers`).Scan(&next); err != nil {
		return nil, err
	}
	insV, err := tx.tx.PrepareContext(tx.ctx, `INSERT INTO vouchers (number, date, description, source, reverses, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer insV.Close()
	insP, err := tx.tx.PrepareContext(tx.ctx, `INSERT INTO postings (voucher, account, date, amount, text, kid, reference, bank_transaction)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer insP.Close()
	closeV, err := tx.tx.PrepareContext(tx.ctx, `UPDATE vouchers SET closed = 1 WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer closeV.Close()
	now := tx.now()
	out := make([]Voucher, len(vs))
	for i, v := range vs {
		if v.Source == "" {
			v.Source = "manual"
		}
		v.Number = next
		next++
		var reverses any
		if v.Reverses != 0 {
			reverses = v.Reverses
		}
		date := v.Date.String()
		res, err := insV.ExecContext(tx.ctx, v.Number, date, v.Description, v.Source, reverses, now)
		if err != nil {
			return nil, fmt.Errorf("store voucher %q: %w", v.Description, err)
		}
		v.ID, _ = res.LastInsertId()
		v.Postings = append([]Posting(nil), v.Postings...)
		for j := range v.Postings {
			p := &v.Postings[j]
			p.Voucher, p.Date = v.ID, v.Date
			var bt any
			if p.BankTransaction != 0 {
				bt = p.BankTransaction
			}
			res, err := insP.ExecContext(tx.ctx, v.ID, p.Account, date, int64(p.Amount), p.Text, p.KID, p.Reference, bt)
			if err != nil {
				return nil, fmt.Errorf("store voucher %q, posting on account %d: %w", v.Description, p.Account, err)
			}
			p.ID, _ = res.LastInsertId()
		}
		if _, err := closeV.ExecContext(tx.ctx, v.ID); err != nil {
			return nil, fmt.Errorf("close voucher %q: %w", v.Description, err)
		}
		out[i] = v
	}
	return out, nil
}

// BankTransactionIDs returns the ledger ids of the bank account's stored
// lines dated in [from, to], by the bank's transactionId: what a bulk
// writer needs to link postings and matches to the lines it just stored
// with InsertBankTransactions.
func (tx *Tx) BankTransactionIDs(bankAccount int64, from, to civil.Date) (map[string]int64, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, transaction_id FROM bank_transactions
		WHERE bank_account = ? AND accounting_date BETWEEN ? AND ?`, bankAccount, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("read the ids of bank lines: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var tid string
		if err := rows.Scan(&id, &tid); err != nil {
			return nil, fmt.Errorf("read the ids of bank lines: %w", err)
		}
		out[tid] = id
	}
	return out, rows.Err()
}
