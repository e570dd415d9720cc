package demo_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"bankbro/core/civil"

	_ "modernc.org/sqlite"
)

// rawInsert stores a month's worth of bank-line-shaped rows (as many as
// the busy company has, about 8,500) into a bare table with the same
// unique key and date index, with one prepared statement in one
// transaction: the floor FillScale is compared with.
func rawInsert(b *testing.B, from, to civil.Date) int {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "raw.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, account INTEGER NOT NULL, transaction_id TEXT NOT NULL,
		accounting_date TEXT NOT NULL, amount INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (account, transaction_id));
		CREATE INDEX t_date ON t(account, accounting_date, id)`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO t (account, transaction_id, accounting_date, amount, text) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		for i := range 280 {
			if _, err := stmt.Exec(1, fmt.Sprintf("%s-%04d-%020d", d, i, n), d.String(), n%100_000-50_000, "*4521 24.11 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000"); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return n
}
