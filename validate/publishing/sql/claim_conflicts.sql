-- claim_conflicts: each pair of claims of one statistic that disagree, once per reason.
--
-- claim_a, claim_b: the two claims of the pair (claims.claim_id); claim_b departs, as below.
-- reason: why they disagree:
--   meaning    one claim's meaning is 'same' and the other's 'differs' (claims.meaning)
--   value      their intervals (claim_intervals) share no value
--   period     both state a period, and they are not one period (same_period, interval_macros.sql)
--   qualifier  they state the same value with different qualifiers (675 and approximately 675)
-- A pair with meaning differing has that one row: the two count different things, so their
-- values, periods and hedges need not agree, and the claim that counts the statistic's own
-- thing is never charged for standing apart from one that counts another (30 towns beside 90
-- residents). Value, period and qualifier compare claims of one meaning.
-- claim_b is the claim that departs from the statistic's reading in the row's reason, by
-- claim_fidelity: for value, the one outside the primary interval; for period, the one whose
-- period is changed; for meaning, the one that differs; for qualifier, the one whose qualifier
-- is not the primary's. Where both or neither depart in the row's reason, the pair keeps the
-- order of its other rows: claim_b is the claim that departs alone in another of the pair's
-- reasons, and where none does, claim_a is the smaller claim_id. So a pair is one (claim_a,
-- claim_b) in all its rows, except where each claim departs alone in a reason of its own (one
-- is outside the primary interval, the other changes the period): then each of those rows
-- names its own departing claim claim_b, as charged says, and the pair shows in both orders;
-- count pairs by least(claim_a, claim_b) and greatest(claim_a, claim_b).
-- charged: 'claim_b' when only claim_b departs; 'both' when both depart, or when no reading
-- tells which does; 'neither' when a reading judges both and neither departs from it (650 and
-- 720 against approximately 675: they disagree with each other, both stand with the producer),
-- and for a difference of hedge alone that neither departs in: without a primary reading,
-- "about 70 percent" and "70%" can both be true (their intervals meet, and statistic_agreement
-- calls the statistic consistent), so no reading says which hedge is wrong and no source is
-- charged.
-- source_summary charges a source only with its own claims' departures.
-- Pairs of claims from one source are listed too; source_summary counts only pairs across sources.
-- The rows come in no set order (ORDER BY what you need): a statistic of n claims has up to
-- n(n-1)/2 pairs, and an order inside the view would hold every one of them in memory before
-- the first row, even for a WHERE or a LIMIT. Each pair is made in one pass, not one per
-- reason, for the same cause.
CREATE VIEW claim_conflicts AS
WITH pairs AS (
    SELECT
        a.statistic_id,
        a.claim_id AS x,
        b.claim_id AS y,
        fa.meaning <> fb.meaning AS meaning_differs,
        fa.meaning = fb.meaning AND NOT intervals_meet(
            a.value_low, a.value_high, a.low_inclusive, a.high_inclusive,
            b.value_low, b.value_high, b.low_inclusive, b.high_inclusive
        ) AS value_disjoint,
        fa.meaning = fb.meaning
            AND coalesce(NOT same_period(a.period_from, a.period_to, a.period_point, b.period_from, b.period_to, b.period_point), false)
            AS period_differs,
        fa.meaning = fb.meaning AND abs(a.value - b.value) <= 1e-9 * greatest(abs(a.value), 1) AND a.qualifier <> b.qualifier
            AS qualifier_differs,
        fa.value_fidelity = 'outside' AS x_value, fb.value_fidelity = 'outside' AS y_value,
        fa.period_fidelity = 'changed' AS x_period, fb.period_fidelity = 'changed' AS y_period,
        fa.meaning = 'differs' AS x_meaning, fb.meaning = 'differs' AS y_meaning,
        fa.qualifier_fidelity IN ('dropped', 'added', 'changed') AS x_qualifier,
        fb.qualifier_fidelity IN ('dropped', 'added', 'changed') AS y_qualifier,
        -- Whether a primary reading judges both claims' value, and both claims' period.
        fa.value_fidelity <> 'unknown' AND fb.value_fidelity <> 'unknown' AS value_judged,
        fa.period_fidelity <> 'unknown' AND fb.period_fidelity <> 'unknown' AS period_judged
    FROM claim_intervals a
    JOIN claim_intervals b ON a.statistic_id = b.statistic_id AND a.claim_id < b.claim_id
    JOIN claim_fidelity fa ON fa.claim_id = a.claim_id
    JOIN claim_fidelity fb ON fb.claim_id = b.claim_id
),
oriented AS (
    SELECT
        *,
        -- Whether x (y) departs, and the other does not, in some reason of the pair.
        (meaning_differs AND x_meaning AND NOT y_meaning) OR (value_disjoint AND x_value AND NOT y_value)
            OR (period_differs AND x_period AND NOT y_period) OR (qualifier_differs AND x_qualifier AND NOT y_qualifier)
            AS x_alone,
        (meaning_differs AND y_meaning AND NOT x_meaning) OR (value_disjoint AND y_value AND NOT x_value)
            OR (period_differs AND y_period AND NOT x_period) OR (qualifier_differs AND y_qualifier AND NOT x_qualifier)
            AS y_alone
    FROM pairs
    WHERE meaning_differs OR value_disjoint OR period_differs OR qualifier_differs
),
reasons AS (
    -- judged: a reading tells whether each claim departs in this reason. A meaning differs by
    -- the claims themselves; a difference of hedge that neither departs in charges no one either
    -- way (above).
    SELECT
        statistic_id,
        x,
        y,
        r.reason,
        CASE r.reason WHEN 'meaning' THEN meaning_differs WHEN 'value' THEN value_disjoint
            WHEN 'period' THEN period_differs ELSE qualifier_differs END AS differs,
        CASE r.reason WHEN 'meaning' THEN x_meaning WHEN 'value' THEN x_value
            WHEN 'period' THEN x_period ELSE x_qualifier END AS x_departs,
        CASE r.reason WHEN 'meaning' THEN y_meaning WHEN 'value' THEN y_value
            WHEN 'period' THEN y_period ELSE y_qualifier END AS y_departs,
        CASE r.reason WHEN 'value' THEN value_judged WHEN 'period' THEN period_judged ELSE true END AS judged,
        x_alone AND NOT y_alone AS x_second
    FROM oriented
    CROSS JOIN (VALUES ('meaning'), ('value'), ('period'), ('qualifier')) AS r (reason)
)
SELECT
    statistic_id,
    CASE WHEN (x_departs AND NOT y_departs) OR (x_departs = y_departs AND x_second) THEN y ELSE x END AS claim_a,
    CASE WHEN (x_departs AND NOT y_departs) OR (x_departs = y_departs AND x_second) THEN x ELSE y END AS claim_b,
    reason,
    CASE
        WHEN x_departs <> y_departs THEN 'claim_b'
        WHEN NOT x_departs AND judged THEN 'neither'
        ELSE 'both'
    END AS charged
FROM reasons
WHERE differs
