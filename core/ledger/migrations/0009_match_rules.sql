-- A match is its items: it is not stored as a row of its own any more.
--
-- The matcher's run over a year of a busy account stores 89,200 matches;
-- a row for each, with its rule and time as text, was an eighth of the run
-- (BenchmarkMatch100k). Now:
--
-- - what made a match (its rule) is a number on each of its items, naming
--   a row of match_rules;
-- - when it was made is kept once for every store of matches, which
--   numbers them in one block: match_runs, from the first number to the
--   last;
-- - the view matches shows them as they were, for reading.
--
-- Undoing a match deletes its items (ledger DeleteMatch); its number is
-- never given again (the setting matches.last_id, migration 7).

CREATE TABLE match_rules (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);
INSERT INTO match_rules (name) SELECT DISTINCT rule FROM matches ORDER BY rule;
-- An item whose match row is missing (nothing has made one, but nothing
-- stopped it since migration 5) keeps its match under an unknown rule.
INSERT INTO match_rules (name) SELECT '?' WHERE EXISTS (
    SELECT 1 FROM match_bank_lines x WHERE NOT EXISTS (SELECT 1 FROM matches m WHERE m.id = x.match)
    UNION ALL
    SELECT 1 FROM match_postings x WHERE NOT EXISTS (SELECT 1 FROM matches m WHERE m.id = x.match)
) ON CONFLICT (name) DO NOTHING;

CREATE TABLE match_runs (
    first_match INTEGER PRIMARY KEY,
    last_match  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);
-- The matches made together (one time, numbers in a row) become one run.
INSERT INTO match_runs (first_match, last_match, created_at)
SELECT min(id), max(id), created_at FROM (
    SELECT id, created_at, id - row_number() OVER (PARTITION BY created_at ORDER BY id) AS block FROM matches
) GROUP BY created_at, block;

ALTER TABLE match_bank_lines ADD COLUMN rule INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_postings ADD COLUMN rule INTEGER NOT NULL DEFAULT 0;
UPDATE match_bank_lines SET rule = coalesce((SELECT r.id FROM matches m JOIN match_rules r ON r.name = m.rule WHERE m.id = match_bank_lines.match),
    (SELECT id FROM match_rules WHERE name = '?'));
UPDATE match_postings SET rule = coalesce((SELECT r.id FROM matches m JOIN match_rules r ON r.name = m.rule WHERE m.id = match_postings.match),
    (SELECT id FROM match_rules WHERE name = '?'));

DROP TRIGGER matches_delete_items;
DROP TRIGGER matches_delete_span;
DROP TABLE matches;

CREATE VIEW matches (id, rule, created_at) AS
SELECT m.match, coalesce(r.name, '?'),
    coalesce((SELECT CASE WHEN u.last_match >= m.match THEN u.created_at END FROM match_runs u
        WHERE u.first_match <= m.match ORDER BY u.first_match DESC LIMIT 1), '')
FROM (SELECT match, rule FROM match_bank_lines UNION SELECT match, rule FROM match_postings) m
LEFT JOIN match_rules r ON r.id = m.rule;
