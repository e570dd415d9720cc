package ledger

import (
	"context"
	"fmt"
	"strings"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// OpenTotals counts and sums what is open on one bank account from a date:
// its open bank lines and the open postings on its GL account.
type OpenTotals struct {
	Lines       int
	LinesSum    money.Amount
	Postings    int
	PostingsSum money.Amount
}

// OpenTotals reads the counts and sums of the bank account's open items
// dated on or after from, from the open-item tables (migration 5).
func (l *Ledger) OpenTotals(ctx context.Context, bankAccount int64, glAccount int, from civil.Date) (OpenTotals, error) {
	var t OpenTotals
	err := l.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date >= ?3),
		(SELECT coalesce(sum(amount), 0) FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date >= ?3),
		(SELECT count(*) FROM open_postings WHERE account = ?2 AND date >= ?3),
		(SELECT coalesce(sum(amount), 0) FROM open_postings WHERE account = ?2 AND date >= ?3)`,
		bankAccount, glAccount, from.String()).Scan(&t.Lines, &t.LinesSum, &t.Postings, &t.PostingsSum)
	if err != nil {
		return t, fmt.Errorf("count the open items: %w", err)
	}
	return t, nil
}

// UnpostedLines counts the bank account's lines dated in [from, before)
// that are neither matched nor posted, and sums them: what the morning
// screen, which shows the last days only, says is left from before them.
func (l *Ledger) UnpostedLines(ctx context.Context, bankAccount int64, from, before civil.Date) (int, money.Amount, error) {
	var n int
	var sum money.Amount
	err := l.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(amount), 0) FROM open_bank_lines
		WHERE bank_account = ? AND accounting_date >= ? AND accounting_date < ? AND posted = 0`,
		bankAccount, from.String(), before.String()).Scan(&n, &sum)
	if err != nil {
		return 0, 0, fmt.Errorf("count the lines not posted: %w", err)
	}
	return n, sum, nil
}

// OpenFilter narrows the open items the manual matching lists show to
// those a search finds, as the Bank screen's search does (Search): every
// word of Text as a word or the start of one in the item's text,
// counterparty, KID, reference (any case, with or without accents:
// "gardeier" finds "GÅRDEIER AS"), or the amount Text reads as, in or out.
// An empty filter lets every item through.
type OpenFilter struct {
	Text string
}

// args are the filter's query arguments: an FTS5 query ("" for none) and
// the amount's size (NULL for none), and whether it filters at all.
func (f OpenFilter) args() (match, amount any, filtered bool) {
	q := parseSearch(f.Text)
	if len([]rune(strings.TrimSpace(f.Text))) < 2 {
		// One letter is every word that starts with it: at a million lines
		// a second's read that narrows nothing. Words start at two.
		q.match = ""
	}
	match = q.match
	if q.hasAmount {
		amount = int64(q.amount)
	}
	return match, amount, q.match != "" || q.hasAmount
}

// openLineIDs and openPostingIDs select the ids of the open items of ?1
// (openPostingIDs: of the GL account in the parameter named by account)
// dated on or after ?2, to be ordered by the caller; filtered, those that pass
// the filter (?3 FTS query, ?4 amount; see OpenFilter.args). Unfiltered,
// only the open table is read (?3 and ?4 are then bound and unused).
func openLineIDs(filtered bool) string {
	if !filtered {
		return `SELECT o.id FROM open_bank_lines o WHERE o.bank_account = ?1 AND o.accounting_date >= ?2`
	}
	return `SELECT o.id FROM open_bank_lines o WHERE o.bank_account = ?1 AND o.accounting_date >= ?2
		AND ((?3 <> '' AND o.id IN (SELECT rowid FROM bank_search WHERE bank_search MATCH ?3)) OR abs(o.amount) = ?4)`
}

