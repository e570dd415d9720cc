-- The company whose books this file holds. Exactly one row.
CREATE TABLE company (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT    NOT NULL CHECK (name <> ''),
    org_number      TEXT    NOT NULL CHECK (length(org_number) = 9),
    conversion_date TEXT    NOT NULL,
    fee_account     INTEGER REFERENCES accounts(number),
    created_at      TEXT    NOT NULL
);

-- The chart of accounts (NS 4102 style).
CREATE TABLE accounts (
    number INTEGER PRIMARY KEY CHECK (number BETWEEN 1000 AND 9999),
    name   TEXT    NOT NULL,
    type   TEXT    NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- Bank accounts connected through the bank integration. A GL account belongs
-- to at most one bank account: two would mix them in the books.
CREATE TABLE bank_accounts (
    id             INTEGER PRIMARY KEY,
    bank_id        TEXT    NOT NULL UNIQUE,
    number         TEXT    NOT NULL UNIQUE CHECK (length(number) = 11),
    name           TEXT    NOT NULL,
    gl_account     INTEGER NOT NULL UNIQUE REFERENCES accounts(number),
    remittance     INTEGER NOT NULL DEFAULT 0 CHECK (remittance IN (0, 1)),
    reconciliation INTEGER NOT NULL DEFAULT 0 CHECK (reconciliation IN (0, 1)),
    start_date     TEXT,
    read_through   TEXT,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

-- Each role is held by at most one bank account.
CREATE TABLE bank_roles (
    role         TEXT    PRIMARY KEY CHECK (role IN ('salary', 'operating', 'tax_withholding')),
    bank_account INTEGER NOT NULL REFERENCES bank_accounts(id)
);

-- Runs of the morning import (and of onboarding's history read).
CREATE TABLE sync_runs (
    id           INTEGER PRIMARY KEY,
    bank_account INTEGER NOT NULL REFERENCES bank_accounts(id),
    started_at   TEXT    NOT NULL,
    finished_at  TEXT,
    from_date    TEXT    NOT NULL,
    to_date      TEXT    NOT NULL,
    fetched      INTEGER NOT NULL DEFAULT 0,
    new          INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    error        TEXT
);
CREATE INDEX sync_runs_account ON sync_runs(bank_account, id);

-- Every booked line read from the bank. Append-only: the books of a business
-- may not be changed after the fact.
CREATE TABLE bank_transactions (
    id              INTEGER PRIMARY KEY,
    bank_account    INTEGER NOT NULL REFERENCES bank_accounts(id),
    transaction_id  TEXT    NOT NULL CHECK (transaction_id <> ''),
    accounting_date TEXT    NOT NULL,
    interest_date   TEXT,
    amount          INTEGER NOT NULL,
    text            TEXT    NOT NULL DEFAULT '',
    type_code       INTEGER NOT NULL DEFAULT 0,
    type_text       TEXT    NOT NULL DEFAULT '',
    other_account   TEXT    NOT NULL DEFAULT '',
    kid             TEXT    NOT NULL DEFAULT '',
    counterparty    TEXT    NOT NULL DEFAULT '',
    reference       TEXT    NOT NULL DEFAULT '',
    sync_run        INTEGER REFERENCES sync_runs(id),
    imported_at     TEXT    NOT NULL,
    UNIQUE (bank_account, transaction_id)
);
CREATE INDEX bank_transactions_date ON bank_transactions(bank_account, accounting_date, id);
CREATE INDEX bank_transactions_reference ON bank_transactions(reference) WHERE reference <> '';
CREATE INDEX bank_transactions_kid ON bank_transactions(kid) WHERE kid <> '';

CREATE TRIGGER bank_transactions_no_update BEFORE UPDATE ON bank_transactions
BEGIN
    SELECT RAISE(ABORT, 'bank transactions are append-only: they cannot be changed');
END;
CREATE TRIGGER bank_transactions_no_delete BEFORE DELETE ON bank_transactions
BEGIN
    SELECT RAISE(ABORT, 'bank transactions are append-only: they cannot be deleted');
END;

-- Vouchers (bilag) with double-entry postings. A voucher is written open,
-- its postings added, then closed; closing checks that it balances, and a
-- closed voucher can never be changed. Corrections are reversing vouchers.
CREATE TABLE vouchers (
    id          INTEGER PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE,
    date        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT 'manual',
    reverses    INTEGER UNIQUE REFERENCES vouchers(id),
    closed      INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at  TEXT    NOT NULL
);
CREATE INDEX vouchers_date ON vouchers(date);

CREATE TABLE postings (
    id               INTEGER PRIMARY KEY,
    voucher          INTEGER NOT NULL REFERENCES vouchers(id),
    account          INTEGER NOT NULL REFERENCES accounts(number),
    date             TEXT    NOT NULL,
    amount           INTEGER NOT NULL,
    text             TEXT    NOT NULL DEFAULT '',
    kid              TEXT    NOT NULL DEFAULT '',
    reference        TEXT    NOT NULL DEFAULT '',
    bank_transaction INTEGER REFERENCES bank_transactions(id)
);
CREATE INDEX postings_account_date ON postings(account, date, id);
CREATE INDEX postings_voucher ON postings(voucher);
CREATE INDEX postings_bank_transaction ON postings(bank_transaction) WHERE bank_transaction IS NOT NULL;
CREATE INDEX postings_reference ON postings(reference) WHERE reference <> '';
CREATE INDEX postings_kid ON postings(kid) WHERE kid <> '';

CREATE TRIGGER postings_closed_voucher BEFORE INSERT ON postings
WHEN (SELECT closed FROM vouchers WHERE id = NEW.voucher) = 1
BEGIN
    SELECT RAISE(ABORT, 'the voucher is closed: postings cannot be added to it');
END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN
    SELECT RAISE(ABORT, 'postings cannot be changed: post a reversal instead');
END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN
    SELECT RAISE(ABORT, 'postings cannot be deleted: post a reversal instead');
END;
CREATE TRIGGER vouchers_close BEFORE UPDATE OF closed ON vouchers
WHEN NEW.closed = 1 AND OLD.closed = 0
BEGIN
    SELECT RAISE(ABORT, 'the voucher does not balance: debits and credits must sum to zero')
    WHERE (SELECT coalesce(sum(amount), 0) FROM postings WHERE voucher = NEW.id) <> 0;
    SELECT RAISE(ABORT, 'a voucher needs at least two postings')
    WHERE (SELECT count(*) FROM postings WHERE voucher = NEW.id) < 2;
END;
CREATE TRIGGER vouchers_no_update BEFORE UPDATE ON vouchers
WHEN OLD.closed = 1
BEGIN
    SELECT RAISE(ABORT, 'a closed voucher cannot be changed: post a reversal instead');
END;
CREATE TRIGGER vouchers_no_delete BEFORE DELETE ON vouchers
WHEN OLD.closed = 1
BEGIN
    SELECT RAISE(ABORT, 'a closed voucher cannot be deleted: post a reversal instead');
END;

-- Reconciliation: which bank lines are matched against which postings.
-- An item is in at most one match; unmatching deletes the match (and the
-- audit log keeps that it existed).
CREATE TABLE matches (
    id         INTEGER PRIMARY KEY,
    rule       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE TABLE match_bank_lines (
    match            INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
    bank_transaction INTEGER NOT NULL UNIQUE REFERENCES bank_transactions(id)
);
CREATE INDEX match_bank_lines_match ON match_bank_lines(match);
CREATE TABLE match_postings (
    match   INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
    posting INTEGER NOT NULL UNIQUE REFERENCES postings(id)
);
CREATE INDEX match_postings_match ON match_postings(match);

-- The owner's reconciliation rules, applied in position order.
CREATE TABLE rules (
    id             INTEGER PRIMARY KEY,
    position       INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('match', 'post_and_match')),
    text_contains  TEXT    NOT NULL DEFAULT '',
    direction      TEXT    NOT NULL DEFAULT 'any' CHECK (direction IN ('any', 'in', 'out')),
    tolerance_days INTEGER NOT NULL DEFAULT 0,
    amount         INTEGER,
    account        INTEGER REFERENCES accounts(number),
    active         INTEGER NOT NULL DEFAULT 1
);

-- Payments sent to the bank for signing.
CREATE TABLE payments (
    id                INTEGER PRIMARY KEY,
    reference         TEXT    NOT NULL UNIQUE,
    bank_account      INTEGER NOT NULL REFERENCES bank_accounts(id),
    recipient_account TEXT    NOT NULL,
    recipient_name    TEXT    NOT NULL,
    amount            INTEGER NOT NULL CHECK (amount > 0),
    due_date          TEXT    NOT NULL,
    kid               TEXT    NOT NULL DEFAULT '',
    message           TEXT    NOT NULL DEFAULT '',
    debit_account     INTEGER REFERENCES accounts(number),
    status            TEXT    NOT NULL,
    status_details    TEXT    NOT NULL DEFAULT '',
    bank_payment_id   TEXT    NOT NULL DEFAULT '',
    voucher           INTEGER REFERENCES vouchers(id),
    reversal          INTEGER REFERENCES vouchers(id),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE TABLE payment_status_history (
    id      INTEGER PRIMARY KEY,
    payment INTEGER NOT NULL REFERENCES payments(id),
    status  TEXT    NOT NULL,
    details TEXT    NOT NULL DEFAULT '',
    at      TEXT    NOT NULL
);
CREATE INDEX payment_status_history_payment ON payment_status_history(payment, id);

-- Settings of the company file (the bank integration's state, never secrets).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- What changed, when, and who did it.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT ''
);
