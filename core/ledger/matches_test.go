package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger/ledgertest"
	"bankbro/core/money"
)

// openIDs returns the ids of the open bank lines and open postings as the
// open tables hold them, and as the anti-join of the items against the
// match tables says they should be: the triggers must keep the two equal.
func openIDs(t *testing.T, l *Ledger) (lines, want []int64, posts, wantPosts []int64) {
	t.Helper()
	ids := func(q string) []int64 {
		rows, err := l.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			out = append(out, id)
		}
		return out
	}
	return ids(`SELECT id FROM open_bank_lines ORDER BY id`),
		ids(`SELECT id FROM bank_transactions bt WHERE NOT EXISTS (SELECT 1 FROM match_bank_lines m WHERE m.bank_transaction = bt.id) ORDER BY id`),
		ids(`SELECT id FROM open_postings ORDER BY id`),
		ids(`SELECT p.id FROM postings p JOIN vouchers v ON v.id = p.voucher
			WHERE p.account IN (SELECT gl_account FROM bank_accounts) AND v.source <> 'opening'
			AND NOT EXISTS (SELECT 1 FROM match_postings m WHERE m.posting = p.id) ORDER BY p.id`)
}

func checkOpenTables(t *testing.T, l *Ledger, when string) {
	t.Helper()
	lines, want, posts, wantPosts := openIDs(t, l)
	if !slices.Equal(lines, want) {
		t.Errorf("%s: open_bank_lines = %v, want %v", when, lines, want)
	}
	if !slices.Equal(posts, wantPosts) {
		t.Errorf("%s: open_postings = %v, want %v", when, posts, wantPosts)
	}
}

