-- 1. The bank lines posted from: a row per posting linked to a bank line,
--    with the line's counterparty and text, kept by a trigger
--    (postings and bank lines are never changed or deleted). The account
--    used last time for a counterparty or a text (SuggestCounterAccount) is
--    then a walk down one index from the newest voucher, instead of a scan
--    of every posting; with a million lines that took 0.4–0.8 s.
CREATE TABLE posted_bank_lines (
    posting      INTEGER PRIMARY KEY,
    voucher      INTEGER NOT NULL,
    counterparty TEXT    NOT NULL,
    text         TEXT    NOT NULL
);
INSERT INTO posted_bank_lines (posting, voucher, counterparty, text)
SELECT p.id, p.voucher, b.counterparty, b.text
FROM postings p JOIN bank_transactions b ON b.id = p.bank_transaction;
CREATE INDEX posted_bank_lines_counterparty ON posted_bank_lines(counterparty, voucher) WHERE counterparty <> '';
CREATE INDEX posted_bank_lines_text ON posted_bank_lines(text, voucher) WHERE text <> '';

CREATE TRIGGER posted_bank_lines_add AFTER INSERT ON postings
WHEN NEW.bank_transaction IS NOT NULL
BEGIN
    INSERT INTO posted_bank_lines (posting, voucher, counterparty, text)
    SELECT NEW.id, NEW.voucher, counterparty, text FROM bank_transactions WHERE id = NEW.bank_transaction;
END;

-- 2. The open items by account and date, with their amounts: the
--    reconciliation report counts and sums an account's open items
--    (OpenTotalsAt, OpenTotals) and the manual matching lists read them a
--    page at a time in date order, from the index alone, instead of
--    scanning every account's open items.
CREATE INDEX open_bank_lines_date ON open_bank_lines(bank_account, accounting_date, id, amount);
CREATE INDEX open_postings_date ON open_postings(account, date, id, amount);
