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
	9: `CREATE TABLE matches_v8 (id INTEGER PRIMARY KEY, rule TEXT NOT NULL, created_at TEXT NOT NULL);
		INSERT INTO matches_v8 (id, rule, created_at) SELECT id, rule, created_at FROM matches;
		DROP VIEW matches;
		ALTER TABLE matches_v8 RENAME TO matches;
		CREATE TRIGGER matches_delete_items AFTER DELETE ON matches
		BEGIN
			DELETE FROM match_bank_lines WHERE match = OLD.id;
			DELETE FROM match_postings WHERE match = OLD.id;
		END;
		CREATE TRIGGER matches_delete_span AFTER DELETE ON matches
		BEGIN
			DELETE FROM match_spans WHERE match = OLD.id;
		END;
		ALTER TABLE match_bank_lines DROP COLUMN rule;
		ALTER TABLE match_postings DROP COLUMN rule;
		DROP TABLE match_runs;
		DROP TABLE match_rules`,
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
