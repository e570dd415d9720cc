-- Search: full-text indexes over bank lines and postings, and indexes for
-- finding them by amount. The FTS tables keep only the index; the text stays
-- in bank_transactions and postings (external content). Both tables are
-- append-only, so inserts are all the triggers need to follow. detail=none
-- keeps no word positions (a search is words, not phrases), which keeps
-- the index small and a prefix over a quarter of a million lines quick.
CREATE VIRTUAL TABLE bank_search USING fts5(
    text, counterparty, kid, other_account, reference, type_text,
    content = 'bank_transactions', content_rowid = 'id',
    tokenize = 'unicode61', prefix = '2 3', detail = none
);
INSERT INTO bank_search (bank_search) VALUES ('rebuild');
CREATE TRIGGER bank_search_insert AFTER INSERT ON bank_transactions
BEGIN
    INSERT INTO bank_search (rowid, text, counterparty, kid, other_account, reference, type_text)
    VALUES (NEW.id, NEW.text, NEW.counterparty, NEW.kid, NEW.other_account, NEW.reference, NEW.type_text);
END;

CREATE VIRTUAL TABLE posting_search USING fts5(
    text, kid, reference,
    content = 'postings', content_rowid = 'id',
    tokenize = 'unicode61', prefix = '2 3', detail = none
);
INSERT INTO posting_search (posting_search) VALUES ('rebuild');
CREATE TRIGGER posting_search_insert AFTER INSERT ON postings
BEGIN
    INSERT INTO posting_search (rowid, text, kid, reference)
    VALUES (NEW.id, NEW.text, NEW.kid, NEW.reference);
END;

CREATE INDEX bank_transactions_amount ON bank_transactions (amount);
CREATE INDEX postings_amount ON postings (amount);
