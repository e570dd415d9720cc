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

// TestBankLinesPageAtEqualsOffsetPaging: paging by the day index gives
// exactly the lines that plain OFFSET paging gives, page for page.
func TestBankLinesPageAtEqualsOffsetPaging(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	var lines []BankTransaction
	for i := 0; i < 1000; i++ {
		d := civil.MustParse("2026-01-01").AddDays(i * 7 % 300) // uneven days, many per day
		lines = append(lines, BankTransaction{TransactionID: fmt.Sprintf("t%04d", i), AccountingDate: d, Amount: money.Amount(i)})
	}
	if err := l.Update(ctx, func(tx *Tx) error { _, _, err := tx.InsertBankTransactions(id, 0, lines); return err }); err != nil {
		t.Fatal(err)
	}
	x, err := l.BankLineIndex(ctx, id)
	if err != nil || x.Total() != 1000 {
		t.Fatalf("index: %d lines, %v", x.Total(), err)
	}
	for _, size := range []int{1, 7, 200} {
		for off := 0; off < 1000; off += size {
			want, _ := l.BankLinesPage(ctx, id, off, size)
			got, err := l.BankLinesPageAt(ctx, id, x, off, size)
			if err != nil || len(got) != len(want) {
				t.Fatalf("page at %d size %d: %d lines, want %d (%v)", off, size, len(got), len(want), err)
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("page at %d size %d, line %d: id %d, want %d", off, size, i, got[i].ID, want[i].ID)
				}
			}
		}
	}
}
