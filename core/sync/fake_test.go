package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	gosync "sync"
	"testing"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// fakeBank is an archive in memory, for answers the demo bank never gives.
type fakeBank struct {
	mu    gosync.Mutex
	lines map[string][]bank.Transaction // accountID -> booked lines
	// bad, when set for an account, replaces its answer.
	bad   map[string]func(from, to civil.Date) ([]bank.Transaction, error)
	calls int
}

func (f *fakeBank) Archive(ctx context.Context, accountID string, from, to civil.Date) ([]bank.Transaction, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if bad := f.bad[accountID]; bad != nil {
		return bad(from, to)
	}
	var out []bank.Transaction
	for _, t := range f.lines[accountID] {
		if !t.AccountingDate.Before(from) && !t.AccountingDate.After(to) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (f *fakeBank) Transactions(ctx context.Context, accountID string, from, to civil.Date) ([]bank.Transaction, error) {
	out, err := f.Archive(ctx, accountID, from, to)
	out = append(out, bank.Transaction{AccountingDate: to, Amount: -9900, Text: "Reservert kort", IsReservation: true})
	return out, err
}

// accountNumber makes a valid 11-digit account number from n.
func accountNumber(t testing.TB, n int) string {
	for i := n; ; i++ {
		first := fmt.Sprintf("1503%06d", i)
		if c, ok := norway.AccountNumberControl(first); ok {
			return first + string(c)
		}
	}
}

var start = civil.MustParse("2026-03-02") // a Monday

// testLedger creates a ledger with n bank accounts (GL 1920, 1921, …; bank
// ids A0, A1, …) that reconcile from start.
func testLedger(t testing.TB, n int) (*ledger.Ledger, []ledger.BankAccount) {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Create(ctx, filepath.Join(t.TempDir(), "company.bankbro"),
		ledger.Company{Name: "Solsiden Kaffebar AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		for i := range n {
			_, err := tx.SaveBankAccount(ledger.BankAccount{BankID: fmt.Sprintf("A%d", i), Number: accountNumber(t, 100*i),
				Name: fmt.Sprintf("Konto %d", i), GLAccount: 1920 + i, Reconciliation: true, Active: true, StartDate: start})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	accts, err := l.BankAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return l, accts
}

// fakeLines makes perDay lines a day for days days from start, the first of
// each day a fee.
func fakeLines(prefix string, days, perDay int) []bank.Transaction {
	var out []bank.Transaction
	for d := range days {
		for i := range perDay {
			t := bank.Transaction{ID: fmt.Sprintf("%s-%03d-%02d", prefix, d, i), AccountingDate: start.AddDays(d),
				Amount: money.Amount(-10000 - 100*i), Text: fmt.Sprintf("Kjøp %d", i), TypeCode: 709, ReceiverName: "Butikk AS"}
			if i == 0 {
				t.Amount, t.Text, t.TypeCode, t.ReceiverName = -5000, "Gebyr", 312, ""
			}
			out = append(out, t)
		}
	}
	return out
}

func TestRunMalformedAnswerStopsOnlyThatAccount(t *testing.T) {
	tests := []struct {
		name string
		bad  func(from, to civil.Date) ([]bank.Transaction, error)
	}{
		{"bank error", func(from, to civil.Date) ([]bank.Transaction, error) {
			return nil, errors.New("the bank's answer was cut off or is not valid JSON")
		}},
		{"reservation in the archive", func(from, to civil.Date) ([]bank.Transaction, error) {
			return []bank.Transaction{{ID: "x1", AccountingDate: from, Amount: -100}, {AccountingDate: from, Amount: -100, IsReservation: true}}, nil
		}},
		{"line without id", func(from, to civil.Date) ([]bank.Transaction, error) {
			return []bank.Transaction{{ID: "x1", AccountingDate: from, Amount: -100}, {AccountingDate: from, Amount: -100}}, nil
		}},
		{"line outside the range", func(from, to civil.Date) ([]bank.Transaction, error) {
			return []bank.Transaction{{ID: "x1", AccountingDate: from, Amount: -100}, {ID: "x2", AccountingDate: to.AddDays(1), Amount: -100}}, nil
		}},
		{"same line twice", func(from, to civil.Date) ([]bank.Transaction, error) {
			return []bank.Transaction{{ID: "x1", AccountingDate: from, Amount: -100}, {ID: "x1", AccountingDate: from, Amount: -100}}, nil
		}},
		{"second chunk bad", func(from, to civil.Date) ([]bank.Transaction, error) {
			if from == start {
				return []bank.Transaction{{ID: "x1", AccountingDate: from, Amount: -100, TypeCode: 53}}, nil
			}
			return nil, errors.New("503 Service Unavailable")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			l, accts := testLedger(t, 3)
			fb := &fakeBank{lines: map[string][]bank.Transaction{
				"A0": fakeLines("a0", 40, 3), "A1": fakeLines("a1", 40, 3), "A2": fakeLines("a2", 40, 3),
			}, bad: map[string]func(from, to civil.Date) ([]bank.Transaction, error){"A1": tc.bad}}
			today := start.AddDays(40)
			res, err := Run(ctx, l, fb, Options{Today: today})
			if err == nil {
				t.Fatalf("Run succeeded; want the error of account A1")
			}
			if len(res.Accounts) != 3 {
				t.Fatalf("Result has %d accounts, want 3", len(res.Accounts))
			}
			for i, a := range accts {
				ar := res.Accounts[i]
				n, _ := l.CountBankTransactions(ctx, a.ID)
				fresh, _ := l.BankAccount(ctx, a.ID)
				runs, _ := l.SyncRuns(ctx, a.ID, 5)
				if len(runs) != 1 {
					t.Fatalf("account %d has %d run records, want 1", i, len(runs))
				}
				if i == 1 {
					if ar.Err == nil || n != 0 || !fresh.ReadThrough.IsZero() || runs[0].Err == "" || runs[0].New != 0 {
						t.Errorf("failed account: err %v, %d lines stored, read through %s, run %+v; want an error, 0 lines, nothing read, the error on file",
							ar.Err, n, fresh.ReadThrough, runs[0])
					}
					if twice, _ := l.LinesPostedTwice(ctx, a.ID); len(twice) != 0 {
						t.Errorf("fee posted twice")
					}
					continue
				}
				if ar.Err != nil || n != 120 || ar.New != 120 || fresh.ReadThrough != today.AddDays(-1) || runs[0].Err != "" {
					t.Errorf("account %d: err %v, %d lines stored (new=%d), read through %s; want no error, 120, %s",
						i, ar.Err, n, ar.New, fresh.ReadThrough, today.AddDays(-1))
				}
			}
			// The account is fixed; the next run reads it whole and the
			// others find nothing new.
			fb.bad = nil
			res, err = Run(ctx, l, fb, Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			for i, ar := range res.Accounts {
				want := 0
				if i == 1 {
					want = 120
				}
				if ar.New != want || ar.Skipped != 0 {
					t.Errorf("second run, account %d: new=%d skipped=%d, want new=%d skipped=0", i, ar.New, ar.Skipped, want)
				}
			}
		})
	}
}

func TestRunIdempotentAndFees(t *testing.T) {
	ctx := context.Background()
	l, accts := testLedger(t, 2)
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": fakeLines("a0", 70, 4), "A1": fakeLines("a1", 70, 2)}}

	var progress []Progress
	today := start.AddDays(70)
	res, err := Run(ctx, l, fb, Options{Today: today, Progress: func(p Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		accts[0].Number + " new=280 skipped=0 through=" + today.AddDays(-1).String(),
		accts[1].Number + " new=140 skipped=0 through=" + today.AddDays(-1).String(),
	}
	if got := res.Lines(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
	if res.Accounts[0].Fees != 70 || res.Accounts[1].Fees != 70 {
		t.Errorf("fees posted = %d, %d; want 70, 70", res.Accounts[0].Fees, res.Accounts[1].Fees)
	}
	// 70 days in chunks of 31: 3 requests per account, progress for each, then stored.
	last := progress[len(progress)-1]
	if last.Account != 2 || last.Accounts != 2 || last.DaysDone != 70 || last.Days != 70 || last.Lines != 140 || !last.Stored {
		t.Errorf("last progress = %+v", last)
	}

	// A fee line: bank GL credited, fee account debited, linked to the line.
	lines, _ := l.BankLines(ctx, accts[0].ID, start, start)
	var fee ledger.BankLine
	for _, b := range lines {
		if b.TypeCode == 312 {
			fee = b
		}
	}
	v, err := l.Voucher(ctx, fee.Voucher)
	if err != nil {
		t.Fatalf("the fee line has no voucher: %v", err)
	}
	wantPostings := []ledger.Posting{{Account: 1920, Amount: -5000, BankTransaction: fee.ID}, {Account: 7770, Amount: 5000}}
	if v.Source != "fee" || len(v.Postings) != 2 || v.Date != start {
		t.Fatalf("fee voucher = %+v", v)
	}
	for i, w := range wantPostings {
		p := v.Postings[i]
		if p.Account != w.Account || p.Amount != w.Amount || p.BankTransaction != w.BankTransaction {
			t.Errorf("fee posting %d = account %d amount %s line %d; want %d %s %d", i, p.Account, p.Amount, p.BankTransaction, w.Account, w.Amount, w.BankTransaction)
		}
	}

	// Again the same day: nothing is due, nothing asked.
	calls := fb.calls
	res, err = Run(ctx, l, fb, Options{Today: today})
	if err != nil || fb.calls != calls || res.New() != 0 {
		t.Errorf("second run the same day: err %v, %d requests, %d new; want none", err, fb.calls-calls, res.New())
	}
	// An overlap: the last day read is set back, the lines come again and
	// are skipped, and no fee is posted twice.
	err = l.Update(ctx, func(tx *ledger.Tx) error { return tx.ResetReadThrough(accts[0].ID, start.AddDays(9)) })
	if err != nil {
		t.Fatal(err)
	}
	res, err = Run(ctx, l, fb, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Accounts[0]; a.New != 0 || a.Skipped != 240 || a.Fees != 0 || a.From != start.AddDays(10) {
		t.Errorf("overlap run = %+v; want new=0 skipped=240 fees=0 from %s", a, start.AddDays(10))
	}
	for _, a := range accts {
		if twice, err := l.LinesPostedTwice(ctx, a.ID); err != nil || len(twice) != 0 {
			t.Errorf("lines posted twice: %v, %v", twice, err)
		}
	}
	if n, _ := l.CountBankTransactions(ctx, accts[0].ID); n != 280 {
		t.Errorf("stored %d lines, want 280", n)
	}
}

func TestRunWithoutStartDateAndInactive(t *testing.T) {
	ctx := context.Background()
	l, accts := testLedger(t, 3)
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		a := accts[1]
		a.StartDate = civil.Date{}
		if _, err := tx.SaveBankAccount(a); err != nil {
			return err
		}
		b := accts[2]
		b.Active = false
		_, err := tx.SaveBankAccount(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": fakeLines("a0", 3, 1), "A1": fakeLines("a1", 3, 1), "A2": fakeLines("a2", 3, 1)}}
	res, err := Run(ctx, l, fb, Options{Today: start.AddDays(3)})
	if err == nil || len(res.Accounts) != 2 || res.Accounts[0].New != 3 || res.Accounts[1].Err == nil {
		t.Fatalf("Run = %+v, %v; want account 0 read, account 1 failed for lack of a start date, account 2 left out", res, err)
	}
	lines := res.Lines()
	if want := accts[1].Number + " error: "; len(lines) != 2 || lines[1][:len(want)] != want {
		t.Errorf("Lines() = %q", lines)
	}
}

func TestRunCancelled(t *testing.T) {
	l, accts := testLedger(t, 2)
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": fakeLines("a0", 40, 2), "A1": fakeLines("a1", 40, 2)}}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, l, fb, Options{Today: start.AddDays(40), Progress: func(p Progress) {
		if p.Account == 1 && p.DaysDone > 0 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	for _, a := range accts {
		if n, _ := l.CountBankTransactions(context.Background(), a.ID); n != 0 {
			t.Errorf("account %s: %d lines stored after a cancel in its first request, want 0", a.Number, n)
		}
	}
}

func TestPending(t *testing.T) {
	fb := &fakeBank{lines: map[string][]bank.Transaction{"A0": fakeLines("a0", 3, 2)}}
	got, err := Pending(context.Background(), fb, "A0", start.AddDays(2))
	if err != nil || len(got) != 1 || !got[0].IsReservation {
		t.Errorf("Pending = %+v, %v; want the one reservation", got, err)
	}
}
