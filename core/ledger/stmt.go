package ledger

import (
	"database/sql"
	"fmt"
	"strings"
)

// stmt returns query prepared in this transaction, preparing it on first
// use. Compiling a statement costs far more than running it (an INSERT on
// postings compiles the table's triggers), so a transaction that runs the
// same statement for many rows, such as the morning import posting its
// fees, compiles it once. The statements are closed when the transaction
// ends.
func (tx *Tx) stmt(query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	s, err := tx.tx.PrepareContext(tx.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare a statement: %w", err)
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s, nil
}

// execStmt runs query, prepared once per transaction (see stmt), with args.
func (tx *Tx) execStmt(query string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(tx.ctx, args...)
}

// closeStmts closes the statements the transaction prepared.
func (tx *Tx) closeStmts() {
	for _, s := range tx.stmts {
		s.Close()
	}
	tx.stmts = nil
}

// insertValues is how many values one multi-row INSERT carries at most:
// one statement for many rows saves the cost of a statement per row
// (binding, stepping, resetting, and database/sql's bookkeeping), which is
// most of what storing a row costs; 900 stays far below SQLite's limit on
// bound values (32766).
const insertValues = 900

// insertMany runs prefix + "(?, …), (?, …)…" + suffix over args, width
// values a row, as many rows per statement as insertValues allows, and
// returns how many rows were stored (an upsert's suffix may skip some).
func (tx *Tx) insertMany(prefix, suffix string, width int, args []any) (int64, error) {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
	var stored int64
	for len(args) > 0 {
		n := min(len(args)/width, insertValues/width)
		res, err := tx.execStmt(prefix+strings.TrimSuffix(strings.Repeat(row+",", n), ",")+suffix, args[:n*width]...)
		if err != nil {
			return stored, err
		}
		k, _ := res.RowsAffected()
		stored += k
		args = args[n*width:]
	}
	return stored, nil
}
