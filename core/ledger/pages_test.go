package ledger

import (
	"context"
	"fmt"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
)

func TestBankLinesPage(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	var acct int64
	err := l.Update(ctx, func(tx *Tx) error {
		var err error
		acct, err = tx.SaveBankAccount(BankAccount{BankID: "a1", Number: "15032080119", Name: "Drift", GLAccount: 1920,
			Reconciliation: true, Active: true, StartDate: civil.MustParse("2026-01-01")})
		if err != nil {
			return err
		}
		var lines []BankTransaction
		for i := 0; i < 25; i++ {
			lines = append(lines, BankTransaction{TransactionID: fmt.Sprint("t", i),
				AccountingDate: civil.MustParse("2026-01-01").AddDays(i / 5), Amount: money.Kroner(int64(i + 1)), Text: fmt.Sprint("line ", i)})
		}
		_, _, err = tx.InsertBankTransactions(acct, 0, lines)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		offset, limit int
		want          []string
	}{
		{0, 3, []string{"line 24", "line 23", "line 22"}},
		{23, 5, []string{"line 1", "line 0"}},
		{25, 5, nil},
		{0, 0, nil},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.offset, "+", tc.limit), func(t *testing.T) {
			page, err := l.BankLinesPage(ctx, acct, tc.offset, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range page {
				got = append(got, b.Text)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("page = %v, want %v", got, tc.want)
			}
		})
	}
}
