package ledger

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Reconciliation storage: which bank lines are matched against which
// postings on the bank account's GL account. The logic that decides what to
// match lives in core/reconcile; this file holds its SQL.
//
// A posting takes part in reconciliation when it stands on a bank account's
// GL account, is dated on or after the account's start date, and does not
// belong to an opening-balance voucher (source "opening"): the opening
// balance has no bank line, it is compared with the bank's opening balance
// instead (SetOpeningBankBalance).

// Match is a reconciliation: bank lines and postings whose sums agree.
type Match struct {
	ID int64
	// Rule names what made the match: a matcher rule, "manual", or "rule:<id>".
	Rule      string
	CreatedAt time.Time
	BankLines []int64
	Postings  []int64
}

// NewMatch is a match to be stored by AddMatches.
type NewMatch struct {
	Rule      string
	BankLines []int64
	Postings  []int64
	// First and Last are the earliest and the latest date of the items
	// (bank lines' accounting dates, postings' dates): the report at a past
	// day finds the matches made after it by them (migration 8). The
	// caller has the items at hand; AddMatch reads them.
	First, Last civil.Date
}

// Cover widens First and Last to take in an item dated d.
func (m *NewMatch) Cover(d civil.Date) {
	if m.First.IsZero() || d.Before(m.First) {
		m.First = d
	}
	if d.After(m.Last) {
		m.Last = d
	}
}

// keyLastMatch is the setting that holds the highest match number given.
const keyLastMatch = "matches.last_id"

