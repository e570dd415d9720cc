-- Sums per account and day, kept by the insert triggers. Bank lines and
-- postings are never changed or deleted, so the totals stay exact; a
-- balance then adds up one row per day instead of one per line, which keeps
-- the first screen as fast with a million lines as with a thousand.
CREATE TABLE bank_day_totals (
    bank_account INTEGER NOT NULL,
    date         TEXT    NOT NULL,
    amount       INTEGER NOT NULL,
    lines        INTEGER NOT NULL,
    PRIMARY KEY (bank_account, date)
) WITHOUT ROWID;

INSERT INTO bank_day_totals (bank_account, date, amount, lines)
SELECT bank_account, accounting_date, sum(amount), count(*) FROM bank_transactions GROUP BY bank_account, accounting_date;

CREATE TRIGGER bank_day_totals_add AFTER INSERT ON bank_transactions
BEGIN
    INSERT INTO bank_day_totals (bank_account, date, amount, lines) VALUES (NEW.bank_account, NEW.accounting_date, NEW.amount, 1)
    ON CONFLICT (bank_account, date) DO UPDATE SET amount = amount + excluded.amount, lines = lines + 1;
END;

CREATE TABLE posting_day_totals (
    account INTEGER NOT NULL,
    date    TEXT    NOT NULL,
    amount  INTEGER NOT NULL,
    PRIMARY KEY (account, date)
) WITHOUT ROWID;

INSERT INTO posting_day_totals (account, date, amount)
SELECT account, date, sum(amount) FROM postings GROUP BY account, date;

CREATE TRIGGER posting_day_totals_add AFTER INSERT ON postings
BEGIN
    INSERT INTO posting_day_totals (account, date, amount) VALUES (NEW.account, NEW.date, NEW.amount)
    ON CONFLICT (account, date) DO UPDATE SET amount = amount + excluded.amount;
END;