func openPostingIDs(account string, filtered bool) string {
	if !filtered {
		return `SELECT o.id FROM open_postings o WHERE o.account = ` + account + ` AND o.date >= ?2`
	}
	return `SELECT o.id FROM open_postings o WHERE o.account = ` + account + ` AND o.date >= ?2
		AND ((?3 <> '' AND o.id IN (SELECT rowid FROM posting_search WHERE posting_search MATCH ?3)) OR abs(o.amount) = ?4)`
}

// OpenBankLinesPage returns limit of the bank account's open lines dated on
// or after from that pass f, oldest first, skipping the first offset: the
// Reconciliation screen's list reads what it shows, not every open line.
func (l *Ledger) OpenBankLinesPage(ctx context.Context, bankAccount int64, from civil.Date, f OpenFilter, offset, limit int) ([]BankTransaction, error) {
	match, amount, filtered := f.args()
	rows, err := l.db.QueryContext(ctx, `SELECT `+bankTransactionColumns+` FROM bank_transactions
		WHERE id IN (`+openLineIDs(filtered)+`
			ORDER BY o.accounting_date, o.id LIMIT ?5 OFFSET ?6)
		ORDER BY accounting_date, id`, bankAccount, from.String(), match, amount, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read the open bank lines: %w", err)
	}
	return collect(rows, scanBankTransaction)
}

// OpenPostingsPage is OpenBankLinesPage for the open postings on a GL account.
func (l *Ledger) OpenPostingsPage(ctx context.Context, glAccount int, from civil.Date, f OpenFilter, offset, limit int) ([]ReconcilePosting, error) {
	match, amount, filtered := f.args()
	rows, err := l.db.QueryContext(ctx, `SELECT `+reconcilePostingColumns+`
		FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE p.id IN (`+openPostingIDs("?1", filtered)+`
			ORDER BY o.date, o.id LIMIT ?5 OFFSET ?6)
		ORDER BY p.date, p.id`, glAccount, from.String(), match, amount, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("read the open postings on %d: %w", glAccount, err)
	}
	return collect(rows, scanReconcilePosting)
}

