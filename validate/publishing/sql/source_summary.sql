-- source_summary: one row per source.
-- n_conflicting_claims: claims of the source that claim_conflicts pairs, for any reason, with a
-- claim of another source; a source that contradicts only itself has none.
CREATE VIEW source_summary AS
WITH across_sources AS (
    SELECT k.claim_a AS claim_id, k.claim_b AS other FROM claim_conflicts k
    UNION ALL
    SELECT k.claim_b, k.claim_a FROM claim_conflicts k
),
conflicting AS (
    SELECT DISTINCT x.claim_id
    FROM across_sources x
    JOIN claims c ON c.claim_id = x.claim_id
    JOIN claims o ON o.claim_id = x.other
    WHERE c.source_id <> o.source_id
)
SELECT
    s.source_id,
    s.title,
    count(c.claim_id) AS n_claims,
    count(DISTINCT c.statistic_id) AS n_statistics,
    count(k.claim_id) AS n_conflicting_claims
FROM sources s
LEFT JOIN claims c ON c.source_id = s.source_id
LEFT JOIN conflicting k ON k.claim_id = c.claim_id
GROUP BY s.source_id, s.title
ORDER BY s.source_id
