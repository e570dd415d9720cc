package ledger

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"sync"
	"testing"
)

// registered counts what the gather, feed and set registries still hold.
func registered() int {
	n := 0
	for _, m := range []*sync.Map{&gatherers.m, &feeds.m, &sets.m} {
		m.Range(func(_, _ any) bool { n++; return true })
	}
	return n
}

// gather hands every row to its function, none for no rows, and returns
// the function's own error (not SQLite's text of it); insertFrom stores
// every row of a feed or fails; a feed is read only by its number. None
// leaves its function or rows behind.
func TestGatherAndFeed(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	err := l.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`CREATE TEMP TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)`); err != nil {
			return err
		}
		rows := [][2]any{{int64(1), "én"}, {int64(2), "to"}, {int64(300), "tre hundre"}}
		f := feed{len(rows), func(row, col int) driver.Value { return rows[row][col] }}
		if err := tx.insertFrom(`INSERT INTO temp.t (a, b)`, 2, f); err != nil {
			return err
		}
		var got []string
		err := gather(ctx, tx.tx, `a, b`, `temp.t WHERE a > ?`, []any{1}, func(v []driver.Value) error {
			got = append(got, valueText(v[1]))
			return nil
		})
		if err != nil || strings.Join(got, ",") != "to,tre hundre" {
			t.Errorf("gather = %q, %v", got, err)
		}
		calls := 0
		if err := gather(ctx, tx.tx, `a`, `temp.t WHERE a > 1000`, nil, func([]driver.Value) error { calls++; return nil }); err != nil || calls != 0 {
			t.Errorf("gather over no rows: %d calls, %v", calls, err)
		}
		stop := errors.New("stop here")
		if err := gather(ctx, tx.tx, `a`, `temp.t`, nil, func([]driver.Value) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("gather whose function fails: %v, want %v", err, stop)
		}
		// The second row clashes with the first's key: nothing of it is
		// stored, and the error says why.
		clash := feed{2, func(row, col int) driver.Value {
			if col == 0 {
				return int64(7)
			}
			return "x"
		}}
		if err := tx.insertFrom(`INSERT INTO temp.t (a, b)`, 2, clash); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
			t.Errorf("a feed that clashes: %v", err)
		}
		if _, err := tx.exec(`INSERT INTO temp.t (a, b) SELECT c0, 'y' FROM ` + feedTable + ` WHERE +feed = 1`); err == nil {
			t.Errorf("the feed table read without its number: no error")
		}
		var n int
		tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM temp.t`).Scan(&n)
		if n != 3 {
			t.Errorf("%d rows stored, want the first feed's 3", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := registered(); n != 0 {
		t.Errorf("%d functions or feeds are still registered", n)
	}
}
