-- source_summary: one row per source: its claims, the statistics they cite, its claims by
-- fidelity label (claim_fidelity), and n_conflicting_claims: its claims that claim_conflicts
-- charges in a conflict with a claim of another source. A claim is charged when it is the
-- departing claim_b, or when it cannot be told which of the two departs (charged = 'both'):
-- a source is never charged with a departure of another source's claim, a source that
-- contradicts only itself has none, and a pair that a reading judges and neither claim departs
-- from, or a difference of hedge that neither departs in (charged = 'neither'), charges no one.
CREATE VIEW source_summary AS
WITH charged AS (
    -- claim_b of each pair that charges anyone, and claim_a too where it charges both. One read
    -- of claim_conflicts: read twice (a UNION of two selects), DuckDB holds every pair in memory
    -- to share it between them, and the view grows as the square of a statistic's claims.
    SELECT
        CASE WHEN side.a THEN k.claim_a ELSE k.claim_b END AS claim_id,
        CASE WHEN side.a THEN k.claim_b ELSE k.claim_a END AS other
    FROM claim_conflicts k CROSS JOIN (VALUES (false), (true)) side(a)
    WHERE k.charged <> 'neither' AND (NOT side.a OR k.charged = 'both')
),
conflicting AS (
    SELECT DISTINCT x.claim_id
    FROM charged x
    JOIN claims c ON c.claim_id = x.claim_id
    JOIN claims o ON o.claim_id = x.other
    WHERE c.source_id <> o.source_id
)
SELECT
    s.source_id,
    s.title,
    count(f.claim_id) AS n_claims,
    count(DISTINCT f.statistic_id) AS n_statistics,
    count(*) FILTER (WHERE f.label = 'faithful') AS n_faithful,
    count(*) FILTER (WHERE f.label = 'rounded') AS n_rounded,
    count(*) FILTER (WHERE f.label = 'period_dropped') AS n_period_dropped,
    count(*) FILTER (WHERE f.label = 'hedge_dropped') AS n_hedge_dropped,
    count(*) FILTER (WHERE f.label = 'period_changed') AS n_period_changed,
    count(*) FILTER (WHERE f.label = 'reframed') AS n_reframed,
    count(*) FILTER (WHERE f.label = 'outside') AS n_outside,
    count(*) FILTER (WHERE f.label = 'unverified') AS n_unverified,
    count(k.claim_id) AS n_conflicting_claims
FROM sources s
LEFT JOIN claim_fidelity f ON f.source_id = s.source_id
LEFT JOIN conflicting k ON k.claim_id = f.claim_id
GROUP BY s.source_id, s.title
ORDER BY s.source_id
