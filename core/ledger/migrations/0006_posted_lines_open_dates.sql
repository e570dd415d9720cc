-- 1. The bank lines posted from: a row per posting linked to a bank line,
--    with who the line was with and its text, kept by a trigger
--    (postings and bank lines are never changed or deleted). The account
--    used last time for a counterparty or a text (SuggestCounterAccount) is
--    then a walk down one index from the newest voucher, instead of a scan
--    of every posting; with a million lines that took 0.4–0.8 s.
--
--    Who a line was with is its counterparty, or for a card purchase, which
--    comes without one, the shop in its text: "*7160 26.11 NOK 386.34
--    ELKJOP HAVNA Kurs: 1.0000" is ELKJOP HAVNA (card, day, currency,
--    amount, shop, exchange rate). Such a text never repeats (it holds the
--    amount and the day), so the shop is what finds last time's account.
--    bank_line_parties reads it as norway.CardMerchant does
--    (TestBankLinePartiesAgreeWithGo keeps the two the same).
CREATE VIEW bank_line_parties (id, party) AS
SELECT id, CASE
    WHEN counterparty <> '' THEN counterparty
    WHEN text GLOB '[*][0-9][0-9][0-9][0-9] [0-9][0-9].[0-9][0-9] [A-Z][A-Z][A-Z] [0-9]*'
        AND instr(r, ' ') > 0
        AND substr(r, 1, instr(r, ' ') - 1) GLOB '[0-9]*.[0-9][0-9]'
        AND substr(r, 1, instr(r, ' ') - 1) NOT GLOB '*[^0-9.]*'
        AND instr(substr(r, 1, instr(r, ' ') - 1), '.') = instr(r, ' ') - 3
    THEN trim(CASE WHEN instr(substr(r, instr(r, ' ') + 1), ' Kurs: ') > 0
        THEN substr(substr(r, instr(r, ' ') + 1), 1, instr(substr(r, instr(r, ' ') + 1), ' Kurs: ') - 1)
        ELSE substr(r, instr(r, ' ') + 1) END, ' ')
    ELSE '' END
FROM (SELECT id, counterparty, text, substr(text, 17) AS r FROM bank_transactions);

CREATE TABLE posted_bank_lines (
    posting      INTEGER PRIMARY KEY,
    voucher      INTEGER NOT NULL,
    counterparty TEXT    NOT NULL, -- who the line was with (bank_line_parties)
    text         TEXT    NOT NULL
);
INSERT INTO posted_bank_lines (posting, voucher, counterparty, text)
SELECT p.id, p.voucher, w.party, b.text
FROM postings p JOIN bank_transactions b ON b.id = p.bank_transaction JOIN bank_line_parties w ON w.id = b.id;
CREATE INDEX posted_bank_lines_counterparty ON posted_bank_lines(counterparty, voucher) WHERE counterparty <> '';
CREATE INDEX posted_bank_lines_text ON posted_bank_lines(text, voucher) WHERE text <> '';

CREATE TRIGGER posted_bank_lines_add AFTER INSERT ON postings
WHEN NEW.bank_transaction IS NOT NULL
BEGIN
    INSERT INTO posted_bank_lines (posting, voucher, counterparty, text)
    SELECT NEW.id, NEW.voucher, w.party, b.text FROM bank_transactions b JOIN bank_line_parties w ON w.id = b.id
    WHERE b.id = NEW.bank_transaction;
END;

-- 2. The open items by account and date, with their amounts: the
--    reconciliation report counts and sums an account's open items
--    (OpenTotalsAt, OpenTotals) and the manual matching lists read them a
--    page at a time in date order, from the index alone, instead of
--    scanning every account's open items.
CREATE INDEX open_bank_lines_date ON open_bank_lines(bank_account, accounting_date, id, amount);
CREATE INDEX open_postings_date ON open_postings(account, date, id, amount);