// OpenCounts counts the bank account's open lines and the open postings on
// its GL account dated on or after from that pass f: the lengths of the
// manual matching lists.
func (l *Ledger) OpenCounts(ctx context.Context, bankAccount int64, glAccount int, from civil.Date, f OpenFilter) (lines, postings int, err error) {
	match, amount, filtered := f.args()
	err = l.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM (`+openLineIDs(filtered)+`)),
		(SELECT count(*) FROM (`+openPostingIDs("?5", filtered)+`))`,
		bankAccount, from.String(), match, amount, glAccount).Scan(&lines, &postings)
	if err != nil {
		return 0, 0, fmt.Errorf("count the open items: %w", err)
	}
	return lines, postings, nil
}

// OpenTotalsAt counts and sums the bank account's open items at the end of
// day at (openLinesAt, and openPostingsAt on its GL account) without
// reading them: the reconciliation report's figures. It costs what is open
// and about a month of matches, not the books' history.
func (l *Ledger) OpenTotalsAt(ctx context.Context, bankAccount int64, glAccount int, from, at civil.Date) (OpenTotals, error) {
	var t OpenTotals
	if at.Before(from) {
		return t, nil // the late matches would be read for nothing
	}
	err := l.db.QueryRowContext(ctx, openTotalsAt,
		bankAccount, from.String(), at.String(), glAccount).Scan(&t.Lines, &t.LinesSum, &t.Postings, &t.PostingsSum)
	if err != nil {
		return t, fmt.Errorf("count the open items on %s: %w", at, err)
	}
	return t, nil
}

// openLinesAt and openPostingsAt select, after WITH lateMatches, the bank
// account's (?1) lines and the GL account's (?4) postings that take part
// in reconciliation, dated in [?2, ?3] and open at the end of ?3: in no
// match, or in a match that also holds an item dated after ?3 (at that day
// the other side had not happened yet). They read the open items and the
// late matches, so they cost what is open and about a month of matches,
// however long the history: the late matches are materialized and read
// first (CROSS JOIN keeps that order; without it SQLite 3.54 walks every
// matched item), and the unary + keeps SQLite from walking the account's
// items by date instead.
const (
	openLinesAt = `bt.id IN (
			SELECT id FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date BETWEEN ?2 AND ?3
			UNION
			SELECT x.bank_transaction FROM late CROSS JOIN match_bank_lines x ON x.match = late.match)
		AND +bt.bank_account = ?1 AND +bt.accounting_date BETWEEN ?2 AND ?3`
	openPostingsAt = `p.id IN (
			SELECT id FROM open_postings WHERE account = ?4 AND date BETWEEN ?2 AND ?3
			UNION
			SELECT x.posting FROM late CROSS JOIN match_postings x ON x.match = late.match)
		AND +p.account = ?4 AND +p.date BETWEEN ?2 AND ?3 AND v.source <> 'opening'`
)

// openTotalsAt counts and sums what openLinesAt and openPostingsAt select
// (OpenTotalsAt): an item is open at the end of ?3 if it is in no match
// (the open-item tables) or in a late match; the two never hold the same
// item, and late holds each match once, so the counts add up.
const openTotalsAt = `WITH ` + lateMatches + `,
		lines(amount) AS (
			SELECT amount FROM open_bank_lines WHERE bank_account = ?1 AND accounting_date BETWEEN ?2 AND ?3
			UNION ALL
			SELECT bt.amount FROM late CROSS JOIN match_bank_lines x ON x.match = late.match
				CROSS JOIN bank_transactions bt ON bt.id = x.bank_transaction
			WHERE +bt.bank_account = ?1 AND +bt.accounting_date BETWEEN ?2 AND ?3),
		posts(amount) AS (
			SELECT amount FROM open_postings WHERE account = ?4 AND date BETWEEN ?2 AND ?3
			UNION ALL
			SELECT p.amount FROM late CROSS JOIN match_postings x ON x.match = late.match
				CROSS JOIN postings p ON p.id = x.posting JOIN vouchers v ON v.id = p.voucher
			WHERE +p.account = ?4 AND +p.date BETWEEN ?2 AND ?3 AND v.source <> 'opening')
		SELECT * FROM (SELECT count(*), coalesce(sum(amount), 0) FROM lines),
			(SELECT count(*), coalesce(sum(amount), 0) FROM posts)`

// openItemsAt reads them, bank lines first, by date (EachOpenItemAt).
const openItemsAt = `WITH ` + lateMatches + `
		SELECT 0, bt.id, bt.accounting_date, bt.amount, bt.text FROM bank_transactions bt
		WHERE ` + openLinesAt + `
		UNION ALL
		SELECT 1, p.id, p.date, p.amount, p.text FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE ` + openPostingsAt + `
		ORDER BY 1, 3, 2`

// OpenItem is an open bank line or posting as the reconciliation report
// lists it.
type OpenItem struct {
	// Posting says the item is a posting on the GL account, not a bank line.
	Posting bool
	ID      int64
	Date    civil.Date
	Amount  money.Amount
	Text    string
}

// EachOpenItemAt hands fn the bank account's open bank lines and then the
// open postings on its GL account at the end of day at (openLinesAt,
// openPostingsAt), oldest first on each side, as it reads them: one query that
// looks for the late matches once, and a million open items cost no more
// memory than one. fn must not use the ledger; an error from it stops the
// reading and is returned.
func (l *Ledger) EachOpenItemAt(ctx context.Context, bankAccount int64, glAccount int, from, at civil.Date, fn func(OpenItem) error) error {
	if at.Before(from) {
		return nil
	}
	rows, err := l.db.QueryContext(ctx, openItemsAt, bankAccount, from.String(), at.String(), glAccount)
	if err != nil {
		return fmt.Errorf("read the open items: %w", err)
	}
	return each(rows, func(row rowScanner) (OpenItem, error) {
		var it OpenItem
		var date string
		err := row.Scan(&it.Posting, &it.ID, &date, &it.Amount, &it.Text)
		it.Date, _ = civil.Parse(date)
		return it, err
	}, fn)
}
