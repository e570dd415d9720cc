-- Reconciliation storage made for runs over 100,000 open items.
--
-- 1. A matched item is one row keyed by the item (WITHOUT ROWID): the key
--    is what keeps an item in at most one match, so no second unique index
--    is needed; an index on the match finds a match's items (to read or to
--    undo it). Undoing a match deletes its items by trigger (what ON DELETE
--    CASCADE did before).
-- 2. The open items, with what the matcher compares, live in tables of
--    their own kept by triggers: a line or posting is open from the moment
--    it is stored until it is matched, and open again when its match is
--    undone. Reading the open side is then a scan of what is open, however
--    long the books' history, with no anti-join. Only postings on a bank
--    account's GL account that do not belong to an opening-balance voucher
--    are open items.
-- 3. Matching an item takes it out of its open table, and the trigger
--    refuses an item that is not there: that keeps a match from holding a
--    line or posting that does not exist, or a posting that takes no part
--    in reconciliation. It replaces the foreign keys of the items, whose
--    check per item cost as much as storing it; the items of a match are
--    written together with the match (ledger AddMatches).

CREATE TABLE match_bank_lines_v5 (
    match            INTEGER NOT NULL,
    bank_transaction INTEGER NOT NULL PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO match_bank_lines_v5 (match, bank_transaction) SELECT match, bank_transaction FROM match_bank_lines;
DROP TABLE match_bank_lines;
ALTER TABLE match_bank_lines_v5 RENAME TO match_bank_lines;
CREATE INDEX match_bank_lines_match ON match_bank_lines(match);

CREATE TABLE match_postings_v5 (
    match   INTEGER NOT NULL,
    posting INTEGER NOT NULL PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO match_postings_v5 (match, posting) SELECT match, posting FROM match_postings;
DROP TABLE match_postings;
ALTER TABLE match_postings_v5 RENAME TO match_postings;
CREATE INDEX match_postings_match ON match_postings(match);

-- The open bank lines: id is the bank line's; posted says a posting links to
-- the line (a post-and-match rule never posts it again).
CREATE TABLE open_bank_lines (
    id              INTEGER PRIMARY KEY,
    bank_account    INTEGER NOT NULL,
    accounting_date TEXT    NOT NULL,
    amount          INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    kid             TEXT    NOT NULL,
    reference       TEXT    NOT NULL,
    posted          INTEGER NOT NULL
);
INSERT INTO open_bank_lines (id, bank_account, accounting_date, amount, text, kid, reference, posted)
SELECT bt.id, bt.bank_account, bt.accounting_date, bt.amount, bt.text, bt.kid, bt.reference,
    EXISTS (SELECT 1 FROM postings p WHERE p.bank_transaction = bt.id)
FROM bank_transactions bt
WHERE NOT EXISTS (SELECT 1 FROM match_bank_lines m WHERE m.bank_transaction = bt.id);

-- The open postings on bank accounts' GL accounts (opening balances left
-- out); bank_transaction and reverses are 0 for none.
CREATE TABLE open_postings (
    id               INTEGER PRIMARY KEY,
    account          INTEGER NOT NULL,
    date             TEXT    NOT NULL,
    amount           INTEGER NOT NULL,
    kid              TEXT    NOT NULL,
    reference        TEXT    NOT NULL,
    voucher          INTEGER NOT NULL,
    bank_transaction INTEGER NOT NULL,
    reverses         INTEGER NOT NULL
);
INSERT INTO open_postings (id, account, date, amount, kid, reference, voucher, bank_transaction, reverses)
SELECT p.id, p.account, p.date, p.amount, p.kid, p.reference, p.voucher, coalesce(p.bank_transaction, 0), coalesce(v.reverses, 0)
FROM postings p JOIN vouchers v ON v.id = p.voucher
WHERE p.account IN (SELECT gl_account FROM bank_accounts) AND v.source <> 'opening'
AND NOT EXISTS (SELECT 1 FROM match_postings m WHERE m.posting = p.id);

-- A stored item is open.
CREATE TRIGGER open_bank_lines_add AFTER INSERT ON bank_transactions
BEGIN
    INSERT INTO open_bank_lines (id, bank_account, accounting_date, amount, text, kid, reference, posted)
    VALUES (NEW.id, NEW.bank_account, NEW.accounting_date, NEW.amount, NEW.text, NEW.kid, NEW.reference, 0);
END;
CREATE TRIGGER open_postings_add AFTER INSERT ON postings
WHEN NEW.account IN (SELECT gl_account FROM bank_accounts)
    AND (SELECT source FROM vouchers WHERE id = NEW.voucher) <> 'opening'
BEGIN
    INSERT INTO open_postings (id, account, date, amount, kid, reference, voucher, bank_transaction, reverses)
    VALUES (NEW.id, NEW.account, NEW.date, NEW.amount, NEW.kid, NEW.reference, NEW.voucher,
        coalesce(NEW.bank_transaction, 0), coalesce((SELECT reverses FROM vouchers WHERE id = NEW.voucher), 0));
END;
CREATE TRIGGER open_bank_lines_posted AFTER INSERT ON postings
WHEN NEW.bank_transaction IS NOT NULL
BEGIN
    UPDATE open_bank_lines SET posted = 1 WHERE id = NEW.bank_transaction AND posted = 0;
END;

-- Matching takes an item out of its open table; an item that is not there
-- does not exist or takes no part in reconciliation (one already matched is
-- stopped by the key before).
CREATE TRIGGER match_bank_lines_take AFTER INSERT ON match_bank_lines
BEGIN
    DELETE FROM open_bank_lines WHERE id = NEW.bank_transaction;
    SELECT RAISE(ABORT, 'the bank line cannot be matched: it is not an open bank line') WHERE changes() = 0;
END;
CREATE TRIGGER match_postings_take AFTER INSERT ON match_postings
BEGIN
    DELETE FROM open_postings WHERE id = NEW.posting;
    SELECT RAISE(ABORT, 'the posting cannot be matched: it is not an open posting on a bank account''s GL account') WHERE changes() = 0;
END;

-- Undoing a match deletes its items, which opens them again.
CREATE TRIGGER matches_delete_items AFTER DELETE ON matches
BEGIN
    DELETE FROM match_bank_lines WHERE match = OLD.id;
    DELETE FROM match_postings WHERE match = OLD.id;
END;
CREATE TRIGGER match_bank_lines_free AFTER DELETE ON match_bank_lines
BEGIN
    INSERT INTO open_bank_lines (id, bank_account, accounting_date, amount, text, kid, reference, posted)
    SELECT bt.id, bt.bank_account, bt.accounting_date, bt.amount, bt.text, bt.kid, bt.reference,
        EXISTS (SELECT 1 FROM postings p WHERE p.bank_transaction = bt.id)
    FROM bank_transactions bt WHERE bt.id = OLD.bank_transaction;
END;
CREATE TRIGGER match_postings_free AFTER DELETE ON match_postings
BEGIN
    INSERT INTO open_postings (id, account, date, amount, kid, reference, voucher, bank_transaction, reverses)
    SELECT p.id, p.account, p.date, p.amount, p.kid, p.reference, p.voucher, coalesce(p.bank_transaction, 0), coalesce(v.reverses, 0)
    FROM postings p JOIN vouchers v ON v.id = p.voucher
    WHERE p.id = OLD.posting AND p.account IN (SELECT gl_account FROM bank_accounts) AND v.source <> 'opening';
END;

-- A GL account that becomes a bank account's brings its unmatched postings
-- into reconciliation; one that stops being one takes them out.
CREATE TRIGGER open_postings_bank_account_add AFTER INSERT ON bank_accounts
BEGIN
    INSERT OR IGNORE INTO open_postings (id, account, date, amount, kid, reference, voucher, bank_transaction, reverses)
    SELECT p.id, p.account, p.date, p.amount, p.kid, p.reference, p.voucher, coalesce(p.bank_transaction, 0), coalesce(v.reverses, 0)
    FROM postings p JOIN vouchers v ON v.id = p.voucher
    WHERE p.account = NEW.gl_account AND v.source <> 'opening'
    AND NOT EXISTS (SELECT 1 FROM match_postings m WHERE m.posting = p.id);
END;
CREATE TRIGGER open_postings_bank_account_move AFTER UPDATE OF gl_account ON bank_accounts
WHEN OLD.gl_account IS NOT NEW.gl_account
BEGIN
    DELETE FROM open_postings WHERE account = OLD.gl_account;
    INSERT OR IGNORE INTO open_postings (id, account, date, amount, kid, reference, voucher, bank_transaction, reverses)
    SELECT p.id, p.account, p.date, p.amount, p.kid, p.reference, p.voucher, coalesce(p.bank_transaction, 0), coalesce(v.reverses, 0)
    FROM postings p JOIN vouchers v ON v.id = p.voucher
    WHERE p.account = NEW.gl_account AND v.source <> 'opening'
    AND NOT EXISTS (SELECT 1 FROM match_postings m WHERE m.posting = p.id);
END;

-- The opening-balance vouchers, for the reconciliation report (a handful in
-- any ledger).
CREATE INDEX vouchers_opening ON vouchers(id) WHERE source = 'opening';
