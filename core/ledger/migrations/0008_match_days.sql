-- The reconciliation report at a past day counts an item open when it is in
-- no match, or in a match that also holds an item dated after the day (the
-- other side had not happened yet): a late match. They were found from every
-- item dated after the day, which cost the history since (12.8 s for a day
-- in 2019 in a ledger of a million lines). Now (ledger.lateMatches):
--
-- - a match whose items lie within 31 days of each other, late for a day,
--   has an item within the 31 days after it: it is found from those items;
-- - the few that span more than 31 days are kept here with the first and
--   last date of their items (AddMatches writes them) and read all.
--
-- Nothing is added to the matches themselves: storing a run of 100,000
-- matches costs what it did.

CREATE TABLE match_spans (
    match     INTEGER PRIMARY KEY,
    first_day TEXT    NOT NULL,
    last_day  TEXT    NOT NULL
);

INSERT INTO match_spans (match, first_day, last_day)
SELECT match, min(day), max(day) FROM (
    SELECT x.match, bt.accounting_date AS day FROM match_bank_lines x JOIN bank_transactions bt ON bt.id = x.bank_transaction
    UNION ALL
    SELECT x.match, p.date FROM match_postings x JOIN postings p ON p.id = x.posting
) GROUP BY match HAVING max(day) > date(min(day), '+31 days');

-- Undoing a match forgets its span.
CREATE TRIGGER matches_delete_span AFTER DELETE ON matches
BEGIN
    DELETE FROM match_spans WHERE match = OLD.id;
END;
