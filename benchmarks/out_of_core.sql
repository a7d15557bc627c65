-- The heaviest rules of `claims check` (foreign keys, duplicate ids, quote in source) as plain
-- DuckDB SQL, for benchmarks/out_of_core.py. Statements are separated by a line ending in ';'.
-- Nothing from the dataset is put into this text: paths arrive as parameters.

-- DuckDB has no NFKC: NFC, straight quotes, hyphens and single spaces approximate the
-- contract's normalisation, so this measures cost and `claims check` stays the reference.
CREATE MACRO norm(x) AS trim(regexp_replace(
    replace(replace(replace(replace(replace(replace(nfc_normalize(x),
        '‘', ''''), '’', ''''), '“', '"'), '”', '"'), '–', '-'), '—', '-'),
    '[\s ]+', ' ', 'g'));

-- Each row of sources.csv in order (n), with its seed's text normalised (NULL if it cannot be
-- read). Parameters: the seeds glob, the seeds folder.
CREATE TABLE texts AS
SELECT s.n, s.source_id, norm(t.content) AS text
FROM (SELECT row_number() OVER () AS n, * FROM sources) s
LEFT JOIN read_text(?) t ON t.filename = ? || '/' || s.file;

-- The findings, counted as the check reports them, in one scan of claims.csv. An empty id
-- gives no key finding, so a blank row (every cell empty: a blank-row finding) counts nowhere; a
-- source_id listed twice gives its claims the first listing's text, as in the check.
WITH first_text AS (
    SELECT source_id, first(text ORDER BY n) AS text FROM texts GROUP BY source_id
), listed AS (
    SELECT DISTINCT source_id, true AS listed FROM sources WHERE source_id IS NOT NULL
)
SELECT
    count(*) FILTER (WHERE c.source_id IS NOT NULL AND l.listed IS NULL) AS unknown_source,
    count(*) FILTER (WHERE NOT contains(t.text, norm(c.quote))) AS quote_not_found,
    count(c.claim_id) - count(DISTINCT c.claim_id) AS duplicate_ids
FROM claims c
LEFT JOIN first_text t USING (source_id)
LEFT JOIN listed l USING (source_id);