// MatchKey is a canonical name for a set of bank lines and postings, used
// to remember matches the owner rejected or undid: "L1,2|P7,9".
func MatchKey(bankLines, postings []int64) string {
	ids := func(v []int64) string {
		s := append([]int64(nil), v...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		parts := make([]string, len(s))
		for i, id := range s {
			parts[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(parts, ",")
	}
	return "L" + ids(bankLines) + "|P" + ids(postings)
}

// ReconcileLine is a bank line with what the matcher needs to know about it.
type ReconcileLine struct {
	BankTransaction
	// Posted says a voucher has been posted from the line (any posting links
	// to it, reversed or not): a post-and-match rule never posts it again.
	Posted bool
}

// ReconcilePosting is a posting on a bank account's GL account with what the
// matcher needs to know about its voucher.
type ReconcilePosting struct {
	Posting
	// Reverses is the voucher that this posting's voucher reverses (0: none).
	Reverses int64
	// VoucherNumber is the number of the posting's voucher, to tell postings
	// of the same text apart in a list (left 0 where the matcher reads them).
	VoucherNumber int64
}

// UnmatchedBankLines returns the bank account's lines dated on or after
// from that are in no match, oldest first. It reads the open bank lines
// (migration 5), so it costs what is open, not the account's history. To
// keep a run over 100,000 lines fast, only what the matcher compares is
// read: ID, BankAccount, AccountingDate, Amount, Text, KID and Reference
// (BankTransactionDetails reads the rest), and whether it is posted from.
func (tx *Tx) UnmatchedBankLines(bankAccount int64, from civil.Date) ([]ReconcileLine, error) {
	const rows = `open_bank_lines WHERE bank_account = ? AND accounting_date >= ?`
	args := []any{bankAccount, from.String()}
	out, err := sized[ReconcileLine](tx.ctx, tx.tx, rows, args)
	if err != nil {
		return nil, fmt.Errorf("read the unmatched bank lines: %w", err)
	}
	err = gather(tx.ctx, tx.tx, `id, accounting_date, amount, text, kid, reference, posted`, rows, args,
		func(v []driver.Value) error {
			out = append(out, ReconcileLine{})
			t := &out[len(out)-1]
			t.ID, t.BankAccount, t.AccountingDate = valueInt(v[0]), bankAccount, parseISODate(valueString(v[1]))
			t.Amount, t.Text, t.KID, t.Reference = money.Amount(valueInt(v[2])), valueText(v[3]), valueText(v[4]), valueText(v[5])
			t.Posted = valueInt(v[6]) != 0
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the unmatched bank lines: %w", err)
	}
	// The open table is in id order, which is nearly date order: sorting it
	// costs little. (UnmatchedPostings sorts the same way; a shared generic
	// sort with a key function cost 30–80 ms more at 100,000 items.)
	slices.SortFunc(out, func(a, b ReconcileLine) int {
		if c := a.AccountingDate.Compare(b.AccountingDate); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// sized returns an empty slice with room for the rows of a gather: a read
// of 100,000 wide rows that grew its slice copied them over and over.
func sized[T any](ctx context.Context, q querier, rows string, args []any) ([]T, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+rows, args...).Scan(&n); err != nil {
		return nil, err
	}
	return make([]T, 0, n), nil
}

// parseISODate reads a stored YYYY-MM-DD without the cost of time.Parse.
func parseISODate[T string | []byte](b T) civil.Date {
	num := func(b T) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
			n = n*10 + int(b[i]-'0')
		}
		return n, true
	}
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, ok1 := num(b[:4])
		m, ok2 := num(b[5:7])
		d, ok3 := num(b[8:])
		if ok1 && ok2 && ok3 {
			return civil.Date{Year: y, Month: time.Month(m), Day: d}
		}
	}
	date, _ := civil.Parse(string(b))
	return date
}

// UnmatchedPostings returns the postings on the GL account dated on or after
// from that take part in reconciliation and are in no match, oldest first.
// Like UnmatchedBankLines it reads the open postings, and only what the
// matcher compares: ID, Voucher, Account, Date, Amount, KID, Reference,
// BankTransaction and Reverses (Text is left empty).
func (tx *Tx) UnmatchedPostings(glAccount int, from civil.Date) ([]ReconcilePosting, error) {
	return unmatchedPostings(tx.ctx, tx.tx, glAccount, from)
}

// UnmatchedItems returns UnmatchedBankLines and UnmatchedPostings for one
// bank account. While the transaction has changed nothing, the postings are
// read on a second connection as the lines are read in the transaction, on
// two cores: Update began with BEGIN IMMEDIATE, so no one has written since
// it began, and a reader sees just what the transaction sees. (The pool
// must allow a second connection; Open leaves it unlimited.)
func (tx *Tx) UnmatchedItems(bankAccount int64, glAccount int, from civil.Date) ([]ReconcileLine, []ReconcilePosting, error) {
	var changes int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT total_changes()`).Scan(&changes); err != nil {
		return nil, nil, err
	}
	if changes != tx.changes {
		lines, err := tx.UnmatchedBankLines(bankAccount, from)
		if err != nil {
			return nil, nil, err
		}
		posts, err := tx.UnmatchedPostings(glAccount, from)
		return lines, posts, err
	}
	ctx, cancel := context.WithCancel(tx.ctx) // a failed read of the lines stops it
	defer cancel()
	var posts []ReconcilePosting
	var perr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		posts, perr = unmatchedPostings(ctx, tx.l.db, glAccount, from)
	}()
	lines, err := tx.UnmatchedBankLines(bankAccount, from)
	if err != nil {
		cancel()
	}
	<-done
	if err != nil {
		return nil, nil, err
	}
	return lines, posts, perr
}

func unmatchedPostings(ctx context.Context, q querier, glAccount int, from civil.Date) ([]ReconcilePosting, error) {
	const rows = `open_postings WHERE account = ? AND date >= ?`
	args := []any{glAccount, from.String()}
	out, err := sized[ReconcilePosting](ctx, q, rows, args)
	if err != nil {
		return nil, fmt.Errorf("read the unmatched postings on %d: %w", glAccount, err)
	}
	err = gather(ctx, q, `id, voucher, date, amount, kid, reference, bank_transaction, reverses`, rows, args,
		func(v []driver.Value) error {
			out = append(out, ReconcilePosting{})
			p := &out[len(out)-1]
			p.ID, p.Voucher, p.Account, p.Date = valueInt(v[0]), valueInt(v[1]), glAccount, parseISODate(valueString(v[2]))
			p.Amount, p.KID, p.Reference = money.Amount(valueInt(v[3])), valueText(v[4]), valueText(v[5])
			p.BankTransaction, p.Reverses = valueInt(v[6]), valueInt(v[7])
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the unmatched postings on %d: %w", glAccount, err)
	}
	slices.SortFunc(out, func(a, b ReconcilePosting) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// OpenItemsOfVouchers returns the open postings of the given vouchers (on
// bank accounts' GL accounts) and the open bank lines those postings were
// posted from, oldest first, as the transaction sees them and with the
// fields UnmatchedBankLines and UnmatchedPostings give: what posting a line
// or reversing a voucher settles, for the matcher to match at once
// (reconcile.Settle) without reading every open item.
func (tx *Tx) OpenItemsOfVouchers(vouchers []int64) ([]ReconcileLine, []ReconcilePosting, error) {
	if len(vouchers) == 0 {
		return nil, nil, nil
	}
	in := placeholders(len(vouchers))
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, bank_account, accounting_date, amount, text, kid, reference, posted
		FROM open_bank_lines WHERE id IN (SELECT bank_transaction FROM postings WHERE voucher IN (`+in+`))
		ORDER BY accounting_date, id`, args(vouchers)...)
	if err != nil {
		return nil, nil, fmt.Errorf("read the open bank lines of vouchers %v: %w", vouchers, err)
	}
	lines, err := collect(rows, func(row rowScanner) (ReconcileLine, error) {
		var t ReconcileLine
		var date string
		err := row.Scan(&t.ID, &t.BankAccount, &date, &t.Amount, &t.Text, &t.KID, &t.Reference, &t.Posted)
		t.AccountingDate, _ = civil.Parse(date)
		return t, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the open bank lines of vouchers %v: %w", vouchers, err)
	}
	rows, err = tx.tx.QueryContext(tx.ctx, `SELECT o.id, o.voucher, o.account, o.date, o.amount, o.kid, o.reference, o.bank_transaction, o.reverses
		FROM postings p JOIN open_postings o ON o.id = p.id WHERE p.voucher IN (`+in+`)
		ORDER BY o.date, o.id`, args(vouchers)...)
	if err != nil {
		return nil, nil, fmt.Errorf("read the open postings of vouchers %v: %w", vouchers, err)
	}
	posts, err := collect(rows, func(row rowScanner) (ReconcilePosting, error) {
		var p ReconcilePosting
		var date string
		err := row.Scan(&p.ID, &p.Voucher, &p.Account, &date, &p.Amount, &p.KID, &p.Reference, &p.BankTransaction, &p.Reverses)
		p.Date, _ = civil.Parse(date)
		return p, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the open postings of vouchers %v: %w", vouchers, err)
	}
	return lines, posts, nil
}

const reconcilePostingColumns = `p.id, p.voucher, p.account, p.date, p.amount, p.text, p.kid, p.reference,
	coalesce(p.bank_transaction, 0), coalesce(v.reverses, 0), v.number`

func scanReconcilePosting(row rowScanner) (ReconcilePosting, error) {
	var p ReconcilePosting
	var date string
	err := row.Scan(&p.ID, &p.Voucher, &p.Account, &date, &p.Amount, &p.Text, &p.KID, &p.Reference,
		&p.BankTransaction, &p.Reverses, &p.VoucherNumber)
	p.Date, _ = civil.Parse(date)
	return p, err
}

// ReconcileDetails reads every field of the given bank lines and postings,
// as this transaction sees them (for the few items a run proposes).
func (tx *Tx) ReconcileDetails(bankLines, postings []int64) (map[int64]BankTransaction, map[int64]Posting, error) {
	lines := map[int64]BankTransaction{}
	posts := map[int64]Posting{}
	const chunk = 500
	for i := 0; i < len(bankLines); i += chunk {
		ids := bankLines[i:min(i+chunk, len(bankLines))]
		rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions
			WHERE id IN (`+placeholders(len(ids))+`)`, args(ids)...)
		if err != nil {
			return nil, nil, fmt.Errorf("read bank lines: %w", err)
		}
		for rows.Next() {
			t, err := scanBankTransaction(rows)
			if err != nil {
				rows.Close()
				return nil, nil, err
			}
			lines[t.ID] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	for i := 0; i < len(postings); i += chunk {
		ids := postings[i:min(i+chunk, len(postings))]
		rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+postingColumns+` FROM postings
			WHERE id IN (`+placeholders(len(ids))+`)`, args(ids)...)
		if err != nil {
			return nil, nil, fmt.Errorf("read postings: %w", err)
		}
		for rows.Next() {
			p, err := scanPosting(rows)
			if err != nil {
				rows.Close()
				return nil, nil, err
			}
			posts[p.ID] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return lines, posts, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// args turns values into a statement's arguments, for a list in IN (…).
func args[T any](v []T) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// AddMatches stores many matches at once and returns their ids. It is the
// matcher's bulk write: it checks nothing but what SQLite enforces (an item
// is in at most one match, and must be open when it is matched), so a
// caller must only pass matches whose sums agree and whose items belong
// together. People's matches go through AddMatch.
//
// The rows go in in key order: the matches are numbered in the order of
// their first item, and each side's items are written sorted, so SQLite
// appends to its B-trees instead of touching pages all over the file.
func (tx *Tx) AddMatches(ms []NewMatch) (ids []int64, err error) {
	if len(ms) == 0 {
		return nil, nil
	}
	// Numbers are never given twice, also after the newest match is undone
	// (the audit log names matches by number): past the highest in use and
	// past the highest ever given (kept in the settings).
	var next int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT max(coalesce((SELECT max(match) FROM match_bank_lines), 0),
		coalesce((SELECT max(match) FROM match_postings), 0),
		coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0)) + 1`, keyLastMatch).Scan(&next); err != nil {
		return nil, fmt.Errorf("store matches: %w", err)
	}
	if err := tx.SetSetting(keyLastMatch, strconv.FormatInt(next+int64(len(ms))-1, 10)); err != nil {
		return nil, fmt.Errorf("store matches: %w", err)
	}
	// The order: matches with bank lines by their first line, then those
	// of postings only by their first posting (the input's order breaks
	// ties).
	type key struct {
		side  int
		first int64
		i     int
	}
	keys := make([]key, len(ms))
	var nLines, nPosts int
	for i, m := range ms {
		keys[i] = key{2, 0, i}
		if len(m.BankLines) > 0 {
			keys[i] = key{0, slices.Min(m.BankLines), i}
		} else if len(m.Postings) > 0 {
			keys[i] = key{1, slices.Min(m.Postings), i}
		}
		nLines, nPosts = nLines+len(m.BankLines), nPosts+len(m.Postings)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.side != b.side {
			return cmp.Compare(a.side, b.side)
		}
		if a.first != b.first {
			return cmp.Compare(a.first, b.first)
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, len(ms))
	for k, key := range keys {
		order[k] = key.i
	}
	ids = make([]int64, len(ms))
	now := tx.now()
	type span struct {
		match       int64
		first, last civil.Date
	}
	var spans []span // of the matches spanning more than lateWindow days
	for k, i := range order {
		id := next + int64(k)
		ids[i] = id
		m := ms[i]
		if m.First.IsZero() || m.Last.Before(m.First) {
			return nil, fmt.Errorf("store %d matches: match %d (%s) has no dates of its items", len(ms), id, MatchKey(m.BankLines, m.Postings))
		}
		if m.Last.After(m.First.AddDays(lateWindow)) {
			spans = append(spans, span{id, m.First, m.Last})
		}
	}
	rules, err := tx.matchRules(ms)
	if err != nil {
		return nil, fmt.Errorf("store %d matches: %w", len(ms), err)
	}
	// The items, each side sorted by id, are made on another core while
	// SQLite stores the run.
	type item struct{ id, match, rule int64 }
	lines, posts := make([]item, 0, nLines), make([]item, 0, nPosts)
	var lineIDs, postIDs []int64
	itemsDone := make(chan struct{})
	go func() {
		defer close(itemsDone)
		for k, i := range order {
			rule := rules[ms[i].Rule]
			for _, b := range ms[i].BankLines {
				lines = append(lines, item{b, next + int64(k), rule})
			}
			for _, p := range ms[i].Postings {
				posts = append(posts, item{p, next + int64(k), rule})
			}
		}
		sorted := func(items []item) []int64 {
			slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.id, b.id) })
			ids := make([]int64, len(items))
			for i, it := range items {
				ids[i] = it.id
			}
			return ids
		}
		lineIDs, postIDs = sorted(lines), sorted(posts)
	}()
	defer func() { <-itemsDone }() // on every return, the goroutine is done
	// itemFeed is items as a feed of (match, id, rule).
	itemFeed := func(items []item) feed {
		return feed{len(items), func(row, col int) driver.Value {
			switch col {
			case 0:
				return items[row].match
			case 1:
				return items[row].id
			}
			return items[row].rule
		}}
	}
	bulk := nLines+nPosts >= bulkTakeOut
	if bulk {
		restore, derr := tx.dropSchema(bulkDropped)
		if derr != nil {
			return nil, fmt.Errorf("store %d matches: %w", len(ms), derr)
		}
		defer func() { // err and ids are the results: a failed restore fails the store
			if rerr := restore(); rerr != nil && err == nil {
				ids, err = nil, fmt.Errorf("store %d matches: %w", len(ms), rerr)
			}
		}()
	}
	if _, err := tx.exec(`INSERT INTO match_runs (first_match, last_match, created_at) VALUES (?, ?, ?)`,
		next, next+int64(len(ms))-1, now); err != nil {
		return nil, fmt.Errorf("store %d matches: %w", len(ms), err)
	}
	if err := tx.insertFrom(`INSERT INTO match_spans (match, first_day, last_day)`, 3, feed{len(spans), func(row, col int) driver.Value {
		switch col {
		case 0:
			return spans[row].match
		case 1:
			return spans[row].first.String()
		}
		return spans[row].last.String()
	}}); err != nil {
		return nil, fmt.Errorf("store %d matches: %w", len(ms), err)
	}
	<-itemsDone
	if err := tx.insertFrom(`INSERT INTO match_bank_lines (match, bank_transaction, rule)`, 3, itemFeed(lines)); err != nil {
		return nil, fmt.Errorf("store the bank lines of %d matches: %w", len(ms), err)
	}
	if err := tx.insertFrom(`INSERT INTO match_postings (match, posting, rule)`, 3, itemFeed(posts)); err != nil {
		return nil, fmt.Errorf("store the postings of %d matches: %w", len(ms), err)
	}
	if bulk {
		if err := tx.takeOut(openLines, next, lineIDs); err != nil {
			return nil, fmt.Errorf("store the bank lines of %d matches: %w", len(ms), err)
		}
		if err := tx.takeOut(openPostings, next, postIDs); err != nil {
			return nil, fmt.Errorf("store the postings of %d matches: %w", len(ms), err)
		}
	}
	return ids, nil
}

// matchRules returns the number of every rule the matches name, adding
// the rules not named before to match_rules.
func (tx *Tx) matchRules(ms []NewMatch) (map[string]int64, error) {
	rules := map[string]int64{}
	for _, m := range ms {
		if _, ok := rules[m.Rule]; ok {
			continue
		}
		var id int64
		if err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO match_rules (name) VALUES (?)
			ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`, m.Rule).Scan(&id); err != nil {
			return nil, err
		}
		rules[m.Rule] = id
	}
	return rules, nil
}

// Errors of AddMatch that callers may test for with errors.Is.
var (
	ErrAlreadyMatched = errors.New("already matched")
	ErrSumsDisagree   = errors.New("the sums of the bank lines and the postings do not agree")
)

// AddMatch stores one match that a person chose (or accepted) after checking
// that it can stand: every item exists and is open, the bank lines belong to
// one bank account, the postings stand on that account's GL account and take
// part in reconciliation, and the sums agree. One side may be empty when the
// other has at least two items summing to zero (a payment and its reversal).
func (tx *Tx) AddMatch(rule string, bankLines, postings []int64) (int64, error) {
	if len(bankLines)+len(postings) == 0 {
		return 0, errors.New("choose at least one bank line or posting to match")
	}
	if (len(bankLines) == 0 || len(postings) == 0) && len(bankLines)+len(postings) < 2 {
		return 0, errors.New("one item alone cannot be matched: choose what it matches on the other side")
	}
	seen := map[string]bool{}
	for _, id := range bankLines {
		k := "L" + strconv.FormatInt(id, 10)
		if seen[k] {
			return 0, fmt.Errorf("bank line %d is chosen twice", id)
		}
		seen[k] = true
	}
	for _, id := range postings {
		k := "P" + strconv.FormatInt(id, 10)
		if seen[k] {
			return 0, fmt.Errorf("posting %d is chosen twice", id)
		}
		seen[k] = true
	}
	var bankAccount int64
	var lineSum, postingSum money.Amount
	var firstLine string
	if rule == "" {
		rule = "manual"
	}
	nm := NewMatch{Rule: rule, BankLines: bankLines, Postings: postings} // its dates as the items are read
	for _, id := range bankLines {
		var acct int64
		var amount money.Amount
		var date, text string
		var match sql.NullInt64
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT bt.bank_account, bt.amount, bt.accounting_date, bt.text, m.match
			FROM bank_transactions bt LEFT JOIN match_bank_lines m ON m.bank_transaction = bt.id WHERE bt.id = ?`, id).
			Scan(&acct, &amount, &date, &text, &match)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("bank line %d: %w", id, ErrNoSuchRecord)
		}
		if err != nil {
			return 0, fmt.Errorf("read bank line %d: %w", id, err)
		}
		if match.Valid {
			return 0, fmt.Errorf("bank line %d (%s, %s, %q) is %w in match %d", id, date, amount, text, ErrAlreadyMatched, match.Int64)
		}
		if bankAccount != 0 && acct != bankAccount {
			return 0, errors.New("the bank lines belong to different bank accounts: a match stays within one account")
		}
		bankAccount = acct
		lineSum += amount
		if firstLine == "" || date < firstLine {
			firstLine = date
		}
		nm.Cover(parseISODate([]byte(date)))
	}
	var gl int
	var start string
	if bankAccount != 0 {
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT gl_account, coalesce(start_date, '') FROM bank_accounts WHERE id = ?`,
			bankAccount).Scan(&gl, &start); err != nil {
			return 0, fmt.Errorf("read bank account %d: %w", bankAccount, err)
		}
		if firstLine < start {
			return 0, fmt.Errorf("a bank line is dated %s, before the reconciliation start date %s", firstLine, start)
		}
	}
	for _, id := range postings {
		var account int
		var amount money.Amount
		var date, source string
		var match sql.NullInt64
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT p.account, p.amount, p.date, v.source, m.match
			FROM postings p JOIN vouchers v ON v.id = p.voucher
			LEFT JOIN match_postings m ON m.posting = p.id WHERE p.id = ?`, id).
			Scan(&account, &amount, &date, &source, &match)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("posting %d: %w", id, ErrNoSuchRecord)
		}
		if err != nil {
			return 0, fmt.Errorf("read posting %d: %w", id, err)
		}
		if match.Valid {
			return 0, fmt.Errorf("posting %d (%s, %s on %d) is %w in match %d", id, date, amount, account, ErrAlreadyMatched, match.Int64)
		}
		if source == "opening" {
			return 0, fmt.Errorf("posting %d is an opening balance: it is compared with the bank's opening balance, not matched", id)
		}
		if gl == 0 {
			err := tx.tx.QueryRowContext(tx.ctx, `SELECT gl_account, coalesce(start_date, '') FROM bank_accounts WHERE gl_account = ?`,
				account).Scan(&gl, &start)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, fmt.Errorf("posting %d stands on account %d, which belongs to no bank account: only postings on a bank account's GL account are reconciled", id, account)
			}
			if err != nil {
				return 0, fmt.Errorf("read the bank account of %d: %w", account, err)
			}
		}
		if account != gl {
			return 0, fmt.Errorf("posting %d stands on account %d, not on the bank account's GL account %d", id, account, gl)
		}
		if date < start {
			return 0, fmt.Errorf("posting %d is dated %s, before the reconciliation start date %s", id, date, start)
		}
		postingSum += amount
		nm.Cover(parseISODate([]byte(date)))
	}
	if lineSum != postingSum {
		return 0, fmt.Errorf("%w: bank lines %s, postings %s (difference %s)", ErrSumsDisagree, lineSum, postingSum, lineSum-postingSum)
	}
	ids, err := tx.AddMatches([]NewMatch{nm})
	if err != nil {
		return 0, err
	}
	if err := tx.Audit("match.add", fmt.Sprintf("match %d (%s): %s, %s", ids[0], rule, MatchKey(bankLines, postings), lineSum)); err != nil {
		return 0, err
	}
	return ids[0], nil
}

