package ledger

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite/vtab"
)

// A feed is rows in Go memory that SQLite reads as a table: the source of
// the matcher's bulk writes (BenchmarkMatch100k stores 267,600 rows),
//
//	INSERT INTO match_bank_lines (match, bank_transaction, rule)
//	SELECT c0, c1, c2 FROM temp.bankbro_feed WHERE feed = ?
//
// Bound as values of multi-row INSERTs, every value was a call into
// SQLite taking the connection's mutex and every integer an allocation;
// read from a virtual table, SQLite asks for each value as it builds the
// row, and the insert takes a quarter less time. It is the counterpart of
// gather, which reads.
//
// The virtual table is made once per connection, in the temporary schema
// (nothing is stored in the file). A feed is found by its number, the
// hidden column feed, which the WHERE clause must give: without it the
// table refuses to be read.
type feed struct {
	rows  int
	value func(row, col int) driver.Value
}

const (
	feedModule  = "bankbro_feed"
	feedTable   = "temp." + feedModule
	feedColumns = 8
)

var feeds registry[feed]

func init() {
	if err := vtab.RegisterModule(nil, feedModule, feedTables{}); err != nil {
		panic(fmt.Sprintf("register the virtual table %s: %v", feedModule, err))
	}
}

// insertFrom runs insert (an INSERT INTO … with its column list) with the
// rows of f as its values, as many columns as the list names. Every row
// must be stored: an insert that stored fewer is an error.
func (tx *Tx) insertFrom(insert string, width int, f feed) error {
	if width < 1 || width > feedColumns {
		return fmt.Errorf("a feed has 1 to %d columns, not %d", feedColumns, width)
	}
	if f.rows == 0 {
		return nil
	}
	if err := tx.feedTable(); err != nil {
		return err
	}
	id, release := feeds.hold(f)
	defer release()
	res, err := tx.execStmt(insert+` SELECT `+feedColumnList(width)+` FROM `+feedTable+` WHERE feed = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != int64(f.rows) {
		return fmt.Errorf("%s: stored %d of %d rows", insert, n, f.rows)
	}
	return nil
}

// feedTable makes the virtual table on the transaction's connection if it
// is not there.
func (tx *Tx) feedTable() error {
	if tx.feedReady {
		return nil
	}
	if _, err := tx.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ` + feedTable + ` USING ` + feedModule); err != nil {
		return fmt.Errorf("make the table %s: %w", feedTable, err)
	}
	tx.feedReady = true
	return nil
}

// feedTables is the module: every table made with it reads the feed its
// query names.
type feedTables struct{}

func (feedTables) Create(ctx vtab.Context, _ []string) (vtab.Table, error) {
	return feedVTable{}, ctx.Declare(`CREATE TABLE x (` + feedColumnList(feedColumns) + `, feed HIDDEN)`)
}

// feedColumnList is "c0, c1, …", the first n columns of a feed.
func feedColumnList(n int) string {
	cols := make([]string, n)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d", i)
	}
	return strings.Join(cols, ", ")
}

func (m feedTables) Connect(ctx vtab.Context, args []string) (vtab.Table, error) {
	return m.Create(ctx, args)
}

type feedVTable struct{}

// BestIndex takes the constraint feed = ?: the feed's number is the first
// argument Filter gets. Without it Filter refuses to read.
func (feedVTable) BestIndex(info *vtab.IndexInfo) error {
	info.EstimatedCost = 1e12
	for i, c := range info.Constraints {
		if c.Column == feedColumns && c.Op == vtab.OpEQ && c.Usable {
			info.Constraints[i].ArgIndex, info.Constraints[i].Omit = 0, true
			info.IdxNum, info.EstimatedCost = 1, 1
			break
		}
	}
	return nil
}

func (feedVTable) Open() (vtab.Cursor, error) { return &feedCursor{}, nil }
func (feedVTable) Disconnect() error          { return nil }
func (feedVTable) Destroy() error             { return nil }

type feedCursor struct {
	f   feed
	row int
}

func (c *feedCursor) Filter(idxNum int, _ string, vals []vtab.Value) error {
	c.f, c.row = feed{}, 0
	if idxNum != 1 || len(vals) != 1 {
		return errors.New(feedModule + " is read by its number: WHERE feed = ?")
	}
	f, ok := feeds.get(vals[0])
	if !ok {
		return errors.New(feedModule + ": no feed with this number")
	}
	c.f = f
	return nil
}

func (c *feedCursor) Next() error { c.row++; return nil }
func (c *feedCursor) Eof() bool   { return c.row >= c.f.rows }

func (c *feedCursor) Column(col int) (vtab.Value, error) {
	if col >= feedColumns {
		return nil, nil
	}
	return c.f.value(c.row, col), nil
}

func (c *feedCursor) Rowid() (int64, error) { return int64(c.row), nil }
func (c *feedCursor) Close() error          { return nil }
