package sync

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

// TestSyncAcrossClockChanges runs the morning import every six hours of
// real time through the weeks of Oslo's clock changes in 2026 (Sunday 29
// March, 02:00 → 03:00; Sunday 25 October, 03:00 → 02:00), taking "today"
// from the instant as the app does (civil.Of), and moving the demo bank's
// clock along. The days the runs read must join up with no day twice and
// none missing, and the ledger must equal the bank's archive.
func TestSyncAcrossClockChanges(t *testing.T) {
	for _, change := range []string{"2026-03-29", "2026-10-25"} {
		t.Run(change, func(t *testing.T) {
			ctx := context.Background()
			sunday := civil.MustParse(change)
			if sunday.Weekday() != time.Sunday {
				t.Fatalf("%s is not a Sunday", sunday)
			}
			startDate := sunday.AddDays(-5)
			srv, c := demoBank(t, startDate.AddDays(1))
			l, accts := demoLedger(t, filepath.Join(t.TempDir(), "company.bankbro"), c, 2, startDate)
			defer l.Close()
			// From 23:30 Oslo time on the start date, every six hours,
			// until four days after the change: at the change, 23:30 and
			// 05:30 become 00:30 and 06:30 (spring) or 22:30 and 04:30
			// (autumn), so a day is hit at other hours or not at all.
			at := time.Date(startDate.Year, startDate.Month, startDate.Day, 23, 30, 0, 0, civil.Oslo)
			end := sunday.AddDays(4).Time(civil.Oslo)
			read := map[int64]map[civil.Date]int{}
			for _, a := range accts {
				read[a.ID] = map[civil.Date]int{}
			}
			runs := 0
			var today civil.Date
			for ; at.Before(end); at = at.Add(6 * time.Hour) {
				today = civil.Of(at)
				srv.Bank.SetToday(today)
				res, err := Run(ctx, l, c, Options{Today: today})
				if err != nil {
					t.Fatalf("run at %s (Oslo %s): %v", at.UTC().Format(time.RFC3339), at.In(civil.Oslo).Format("2006-01-02 15:04 MST"), err)
				}
				runs++
				for i, ar := range res.Accounts {
					if ar.From.IsZero() {
						continue
					}
					for d := ar.From; !d.After(ar.To); d = d.AddDays(1) {
						read[accts[i].ID][d]++
					}
				}
			}
			last := today.AddDays(-1)
			if !last.After(sunday) {
				t.Fatalf("the runs ended on %s, before the change was read", last)
			}
			for _, a := range accts {
				for d := startDate; !d.After(last); d = d.AddDays(1) {
					if n := read[a.ID][d]; n != 1 {
						t.Errorf("%s: day %s (%s) was read %d times, want once", a.Number, d, d.Weekday(), n)
					}
				}
				if len(read[a.ID]) != last.DaysSince(startDate)+1 {
					t.Errorf("%s: %d days read, want %d", a.Number, len(read[a.ID]), last.DaysSince(startDate)+1)
				}
				checkAccountEqualsBank(t, l, srv.Bank, a, startDate, last)
			}
			t.Logf("%d runs; days %s..%s each read once", runs, startDate, last)
		})
	}
}

// TestTwoLedgersOnOneFile opens the same ledger file twice, as two
// processes would, and writes from both at once: bank lines in many small
// transactions, half of the transaction ids shared by both writers. Either
// the second open is refused with a clear message, or every write succeeds
// or fails with a clear "busy" message; afterwards the file holds exactly
// the lines of the writes that succeeded, none twice.
func TestTwoLedgersOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l1, err := ledger.Create(ctx, path, ledger.Company{Name: "Kafé AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Close()
	var acct int64
	if err := l1.Update(ctx, func(tx *ledger.Tx) error {
		acct, err = tx.SaveBankAccount(ledger.BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920,
			Reconciliation: true, Active: true, StartDate: civil.MustParse("2026-01-01")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	l2, err := ledger.Open(ctx, path)
	if err != nil {
		// A ledger that allows one writer at a time must say so plainly.
		if !strings.Contains(strings.ToLower(err.Error()), "already open") && !strings.Contains(strings.ToLower(err.Error()), "busy") &&
			!strings.Contains(strings.ToLower(err.Error()), "lock") {
			t.Fatalf("the second open failed without a clear reason: %v", err)
		}
		t.Logf("the second open is refused: %v", err)
		return
	}
	defer l2.Close()

	const batches, perBatch = 40, 5
	day := civil.MustParse("2026-01-05")
	type outcome struct {
		ids []string
		err error
	}
	results := make([][]outcome, 2)
	var wg gosync.WaitGroup
	for w, l := range []*ledger.Ledger{l1, l2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				var lines []ledger.BankTransaction
				var ids []string
				for i := range perBatch {
					id := fmt.Sprintf("w%d-b%d-%d", w, b, i)
					if i%2 == 0 {
						id = fmt.Sprintf("shared-b%d-%d", b, i)
					}
					ids = append(ids, id)
					lines = append(lines, ledger.BankTransaction{TransactionID: id, AccountingDate: day, Amount: 100, Text: id})
				}
				err := l.Update(ctx, func(tx *ledger.Tx) error {
					_, _, err := tx.InsertBankTransactions(acct, 0, lines)
					return err
				})
				results[w] = append(results[w], outcome{ids, err})
			}
		}()
	}
	wg.Wait()
	want := map[string]bool{}
	failed := 0
	for w := range results {
		for _, o := range results[w] {
			if o.err != nil {
				failed++
				msg := strings.ToLower(o.err.Error())
				if !strings.Contains(msg, "busy") && !strings.Contains(msg, "locked") {
					t.Errorf("writer %d: a write failed without a clear reason: %v", w, o.err)
				}
				continue
			}
			for _, id := range o.ids {
				want[id] = true
			}
		}
	}
	got, err := l1.BankTransactions(ctx, acct, day, day)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, g := range got {
		if seen[g.TransactionID] {
			t.Errorf("%s stored twice", g.TransactionID)
		}
		seen[g.TransactionID] = true
		if !want[g.TransactionID] {
			t.Errorf("%s is stored, but every write holding it failed", g.TransactionID)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s was written (the write succeeded) but is not stored", id)
		}
	}
	if n, err := l2.DuplicateBankTransactions(ctx); err != nil || n != 0 {
		t.Errorf("DuplicateBankTransactions = %d, %v", n, err)
	}
	if failed == 2*batches {
		t.Errorf("every write failed")
	}
	t.Logf("%d writes succeeded, %d failed busy; %d lines stored", 2*batches-failed, failed, len(got))
}
