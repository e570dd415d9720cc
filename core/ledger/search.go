package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"unicode"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// HitKind says what a search hit is.
type HitKind int

// The kinds of search hits.
const (
	HitBankLine HitKind = iota
	HitPosting
)

// SearchHit is one bank line or posting that a search found.
type SearchHit struct {
	Kind HitKind
	// ID is the bank line's or the posting's id.
	ID int64
	// BankAccount is the bank line's bank account (bank lines only).
	BankAccount int64
	// Account is the posting's GL account (postings only).
	Account int
	// Voucher is the posting's voucher number (postings only).
	Voucher      int64
	Date         civil.Date
	Amount       money.Amount
	Text         string
	Counterparty string
	KID          string
	// Posted says a live (not reversed) voucher posts the bank line (bank
	// lines only); Matched that the line or posting is in a match.
	Posted, Matched bool
}

// SearchCursor is where the next page of a search begins; the zero value
// is the first page.
type SearchCursor struct {
	postings bool  // bank lines are done; continue with postings
	before   int64 // ids below this one (0: from the newest)
}

// SearchPage is one page of hits: bank lines first, newest first, then
// postings, newest first.
type SearchPage struct {
	Hits []SearchHit
	// Next continues the search where this page ends; More says whether
	// there may be more.
	Next SearchCursor
	More bool
}

// searchQuery is what a person typed, read as words and, when it reads as
// one, an amount.
type searchQuery struct {
	match     string // an FTS5 query: every word as a prefix, all required
	amount    money.Amount
	hasAmount bool
}

// separates says whether r splits words, as the full-text index's
// unicode61 tokenizer splits them: what is neither a letter nor a digit,
// and the few letters Go counts but SQLite does not (New Tai Lue's vowel
// and tone signs, two Vedic signs). A word split inside the quotes would be
// a phrase, which an index with detail=none refuses.
func separates(r rune) bool {
	switch {
	case r >= 0x19B0 && r <= 0x19C0, r == 0x19C8, r == 0x19C9, r == 0x1CF2, r == 0x1CF3:
		return true
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// parseSearch reads text as a search. "1 250,50" is an amount (found
// whether in or out); "Tine", "Tine 1250" and a KID are words (a number
// without separators is also tried as an amount in whole kroner).
func parseSearch(text string) searchQuery {
	var q searchQuery
	text = strings.TrimSpace(text)
	if a, err := money.Parse(text); err == nil && a != 0 {
		q.amount, q.hasAmount = a.Abs(), true
		if strings.ContainsAny(text, " ,.\u00a0\u202f") {
			return q // clearly an amount: "1 250,50", "12.50"
		}
	}
	var terms []string
	for _, w := range strings.FieldsFunc(text, separates) {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	q.match = strings.Join(terms, " ")
	return q
}

// Search finds bank lines and postings, in every year, whose text,
// counterparty, KID, reference or other account contains every word of
// text (as a word or the start of one), or whose amount is the amount text
// reads as (in or out). It returns at most limit hits from cursor on.
func (l *Ledger) Search(ctx context.Context, text string, cursor SearchCursor, limit int) (SearchPage, error) {
	q := parseSearch(text)
	page := SearchPage{Next: cursor}
	if q.match == "" && !q.hasAmount {
		return page, nil
	}
	if limit <= 0 {
		limit = 100
	}
	if !cursor.postings {
		hits, err := l.searchBankLines(ctx, q, cursor.before, limit)
		if err != nil {
			return SearchPage{}, err
		}
		page.Hits = hits
		if len(hits) == limit {
			page.Next = SearchCursor{before: hits[len(hits)-1].ID}
			page.More = true
			return page, nil
		}
		cursor = SearchCursor{postings: true}
	}
	want := limit - len(page.Hits)
	hits, err := l.searchPostings(ctx, q, cursor.before, want)
	if err != nil {
		return SearchPage{}, err
	}
	page.Hits = append(page.Hits, hits...)
	page.Next = cursor
	if n := len(hits); n > 0 && n == want {
		page.Next = SearchCursor{postings: true, before: hits[n-1].ID}
		page.More = true
	}
	return page, nil
}

// matchingIDs is a subquery of the ids that match q below :before, newest
// first, at most :limit of them; fts is the FTS table, table the searched one.
func matchingIDs(q searchQuery, fts, table string) string {
	var parts []string
	if q.match != "" {
		parts = append(parts, `SELECT rowid AS id FROM (SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH :match
			AND rowid < :before ORDER BY rowid DESC LIMIT :limit)`)
	}
	if q.hasAmount {
		parts = append(parts, `SELECT id FROM (SELECT id FROM `+table+` WHERE amount IN (:amount, -:amount)
			AND id < :before ORDER BY id DESC LIMIT :limit)`)
	}
	return strings.Join(parts, " UNION ")
}

func searchArgs(q searchQuery, before int64, limit int) []any {
	if before == 0 {
		before = math.MaxInt64 // from the newest
	}
	return []any{
		sql.Named("match", q.match), sql.Named("amount", int64(q.amount)),
		sql.Named("before", before), sql.Named("limit", limit),
	}
}

func (l *Ledger) searchBankLines(ctx context.Context, q searchQuery, before int64, limit int) ([]SearchHit, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, bank_account, accounting_date, amount, text, counterparty, kid,
		EXISTS (SELECT 1 FROM postings p WHERE p.bank_transaction = bank_transactions.id
			AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses = p.voucher)),
		EXISTS (SELECT 1 FROM match_bank_lines m WHERE m.bank_transaction = bank_transactions.id)
		FROM bank_transactions WHERE id IN (`+matchingIDs(q, "bank_search", "bank_transactions")+`)
		ORDER BY id DESC LIMIT :limit`, searchArgs(q, before, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search the bank lines: %w", err)
	}
	return collect(rows, func(r rowScanner) (SearchHit, error) {
		h := SearchHit{Kind: HitBankLine}
		var d string
		err := r.Scan(&h.ID, &h.BankAccount, &d, &h.Amount, &h.Text, &h.Counterparty, &h.KID, &h.Posted, &h.Matched)
		h.Date, _ = civil.Parse(d)
		return h, err
	})
}

func (l *Ledger) searchPostings(ctx context.Context, q searchQuery, before int64, limit int) ([]SearchHit, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT p.id, p.account, v.number, p.date, p.amount, p.text, p.kid,
		EXISTS (SELECT 1 FROM match_postings m WHERE m.posting = p.id)
		FROM postings p JOIN vouchers v ON v.id = p.voucher
		WHERE p.id IN (`+matchingIDs(q, "posting_search", "postings")+`)
		ORDER BY p.id DESC LIMIT :limit`, searchArgs(q, before, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search the postings: %w", err)
	}
	return collect(rows, func(r rowScanner) (SearchHit, error) {
		h := SearchHit{Kind: HitPosting}
		var d string
		err := r.Scan(&h.ID, &h.Account, &h.Voucher, &d, &h.Amount, &h.Text, &h.KID, &h.Matched)
		h.Date, _ = civil.Parse(d)
		return h, err
	})
}
