-- statistic_agreement: one row per statistic, whether the claims of it agree
-- (DATA-MODEL.md, "Agreement").
--
-- consensus_low, consensus_high: the intersection of the claims' intervals (claim_intervals):
-- the highest low end and the lowest high end, each included only if every claim that sets it
-- includes it (consensus_low_inclusive, consensus_high_inclusive). NULL bounds are open ends,
-- as in claim_intervals; all four columns are NULL when the intervals have no value in common.
-- periods: the distinct stated periods, as written: 2014-01/2017-05, or 2017-06 for a point in
-- time; NULL when no claim states one. Periods are compared by the days they cover, so
-- 2014-01/2017-05 and 2014-01-01/2017-05-31 are the same period.
-- verdict, the first that holds:
--   single_source    every claim is from one source
--   value_conflict   the intervals have no value in common (then some pair of them is disjoint)
--   period_conflict  two claims state different periods
--   consistent       the intervals intersect, and the periods match or are unstated
-- n_meaning_differs: claims whose source gives the number another meaning (claims.meaning); they
-- take part in the verdict like any claim, and claim_conflicts pairs them with reason 'meaning'.
CREATE VIEW statistic_agreement AS
WITH bounded AS (
    SELECT
        i.*,
        c.meaning,
        CASE WHEN c.period_start = c.period_end THEN c.period_start
             ELSE c.period_start || '/' || c.period_end END AS period,
        max(i.value_low) OVER s AS low,
        min(i.value_high) OVER s AS high
    FROM claim_intervals i
    JOIN claims c USING (claim_id)
    WINDOW s AS (PARTITION BY i.statistic_id)
),
per_statistic AS (
    SELECT
        statistic_id,
        count(*) AS n_claims,
        count(DISTINCT source_id) AS n_sources,
        any_value(low) AS low,
        any_value(high) AS high,
        coalesce(bool_and(low_inclusive) FILTER (WHERE value_low = low), false) AS low_inclusive,
        coalesce(bool_and(high_inclusive) FILTER (WHERE value_high = high), false) AS high_inclusive,
        count(DISTINCT (period_from, period_to)) FILTER (WHERE period_from IS NOT NULL) AS n_periods,
        string_agg(DISTINCT period, '; ' ORDER BY period) AS periods,
        count(*) FILTER (WHERE meaning = 'differs') AS n_meaning_differs
    FROM bounded
    GROUP BY statistic_id
),
judged AS (
    SELECT
        *,
        low IS NULL OR high IS NULL OR low < high OR (low = high AND low_inclusive AND high_inclusive) AS intersect
    FROM per_statistic
)
SELECT
    s.statistic_id,
    s.description,
    s.unit,
    coalesce(j.n_claims, 0) AS n_claims,
    coalesce(j.n_sources, 0) AS n_sources,
    CASE WHEN j.intersect THEN j.low END AS consensus_low,
    CASE WHEN j.intersect THEN j.high END AS consensus_high,
    CASE WHEN j.intersect THEN j.low_inclusive END AS consensus_low_inclusive,
    CASE WHEN j.intersect THEN j.high_inclusive END AS consensus_high_inclusive,
    j.periods,
    CASE
        WHEN j.n_claims IS NULL THEN NULL
        WHEN j.n_sources = 1 THEN 'single_source'
        WHEN NOT j.intersect THEN 'value_conflict'
        WHEN j.n_periods > 1 THEN 'period_conflict'
        ELSE 'consistent'
    END AS verdict,
    coalesce(j.n_meaning_differs, 0) AS n_meaning_differs
FROM statistics s
LEFT JOIN judged j USING (statistic_id)
ORDER BY s.statistic_id
