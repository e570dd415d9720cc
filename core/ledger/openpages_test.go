package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// The Reconciliation screen's pages, read one after the other, are exactly
// the open items OpenBankLinesAt and OpenPostingsAt return, and the totals
// count and sum them.
func TestOpenPages(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	start := civil.MustParse("2026-03-01")
	var lines []BankTransaction
	for i := range 11 {
		lines = append(lines, BankTransaction{TransactionID: fmt.Sprint("t", i), AccountingDate: start.AddDays(i / 2), Amount: money.Amount(-1000 * (i + 1)), Text: fmt.Sprint("Linje ", i)})
	}
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, lines); err != nil {
			return err
		}
		if _, err := tx.AddVoucher(Voucher{Date: start.AddDays(-1), Description: "IB", Source: SourceOpening, Postings: []Posting{
			{Account: 1920, Amount: 50_000}, {Account: 2050, Amount: -50_000}}}); err != nil {
			return err
		}
		for i := range 7 {
			if _, err := tx.AddVoucher(Voucher{Date: start.AddDays(i), Description: fmt.Sprint("Bilag ", i), Postings: []Posting{
				{Account: 1920, Amount: money.Amount(-1000 * (i + 1)), Text: fmt.Sprint("Betaling ", i)},
				{Account: 4000, Amount: money.Amount(1000 * (i + 1))}}}); err != nil {
				return err
			}
		}
		stored, err := tx.UnmatchedBankLines(acct, civil.Date{})
		if err != nil {
			return err
		}
		posts, err := tx.UnmatchedPostings(1920, civil.Date{})
		if err != nil {
			return err
		}
		// Lines 0 and 1 (−10 and −20 kr) against the first two postings.
		_, err = tx.AddMatch("manual", []int64{stored[0].ID, stored[1].ID}, []int64{posts[0].ID, posts[1].ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	far := civil.MustParse("9999-12-31")
	for _, from := range []civil.Date{start, start.AddDays(2)} {
		wantLines, wantPosts := openAt(t, l, acct, from, far)
		var gotLines []BankTransaction
		var gotPosts []ReconcilePosting
		for offset := 0; offset < 20; offset += 4 {
			p, err := l.OpenBankLinesPage(ctx, acct, from, OpenFilter{}, offset, 4)
			if err != nil {
				t.Fatal(err)
			}
			gotLines = append(gotLines, p...)
			q, err := l.OpenPostingsPage(ctx, 1920, from, OpenFilter{}, offset, 4)
			if err != nil {
				t.Fatal(err)
			}
			gotPosts = append(gotPosts, q...)
		}
		if fmt.Sprint(gotLines) != fmt.Sprint(wantLines) || len(gotLines) == 0 {
			t.Errorf("from %s: pages of lines %v, want %v", from, gotLines, wantLines)
		}
		if fmt.Sprint(gotPosts) != fmt.Sprint(wantPosts) || len(gotPosts) == 0 {
			t.Errorf("from %s: pages of postings %v, want %v", from, gotPosts, wantPosts)
		}
		tot, err := l.OpenTotals(ctx, acct, 1920, from)
		if err != nil {
			t.Fatal(err)
		}
		if want := totalsOf(wantLines, wantPosts); tot != want {
			t.Errorf("from %s: OpenTotals = %+v, want %+v", from, tot, want)
		}
	}

	// The manual lists' filter finds as the Bank screen's search: words as
	// the start of a word, in any case, or an amount in or out; counts
	// agree with the pages.
	for _, c := range []struct {
		f            OpenFilter
		lines, posts []string
	}{
		{OpenFilter{Text: "linje 1"}, []string{"Linje 10"}, nil},
		{OpenFilter{Text: "BETALING 3"}, nil, []string{"Betaling 3"}},
		{OpenFilter{Text: "30"}, []string{"Linje 2"}, []string{"Betaling 2"}},
		{OpenFilter{Text: "-60,00"}, []string{"Linje 5"}, []string{"Betaling 5"}},
		{OpenFilter{Text: "lin"}, []string{"Linje 2", "Linje 3", "Linje 4", "Linje 5", "Linje 6", "Linje 7", "Linje 8", "Linje 9", "Linje 10"}, nil},
		{OpenFilter{Text: "ingen"}, nil, nil},
		{OpenFilter{Text: "l"}, []string{"Linje 2", "Linje 3", "Linje 4", "Linje 5", "Linje 6", "Linje 7", "Linje 8", "Linje 9", "Linje 10"}, []string{"Betaling 2", "Betaling 3", "Betaling 4", "Betaling 5", "Betaling 6"}}, // one letter: no filter yet
	} {
		ls, err := l.OpenBankLinesPage(ctx, acct, start, c.f, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := l.OpenPostingsPage(ctx, 1920, start, c.f, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var gotL, gotP []string
		for _, x := range ls {
			gotL = append(gotL, x.Text)
		}
		for _, x := range ps {
			gotP = append(gotP, x.Text)
		}
		if fmt.Sprint(gotL) != fmt.Sprint(c.lines) || fmt.Sprint(gotP) != fmt.Sprint(c.posts) {
			t.Errorf("filter %+v: lines %v, postings %v; want %v, %v", c.f, gotL, gotP, c.lines, c.posts)
		}
		nl, np, err := l.OpenCounts(ctx, acct, 1920, start, c.f)
		if err != nil || nl != len(c.lines) || np != len(c.posts) {
			t.Errorf("OpenCounts(%+v) = %d, %d, %v; want %d, %d", c.f, nl, np, err, len(c.lines), len(c.posts))
		}
	}
	if nl, np, err := l.OpenCounts(ctx, acct, 1920, start, OpenFilter{Text: "%"}); err != nil || nl != 9 || np != 5 {
		t.Errorf("OpenCounts with a search of no words = %d, %d, %v; want all, 9 and 5", nl, np, err)
	}

	// As of each day, the report's totals count and sum the items open
	// then: on the first day the match of lines 0 and 1 also holds a
	// posting of the next day, so its items were still open.
	for at := start.AddDays(-1); !at.After(start.AddDays(7)); at = at.AddDays(1) {
		lines, posts := openAt(t, l, acct, start, at)
		want := totalsOf(lines, posts)
		if at == start && (want.Lines != 2 || want.Postings != 1) {
			t.Errorf("on %s: %d open lines and %d open postings, want 2 and 1 (the match is not made yet)", at, want.Lines, want.Postings)
		}
		got, err := l.OpenTotalsAt(ctx, acct, 1920, start, at)
		if err != nil || got != want {
			t.Errorf("OpenTotalsAt(%s) = %+v, %v; want %+v", at, got, err, want)
		}
		// The report writes them as EachOpenItemAt hands them over.
		var wantItems, items []OpenItem
		for _, b := range lines {
			wantItems = append(wantItems, OpenItem{ID: b.ID, Date: b.AccountingDate, Amount: b.Amount, Text: b.Text})
		}
		for _, p := range posts {
			wantItems = append(wantItems, OpenItem{Posting: true, ID: p.ID, Date: p.Date, Amount: p.Amount, Text: p.Text})
		}
		err = l.EachOpenItemAt(ctx, acct, 1920, start, at, func(it OpenItem) error {
			items = append(items, it)
			return nil
		})
		if err != nil || fmt.Sprint(items) != fmt.Sprint(wantItems) {
			t.Errorf("EachOpenItemAt(%s) = %v, %v; want %v", at, items, err, wantItems)
		}
	}

	// An error from fn stops the reading.
	stop := errors.New("enough")
	n := 0
	err = l.EachOpenItemAt(ctx, acct, 1920, start, far, func(OpenItem) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("EachOpenItemAt stopped after %d items with %v, want 3 and %v", n, err, stop)
	}
}

// openAt reads the open items of the bank account and of GL 1920.
func openAt(t *testing.T, l *Ledger, acct int64, from, at civil.Date) ([]BankTransaction, []ReconcilePosting) {
	t.Helper()
	return openAtGL(t, l, acct, 1920, from, at)
}

// openAtGL reads the open items of the bank account and of its GL account gl.
func openAtGL(t *testing.T, l *Ledger, acct int64, gl int, from, at civil.Date) ([]BankTransaction, []ReconcilePosting) {
	t.Helper()
	lines, err := l.OpenBankLinesAt(context.Background(), acct, from, at)
	if err != nil {
		t.Fatal(err)
	}
	posts, err := l.OpenPostingsAt(context.Background(), gl, from, at)
	if err != nil {
		t.Fatal(err)
	}
	return lines, posts
}

// totalsOf counts and sums open items.
func totalsOf(lines []BankTransaction, posts []ReconcilePosting) OpenTotals {
	t := OpenTotals{Lines: len(lines), Postings: len(posts)}
	for _, b := range lines {
		t.LinesSum += b.Amount
	}
	for _, p := range posts {
		t.PostingsSum += p.Amount
	}
	return t
}

// The filter finds Norwegian letters in any case and without their marks,
// as the Bank screen's search does.
func TestOpenFilterFindsNorwegianLetters(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	day := civil.MustParse("2026-03-02")
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{
			{TransactionID: "a", AccountingDate: day, Amount: -125000, Text: "Husleie mars", Counterparty: "GÅRDEIER AS"},
			{TransactionID: "b", AccountingDate: day, Amount: -38900, Text: "KIWI 512 BRYGGA"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Letters Go counts but the index splits on (New Tai Lue, Vedic signs)
	// must not make the query a phrase, which the index refuses.
	for _, odd := range []string{"aᦰb", "xᳲy", "ᧈ"} {
		if _, err := l.OpenBankLinesPage(ctx, acct, day, OpenFilter{Text: odd}, 0, 10); err != nil {
			t.Errorf("find %q: %v", odd, err)
		}
		if _, err := l.Search(ctx, odd, SearchCursor{}, 10); err != nil {
			t.Errorf("Search(%q): %v", odd, err)
		}
	}
	for _, find := range []string{"gårdeier", "GÅRDEIER", "gardeier", "gård"} {
		ls, err := l.OpenBankLinesPage(ctx, acct, day, OpenFilter{Text: find}, 0, 10)
		if err != nil || len(ls) != 1 || ls[0].Counterparty != "GÅRDEIER AS" {
			t.Errorf("find %q: %v, %v; want the rent to GÅRDEIER AS", find, ls, err)
		}
	}
}

// A match is late for every day from its first item's date up to the day
// before its last: the report counts its items on or before the day as
// open then. Matches spanning no day, a day, the 31 days the report looks
// back over, one day more, and a year are counted right on every day, in
// either order of the sides, against the long way of reading them.
func TestOpenAtAcrossMatchesOfEverySpan(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	start := civil.MustParse("2025-01-01")
	spans := []int{0, 1, 30, 31, 32, 33, 90, 400}
	err := l.Update(ctx, func(tx *Tx) error {
		for i, span := range spans {
			// The bank line first and the posting span days later, and the
			// other way round.
			for j, lineDay := range []int{3 * i, 3*i + span} {
				postDay := 3*i + span - (lineDay - 3*i)
				amount := money.Amount(-100 * (10*i + j + 1))
				if err := addMatchedPair(tx, acct, fmt.Sprint("s", i, "-", j), amount, start.AddDays(lineDay), start.AddDays(postDay)); err != nil {
					return err
				}
			}
		}
		// And one left open, to count beside them.
		_, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: "open", AccountingDate: start.AddDays(40), Amount: -7, Text: "open"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for at := start.AddDays(-1); !at.After(start.AddDays(3*len(spans) + 400 + 1)); at = at.AddDays(1) {
		lines, posts := openAt(t, l, acct, start, at)
		want := totalsOf(lines, posts)
		got, err := l.OpenTotalsAt(ctx, acct, 1920, start, at)
		if err != nil || got != want {
			t.Fatalf("OpenTotalsAt(%s) = %+v, %v; want %+v", at, got, err, want)
		}
		var n int
		if err := l.EachOpenItemAt(ctx, acct, 1920, start, at, func(OpenItem) error { n++; return nil }); err != nil || n != want.Lines+want.Postings {
			t.Fatalf("EachOpenItemAt(%s) handed over %d items, %v; want %d", at, n, err, want.Lines+want.Postings)
		}
	}
	// The matches spanning more than 31 days keep their dates: a line and a
	// posting each, the two ways round.
	var want []string
	rows, err := l.db.Query(`SELECT id FROM matches ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := collect(rows, func(row rowScanner) (id int64, err error) { return id, row.Scan(&id) })
	if err != nil {
		t.Fatal(err)
	}
	for i, span := range spans {
		if span > 31 {
			d := start.AddDays(3 * i)
			want = append(want, fmt.Sprint(ids[2*i], " ", d, " ", d.AddDays(span)), fmt.Sprint(ids[2*i+1], " ", d, " ", d.AddDays(span)))
		}
	}
	if got := matchSpans(t, l); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("match spans %q, want %q", got, want)
	}
}

// The report's queries at a past day read the open items and about a month
// of items and their matches: SQLite may search every table by key or
// index, but walk nothing but the late matches it gathered, its own
// temporary lists and match_spans, which holds only the few matches whose
// items lie more than a month apart. A plan that scans the matched items
// or the account's history would cost seconds in a ledger of a million
// lines.
func TestOpenAtQueriesWalkNoHistory(t *testing.T) {
	l := newLedger(t)
	acct := addBank(t, l)
	for name, q := range map[string]string{"openTotalsAt": openTotalsAt, "openItemsAt": openItemsAt} {
		rows, err := l.db.Query(`EXPLAIN QUERY PLAN `+q, acct, "2025-01-01", "2025-06-30", 1920)
		if err != nil {
			t.Fatal(err)
		}
		steps, err := collect(rows, func(row rowScanner) (string, error) {
			var id, parent, unused int
			var detail string
			err := row.Scan(&id, &parent, &unused, &detail)
			return detail, err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			walks := strings.HasPrefix(s, "SCAN ") && !strings.HasPrefix(s, "SCAN (subquery")
			// An index of the history searched by account alone walks it too.
			byDate := strings.Contains(s, "bank_transactions_date") || strings.Contains(s, "postings_account_date")
			walks = walks || byDate && !strings.Contains(s, "date>") && !strings.Contains(s, "date=")
			if walks && !slices.Contains([]string{"SCAN late", "SCAN lines", "SCAN posts", "SCAN match_spans"}, s) {
				t.Errorf("%s walks a table: %q in\n%s", name, s, strings.Join(steps, "\n"))
			}
		}
	}
}

// After the bank account moves to another GL account, an item counts as
// open at a past day when its match holds one of the account's items (its
// bank lines, postings on its GL account now) dated after the day: the same
// whether the match spans ten days or forty.
func TestOpenAtAfterTheGLAccountMoves(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	start := civil.MustParse("2025-03-01")
	err := l.Update(ctx, func(tx *Tx) error {
		for i, gap := range []int{10, 40} {
			if err := addMatchedPair(tx, acct, fmt.Sprint("gap", gap), money.Amount(-100*(i+1)), start, start.AddDays(gap)); err != nil {
				return err
			}
		}
		return tx.ReassignGLAccounts(map[int64]int{acct: 1950})
	})
	if err != nil {
		t.Fatal(err)
	}
	for at := start.AddDays(-1); !at.After(start.AddDays(45)); at = at.AddDays(1) {
		lines, posts := openAtGL(t, l, acct, 1950, start, at)
		want := totalsOf(lines, posts)
		if got, err := l.OpenTotalsAt(ctx, acct, 1950, start, at); err != nil || got != want {
			t.Fatalf("OpenTotalsAt(%s) = %+v, %v; want %+v", at, got, err, want)
		}
	}
}

// addMatchedPair stores a bank line of the account dated lineDay and a
// posting on GL 1920 dated postDay, both with text (unique), and matches
// them by hand.
func addMatchedPair(tx *Tx, acct int64, text string, amount money.Amount, lineDay, postDay civil.Date) error {
	if _, _, err := tx.InsertBankTransactions(acct, 0, []BankTransaction{{TransactionID: text, AccountingDate: lineDay, Amount: amount, Text: text}}); err != nil {
		return err
	}
	v, err := tx.AddVoucher(Voucher{Date: postDay, Description: text, Postings: []Posting{
		{Account: 1920, Amount: amount, Text: text}, {Account: 4000, Amount: -amount}}})
	if err != nil {
		return err
	}
	lines, err := tx.UnmatchedBankLines(acct, civil.Date{})
	if err != nil {
		return err
	}
	line := lines[slices.IndexFunc(lines, func(b ReconcileLine) bool { return b.Text == text })] // read without its transactionId
	_, err = tx.AddMatch("manual", []int64{line.ID}, []int64{v.Postings[0].ID})
	return err
}
