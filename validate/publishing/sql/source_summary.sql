-- source_summary: one row per source: its claims, the statistics they cite, its claims by
-- fidelity label (claim_fidelity), and n_conflicting_claims: its claims that claim_conflicts
-- charges in a conflict with a claim of another source. A claim is charged when it is the
-- departing claim_b, or when it cannot be told which of the two departs (charged = 'both'):
-- a source is never charged with a departure of another source's claim, a source that
-- contradicts only itself has none, and a pair that a reading judges and neither claim departs
-- from, or a difference of hedge that neither departs in (charged = 'neither'), charges no one.
--
-- n_claims, n_statistics: the source's claims, and the distinct statistics they cite.
-- n_faithful, n_rounded, n_period_dropped, n_hedge_dropped, n_period_changed, n_reframed, n_outside, n_unverified:
--   its claims by claim_fidelity.label, one column per label.
-- n_conflicting_claims: its claims that claim_conflicts charges in a conflict with a claim of
--   another source, as above.
CREATE VIEW source_summary AS
WITH conflicting AS (
    -- One pass over the pairs, each row naming the claims it charges, kept only as distinct
    -- claim ids: claim_conflicts has up to n(n-1)/2 rows for a statistic of n claims, and a
    -- second pass (a UNION of the 'both' rows) or the pairs on the build side of a join held
    -- them all in memory (4,000 claims of one statistic: past `claims sql`'s 1 GB).
    SELECT DISTINCT unnest(CASE k.charged WHEN 'both' THEN [k.claim_a, k.claim_b] WHEN 'claim_b' THEN [k.claim_b] ELSE [] END)
        AS claim_id
    FROM claim_conflicts k
    JOIN (SELECT claim_id, source_id FROM claims) a ON a.claim_id = k.claim_a
    JOIN (SELECT claim_id, source_id FROM claims) b ON b.claim_id = k.claim_b
    WHERE a.source_id <> b.source_id
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
