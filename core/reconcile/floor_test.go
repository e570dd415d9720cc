package reconcile

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The raw floor of a matcher run (DESIGN.md "Measuring": a figure next to
// raw SQLite doing the same rows in the same run). A run reads every open
// item (the two sides at once, on two connections), stores a row per
// matched item (its match and rule; a match has no row of its own,
// migration 9) and one for the run, and takes the matched items out of the
// open items (when they are most of them: by keeping the rest aside,
// emptying the table and putting the rest back). rawFloor does only that,
// in a plain SQLite file with no indexes, triggers or checks beyond the
// tables' keys, the way database/sql offers: many rows a statement in one
// transaction, rows scanned into interface values. The run reads through
// an aggregate function and writes from a virtual table (ledger gather.go,
// feed.go), which cost less than that, so it can come in under its floor;
// the floor says how fast the machine was during the run.

// storedCounts is what a run wrote: matches, matched bank lines and
// matched postings.
type storedCounts struct{ matches, lines, posts int }

// countStored reads storedCounts from a ledger file after a run.
func countStored(b *testing.B, path string) storedCounts {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var c storedCounts
	err = db.QueryRow(`SELECT (SELECT count(*) FROM matches), (SELECT count(*) FROM match_bank_lines),
		(SELECT count(*) FROM match_postings)`).Scan(&c.matches, &c.lines, &c.posts)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// rawFloor copies the open items of the ledger at tmpl into plain tables of
// a new file, then times reading them all and storing c as a matcher run
// stores it.
func rawFloor(b *testing.B, tmpl string, c storedCounts) time.Duration {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(benchDir, "floor.sqlite")
	defer func() {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
	}()
	// The ledger's own settings, so that only the schema differs.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(2) // the transaction, and a reader beside it
	for _, q := range []string{
		`ATTACH DATABASE 'file:` + tmpl + `?mode=ro' AS src`,
		`CREATE TABLE lines AS SELECT id, bank_account, accounting_date, amount, text, kid, reference, posted FROM src.open_bank_lines`,
		`CREATE TABLE posts AS SELECT id, account, date, amount, kid, reference, voucher, bank_transaction, reverses FROM src.open_postings`,
		`DETACH DATABASE src`,
		`CREATE TABLE open_lines (id INTEGER PRIMARY KEY, bank_account, accounting_date, amount, text, kid, reference, posted)`,
		`INSERT INTO open_lines SELECT * FROM lines`,
		`CREATE TABLE open_posts (id INTEGER PRIMARY KEY, account, date, amount, kid, reference, voucher, bank_transaction, reverses)`,
		`INSERT INTO open_posts SELECT * FROM posts`,
		`DROP TABLE lines`,
		`DROP TABLE posts`,
		`CREATE TABLE runs (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, created_at TEXT NOT NULL)`,
		`CREATE TABLE match_lines (item INTEGER PRIMARY KEY, match INTEGER NOT NULL, rule INTEGER NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE match_posts (item INTEGER PRIMARY KEY, match INTEGER NOT NULL, rule INTEGER NOT NULL) WITHOUT ROWID`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	type querier interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
	read := func(q querier, query string) []int64 {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var ids []int64
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			ids = append(ids, vals[0].(int64))
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		return ids
	}
	var posts []int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		posts = read(db, `SELECT * FROM open_posts`)
	}()
	lines := read(tx, `SELECT * FROM open_lines`)
	<-done
	if c.lines > len(lines) || c.posts > len(posts) {
		b.Fatalf("the run matched %d lines and %d postings of %d and %d open", c.lines, c.posts, len(lines), len(posts))
	}
	// Many rows a statement, as the ledger writes them: the fastest way
	// into SQLite through database/sql (a prepared single-row statement
	// costs about a third more a row here).
	const maxArgs = 32766
	many := func(head, row, tail string, n, width int, args func(i int) []any) {
		for i := 0; i < n; {
			k := min(n-i, maxArgs/width)
			q := head + strings.TrimSuffix(strings.Repeat(row+",", k), ",") + tail
			all := make([]any, 0, k*width)
			for j := range k {
				all = append(all, args(i+j)...)
			}
			if _, err := tx.ExecContext(ctx, q, all...); err != nil {
				b.Fatal(err)
			}
			i += k
		}
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (first, last, created_at) VALUES (1, ?, ?)`, c.matches, now); err != nil {
		b.Fatal(err)
	}
	many(`INSERT INTO match_lines (item, match, rule) VALUES `, `(?,?,?)`, ``, c.lines, 3,
		func(i int) []any { return []any{lines[i], i%c.matches + 1, 1} })
	many(`INSERT INTO match_posts (item, match, rule) VALUES `, `(?,?,?)`, ``, c.posts, 3,
		func(i int) []any { return []any{posts[i], i%c.matches + 1, 1} })
	takeOut := func(table string, ids []int64, n int) {
		if 2*n < len(ids) {
			many(`DELETE FROM `+table+` WHERE id IN (`, `?`, `)`, n, 1, func(i int) []any { return []any{ids[i]} })
			return
		}
		kept := ids[n:]
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE kept AS SELECT * FROM `+table+` WHERE 0`); err != nil {
			b.Fatal(err)
		}
		many(`INSERT INTO temp.kept SELECT * FROM `+table+` WHERE id IN (`, `?`, `)`, len(kept), 1, func(i int) []any { return []any{kept[i]} })
		for _, q := range []string{`DELETE FROM ` + table, `INSERT INTO ` + table + ` SELECT * FROM temp.kept`, `DROP TABLE temp.kept`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	takeOut("open_lines", lines, c.lines)
	takeOut("open_posts", posts, c.posts)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// reportFloor adds the raw floor of a run that stored c to b's metrics.
func reportFloor(b *testing.B, tmpl string, c storedCounts, perRun time.Duration) {
	b.Helper()
	if c.matches == 0 {
		return
	}
	floor := rawFloor(b, tmpl, c)
	b.ReportMetric(float64(floor.Milliseconds()), "raw-floor-ms")
	b.ReportMetric(100*float64(perRun)/float64(floor), "run-%-of-raw-floor")
	b.Logf("raw floor: read the open items, store the %d lines and %d postings of %d matches, take them out: %v",
		c.lines, c.posts, c.matches, floor)
}
