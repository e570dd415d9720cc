package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/reconcile"
	"bankbro/core/sandbox"
)

func newLedger(t *testing.T, conv civil.Date) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Create(context.Background(), filepath.Join(t.TempDir(), "scale.bankbro"),
		ledger.Company{Name: sandbox.CompanyName, OrgNumber: demo.OrgNumber, ConversionDate: conv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestFillScale fills a month (and, in the second case, days before the demo
// company was founded, borrowed from later years) and checks that the books
// hold together: lines unique, nothing posted twice, every account
// reconciled but for the lines left open.
func TestFillScale(t *testing.T) {
	for _, tc := range []struct {
		name      string
		conv      civil.Date
		through   civil.Date
		companies int
		transfers bool // the days hold a salary day or a month's end
	}{
		{"a month, two companies", civil.New(2026, time.October, 20), civil.New(2026, time.November, 19), 2, true},
		{"across the founding day", civil.New(2018, time.December, 24), civil.New(2019, time.January, 8), 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			l := newLedger(t, tc.conv)
			var progress strings.Builder
			st, err := demo.FillScale(ctx, l, demo.Scale{Through: tc.through, Companies: tc.companies, Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			if st.Lines == 0 || st.Vouchers == 0 || st.Matches == 0 {
				t.Fatalf("stats = %+v, want lines, vouchers and matches", st)
			}
			if st.Matches > st.Lines {
				t.Errorf("%d matches for %d lines", st.Matches, st.Lines)
			}
			if !strings.Contains(progress.String(), "lines") {
				t.Errorf("progress = %q", progress.String())
			}
			if n, err := l.DuplicateBankTransactions(ctx); err != nil || n != 0 {
				t.Errorf("duplicates = %d, %v", n, err)
			}
			accounts, err := l.BankAccounts(ctx)
			if err != nil || len(accounts) != 4 {
				t.Fatalf("bank accounts = %d, %v; want 4", len(accounts), err)
			}
			total, transfers := 0, 0 // transfers: lines of money moved between the company's accounts (code 200)
			for _, a := range accounts {
				if a.ReadThrough != tc.through || a.StartDate != tc.conv {
					t.Errorf("%s: start %s, read through %s", a.Name, a.StartDate, a.ReadThrough)
				}
				if twice, err := l.LinesPostedTwice(ctx, a.ID); err != nil || len(twice) != 0 {
					t.Errorf("%s: lines posted twice %v, %v", a.Name, twice, err)
				}
				n, _ := l.CountBankTransactions(ctx, a.ID)
				total += n
				lines, err := l.BankTransactions(ctx, a.ID, tc.conv.AddDays(-400), tc.through.AddDays(400))
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range lines {
					if b.AccountingDate.Before(tc.conv) || b.AccountingDate.After(tc.through) {
						t.Fatalf("%s: line %s dated %s, outside %s–%s", a.Name, b.TransactionID, b.AccountingDate, tc.conv, tc.through)
					}
					if b.TypeCode == 200 {
						transfers++
					}
				}
			}
			if tc.transfers && transfers == 0 {
				t.Error("no transfers between the company's accounts: the check that they are matched checks nothing")
			}
			if total != st.Lines {
				t.Errorf("stored %d lines, stats say %d", total, st.Lines)
			}
			r, err := reconcile.NewReport(ctx, l, tc.through, tc.through)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range r.Accounts {
				if a.OpeningDifference() != 0 {
					t.Errorf("%s: opening difference %s", a.BankAccount.Name, a.OpeningDifference())
				}
				if got, want := a.Difference(), a.OpenLinesSum-a.OpenPostingsSum; got != want {
					t.Errorf("%s: difference %s, open lines %s less open postings %s", a.BankAccount.Name, got, a.OpenLinesSum, a.OpenPostingsSum)
				}
				if a.OpenPostings != 0 {
					t.Errorf("%s: %d open postings, want none (every posting is matched)", a.BankAccount.Name, a.OpenPostings)
				}
				// Money moved between the company's own accounts is posted
				// and matched on both sides, as a bookkeeper would, but for
				// the last two days, which wait for the owner.
				open, err := l.OpenBankLinesPage(ctx, a.BankAccount.ID, a.BankAccount.StartDate, ledger.OpenFilter{}, 0, 100_000)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range open {
					if b.TypeCode == 200 && b.AccountingDate.Before(tc.through.AddDays(-1)) {
						t.Errorf("%s: transfer %s %q %s left open", a.BankAccount.Name, b.AccountingDate, b.Text, b.Amount)
					}
				}
			}
			// The matcher finds nothing more to do that it would not also leave alone.
			if _, err := reconcile.Run(ctx, l, reconcile.Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFillYearsNeedsAnEarlyConversionDate(t *testing.T) {
	today := civil.New(2026, time.November, 27)
	l := newLedger(t, civil.New(2020, time.January, 1))
	_, err := demo.FillYears(context.Background(), l, today, 10, nil)
	if err == nil || !strings.Contains(err.Error(), "2016-11-27") {
		t.Fatalf("err = %v, want one that names 2016-11-27", err)
	}
}

func TestCompaniesFor(t *testing.T) {
	if n := demo.CompaniesFor(demo.LinesPerYear); n < 25 || n > 35 {
		t.Errorf("CompaniesFor(%d) = %d", demo.LinesPerYear, n)
	}
	if n := demo.CompaniesFor(1); n != 1 {
		t.Errorf("CompaniesFor(1) = %d, want 1", n)
	}
}
