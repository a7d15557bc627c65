-- statistic_agreement: one row per statistic, whether its citations agree with each other and
-- with the producer's own reading (docs/contract.md, "The views of the database").
--
-- n_claims, n_sources: all claims of the statistic and their distinct sources.
-- primary_low, primary_high (+ _inclusive), primary_period: the primary reading's interval
-- (primary_intervals) and period; NULL without a primary reading.
-- consensus_low, consensus_high (+ _inclusive): the intersection of the intervals of the claims
-- with meaning = 'same' only: a claim that counts something else never narrows or widens it.
-- Nor does a claim that drops the primary reading's hedge (claim_fidelity.qualifier_fidelity =
-- 'dropped'): "675" for the producer's "approximately 675" would make the consensus
-- [674.5, 675.5], more precise than the producer itself; n_hedge_dropped counts those claims.
-- A claim outside the primary interval stays in, hedge or not: its conflict must show.
-- The highest low end and the lowest high end, each included only if every claim that sets it
-- includes it; NULL bounds are open ends; all four are NULL when those intervals have no value
-- in common, or when no claim has meaning = 'same'.
-- periods: the distinct stated periods of the claims with meaning = 'same', those that drop the
-- hedge included, as written (2014-01/2017-05, or 2017-06 for a point in time).
-- n_meaning_differs, n_reframed: claims whose source gives the number another meaning, and
-- claims labelled reframed (claim_fidelity; a reframed claim outside the primary interval is
-- labelled outside instead).
-- n_hedge_dropped: claims that drop the primary reading's hedge.
-- verdict: over the claims with meaning = 'same' and the primary reading (the "voices"), the
-- first that holds:
--   NULL             no claim cites the statistic
--   single_source    fewer than two voices: those claims come from one source and there is no
--                    primary reading (or there is one and no such claim)
--   value_conflict   the intervals of the consensus claims and the primary reading have no
--                    value in common (a claim that drops the hedge is kept out of this vote, as
--                    out of the consensus: within the primary interval, its narrower interval
--                    is the producer's figure stated too precisely, no figure of its own)
--   period_conflict  two voices state periods that are not one (same_period in
--                    interval_macros.sql: spans by their days, points in time by the time they
--                    name, so 2018-01 and 2018-01-24 are one)
--   consistent       the intervals meet, and the stated periods are one
-- A claim that drops the hedge still votes on the period: "675" of 2018 against the producer's
-- approximately 675 of January 2014 to May 2017 states another period, hedge or not.
CREATE VIEW statistic_agreement AS
WITH claims_j AS (
    SELECT
        i.*,
        c.meaning,
        f.label,
        f.qualifier_fidelity,
        CASE WHEN c.period_start = c.period_end THEN c.period_start
             ELSE c.period_start || '/' || c.period_end END AS period
    FROM claim_intervals i
    JOIN claims c USING (claim_id)
    JOIN claim_fidelity f USING (claim_id)
),
all_claims AS (
    SELECT
        statistic_id,
        count(*) AS n_claims,
        count(DISTINCT source_id) AS n_sources,
        count(*) FILTER (WHERE meaning = 'differs') AS n_meaning_differs,
        count(*) FILTER (WHERE label = 'reframed') AS n_reframed,
        count(*) FILTER (WHERE qualifier_fidelity = 'dropped') AS n_hedge_dropped
    FROM claims_j
    GROUP BY statistic_id
),
same_meaning AS (
    SELECT *, NOT (qualifier_fidelity = 'dropped' AND label <> 'outside') AS in_consensus
    FROM claims_j
    WHERE meaning = 'same'
),
same AS (
    SELECT *, max(value_low) OVER s AS low, min(value_high) OVER s AS high
    FROM same_meaning
    WHERE in_consensus
    WINDOW s AS (PARTITION BY statistic_id)
),
consensus AS (
    SELECT
        statistic_id,
        any_value(low) AS low,
        any_value(high) AS high,
        coalesce(bool_and(low_inclusive) FILTER (WHERE value_low = low), false) AS low_inclusive,
        coalesce(bool_and(high_inclusive) FILTER (WHERE value_high = high), false) AS high_inclusive
    FROM same
    GROUP BY statistic_id
),
stated AS (
    SELECT
        statistic_id,
        count(DISTINCT source_id) AS n_same_sources,
        string_agg(DISTINCT period, '; ' ORDER BY period) AS periods
    FROM same_meaning
    GROUP BY statistic_id
),
voices AS (
    SELECT statistic_id, in_consensus, value_low, value_high, low_inclusive, high_inclusive, period_from, period_to,
        period_point
    FROM same_meaning
    UNION ALL
    SELECT statistic_id, true, value_low, value_high, low_inclusive, high_inclusive, period_from, period_to, period_point
    FROM primary_intervals
),
voice_bounds AS (
    -- A NULL bound is an open end, which max and min pass over: so do they the bounds of a claim
    -- kept out of the value vote.
    SELECT
        *,
        max(CASE WHEN in_consensus THEN value_low END) OVER s AS low,
        min(CASE WHEN in_consensus THEN value_high END) OVER s AS high
    FROM voices
    WINDOW s AS (PARTITION BY statistic_id)
),
voiced AS (
    SELECT
        statistic_id,
        any_value(low) AS low,
        any_value(high) AS high,
        coalesce(bool_and(low_inclusive) FILTER (WHERE in_consensus AND value_low = low), false) AS low_inclusive,
        coalesce(bool_and(high_inclusive) FILTER (WHERE in_consensus AND value_high = high), false) AS high_inclusive,
        -- same_period over every pair, at once (interval_macros.sql, below same_period)
        coalesce(NOT same_period(
            min(period_from), min(period_to), bool_and(period_point),
            max(period_from), max(period_to), bool_and(period_point)
        ), false) AS periods_differ
    FROM voice_bounds
    GROUP BY statistic_id
),
judged AS (
    SELECT
        s.statistic_id,
        a.n_claims,
        p.statistic_id IS NOT NULL AS has_primary,
        coalesce(t.n_same_sources, 0) + CASE WHEN p.statistic_id IS NOT NULL THEN 1 ELSE 0 END AS n_voices,
        k.low IS NULL OR k.high IS NULL OR k.low < k.high
            OR (k.low = k.high AND k.low_inclusive AND k.high_inclusive) AS consensus_meets,
        v.low IS NULL OR v.high IS NULL OR v.low < v.high
            OR (v.low = v.high AND v.low_inclusive AND v.high_inclusive) AS voices_meet,
        coalesce(v.periods_differ, false) AS periods_differ
    FROM statistics s
    LEFT JOIN all_claims a USING (statistic_id)
    LEFT JOIN consensus k USING (statistic_id)
    LEFT JOIN stated t USING (statistic_id)
    LEFT JOIN voiced v USING (statistic_id)
    LEFT JOIN primary_intervals p USING (statistic_id)
)
SELECT
    s.statistic_id,
    s.description,
    s.unit,
    coalesce(a.n_claims, 0) AS n_claims,
    coalesce(a.n_sources, 0) AS n_sources,
    p.value_low AS primary_low,
    p.value_high AS primary_high,
    p.low_inclusive AS primary_low_inclusive,
    p.high_inclusive AS primary_high_inclusive,
    CASE WHEN s.primary_period_start = s.primary_period_end THEN s.primary_period_start
         ELSE s.primary_period_start || '/' || s.primary_period_end END AS primary_period,
    CASE WHEN k.statistic_id IS NOT NULL AND j.consensus_meets THEN k.low END AS consensus_low,
    CASE WHEN k.statistic_id IS NOT NULL AND j.consensus_meets THEN k.high END AS consensus_high,
    CASE WHEN k.statistic_id IS NOT NULL AND j.consensus_meets THEN k.low_inclusive END AS consensus_low_inclusive,
    CASE WHEN k.statistic_id IS NOT NULL AND j.consensus_meets THEN k.high_inclusive END AS consensus_high_inclusive,
    t.periods,
    CASE
        WHEN a.n_claims IS NULL THEN NULL
        WHEN j.n_voices < 2 THEN 'single_source'
        WHEN NOT j.voices_meet THEN 'value_conflict'
        WHEN j.periods_differ THEN 'period_conflict'
        ELSE 'consistent'
    END AS verdict,
    coalesce(a.n_meaning_differs, 0) AS n_meaning_differs,
    coalesce(a.n_reframed, 0) AS n_reframed,
    coalesce(a.n_hedge_dropped, 0) AS n_hedge_dropped
FROM statistics s
JOIN judged j USING (statistic_id)
LEFT JOIN all_claims a USING (statistic_id)
LEFT JOIN consensus k USING (statistic_id)
LEFT JOIN stated t USING (statistic_id)
LEFT JOIN primary_intervals p USING (statistic_id)
ORDER BY s.statistic_id
