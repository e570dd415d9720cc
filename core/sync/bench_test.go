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
)

// benchToday is the demo bank's today in the benchmarks.
var benchToday = civil.MustParse("2026-11-25")

// BenchmarkImportYear imports one year of 4 accounts from the demo bank
// over loopback into a new ledger, and in the same run inserts the same rows
// into a plain SQLite table (prepared statement, one transaction): the two
// rates side by side and their ratio.
func BenchmarkImportYear(b *testing.B) {
	ctx := context.Background()
	startDate := benchToday.AddDays(-365)
	_, c := demoBank(b, benchToday)
	dir := b.TempDir()
	var lines, fees, rawLines int
	var importTime, rawTime time.Duration
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
		// The same rows straight into SQLite, right after, so both see the
		// same machine at the same moment.
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
		d, err := rawInsert(filepath.Join(dir, fmt.Sprintf("raw-%d.sqlite", i)), rows)
		if err != nil {
			b.Fatal(err)
		}
		rawTime += d
		rawLines = len(rows)
		b.StartTimer()
	}
	b.StopTimer()
	importRate := float64(lines*b.N) / importTime.Seconds()
	rawRate := float64(rawLines*b.N) / rawTime.Seconds()
	b.ReportMetric(float64(lines), "lines/op")
	b.ReportMetric(float64(fees), "fees-posted/op")
	b.ReportMetric(importRate, "import-lines/s")
	b.ReportMetric(rawRate, "raw-lines/s")
	b.ReportMetric(100*importRate/rawRate, "import-%-of-raw")
}

// rawInsert times inserting rows into a plain table of a new SQLite file
// with a prepared statement in one transaction, with the ledger's pragmas.
func rawInsert(path string, rows []ledger.BankTransaction) (time.Duration, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE lines (bank_account INTEGER, transaction_id TEXT, accounting_date TEXT,
		interest_date TEXT, amount INTEGER, text TEXT, type_code INTEGER, type_text TEXT, other_account TEXT,
		kid TEXT, counterparty TEXT, reference TEXT)`); err != nil {
		return 0, err
	}
	t0 := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	stmt, err := tx.Prepare(`INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if _, err := stmt.Exec(r.BankAccount, r.TransactionID, r.AccountingDate.String(), r.InterestDate.String(),
			int64(r.Amount), r.Text, r.TypeCode, r.TypeText, r.OtherAccount, r.KID, r.Counterparty, r.Reference); err != nil {
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
		if _, err := Yesterday(ctx, l, today.AddDays(-1)); err != nil {
			b.Fatal(err)
		}
		lines += res.New()
		maxLines = max(maxLines, res.New())
	}
	b.ReportMetric(float64(lines)/float64(b.N), "lines/op")
	b.ReportMetric(float64(maxLines), "max-lines/morning")
}
