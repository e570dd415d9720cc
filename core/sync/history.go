package sync

import (
	"fmt"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
)

// StoreHistory stores, inside the caller's transaction, lines read from the
// bank for [from, to] exactly as the morning import does: checked and
// converted, each stored once, bank fees posted, the account read through
// to. Onboarding uses it to store the history it read for the start date.
func StoreHistory(tx *ledger.Tx, company ledger.Company, a ledger.BankAccount, lines []bank.Transaction, from, to civil.Date) (added, skipped int, err error) {
	conv, err := convertAll(lines, from, to, map[string]bool{})
	if err != nil {
		return 0, 0, fmt.Errorf("the bank's answer for %s cannot be stored: %w", a.Formatted(), err)
	}
	run, err := tx.StartSyncRun(a.ID, from, to, time.Now())
	if err != nil {
		return 0, 0, err
	}
	if added, skipped, err = tx.InsertBankTransactions(a.ID, run, conv); err != nil {
		return 0, 0, err
	}
	if _, err := postFees(tx, company, a, run, from, to); err != nil {
		return 0, 0, err
	}
	if err := tx.FinishSyncRun(run, len(lines), added, skipped, ""); err != nil {
		return 0, 0, err
	}
	return added, skipped, tx.SetReadThrough(a.ID, to)
}
