package ledger

import (
	"context"
	"fmt"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// The Reconciliation screen's pages, read one after the other, are exactly
// the open items OpenBankLinesAt and OpenPostingsAt return, and the totals
// count and sum them.
func TestOpenPages(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	start := civil.MustParse("2026-03-01")
	var lines []BankTransaction
	for i := range 11 {
		lines = append(lines, BankTransaction{TransactionID: fmt.Sprint("t", i), AccountingDate: start.AddDays(i / 2), Amount: money.Amount(-1000 * (i + 1)), Text: fmt.Sprint("Linje ", i)})
	}
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, lines); err != nil {
			return err
		}
		if _, err := tx.AddVoucher(Voucher{Date: start.AddDays(-1), Description: "IB", Source: SourceOpening, Postings: []Posting{
			{Account: 1920, Amount: 50_000}, {Account: 2050, Amount: -50_000}}}); err != nil {
			return err
		}
		for i := range 7 {
			if _, err := tx.AddVoucher(Voucher{Date: start.AddDays(i), Description: fmt.Sprint("Bilag ", i), Postings: []Posting{
				{Account: 1920, Amount: money.Amount(-1000 * (i + 1)), Text: fmt.Sprint("Betaling ", i)},
				{Account: 4000, Amount: money.Amount(1000 * (i + 1))}}}); err != nil {
				return err
			}
		}
		stored, err := tx.UnmatchedBankLines(acct, civil.Date{})
		if err != nil {
			return err
		}
		posts, err := tx.UnmatchedPostings(1920, civil.Date{})
		if err != nil {
			return err
		}
		// Lines 0 and 1 (−10 and −20 kr) against the first two postings.
		_, err = tx.AddMatch("manual", []int64{stored[0].ID, stored[1].ID}, []int64{posts[0].ID, posts[1].ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	far := civil.MustParse("9999-12-31")
	for _, from := range []civil.Date{start, start.AddDays(2)} {
		wantLines, err := l.OpenBankLinesAt(ctx, acct, from, far)
		if err != nil {
			t.Fatal(err)
		}
		wantPosts, err := l.OpenPostingsAt(ctx, 1920, from, far)
		if err != nil {
			t.Fatal(err)
		}
		var gotLines []BankTransaction
		var gotPosts []ReconcilePosting
		for offset := 0; offset < 20; offset += 4 {
			p, err := l.OpenBankLinesPage(ctx, acct, from, offset, 4)
			if err != nil {
				t.Fatal(err)
			}
			gotLines = append(gotLines, p...)
			q, err := l.OpenPostingsPage(ctx, 1920, from, offset, 4)
			if err != nil {
				t.Fatal(err)
			}
			gotPosts = append(gotPosts, q...)
		}
		if fmt.Sprint(gotLines) != fmt.Sprint(wantLines) || len(gotLines) == 0 {
			t.Errorf("from %s: pages of lines %v, want %v", from, gotLines, wantLines)
		}
		if fmt.Sprint(gotPosts) != fmt.Sprint(wantPosts) || len(gotPosts) == 0 {
			t.Errorf("from %s: pages of postings %v, want %v", from, gotPosts, wantPosts)
		}
		tot, err := l.OpenTotals(ctx, acct, 1920, from)
		if err != nil {
			t.Fatal(err)
		}
		want := OpenTotals{Lines: len(wantLines), Postings: len(wantPosts)}
		for _, b := range wantLines {
			want.LinesSum += b.Amount
		}
		for _, p := range wantPosts {
			want.PostingsSum += p.Amount
		}
		if tot != want {
			t.Errorf("from %s: OpenTotals = %+v, want %+v", from, tot, want)
		}
	}
}
