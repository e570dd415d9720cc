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
	// A line stored by an earlier onboarding or import that the bank now
	// sends changed, moved or not at all stops the apply (see checkStored).
	stored, err := tx.BankTransactions(a.ID, from, to)
	if err != nil {
		return 0, 0, err
	}
	known, err := compareStored(stored, conv, from, to)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", a.Formatted(), err)
	}
	run, err := tx.StartSyncRun(a.ID, from, to, time.Now())
	if err != nil {
		return 0, 0, err
	}
	if added, skipped, err = tx.InsertBankTransactions(a.ID, run, conv); err != nil {
		return 0, 0, err
	}
	if skipped != known {
		return 0, 0, fmt.Errorf("%s: the bank now dates %d of its booked lines from %s to %s differently from when they were stored; "+
			"the stored lines were kept as they are, ask the bank why", a.Formatted(), skipped-known, from, to)
	}
	if _, err := postFees(tx, company, a, run, from, to); err != nil {
		return 0, 0, err
	}
	if err := tx.FinishSyncRun(run, len(lines), added, skipped, ""); err != nil {
		return 0, 0, err
	}
	return added, skipped, tx.SetReadThrough(a.ID, to)
}
