package sync

import (
	"context"
	"errors"
	"testing"

	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/reconcile"
)

// invoiceLedger stores the day's bank lines on account 1920 and a supplier
// invoice paid by KID, posted on 1920 like the demo's "Faktura Renhold",
// and runs the matcher: the invoice's line is matched against the
// invoice's posting by its KID, the other lines are open.
func invoiceLedger(t *testing.T) (l *ledger.Ledger, invoiceLine, otherLine, invoicePosting int64) {
	t.Helper()
	ctx := context.Background()
	l, accts := testLedger(t, 1)
	const kid = "18888495019"
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		if _, _, err := tx.InsertBankTransactions(accts[0].ID, 0, []ledger.BankTransaction{
			{TransactionID: "inv", AccountingDate: start, Amount: -148278, Text: "Faktura Renhold Solsiden AS", Counterparty: "Renhold Solsiden AS", KID: kid},
			{TransactionID: "shop", AccountingDate: start, Amount: -38634, Text: "*7160 NOK 386.34 ELKJOP HAVNA"},
		}); err != nil {
			return err
		}
		v, err := tx.AddVoucher(ledger.Voucher{Date: start, Description: "Faktura Renhold Solsiden AS", Postings: []ledger.Posting{
			{Account: 1920, Amount: -148278, Text: "Faktura Renhold Solsiden AS", KID: kid},
			{Account: 2400, Amount: 148278, Text: "Faktura Renhold Solsiden AS", KID: kid},
		}})
		invoicePosting = v.Postings[0].ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reconcile.Run(ctx, l, reconcile.Options{}); err != nil {
		t.Fatal(err)
	}
	lines, err := l.BankLines(ctx, accts[0].ID, start, start)
	if err != nil || len(lines) != 2 {
		t.Fatalf("BankLines = %+v, %v", lines, err)
	}
	invoiceLine, otherLine = lines[0].ID, lines[1].ID
	if !lines[0].Matched || lines[1].Matched {
		t.Fatalf("after the matcher: invoice line matched %v, shop line matched %v; want only the invoice's", lines[0].Matched, lines[1].Matched)
	}
	return l, invoiceLine, otherLine, invoicePosting
}

// A line reconciled against a posting already has its amount in the books:
// posting it again would book it twice. Post refuses it and leaves the
// match and the books as they were.
func TestPostRefusesAMatchedLine(t *testing.T) {
	ctx := context.Background()
	l, line, _, invoice := invoiceLedger(t)
	match, _ := l.MatchOfBankLine(ctx, line)
	before, _ := l.Balance(ctx, 1920, start)

	_, err := Post(ctx, l, line, 6300, "")
	if !errors.Is(err, ErrMatched) {
		t.Fatalf("posting a matched line: err = %v, want ErrMatched", err)
	}
	if after, _ := l.Balance(ctx, 1920, start); after != before {
		t.Errorf("GL 1920 went from %s to %s: the refused posting was booked", before, after)
	}
	if m, _ := l.MatchOfBankLine(ctx, line); m != match {
		t.Errorf("the line's match is %d after the refused posting, want %d as before", m, match)
	}
	if m, _ := l.MatchOfPosting(ctx, invoice); m != match {
		t.Errorf("the invoice's posting is in match %d after the refused posting, want %d as before", m, match)
	}
}

// Posting a line reconciles it against the posting it makes at once, so
// every screen shows it posted and matched without waiting for a run of
// the matcher.
func TestPostMatchesTheLineAtOnce(t *testing.T) {
	ctx := context.Background()
	l, _, line, _ := invoiceLedger(t)
	v, err := Post(ctx, l, line, 6540, "")
	if err != nil {
		t.Fatal(err)
	}
	id, err := l.MatchOfBankLine(ctx, line)
	if err != nil || id == 0 {
		t.Fatalf("the posted line is in match %d (%v), want a match", id, err)
	}
	m, _ := l.Match(ctx, id)
	if m.Rule != reconcile.RuleLinked || len(m.BankLines) != 1 || len(m.Postings) != 1 || m.Postings[0] != v.Postings[0].ID {
		t.Errorf("match = %+v, want the line against its voucher's bank posting %d by %s", m, v.Postings[0].ID, reconcile.RuleLinked)
	}
}

