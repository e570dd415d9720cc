package ledger

import "fmt"

// searchCatchUp adds the rows above search_indexed's mark to the search
// index and moves the mark, one pair of statements per indexed table. An
// UPDATE that finds the mark already at the top writes nothing, so a change
// that stored no lines or postings costs two index look-ups per table.
var searchCatchUp = []string{
	`INSERT INTO bank_search (rowid, text, counterparty, kid, other_account, reference, type_text)
	 SELECT id, text, counterparty, kid, other_account, reference, type_text FROM bank_transactions
	 WHERE id > (SELECT through FROM search_indexed WHERE source = 'bank_transactions')`,
	`UPDATE search_indexed SET through = (SELECT max(id) FROM bank_transactions)
	 WHERE source = 'bank_transactions' AND through < (SELECT coalesce(max(id), 0) FROM bank_transactions)`,
	`INSERT INTO posting_search (rowid, text, kid, reference)
	 SELECT id, text, kid, reference FROM postings
	 WHERE id > (SELECT through FROM search_indexed WHERE source = 'postings')`,
	`UPDATE search_indexed SET through = (SELECT max(id) FROM postings)
	 WHERE source = 'postings' AND through < (SELECT coalesce(max(id), 0) FROM postings)`,
}

// indexSearch brings the search index up to date with the rows this change
// stored, as part of the change: a line is searchable once it is stored.
// It runs once per Update, just before the commit (see
// 0004_search_per_change.sql for why not per row).
func (tx *Tx) indexSearch() error {
	for _, q := range searchCatchUp {
		if _, err := tx.exec(q); err != nil {
			return fmt.Errorf("add the new lines to the search index: %w", err)
		}
	}
	return nil
}
