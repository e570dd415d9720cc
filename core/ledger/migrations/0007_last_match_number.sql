-- Match numbers are never given twice (the audit log names matches by
-- number): AddMatches keeps the highest number given in the setting
-- matches.last_id. A file from before that starts it from the highest
-- number in use or named in the audit log by a match added or undone, so
-- that a match undone before the upgrade keeps its number too.
INSERT INTO settings (key, value)
SELECT 'matches.last_id', CAST(max(n) AS TEXT) FROM (
    SELECT coalesce(max(id), 0) AS n FROM matches
    UNION ALL
    SELECT CAST(substr(details, 7, instr(substr(details, 7), ' ') - 1) AS INTEGER)
    FROM audit_log WHERE action IN ('match.add', 'match.delete') AND details LIKE 'match %'
) WHERE true
ON CONFLICT (key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT);