// DeleteMatch undoes a match: its bank lines and postings are open again.
// The audit log keeps what it was.
func (tx *Tx) DeleteMatch(id int64) (Match, error) {
	m, err := readMatch(tx.ctx, tx.tx, id)
	if err != nil {
		return Match{}, err
	}
	for _, q := range []string{`DELETE FROM match_bank_lines WHERE match = ?`, `DELETE FROM match_postings WHERE match = ?`,
		`DELETE FROM match_spans WHERE match = ?`} {
		if _, err := tx.exec(q, id); err != nil { // the items are open again (triggers match_*_free)
			return Match{}, fmt.Errorf("undo match %d: %w", id, err)
		}
	}
	if err := tx.Audit("match.delete", fmt.Sprintf("match %d (%s): %s", id, m.Rule, MatchKey(m.BankLines, m.Postings))); err != nil {
		return Match{}, err
	}
	return m, nil
}

// Match returns one match with its items.
func (l *Ledger) Match(ctx context.Context, id int64) (Match, error) {
	return readMatch(ctx, l.db, id)
}

// createdAt is, in a query, when the match numbered by the expression
// match was made: the time of the run that gave its number (empty for none;
// migration 9).
func createdAt(match string) string {
	return `coalesce((SELECT CASE WHEN u.last_match >= ` + match + ` THEN u.created_at END FROM match_runs u
		WHERE u.first_match <= ` + match + ` ORDER BY u.first_match DESC LIMIT 1), '')`
}

