package demo_test

// What each section of the window asks of the ledger when it opens, timed
// on ledgers of 10,000 and 1,000,000 bank lines (issue 10): a query whose
// time grows with the ledger shows here. Run with -p 1 (the ledger file is
// locked while open); the ledgers are made once by demo.ScaleLedger.

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/payments"
	"bankbro/core/reconcile"
	"bankbro/core/sync"
)

func BenchmarkSections(b *testing.B) {
	ctx := context.Background()
	day := demo.BenchToday.AddDays(-1)
	for _, size := range []struct {
		name  string
		lines int
	}{{"rows=10k", 10_000}, {"rows=1M", 1_000_000}} {
		path, err := demo.ScaleLedger(ctx, size.lines, os.Stderr)
		if err != nil {
			b.Fatal(err)
		}
		l, err := ledger.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		accounts, err := l.BankAccounts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		op := accounts[0]
		for _, q := range []struct {
			name string
			run  func() error
		}{
			{"Yesterday/sync.Yesterday", func() error { _, err := sync.Yesterday(ctx, l, day, day); return err }},
			{"Bank/CountBankTransactions", func() error { _, err := l.CountBankTransactions(ctx, op.ID); return err }},
			{"Bank/BankLinesPage(top)", func() error { _, err := l.BankLinesPage(ctx, op.ID, 0, 200); return err }},
			{"Reconciliation/NewReport(60 days)", func() error {
				_, err := reconcile.NewReport(ctx, l, day.AddDays(-60), day)
				return err
			}},
			// A year-end seven years back, as an auditor asks for it: the
			// report and every open item it lists (12.8 s before migration 8).
			{"Reconciliation/NewReport+open items(seven years back)", func() error {
				back := day.AddDays(-7 * 365)
				r, err := reconcile.NewReport(ctx, l, back.AddDays(-60), back)
				if err != nil {
					return err
				}
				return r.WriteText(ctx, l, io.Discard)
			}},
			{"Reconciliation/OpenTotals+first pages", func() error {
				if _, err := l.OpenTotals(ctx, op.ID, op.GLAccount, op.StartDate); err != nil {
					return err
				}
				if _, err := l.OpenBankLinesPage(ctx, op.ID, op.StartDate, ledger.OpenFilter{}, 0, 100); err != nil {
					return err
				}
				_, err := l.OpenPostingsPage(ctx, op.GLAccount, op.StartDate, ledger.OpenFilter{}, 0, 100)
				return err
			}},
			{"Reconciliation/Suggestions", func() error { _, err := reconcile.Suggestions(ctx, l); return err }},
			{"Payments/List", func() error { _, err := payments.List(ctx, l, payments.Filter{}); return err }},
		} {
			b.Run(size.name+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if err := q.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		l.Close()
	}
}

// BenchmarkFill generates a month of the busy company (about 8,500 bank
// lines with their vouchers and matches) and, beside it, stores the same
// lines with a raw prepared INSERT in one transaction (DESIGN.md,
// Measuring): lines/s for both.
func BenchmarkFill(b *testing.B) {
	ctx := context.Background()
	through := demo.BenchToday.AddDays(-1)
	conv := civil.New(through.Year, through.Month-1, through.Day+1)
	b.Run("FillScale", func(b *testing.B) {
		lines := 0
		for b.Loop() {
			l, err := ledger.Create(ctx, filepath.Join(b.TempDir(), "fill.bankbro"),
				ledger.Company{Name: "Bench AS", OrgNumber: demo.OrgNumber, ConversionDate: conv})
			if err != nil {
				b.Fatal(err)
			}
			st, err := demo.FillScale(ctx, l, demo.Scale{Through: through, Companies: demo.CompaniesFor(demo.LinesPerYear)})
			if err != nil {
				b.Fatal(err)
			}
			lines += st.Lines
			l.Close()
		}
		b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("raw-insert", func(b *testing.B) {
		lines := 0
		for b.Loop() {
			lines += rawInsert(b, conv, through)
		}
		b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
	})
}