// TestMatchItemsAreEnforcedBySQLite: whatever writes to the match tables,
// SQLite keeps an item in at most one match, refuses items that are not
// open, frees the items of an undone match, and keeps the open tables equal
// to what is in no match.
func TestMatchItemsAreEnforcedBySQLite(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	day := civil.MustParse("2026-02-03")
	var lines []BankTransaction
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(id, 0, []BankTransaction{
			{TransactionID: "a", AccountingDate: day, Amount: -100, Text: "Kaffe", KID: "123"},
			{TransactionID: "b", AccountingDate: day, Amount: -200, Reference: "R1"},
			{TransactionID: "c", AccountingDate: day, Amount: 300},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = l.BankTransactions(ctx, id, day, day)
	v := postLine(t, l, lines[0], 7350) // posted from line a: 1920 and 7350
	var other Voucher
	err = l.Update(ctx, func(tx *Tx) error {
		other, err = tx.AddVoucher(Voucher{Date: day, Description: "x", Postings: []Posting{{Account: 1920, Amount: -200, Reference: "R1"}, {Account: 3000, Amount: 200}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOpenTables(t, l, "stored")
	var posted bool
	l.db.QueryRow(`SELECT posted FROM open_bank_lines WHERE id = ?`, lines[0].ID).Scan(&posted)
	if !posted {
		t.Errorf("line a is posted from, open_bank_lines says not")
	}

	exec := func(q string, args ...any) error { _, err := l.db.Exec(q, args...); return err }
	if err := exec(`INSERT INTO match_rules (id, name) VALUES (1, 'test');
		INSERT INTO match_runs (first_match, last_match, created_at) VALUES (1, 1, 'now');
		INSERT INTO match_bank_lines (match, bank_transaction, rule) VALUES (1, ?, 1);
		INSERT INTO match_postings (match, posting, rule) VALUES (1, ?, 1)`, lines[0].ID, v.Postings[0].ID); err != nil {
		t.Fatal(err)
	}
	checkOpenTables(t, l, "matched")
	for _, tc := range []struct {
		name, query string
		arg         int64
		want        string
	}{
		{"a matched line again", `INSERT INTO match_bank_lines (match, bank_transaction, rule) VALUES (2, ?, 1)`, lines[0].ID, "UNIQUE"},
		{"a matched posting again", `INSERT INTO match_postings (match, posting, rule) VALUES (2, ?, 1)`, v.Postings[0].ID, "UNIQUE"},
		{"a line that does not exist", `INSERT INTO match_bank_lines (match, bank_transaction, rule) VALUES (2, ?, 1)`, 999, "not an open bank line"},
		{"a posting off the bank's GL account", `INSERT INTO match_postings (match, posting, rule) VALUES (2, ?, 1)`, v.Postings[1].ID, "not an open posting"},
		{"a posting that does not exist", `INSERT INTO match_postings (match, posting, rule) VALUES (2, ?, 1)`, 999, "not an open posting"},
	} {
		if err := exec(tc.query, tc.arg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	checkOpenTables(t, l, "refused")

	// The matcher's bulk write and the checked one by hand.
	var ids []int64
	err = l.Update(ctx, func(tx *Tx) error {
		ids, err = tx.AddMatches([]NewMatch{{Rule: "reference", BankLines: []int64{lines[1].ID}, Postings: []int64{other.Postings[0].ID},
			First: lines[1].AccountingDate, Last: other.Date}})
		return err
	})
	if err != nil || len(ids) != 1 || ids[0] != 2 {
		t.Fatalf("AddMatches = %v, %v; want [2]", ids, err)
	}
	err = l.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddMatches([]NewMatch{{Rule: "x", BankLines: []int64{lines[2].ID, lines[1].ID}, First: lines[1].AccountingDate, Last: lines[2].AccountingDate}})
		return err
	})
	if err == nil {
		t.Errorf("AddMatches with a matched line: no error")
	}
	checkOpenTables(t, l, "AddMatches")
	if m, _ := l.MatchOfBankLine(ctx, lines[1].ID); m != 2 {
		t.Errorf("MatchOfBankLine = %d, want 2", m)
	}

	// Undoing a match frees its items, and the audit log keeps it.
	var undone Match
	err = l.Update(ctx, func(tx *Tx) error {
		undone, err = tx.DeleteMatch(1)
		return err
	})
	if err != nil || undone.Rule != "test" || !slices.Equal(undone.BankLines, []int64{lines[0].ID}) {
		t.Fatalf("DeleteMatch = %+v, %v", undone, err)
	}
	var items int
	l.db.QueryRow(`SELECT (SELECT count(*) FROM match_bank_lines WHERE match = 1) + (SELECT count(*) FROM match_postings WHERE match = 1)`).Scan(&items)
	if items != 0 {
		t.Errorf("%d items of the undone match are left", items)
	}
	checkOpenTables(t, l, "undone")
	l.db.QueryRow(`SELECT posted FROM open_bank_lines WHERE id = ?`, lines[0].ID).Scan(&posted)
	if !posted {
		t.Errorf("line a is open again but not posted from")
	}
	log, _ := l.AuditLog(ctx, 5)
	if len(log) == 0 || log[0].Action != "match.delete" || !strings.Contains(log[0].Details, "match 1 (test)") {
		t.Errorf("audit log = %+v, want the undone match first", log)
	}
	var got []int64
	err = l.Update(ctx, func(tx *Tx) error {
		open, err := tx.UnmatchedBankLines(id, civil.Date{})
		for _, x := range open {
			got = append(got, x.ID)
		}
		return err
	})
	if err != nil || !slices.Equal(got, []int64{lines[0].ID, lines[2].ID}) {
		t.Errorf("unmatched lines = %v, %v; want a and c", got, err)
	}

	// Undoing the newest match does not free its number: the audit log
	// names matches by number, and one number is one match.
	err = l.Update(ctx, func(tx *Tx) error {
		if _, err := tx.DeleteMatch(2); err != nil {
			return err
		}
		ids, err = tx.AddMatches([]NewMatch{{Rule: "again", BankLines: []int64{lines[1].ID}, Postings: []int64{other.Postings[0].ID},
			First: lines[1].AccountingDate, Last: other.Date}})
		return err
	})
	if err != nil || len(ids) != 1 || ids[0] != 3 {
		t.Errorf("a match after the newest was undone got %v, %v; want number 3, not 2 again", ids, err)
	}

	// A GL account that stops being a bank account's takes its open
	// postings out of reconciliation; the one it moves to brings its in.
	err = l.Update(ctx, func(tx *Tx) error { return tx.ReassignGLAccounts(map[int64]int{id: 1921}) })
	if err != nil {
		t.Fatal(err)
	}
	checkOpenTables(t, l, "moved to 1921")
	err = l.Update(ctx, func(tx *Tx) error { return tx.ReassignGLAccounts(map[int64]int{id: 1920}) })
	if err != nil {
		t.Fatal(err)
	}
	checkOpenTables(t, l, "moved back to 1920")
}

// TestMigrationKeepsMatches: a ledger written before migration 5, with
// matches in the old tables, keeps them, and its open items are what is in
// no match.
func TestMigrationKeepsMatches(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.bankbro")
	day := "2026-02-03"
	var stmts []string
	stmts = append(oldCompanyRows("2026-01-01", `(3000, 'Salg', 'income')`),
		`INSERT INTO vouchers (id, number, date, description, source, created_at) VALUES (1, 1, '`+day+`', 'v', 'bank', 'now'), (2, 2, '2026-01-01', 'IB', 'opening', 'now')`)
	for i := 1; i <= 4; i++ {
		stmts = append(stmts,
			fmt.Sprintf(`INSERT INTO bank_transactions (id, bank_account, transaction_id, accounting_date, amount, imported_at) VALUES (%d, 1, 't%d', '%s', %d, 'now')`, i, i, day, -100*i),
			fmt.Sprintf(`INSERT INTO postings (id, voucher, account, date, amount) VALUES (%d, 1, 1920, '%s', %d), (%d, 1, 3000, '%s', %d)`, 2*i-1, day, -100*i, 2*i, day, 100*i))
	}
	stmts = append(stmts, `INSERT INTO postings (id, voucher, account, date, amount) VALUES (9, 2, 1920, '2026-01-01', 5), (10, 2, 3000, '2026-01-01', -5)`,
		`UPDATE vouchers SET closed = 1`,
		`INSERT INTO matches (id, rule, created_at) VALUES (1, 'one_to_one', 'now'), (2, 'manual', 'now')`,
		`INSERT INTO match_bank_lines (match, bank_transaction) VALUES (1, 1), (2, 2)`,
		`INSERT INTO match_postings (match, posting) VALUES (1, 1), (2, 3)`)
	oldLedger(t, path, 3, stmts...)

	l, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var v int
	l.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	m, err := l.Match(ctx, 2)
	if err != nil || m.Rule != "manual" || !slices.Equal(m.BankLines, []int64{2}) || !slices.Equal(m.Postings, []int64{3}) {
		t.Errorf("Match(2) = %+v, %v", m, err)
	}
	lines, want, posts, wantPosts := openIDs(t, l)
	if !slices.Equal(lines, []int64{3, 4}) || !slices.Equal(lines, want) {
		t.Errorf("open lines = %v, want [3 4] (%v)", lines, want)
	}
	if !slices.Equal(posts, []int64{5, 7}) || !slices.Equal(posts, wantPosts) {
		t.Errorf("open postings = %v, want [5 7] (%v)", posts, wantPosts)
	}
	// The migrated items still refuse a second match.
	if _, err := l.db.Exec(`INSERT INTO match_bank_lines (match, bank_transaction, rule) VALUES (3, 1, 1)`); err == nil {
		t.Errorf("a migrated matched line was matched again")
	}
	if err := l.Update(ctx, func(tx *Tx) error { _, err := tx.DeleteMatch(1); return err }); err != nil {
		t.Fatal(err)
	}
	checkOpenTables(t, l, "after undoing a migrated match")
}

// postedLines stores n bank lines of day on the bank account and posts each
// against 7350: the lines, and for each its posting on the bank's GL account
// and the one on the other side.
func postedLines(t *testing.T, l *Ledger, bank int64, day civil.Date, n int) (lines []BankTransaction, posts, counter []int64) {
	t.Helper()
	var stored []BankTransaction
	for i := range n {
		stored = append(stored, BankTransaction{TransactionID: fmt.Sprint("t", i), AccountingDate: day, Amount: money.Amount(-100 - i), Text: "Kaffe"})
	}
	err := l.Update(context.Background(), func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(bank, 0, stored)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = l.BankTransactions(context.Background(), bank, day, day)
	for _, b := range lines {
		v := postLine(t, l, b, 7350)
		posts, counter = append(posts, v.Postings[0].ID), append(counter, v.Postings[1].ID)
	}
	return lines, posts, counter
}

// A bulk AddMatches drops the open tables' indexes and the triggers that
// take matched items out, and puts them back: afterwards the schema is as
// before, the indexes agree with their tables, the open tables hold what is
// in no match whichever way takeOut went (a few of many open items deleted,
// or most of them: the rest copied back), and a refused bulk write leaves
// everything as it was.
func TestBulkMatchesRebuildTheOpenIndexes(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	day := civil.MustParse("2026-02-03")
	lines, posts, counter := postedLines(t, l, id, day, 10) // counter: never open
	schema := func() string {
		var s string
		l.db.QueryRow(`SELECT group_concat(name || ':' || sql, char(10)) FROM (SELECT name, sql FROM sqlite_schema
			WHERE sql IS NOT NULL AND (` + bulkDropped + `) ORDER BY name)`).Scan(&s)
		return s
	}
	before := schema()
	for _, want := range []string{"open_bank_lines_date", "open_postings_date", "match_bank_lines_take", "match_postings_take"} {
		if !strings.Contains(before, want) {
			t.Fatalf("the schema has no %s to drop and restore:\n%s", want, before)
		}
	}
	old := bulkTakeOut
	bulkTakeOut = 2
	t.Cleanup(func() { bulkTakeOut = old })
	pairs := func(from, to int) []NewMatch {
		var ms []NewMatch
		for i := from; i < to; i++ {
			ms = append(ms, NewMatch{Rule: "t", BankLines: []int64{lines[i].ID}, Postings: []int64{posts[i]}, First: day, Last: day})
		}
		return ms
	}
	refused := func(what string, ms []NewMatch, want string) {
		t.Helper()
		err := l.Update(ctx, func(tx *Tx) error { _, err := tx.AddMatches(ms); return err })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want one that says %q", what, err, want)
		}
		if got := schema(); got != before {
			t.Errorf("%s: after a refused bulk write the schema is\n%s\nwant\n%s", what, got, before)
		}
		checkOpenTables(t, l, what)
	}
	refused("a posting in two matches", []NewMatch{{Rule: "t", BankLines: []int64{lines[0].ID}, Postings: []int64{posts[0]}, First: day, Last: day},
		{Rule: "t", BankLines: []int64{lines[1].ID}, Postings: []int64{posts[0]}, First: day, Last: day}}, "UNIQUE")
	few := pairs(0, 2)
	few[1].Postings = []int64{counter[1]}
	refused("a few, one posting not open", few, "not an open posting")
	most := pairs(0, 8)
	most[7].Postings = []int64{counter[7]}
	refused("most, one posting not open", most, "not an open posting")

	matched := func(what string, ms []NewMatch, lines, postings int) {
		t.Helper()
		if err := l.Update(ctx, func(tx *Tx) error { _, err := tx.AddMatches(ms); return err }); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := schema(); got != before {
			t.Errorf("%s: after a bulk write the schema is\n%s\nwant\n%s", what, got, before)
		}
		checkOpenTables(t, l, what)
		var check string
		if err := l.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("%s: integrity_check = %q, %v", what, check, err)
		}
		totals, err := l.OpenTotals(ctx, id, 1920, day)
		if err != nil || totals.Lines != lines || totals.Postings != postings {
			t.Errorf("%s: open after the bulk write: %+v, %v; want %d lines and %d postings", what, totals, err, lines, postings)
		}
	}
	matched("a few of many", pairs(0, 2), 8, 8)
	matched("most of what is open", pairs(2, 8), 2, 2)
}

// UnmatchedItems reads the postings on a second connection only while the
// transaction has changed nothing: what it returns is always what the
// transaction sees, also after the transaction posted to the bank account.
func TestUnmatchedItemsReadWhatTheTransactionSees(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	id := addBank(t, l)
	day := civil.MustParse("2026-02-03")
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(id, 0, []BankTransaction{
			{TransactionID: "a", AccountingDate: day, Amount: -100, Text: "Kaffe"},
			{TransactionID: "b", AccountingDate: day, Amount: -250, Text: "Husleie"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := l.BankTransactions(ctx, id, day, day)
	postLine(t, l, lines[0], 7350)
	ids := func(lines []ReconcileLine, posts []ReconcilePosting) string {
		var s []string
		for _, x := range lines {
			s = append(s, fmt.Sprintf("L%d:%d", x.ID, x.Amount))
		}
		for _, p := range posts {
			s = append(s, fmt.Sprintf("P%d:%d", p.ID, p.Amount))
		}
		return strings.Join(s, " ")
	}
	check := func(what string, tx *Tx) {
		t.Helper()
		wantLines, err := tx.UnmatchedBankLines(id, day)
		if err != nil {
			t.Fatal(err)
		}
		wantPosts, err := tx.UnmatchedPostings(1920, day)
		if err != nil {
			t.Fatal(err)
		}
		gotLines, gotPosts, err := tx.UnmatchedItems(id, 1920, day)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(gotLines, gotPosts), ids(wantLines, wantPosts); got != want {
			t.Errorf("%s: UnmatchedItems = %s, want %s", what, got, want)
		}
	}
	err = l.Update(ctx, func(tx *Tx) error {
		check("nothing changed yet", tx)
		if _, err := tx.AddVoucher(Voucher{Date: day, Description: "Husleie", Source: "manual", Postings: []Posting{
			{Account: 1920, Amount: -250}, {Account: 6300, Amount: 250}}}); err != nil {
			return err
		}
		check("after posting to the bank account", tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// AddMatches numbers the matches in the order of their first item, and
// returns each match's id where the match was given, with its rule, time
// and items.
func TestAddMatchesReturnsEachMatchsID(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			if bulk {
				old := bulkTakeOut
				bulkTakeOut = 2
				t.Cleanup(func() { bulkTakeOut = old })
			}
			ctx := context.Background()
			l := newLedger(t)
			id := addBank(t, l)
			day := civil.MustParse("2026-02-03")
			lines, posts, _ := postedLines(t, l, id, day, 6)
			at := time.Date(2026, 2, 4, 6, 0, 0, 0, time.UTC)
			l.Now = func() time.Time { return at }
			// Given last line first, and one of postings only: the numbers go
			// by first line, so they are not in the order given.
			rules := []string{"one-to-one", "kid", "one-to-one", "reference", "kid", "one-to-one"}
			var ms []NewMatch
			for i := len(lines) - 1; i >= 0; i-- {
				m := NewMatch{Rule: rules[i], BankLines: []int64{lines[i].ID}, Postings: []int64{posts[i]}, First: day, Last: day}
				if i == 3 {
					m.BankLines = nil
				}
				ms = append(ms, m)
			}
			var ids []int64
			if err := l.Update(ctx, func(tx *Tx) error {
				var err error
				ids, err = tx.AddMatches(ms)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			seen := map[int64]bool{}
			for i, mid := range ids {
				m, err := l.Match(ctx, mid)
				if err != nil {
					t.Fatalf("match %d (id %d): %v", i, mid, err)
				}
				if m.Rule != ms[i].Rule || !m.CreatedAt.Equal(at) || !slices.Equal(m.BankLines, ms[i].BankLines) || !slices.Equal(m.Postings, ms[i].Postings) || seen[mid] {
					t.Errorf("match %d is id %d: %+v; want rule %s at %v with %v and %v", i, mid, m, ms[i].Rule, at, ms[i].BankLines, ms[i].Postings)
				}
				seen[mid] = true
			}
			if ids[0] < ids[1] {
				t.Errorf("ids %v: the last line's match is numbered before the one before it", ids)
			}
			checkOpenTables(t, l, "stored")
		})
	}
}

// A file from before the highest match number was kept (migration 7)
// starts it from the numbers in use and in the audit log: a match undone
// before the upgrade keeps its number.
func TestMigrationKeepsUndoneMatchNumbers(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	path := l.Path()
	acct := addBank(t, l)
	day := civil.MustParse("2026-03-02")
	var lines []ReconcileLine
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{
			{TransactionID: "a", AccountingDate: day, Amount: -100}, {TransactionID: "b", AccountingDate: day, Amount: 100}}); err != nil {
			return err
		}
		var err error
		if lines, err = tx.UnmatchedBankLines(acct, civil.Date{}); err != nil {
			return err
		}
		id, err := tx.AddMatch("manual", []int64{lines[0].ID, lines[1].ID}, nil)
		if err != nil {
			return err
		}
		_, err = tx.DeleteMatch(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// As a file from before migration 7 would be: no setting, version 6.
	l.Close()
	ledgertest.Downgrade(t, path, SchemaVersion(), 6)
	l, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var id int64
	err = l.Update(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.AddMatch("manual", []int64{lines[0].ID, lines[1].ID}, nil)
		return err
	})
	if err != nil || id != 2 {
		t.Errorf("the first match after the upgrade got number %d, %v; want 2 (1 was undone before it)", id, err)
	}
}

// A file from before migration 8 keeps the dates of the matches whose
// items lie more than 31 days apart, which the report at a past day reads
// (lateMatches); undoing one forgets them.
func TestMigrationKeepsLongMatchSpans(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	oldLedger(t, path, 7, append(oldCompanyRows("2025-01-01", `(3000, 'Salg', 'income')`),
		`INSERT INTO bank_transactions (id, bank_account, transaction_id, accounting_date, amount, text, imported_at) VALUES
		 (1, 1, 'a', '2025-03-04', 500, 'Innbetaling', 'now'),
		 (2, 1, 'b', '2025-03-06', 300, 'Innbetaling', 'now'),
		 (3, 1, 'c', '2025-04-01', -100, 'Gebyr', 'now'),
		 (4, 1, 'd', '2025-05-02', 900, 'Innbetaling', 'now')`,
		`INSERT INTO vouchers (id, number, date, description, source, created_at) VALUES
		 (1, 1, '2025-01-20', 'Faktura', 'manual', 'now'), (2, 2, '2025-04-01', 'Gebyr', 'fee', 'now'), (3, 3, '2025-04-01', 'Faktura', 'manual', 'now')`,
		`INSERT INTO postings (id, voucher, account, amount, date, bank_transaction) VALUES
		 (1, 1, 1920, 800, '2025-01-20', NULL), (2, 1, 3000, -800, '2025-01-20', NULL),
		 (3, 2, 1920, -100, '2025-04-01', 3), (4, 2, 3000, 100, '2025-04-01', 3),
		 (5, 3, 1920, 900, '2025-04-01', NULL), (6, 3, 3000, -900, '2025-04-01', NULL)`,
		`INSERT INTO matches (id, rule, created_at) VALUES (1, 'manual', 'now'), (2, 'linked', 'now'), (3, 'kid', 'now')`,
		`INSERT INTO match_bank_lines (match, bank_transaction) VALUES (1, 1), (1, 2), (2, 3), (3, 4)`,
		`INSERT INTO match_postings (match, posting) VALUES (1, 1), (2, 3), (3, 5)`)...)
	l, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// 1 spans 45 days, 2 none, 3 exactly 31.
	if got, want := matchSpans(t, l), []string{"1 2025-01-20 2025-03-06"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("match spans after migration 8: %q, want %q", got, want)
	}
	if err := l.Update(ctx, func(tx *Tx) error { _, err := tx.DeleteMatch(1); return err }); err != nil {
		t.Fatal(err)
	}
	if got := matchSpans(t, l); len(got) != 0 {
		t.Errorf("match spans after the match is undone: %q, want none", got)
	}
}

// matchSpans returns match_spans as "match first last".
func matchSpans(t *testing.T, l *Ledger) []string {
	t.Helper()
	rows, err := l.db.Query(`SELECT match, first_day, last_day FROM match_spans ORDER BY match`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(rows, func(row rowScanner) (string, error) {
		var id int64
		var first, last string
		err := row.Scan(&id, &first, &last)
		return fmt.Sprintf("%d %s %s", id, first, last), err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// lateWindow and lateDays, which SQLite reads, say the same.
func TestLateWindowInDays(t *testing.T) {
	l := newLedger(t)
	d := civil.MustParse("2024-02-10")
	var got string
	if err := l.db.QueryRow(`SELECT date(?, '+' || ?)`, d.String(), lateDays).Scan(&got); err != nil || got != d.AddDays(lateWindow).String() {
		t.Errorf("date(%s, +%s) = %s, %v; want %s", d, lateDays, got, err, d.AddDays(lateWindow))
	}
}

// A file from before migration 9 kept a row per match with its rule and
// time; after it each match keeps its rule and time (on its items and in
// a run), the matches made together are one run, and the view matches
// reads as the table did.
func TestMigrationKeepsMatchRulesAndTimes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	const at1, at2 = "2025-04-02T06:00:00Z", "2025-04-03T06:00:00.5Z"
	oldLedger(t, path, 8, append(oldCompanyRows("2025-01-01", `(3000, 'Salg', 'income')`),
		`INSERT INTO bank_transactions (id, bank_account, transaction_id, accounting_date, amount, text, imported_at) VALUES
		 (1, 1, 'a', '2025-04-01', 500, 'Innbetaling', 'now'), (2, 1, 'b', '2025-04-01', 300, 'Innbetaling', 'now'),
		 (3, 1, 'c', '2025-04-02', -100, 'Gebyr', 'now'), (4, 1, 'd', '2025-04-02', 900, 'Innbetaling', 'now')`,
		`INSERT INTO vouchers (id, number, date, description, source, created_at) VALUES (1, 1, '2025-04-01', 'Salg', 'manual', 'now')`,
		`INSERT INTO postings (id, voucher, account, amount, date) VALUES
		 (1, 1, 1920, 500, '2025-04-01'), (2, 1, 1920, 300, '2025-04-01'), (3, 1, 1920, -100, '2025-04-02'),
		 (4, 1, 3000, -700, '2025-04-01')`,
		`UPDATE vouchers SET closed = 1`,
		// 1 and 2 made together, 3 (undone: 4 is not in use) and 5 later.
		`INSERT INTO matches (id, rule, created_at) VALUES (1, 'kid', '`+at1+`'), (2, 'one_to_one', '`+at1+`'),
		 (3, 'manual', '`+at2+`'), (5, 'rule:7', '`+at2+`')`,
		`INSERT INTO match_bank_lines (match, bank_transaction) VALUES (1, 1), (2, 2), (3, 3), (5, 4)`,
		`INSERT INTO match_postings (match, posting) VALUES (1, 1), (2, 2), (3, 3)`,
		// An item whose match has no row: nothing makes one, nothing stopped it.
		`INSERT INTO bank_transactions (id, bank_account, transaction_id, accounting_date, amount, text, imported_at) VALUES
		 (5, 1, 'e', '2025-04-02', 40, 'Renter', 'now')`,
		`INSERT INTO match_bank_lines (match, bank_transaction) VALUES (9, 5)`)...)
	l, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := []struct {
		id    int64
		rule  string
		at    string
		lines []int64
		posts []int64
	}{
		{1, "kid", at1, []int64{1}, []int64{1}},
		{2, "one_to_one", at1, []int64{2}, []int64{2}},
		{3, "manual", at2, []int64{3}, []int64{3}},
		{5, "rule:7", at2, []int64{4}, nil},
		{9, "?", "", []int64{5}, nil},
	}
	got, err := l.Matches(ctx, 1)
	if err != nil || len(got) != len(want) {
		t.Fatalf("Matches = %+v, %v; want %d", got, err, len(want))
	}
	for i, w := range want {
		m, err := l.Match(ctx, w.id)
		at, _ := time.Parse(time.RFC3339Nano, w.at)
		for _, m := range []Match{m, got[i]} {
			if err != nil || m.ID != w.id || m.Rule != w.rule || !m.CreatedAt.Equal(at) ||
				!slices.Equal(m.BankLines, w.lines) || !slices.Equal(m.Postings, w.posts) {
				t.Errorf("match %d = %+v, %v; want %s at %s with %v and %v", w.id, m, err, w.rule, w.at, w.lines, w.posts)
			}
		}
	}
	var runs string
	l.db.QueryRow(`SELECT group_concat(first_match || '-' || last_match, ' ') FROM (SELECT * FROM match_runs ORDER BY first_match)`).Scan(&runs)
	if runs != "1-2 3-3 5-5" {
		t.Errorf("runs %q, want 1-2 3-3 5-5 (3 and 5 are not in a row; 9 had no time)", runs)
	}
	var view string
	l.db.QueryRow(`SELECT group_concat(id || ' ' || rule || ' ' || created_at, ', ') FROM (SELECT * FROM matches ORDER BY id)`).Scan(&view)
	if w := "1 kid " + at1 + ", 2 one_to_one " + at1 + ", 3 manual " + at2 + ", 5 rule:7 " + at2 + ", 9 ? "; view != w {
		t.Errorf("the view matches reads %q, want %q", view, w)
	}
	byRule, err := l.MatchesByRule(ctx, 1)
	if err != nil || fmt.Sprint(byRule) != "[{? 1} {kid 1} {manual 1} {one_to_one 1} {rule:7 1}]" {
		t.Errorf("MatchesByRule = %v, %v", byRule, err)
	}
	// Undoing a migrated match opens its items; the next match is numbered
	// past every number given.
	var next int64
	err = l.Update(ctx, func(tx *Tx) error {
		if _, err := tx.DeleteMatch(3); err != nil {
			return err
		}
		var err error
		next, err = tx.AddMatch("manual", []int64{3}, []int64{3})
		return err
	})
	if err != nil || next != 10 {
		t.Errorf("matched again as %d, %v; want 10", next, err)
	}
	checkOpenTables(t, l, "after the upgrade")
}