func readMatch(ctx context.Context, q querier, id int64) (Match, error) {
	m := Match{ID: id}
	var at string
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT name FROM match_rules WHERE id = x.rule), '?'), `+createdAt("?1")+`
		FROM (SELECT coalesce((SELECT rule FROM match_bank_lines WHERE match = ?1 LIMIT 1),
			(SELECT rule FROM match_postings WHERE match = ?1 LIMIT 1)) AS rule) x
		WHERE x.rule IS NOT NULL`, id).Scan(&m.Rule, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Match{}, fmt.Errorf("match %d: %w", id, ErrNoSuchRecord)
	}
	if err != nil {
		return Match{}, fmt.Errorf("read match %d: %w", id, err)
	}
	m.CreatedAt, _ = time.Parse(time.RFC3339Nano, at)
	for _, side := range []struct {
		query string
		dst   *[]int64
	}{
		{`SELECT bank_transaction FROM match_bank_lines WHERE match = ? ORDER BY bank_transaction`, &m.BankLines},
		{`SELECT posting FROM match_postings WHERE match = ? ORDER BY posting`, &m.Postings},
	} {
		rows, err := q.QueryContext(ctx, side.query, id)
		if err != nil {
			return Match{}, fmt.Errorf("read match %d: %w", id, err)
		}
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return Match{}, err
			}
			*side.dst = append(*side.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return Match{}, err
		}
	}
	return m, nil
}

// matchesOfAccount selects the matches (id, rule) holding a bank line of
// bank account ?1 or a posting on its GL account.
const matchesOfAccount = `SELECT mb.match AS id, mb.rule FROM match_bank_lines mb JOIN bank_transactions bt ON bt.id = mb.bank_transaction
	WHERE bt.bank_account = ?1
	UNION
	SELECT mp.match, mp.rule FROM match_postings mp JOIN postings p ON p.id = mp.posting
	WHERE p.account = (SELECT gl_account FROM bank_accounts WHERE id = ?1)`

// Matches returns every match of the bank account (holding one of its bank
// lines or a posting on its GL account), oldest first.
func (l *Ledger) Matches(ctx context.Context, bankAccount int64) ([]Match, error) {
	const ofAccount = `SELECT id FROM (` + matchesOfAccount + `)`
	rows, err := l.db.QueryContext(ctx, `SELECT m.id, coalesce(r.name, '?'),
			`+createdAt("m.id")+`
		FROM (`+matchesOfAccount+`) m LEFT JOIN match_rules r ON r.id = m.rule ORDER BY m.id`, bankAccount)
	if err != nil {
		return nil, fmt.Errorf("read the matches of bank account %d: %w", bankAccount, err)
	}
	var out []Match
	index := map[int64]int{}
	for rows.Next() {
		var m Match
		var at string
		if err := rows.Scan(&m.ID, &m.Rule, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the matches of bank account %d: %w", bankAccount, err)
		}
		m.CreatedAt, _ = time.Parse(time.RFC3339Nano, at)
		index[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, side := range []struct {
		query string
		posts bool
	}{
		{`SELECT match, bank_transaction FROM match_bank_lines WHERE match IN (` + ofAccount + `) ORDER BY bank_transaction`, false},
		{`SELECT match, posting FROM match_postings WHERE match IN (` + ofAccount + `) ORDER BY posting`, true},
	} {
		rows, err := l.db.QueryContext(ctx, side.query, bankAccount)
		if err != nil {
			return nil, fmt.Errorf("read the matches of bank account %d: %w", bankAccount, err)
		}
		for rows.Next() {
			var m, item int64
			if err := rows.Scan(&m, &item); err != nil {
				rows.Close()
				return nil, err
			}
			i, ok := index[m]
			switch {
			case !ok: // made after the first query
			case side.posts:
				out[i].Postings = append(out[i].Postings, item)
			default:
				out[i].BankLines = append(out[i].BankLines, item)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MatchOfBankLine returns the id of the match holding the bank line (0: open).
func (l *Ledger) MatchOfBankLine(ctx context.Context, bankTransaction int64) (int64, error) {
	return matchOf(ctx, l.db, matchOfBankLineQuery, bankTransaction)
}

// MatchOfPosting returns the id of the match holding the posting (0: open).
func (l *Ledger) MatchOfPosting(ctx context.Context, posting int64) (int64, error) {
	return matchOf(ctx, l.db, matchOfPostingQuery, posting)
}

// MatchOfBankLine is Ledger.MatchOfBankLine as the transaction sees it.
func (tx *Tx) MatchOfBankLine(bankTransaction int64) (int64, error) {
	return matchOf(tx.ctx, tx.tx, matchOfBankLineQuery, bankTransaction)
}

// MatchOfPosting is Ledger.MatchOfPosting as the transaction sees it.
func (tx *Tx) MatchOfPosting(posting int64) (int64, error) {
	return matchOf(tx.ctx, tx.tx, matchOfPostingQuery, posting)
}

const (
	matchOfBankLineQuery = `SELECT match FROM match_bank_lines WHERE bank_transaction = ?`
	matchOfPostingQuery  = `SELECT match FROM match_postings WHERE posting = ?`
)

func matchOf(ctx context.Context, q querier, query string, id int64) (int64, error) {
	var m int64
	err := q.QueryRowContext(ctx, query, id).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return m, err
}

// MatchedVouchers returns, for each of the given bank lines that is
// matched against postings, the numbers of those postings' vouchers,
// lowest first: what a person needs to find what the line is reconciled
// against. A line that is open, or matched against other bank lines only,
// is left out.
func (l *Ledger) MatchedVouchers(ctx context.Context, bankLines []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(bankLines) == 0 {
		return out, nil
	}
	rows, err := l.db.QueryContext(ctx, `SELECT DISTINCT mb.bank_transaction, v.number
		FROM match_bank_lines mb JOIN match_postings mp ON mp.match = mb.match
		JOIN postings p ON p.id = mp.posting JOIN vouchers v ON v.id = p.voucher
		WHERE mb.bank_transaction IN (`+placeholders(len(bankLines))+`)
		ORDER BY mb.bank_transaction, v.number`, args(bankLines)...)
	if err != nil {
		return nil, fmt.Errorf("read what the bank lines are matched against: %w", err)
	}
	err = each(rows, func(row rowScanner) ([2]int64, error) {
		var r [2]int64
		return r, row.Scan(&r[0], &r[1])
	}, func(r [2]int64) error {
		out[r[0]] = append(out[r[0]], r[1])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read what the bank lines are matched against: %w", err)
	}
	return out, nil
}

// MatchSummary counts the matches of a bank account by rule.
type MatchSummary struct {
	Rule    string
	Matches int
}

// MatchesByRule counts the bank account's matches (those holding one of its
// bank lines or a posting on its GL account) per rule.
func (l *Ledger) MatchesByRule(ctx context.Context, bankAccount int64) ([]MatchSummary, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT coalesce(r.name, '?') AS name, count(*) FROM (`+matchesOfAccount+`) m
		LEFT JOIN match_rules r ON r.id = m.rule GROUP BY name ORDER BY name`, bankAccount)
	if err != nil {
		return nil, fmt.Errorf("count the matches of bank account %d: %w", bankAccount, err)
	}
	defer rows.Close()
	var out []MatchSummary
	for rows.Next() {
		var s MatchSummary
		if err := rows.Scan(&s.Rule, &s.Matches); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// rejectedPrefix marks, in the settings table, matches the owner rejected as
// suggestions or undid: the matcher never makes them again by itself.
const rejectedPrefix = "reconcile.rejected:"

// RejectMatch records that the matcher must not propose or make the match
// named by key (MatchKey) again. A person may still make it by hand.
func (tx *Tx) RejectMatch(key string) error {
	if err := tx.SetSetting(rejectedPrefix+key, tx.now()); err != nil {
		return fmt.Errorf("remember the rejected match %s: %w", key, err)
	}
	return nil
}

// RejectedMatches returns the keys recorded by RejectMatch.
func (tx *Tx) RejectedMatches() (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT key FROM settings WHERE key >= ? AND key < ?`,
		rejectedPrefix, rejectedPrefix[:len(rejectedPrefix)-1]+";")
	if err != nil {
		return nil, fmt.Errorf("read the rejected matches: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(k, rejectedPrefix)] = true
	}
	return out, rows.Err()
}

func openingKey(bankAccount int64) string {
	return "bank_opening_balance:" + strconv.FormatInt(bankAccount, 10)
}

// SetOpeningBankBalance records the bank's booked balance of the account at
// the end of the day before its reconciliation start date. The ledger holds
// the bank's lines only from the start date, so the bank balance on any later
// day is this balance plus the stored lines through that day. Onboarding
// records it when it sets or moves the start date.
func (tx *Tx) SetOpeningBankBalance(bankAccount int64, balance money.Amount) error {
	if err := tx.SetSetting(openingKey(bankAccount), strconv.FormatInt(int64(balance), 10)); err != nil {
		return fmt.Errorf("record the bank's opening balance of bank account %d: %w", bankAccount, err)
	}
	return tx.Audit("bank.opening_balance", fmt.Sprintf("bank account %d: %s", bankAccount, balance))
}

// OpeningBankBalance returns what SetOpeningBankBalance recorded, and false
// when nothing is recorded.
func (l *Ledger) OpeningBankBalance(ctx context.Context, bankAccount int64) (money.Amount, bool, error) {
	v, err := l.Setting(ctx, openingKey(bankAccount))
	if err != nil {
		return 0, false, fmt.Errorf("read the bank's opening balance of bank account %d: %w", bankAccount, err)
	}
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("the bank's opening balance of bank account %d is damaged (%q)", bankAccount, v)
	}
	return money.Amount(n), true, nil
}

// lateWindow is how many days apart the items of most matches lie at most:
// the late matches for a day are found from the items dated in the
// lateWindow days after it, and those spanning more from match_spans
// (migration 8).
const lateWindow = 31

// lateDays is lateWindow for SQLite's date() (and migration 8's HAVING).
const lateDays = "31 days"

// lateMatches names, for a bank account (?1) with its GL account (?4) and
// a day (?3), the matches late for the day: holding one of the account's
// items (its bank lines, postings on ?4) dated after the day, so that their
// items on or before it were still open then. A late match spanning up to
// lateWindow days has such an item in the lateWindow days after the day;
// it is found from those (with matches whose items all came after the day,
// which hold nothing the queries count). The longer ones are read from
// match_spans, few, and kept when they hold such an item too. Reading them
// costs a month of the account's items, however long the books' history
// before or after the day.
const lateMatches = `late(match) AS MATERIALIZED (
		SELECT x.match FROM bank_transactions y CROSS JOIN match_bank_lines x ON x.bank_transaction = y.id
		WHERE y.bank_account = ?1 AND y.accounting_date > ?3 AND y.accounting_date <= date(?3, '+` + lateDays + `')
		UNION
		SELECT x.match FROM postings y CROSS JOIN match_postings x ON x.posting = y.id
		WHERE y.account = ?4 AND y.date > ?3 AND y.date <= date(?3, '+` + lateDays + `')
		UNION
		SELECT match FROM match_spans WHERE first_day <= ?3 AND last_day > ?3 AND (
			EXISTS (SELECT 1 FROM match_bank_lines x JOIN bank_transactions y ON y.id = x.bank_transaction
				WHERE x.match = match_spans.match AND y.bank_account = ?1 AND y.accounting_date > ?3)
			OR EXISTS (SELECT 1 FROM match_postings x JOIN postings y ON y.id = x.posting
				WHERE x.match = match_spans.match AND y.account = ?4 AND y.date > ?3)))`

// DaySum is the sum of one day's amounts.
type DaySum struct {
	Date civil.Date
	Sum  money.Amount
}

// BankDaySums returns, per day in [from, to] that has lines, the sum of the
// bank account's stored lines, oldest first (from the per-day totals: it
// costs the days of the period, not its lines).
func (l *Ledger) BankDaySums(ctx context.Context, bankAccount int64, from, to civil.Date) ([]DaySum, error) {
	return daySums(ctx, l.db, `SELECT date, amount FROM bank_day_totals
		WHERE bank_account = ? AND date BETWEEN ? AND ? ORDER BY date`,
		bankAccount, from.String(), to.String())
}

// PostingDaySums returns, per day in [from, to] that has postings, the sum
// of the postings on the GL account, oldest first (from the per-day
// totals). With openingOnly it sums only postings of opening-balance
// vouchers, read from those vouchers (CROSS JOIN keeps that order; there
// are few).
func (l *Ledger) PostingDaySums(ctx context.Context, glAccount int, from, to civil.Date, openingOnly bool) ([]DaySum, error) {
	if openingOnly {
		return daySums(ctx, l.db, `SELECT p.date, sum(p.amount) FROM vouchers v CROSS JOIN postings p ON p.voucher = v.id
			WHERE v.source = 'opening' AND +p.account = ? AND +p.date BETWEEN ? AND ? GROUP BY p.date ORDER BY p.date`,
			glAccount, from.String(), to.String())
	}
	return daySums(ctx, l.db, `SELECT date, amount FROM posting_day_totals
		WHERE account = ? AND date BETWEEN ? AND ? ORDER BY date`,
		glAccount, from.String(), to.String())
}

func daySums(ctx context.Context, q querier, query string, args ...any) ([]DaySum, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sum amounts per day: %w", err)
	}
	defer rows.Close()
	var out []DaySum
	for rows.Next() {
		var d string
		var s DaySum
		if err := rows.Scan(&d, &s.Sum); err != nil {
			return nil, fmt.Errorf("sum amounts per day: %w", err)
		}
		s.Date, _ = civil.Parse(d)
		out = append(out, s)
	}
	return out, rows.Err()
}

// bulkTakeOut is how many matched items AddMatches stores before it takes
// them out of the open items a table at a time rather than one by one (a
// matcher run over a year of a busy account; BenchmarkMatch100k). It drops
// bulkDropped for the write and puts it back after, in the same
// transaction: the open tables' indexes (one build over what stays open
// costs less than taking every item out of each index) and the triggers
// that take each matched item out (takeOut does their work).
var bulkTakeOut = 5_000

const bulkDropped = `type = 'index' AND tbl_name IN ('open_bank_lines', 'open_postings')
	OR type = 'trigger' AND name IN ('match_bank_lines_take', 'match_postings_take')`

// openSide is an open table and the table of matched items that takes from
// it (migration 5).
type openSide struct{ open, matched, key, refusal string }

var (
	openLines    = openSide{"open_bank_lines", "match_bank_lines", "bank_transaction", "a bank line cannot be matched: it is not an open bank line"}
	openPostings = openSide{"open_postings", "match_postings", "posting", "a posting cannot be matched: it is not an open posting on a bank account's GL account"}
)

// takeOut does for a bulk write what the triggers match_*_take do item by
// item: it takes the items just matched (ids, sorted; in matches numbered
// from first on) out of the open table, and refuses the write unless all of
// them were there. When they are most of the table, what stays open is
// copied aside, the table emptied in one step (SQLite's truncate) and the
// rest put back: in a run over a year of a busy account, 10,000 rows moved
// instead of 90,000 deleted.
func (tx *Tx) takeOut(side openSide, first int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var open int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM `+side.open).Scan(&open); err != nil {
		return fmt.Errorf("count the %s: %w", side.open, err)
	}
	if 2*len(ids) < open { // fewer to take out than to put back
		res, err := tx.exec(`DELETE FROM `+side.open+` WHERE id IN (SELECT `+side.key+` FROM `+side.matched+` WHERE match >= ?)`, first)
		if err != nil {
			return err
		}
		if gone, _ := res.RowsAffected(); gone != int64(len(ids)) {
			return errors.New(side.refusal)
		}
		return nil
	}
	// What stays open is copied aside in one pass over the table, which
	// also counts the items found in it.
	for _, q := range []string{`DROP TABLE IF EXISTS temp.kept`, `CREATE TEMP TABLE kept AS SELECT * FROM ` + side.open + ` WHERE 0`} {
		if _, err := tx.exec(q); err != nil {
			return err
		}
	}
	found, err := withSet(ids, func(set int64) error {
		_, err := tx.exec(`INSERT INTO temp.kept SELECT * FROM `+side.open+` WHERE NOT `+inFunc+`(?, id)`, set)
		return err
	})
	if err != nil {
		return err
	}
	if found != int64(len(ids)) {
		tx.exec(`DROP TABLE temp.kept`) // the write is refused either way
		return errors.New(side.refusal)
	}
	for _, q := range []string{`DELETE FROM ` + side.open, `INSERT INTO ` + side.open + ` SELECT * FROM temp.kept`, `DROP TABLE temp.kept`} {
		if _, err := tx.exec(q); err != nil {
			return err
		}
	}
	return nil
}

// dropSchema drops the indexes and triggers that where selects from
// sqlite_schema and returns what creates them again, the same, in this
// transaction.
func (tx *Tx) dropSchema(where string) (restore func() error, err error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE sql IS NOT NULL AND (`+where+`) ORDER BY type, name`)
	if err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	type object struct{ kind, name, def string }
	objs, err := collect(rows, func(row rowScanner) (object, error) {
		var o object
		err := row.Scan(&o.kind, &o.name, &o.def)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	for _, o := range objs {
		if _, err := tx.exec(`DROP ` + strings.ToUpper(o.kind) + ` "` + o.name + `"`); err != nil {
			return nil, fmt.Errorf("drop %s %s: %w", o.kind, o.name, err)
		}
	}
	return func() error {
		for _, o := range objs {
			if _, err := tx.exec(o.def); err != nil {
				return fmt.Errorf("create %s %s again: %w", o.kind, o.name, err)
			}
		}
		return nil
	}, nil
}