// Reversing a posted line undoes the line's match (the line can be posted
// again) and matches the voucher's bank posting against the reversal's at
// once: they cancel, and no bank line will ever come for them.
func TestUnpostMatchesTheReversal(t *testing.T) {
	ctx := context.Background()
	l, _, line, _ := invoiceLedger(t)
	v, err := Post(ctx, l, line, 6540, "")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := Unpost(ctx, l, v.ID, start.AddDays(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Unmatched) != 1 || rev.Unmatched[0] != line {
		t.Errorf("Unpost undid the matches of lines %v, want [%d]", rev.Unmatched, line)
	}
	if m, _ := l.MatchOfBankLine(ctx, line); m != 0 {
		t.Errorf("the line is in match %d after the reversal, want it open to be posted again", m)
	}
	assertReversalMatched(t, l, v, rev.Voucher)
	if _, err := Post(ctx, l, line, 6300, ""); err != nil {
		t.Errorf("posting the line again after the reversal: %v", err)
	}
}

// A line matched against an invoice's posting and also posted (as the
// Yesterday screen let happen): reversing that posting leaves the line's
// match alone and matches the posting against its reversal.
func TestUnpostOfADoublePostingKeepsTheLinesMatch(t *testing.T) {
	ctx := context.Background()
	l, line, _, invoice := invoiceLedger(t)
	match, _ := l.MatchOfBankLine(ctx, line)
	var v ledger.Voucher
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		var err error
		v, err = tx.AddVoucher(ledger.Voucher{Date: start, Description: "Faktura Renhold Solsiden AS", Source: "bank", Postings: []ledger.Posting{
			{Account: 1920, Amount: -148278, Text: "Faktura Renhold Solsiden AS", BankTransaction: line},
			{Account: 6300, Amount: 148278, Text: "Faktura Renhold Solsiden AS"},
		}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := Unpost(ctx, l, v.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Unmatched) != 0 {
		t.Errorf("Unpost undid the matches of lines %v, want none", rev.Unmatched)
	}
	if m, _ := l.MatchOfBankLine(ctx, line); m != match {
		t.Errorf("the line is in match %d after the reversal, want its match %d against the invoice", m, match)
	}
	if m, _ := l.MatchOfPosting(ctx, invoice); m != match {
		t.Errorf("the invoice's posting is in match %d, want %d", m, match)
	}
	assertReversalMatched(t, l, v, rev.Voucher)
}

// assertReversalMatched checks that v's bank posting and rev's are matched
// to each other by the reversal rule, and that nothing is open on 1920.
func assertReversalMatched(t *testing.T, l *ledger.Ledger, v, rev ledger.Voucher) {
	t.Helper()
	ctx := context.Background()
	var orig, back int64
	for _, p := range v.Postings {
		if p.Account == 1920 {
			orig = p.ID
		}
	}
	for _, p := range rev.Postings {
		if p.Account == 1920 {
			back = p.ID
		}
	}
	id, _ := l.MatchOfPosting(ctx, orig)
	m, _ := l.Match(ctx, id)
	if id == 0 || m.Rule != reconcile.RuleReversal || len(m.BankLines) != 0 || len(m.Postings) != 2 || m.Postings[1] != back {
		t.Errorf("the reversed posting %d is in match %+v, want it against the reversal's %d by %s", orig, m, back, reconcile.RuleReversal)
	}
	accts, _ := l.BankAccounts(ctx)
	open, err := l.OpenTotals(ctx, accts[0].ID, 1920, start)
	if err != nil || open.Postings != 0 || open.PostingsSum != money.Amount(0) {
		t.Errorf("open postings on 1920 = %d, sum %s (%v); want none", open.Postings, open.PostingsSum, err)
	}
}
