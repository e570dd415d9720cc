package ledger_test

// Benchmarks at scale (issue 2, issue 10): opening a ledger of a thousand
// and of a million bank lines and reading what the first screen needs.
// The ledgers are generated once by demo.ScaleLedger under
// os.TempDir()/bankbro-scale (a million lines take a few minutes) and
// reused. Run with -p 1: the ledger file is locked while open.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/sync"
)

var scaleSizes = []struct {
	name  string
	lines int
}{{"rows=1k", 1_000}, {"rows=10k", 10_000}, {"rows=1M", 1_000_000}}

func scaleLedger(b *testing.B, lines int) string {
	b.Helper()
	path, err := demo.ScaleLedger(context.Background(), lines, os.Stderr)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpenLedger opens the ledger and reads what the first screen
// (Yesterday) shows: the company, the bank accounts, and yesterday's lines
// and balances of every account. open-ms and yesterday-ms split the time.
func BenchmarkOpenLedger(b *testing.B) {
	ctx := context.Background()
	day := demo.BenchToday.AddDays(-1)
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			path := scaleLedger(b, size.lines)
			var open, first time.Duration
			lines := 0
			for b.Loop() {
				t0 := time.Now()
				l, err := ledger.Open(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := l.Company(ctx); err != nil {
					b.Fatal(err)
				}
				if _, err := l.BankAccounts(ctx); err != nil {
					b.Fatal(err)
				}
				days, err := sync.Yesterday(ctx, l, day, day)
				if err != nil {
					b.Fatal(err)
				}
				first += time.Since(t1)
				open += t1.Sub(t0)
				lines = 0
				for _, d := range days {
					lines += len(d.Lines)
				}
				l.Close()
			}
			b.ReportMetric(float64(open.Microseconds())/1000/float64(b.N), "open-ms")
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "yesterday-ms")
			b.ReportMetric(float64(lines), "lines-yesterday")
		})
	}
}

// BenchmarkFirstScreenQueries times each query of the first screen alone on
// the busiest account, to show which of them grows with the ledger.
func BenchmarkFirstScreenQueries(b *testing.B) {
	ctx := context.Background()
	day := demo.BenchToday.AddDays(-1)
	for _, size := range scaleSizes {
		path := scaleLedger(b, size.lines)
		l, err := ledger.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		accounts, err := l.BankAccounts(ctx)
		if err != nil {
			l.Close()
			b.Fatal(err)
		}
		a := accounts[0] // 1920, the operating account: nearly every line
		for _, q := range []struct {
			name string
			run  func() error
		}{
			{"BankLines(day)", func() error { _, err := l.BankLines(ctx, a.ID, day, day); return err }},
			{"BankLinesSum(through day)", func() error { _, _, _, err := l.BankLinesSum(ctx, a.ID, day, day); return err }},
			{"Balance(GL, day)", func() error { _, err := l.Balance(ctx, a.GLAccount, day); return err }},
			{"CountBankTransactions", func() error { _, err := l.CountBankTransactions(ctx, a.ID); return err }},
			// What the Bank screen reads before its first page.
			{"BankLineIndex", func() error { _, err := l.BankLineIndex(ctx, a.ID); return err }},
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

// BenchmarkBankLinesPage reads one page of the Bank list (200 lines, newest
// first) at the top, the middle and the end of the busiest account, with
// the ledger's LIMIT/OFFSET query and, beside it, a keyset query that
// starts from the page's first (date, id): what the Bank screen could use
// instead (issue 10). The keyset row is found here by the same OFFSET
// query, once, outside the timing; an app would keep one key per page.
func BenchmarkBankLinesPage(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes {
		path := scaleLedger(b, size.lines)
		l, err := ledger.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		accounts, _ := l.BankAccounts(ctx)
		a := accounts[0]
		total, _ := l.CountBankTransactions(ctx, a.ID)
		l.Close()
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		for _, at := range []struct {
			name   string
			offset int
		}{{"top", 0}, {"middle", total / 2}, {"end", max(0, total-200)}} {
			b.Run(fmt.Sprintf("%s/offset/%s", size.name, at.name), func(b *testing.B) {
				for b.Loop() {
					if err := scanAll(db.QueryContext(ctx, `SELECT id FROM bank_transactions WHERE bank_account = ?
						ORDER BY accounting_date DESC, id DESC LIMIT 200 OFFSET ?`, a.ID, at.offset)); err != nil {
						b.Fatal(err)
					}
				}
			})
			var date string
			var id int64
			if err := db.QueryRowContext(ctx, `SELECT accounting_date, id FROM bank_transactions WHERE bank_account = ?
				ORDER BY accounting_date DESC, id DESC LIMIT 1 OFFSET ?`, a.ID, at.offset).Scan(&date, &id); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/keyset/%s", size.name, at.name), func(b *testing.B) {
				for b.Loop() {
					if err := scanAll(db.QueryContext(ctx, `SELECT id FROM bank_transactions WHERE bank_account = ?1
						AND (accounting_date < ?2 OR (accounting_date = ?2 AND id <= ?3))
						ORDER BY accounting_date DESC, id DESC LIMIT 200`, a.ID, date, id)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		db.Close()
	}
}

func scanAll(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// BenchmarkSuggestCounterAccount looks up the account used last time for a
// bank line (what Yesterday asks when a line is chosen): a text posted
// thousands of times, a counterparty never posted from whose text was, and
// a line like nothing posted before, which has to rule out every posting.
func BenchmarkSuggestCounterAccount(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes[1:] {
		path := scaleLedger(b, size.lines)
		l, err := ledger.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range []struct {
			name, counterparty, text string
			found                    bool
		}{
			{"text", "", "Gebyr 1 betalinger", true},
			{"counterparty-then-text", "Vipps MobilePay AS", "Gebyr 2 betalinger", true},
			{"nothing", "Skatteetaten", "Skattetrekk november", false},
		} {
			b.Run(size.name+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if _, ok, err := l.SuggestCounterAccount(ctx, q.counterparty, q.text); err != nil || ok != q.found {
						b.Fatalf("SuggestCounterAccount(%q, %q) = %v, %v; want found %v", q.counterparty, q.text, ok, err, q.found)
					}
				}
			})
		}
		l.Close()
	}
}
