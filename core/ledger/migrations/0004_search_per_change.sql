-- The search index is fed once per change to the ledger instead of once per
-- row. FTS5 writes its pending terms to disk at the end of every statement,
-- so a row trigger made an import of 40,000 lines write thousands of small
-- index segments and merge them; one INSERT … SELECT per change writes one.
-- search_indexed holds, per table, the highest id in the index: bank lines
-- and postings are never deleted, so their ids only grow and every row
-- above it is one the index has not seen yet (Tx.indexSearch).
DROP TRIGGER bank_search_insert;
DROP TRIGGER posting_search_insert;

CREATE TABLE search_indexed (
    source  TEXT    PRIMARY KEY CHECK (source IN ('bank_transactions', 'postings')),
    through INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO search_indexed (source, through) VALUES
    ('bank_transactions', (SELECT coalesce(max(id), 0) FROM bank_transactions)),
    ('postings', (SELECT coalesce(max(id), 0) FROM postings));
