// Package ledgertest makes a company file look as an older Bankbro left it,
// for the tests of opening and updating such files: what each migration
// added is taken away again, newest first.
package ledgertest

import (
	"database/sql"
	"fmt"
	"testing"

	_ "modernc.org/sqlite" // the driver the ledger uses
)

// undo takes away, per migration (core/ledger/migrations), what it added.
var undo = map[int]string{
	7: `DELETE FROM settings WHERE key = 'matches.last_id'`,
	8: `DROP TRIGGER matches_delete_span; DROP TABLE match_spans`,
}

// Downgrade makes the closed company file at path, at schema version from
// (ledger.SchemaVersion), look as version to left it. A migration whose
// undo is not here fails the test: add it with the migration.
func Downgrade(t testing.TB, path string, from, to int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for v := from; v > to; v-- {
		q, ok := undo[v]
		if !ok {
			t.Fatalf("ledgertest cannot take migration %d back: add its undo", v)
		}
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("take migration %d back: %v", v, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", to)); err != nil {
		t.Fatal(err)
	}
}
