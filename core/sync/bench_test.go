package sync

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/sandbox"
)

// benchToday is the demo bank's today in the benchmarks.
var benchToday = civil.MustParse("2026-11-25")

// BenchmarkImportYear imports one year of 4 accounts of a busy demo bank
// (about 40,000 lines) over loopback into a new ledger. In the same run it
// inserts the same rows straight into SQLite twice, each with a prepared
// statement in one transaction: into the bank_transactions table of a new
// ledger (its constraints, indexes and triggers; not the search index), and
// into a plain table with no index at all. It reports the three rates and
// the import's share of each.
func BenchmarkImportYear(b *testing.B) {
	ctx := context.Background()
	startDate := benchToday.AddDays(-365)
	// A busy shop: about 40,000 lines a year over the 4 accounts.
	srv, err := sandbox.Start("", sandbox.Options{Seed: demoSeed, Today: benchToday, Busy: 10})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c := demoClient(b, srv.URL)
	dir := b.TempDir()
	var lines, fees, rawLines int
	var importTime, tableTime, plainTime time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		l, _ := demoLedger(b, filepath.Join(dir, fmt.Sprintf("import-%d.bankbro", i)), c, 4, startDate)
		b.StartTimer()
		t0 := time.Now()
		res, err := Run(ctx, l, c, Options{Today: benchToday})
		importTime += time.Since(t0)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		lines, fees = res.New(), 0
		for _, a := range res.Accounts {
			fees += a.Fees
		}
		// The same rows straight into SQLite, right after, so all three
		// see the same machine at the same moment.
		var rows []ledger.BankTransaction
		accts, _ := l.BankAccounts(ctx)
		for _, a := range accts {
			r, err := l.BankTransactions(ctx, a.ID, startDate, benchToday)
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, r...)
		}
		l.Close()
		rawLines = len(rows)

		path := filepath.Join(dir, fmt.Sprintf("table-%d.bankbro", i))
		empty, _ := demoLedger(b, path, c, 4, startDate)
		empty.Close()
		d, err := rawInsert(path, "bank_transactions", rows)
		if err != nil {
			b.Fatal(err)
		}
		tableTime += d
		if d, err = rawInsert(filepath.Join(dir, fmt.Sprintf("plain-%d.sqlite", i)), "", rows); err != nil {
			b.Fatal(err)
		}
		plainTime += d
		b.StartTimer()
	}
	b.StopTimer()
	rate := func(n int, d time.Duration) float64 { return float64(n*b.N) / d.Seconds() }
	importRate, tableRate, plainRate := rate(lines, importTime), rate(rawLines, tableTime), rate(rawLines, plainTime)
	b.ReportMetric(float64(lines), "lines/op")
	b.ReportMetric(float64(fees), "fees-posted/op")
	b.ReportMetric(importRate, "import-lines/s")
	b.ReportMetric(tableRate, "raw-ledger-table-lines/s")
	b.ReportMetric(plainRate, "raw-plain-table-lines/s")
	b.ReportMetric(100*importRate/tableRate, "import-%-of-raw-ledger-table")
	b.ReportMetric(100*importRate/plainRate, "import-%-of-raw-plain-table")
}

// rawInsert times inserting rows with a prepared statement in one
// transaction, with the ledger's pragmas: into table of the ledger at path,
// or, when table is "", into a new plain table without indexes.
func rawInsert(path, table string, rows []ledger.BankTransaction) (time.Duration, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if table == "" {
		table = "lines"
		if _, err := db.Exec(`CREATE TABLE lines (bank_account INTEGER, transaction_id TEXT, accounting_date TEXT,
			interest_date TEXT, amount INTEGER, text TEXT, type_code INTEGER, type_text TEXT, other_account TEXT,
			kid TEXT, counterparty TEXT, reference TEXT, imported_at TEXT)`); err != nil {
			return 0, err
		}
	}
	t0 := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(`INSERT INTO ` + table + ` (bank_account, transaction_id, accounting_date, interest_date,
		amount, text, type_code, type_text, other_account, kid, counterparty, reference, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, r := range rows {
		if _, err := stmt.Exec(r.BankAccount, r.TransactionID, r.AccountingDate.String(), r.InterestDate.String(),
			int64(r.Amount), r.Text, r.TypeCode, r.TypeText, r.OtherAccount, r.KID, r.Counterparty, r.Reference, now); err != nil {
			return 0, err
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// BenchmarkMorning is one ordinary morning: a ledger holding a year of 4
// accounts, the bank's clock one day on, a backup, the import of
// yesterday's lines and the Yesterday view.
func BenchmarkMorning(b *testing.B) {
	ctx := context.Background()
	first := benchToday.AddDays(-200)
	srv, c := demoBank(b, first)
	l, _ := demoLedger(b, filepath.Join(b.TempDir(), "morning.bankbro"), c, 4, first.AddDays(-365))
	defer l.Close()
	if _, err := Run(ctx, l, c, Options{Today: first}); err != nil {
		b.Fatal(err)
	}
	backups := b.TempDir()
	lines, maxLines := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		today := first.AddDays(1 + i%199)
		if i > 0 && i%199 == 0 {
			b.Fatal("more mornings than the bank has days")
		}
		srv.Bank.SetToday(today)
		b.StartTimer()
		res, err := Run(ctx, l, c, Options{Today: today, BackupDir: backups})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Yesterday(ctx, l, today.AddDays(-1), today.AddDays(-1)); err != nil {
			b.Fatal(err)
		}
		lines += res.New()
		maxLines = max(maxLines, res.New())
	}
	b.ReportMetric(float64(lines)/float64(b.N), "lines/op")
	b.ReportMetric(float64(maxLines), "max-lines/morning")
}
