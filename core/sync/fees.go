package sync

import (
	"fmt"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

// postFees posts every fee line that import run stored to the company's fee
// account: one voucher per line, the bank's GL account against the fee
// account, the bank side linked to the line. It runs in the import's
// transaction, so a line and its fee voucher are stored together or not at
// all, and a line stored earlier is never posted again.
func postFees(tx *ledger.Tx, company ledger.Company, a ledger.BankAccount, run int64, from, to civil.Date) (int, error) {
	if company.FeeAccount == 0 {
		return 0, nil
	}
	fees, err := tx.RunLines(a.ID, run, from, to, FeeTypeCodes...)
	if err != nil {
		return 0, err
	}
	var vs []ledger.Voucher
	for _, f := range fees {
		if f.Amount != 0 {
			vs = append(vs, feeVoucher(company.FeeAccount, a.GLAccount, f))
		}
	}
	if _, err := tx.AddVouchers(vs); err != nil {
		return 0, fmt.Errorf("post %d fees of account %s to account %d: %w", len(vs), a.Formatted(), company.FeeAccount, err)
	}
	return len(vs), nil
}

// feeVoucher is the voucher for a fee line: money out credits the bank's
// GL account and debits the fee account; a refunded fee the other way.
func feeVoucher(feeAccount, glAccount int, f ledger.BankTransaction) ledger.Voucher {
	return ledger.Voucher{
		Date:        f.AccountingDate,
		Description: f.Text,
		Source:      "fee",
		Postings: []ledger.Posting{
			{Account: glAccount, Amount: f.Amount, Text: f.Text, KID: f.KID, Reference: f.Reference, BankTransaction: f.ID},
			{Account: feeAccount, Amount: -f.Amount, Text: f.Text},
		},
	}
}
