-- claim_conflicts: each pair of claims of one statistic that disagree, once per reason:
--   value      their intervals (claim_intervals) share no value
--   period     both state a period, and they are not one period (same_period, interval_macros.sql)
--   meaning    one claim's meaning is 'same' and the other's 'differs' (claims.meaning)
--   qualifier  they state the same value with different qualifiers (675 and approximately 675)
-- claim_b is the claim that departs from the statistic's reading, by claim_fidelity: for value,
-- the one outside the primary interval; for period, the one whose period is changed; for
-- meaning, the one that differs; for qualifier, the one whose qualifier is not the primary's.
-- When both or neither depart (without a primary reading there is no reading to depart from,
-- except in meaning), claim_a is the smaller claim_id.
-- charged: 'claim_b' when only claim_b departs; 'both' when both depart, or when no reading
-- tells which does; 'neither' when a reading judges both and neither departs from it (650 and
-- 720 against approximately 675: they disagree with each other, both stand with the producer),
-- and for a difference of hedge alone that neither departs in: without a primary reading,
-- "about 70 percent" and "70%" can both be true (their intervals meet, and statistic_agreement
-- calls the statistic consistent), so no reading says which hedge is wrong and no source is
-- charged.
-- source_summary charges a source only with its own claims' departures.
-- Pairs of claims from one source are listed too; source_summary counts only pairs across sources.
CREATE VIEW claim_conflicts AS
WITH pairs AS (
    SELECT
        a.statistic_id,
        a.claim_id AS x,
        b.claim_id AS y,
        NOT intervals_meet(
            a.value_low, a.value_high, a.low_inclusive, a.high_inclusive,
            b.value_low, b.value_high, b.low_inclusive, b.high_inclusive
        ) AS value_disjoint,
        coalesce(NOT same_period(a.period_from, a.period_to, a.period_point, b.period_from, b.period_to, b.period_point), false)
            AS period_differs,
        fa.meaning <> fb.meaning AS meaning_differs,
        abs(a.value - b.value) <= 1e-9 * greatest(abs(a.value), 1) AND a.qualifier <> b.qualifier AS qualifier_differs,
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
reasons AS (
    -- judged: a reading tells whether each claim departs in this reason. A meaning differs by
    -- the claims themselves; a difference of hedge that neither departs in charges no one either
    -- way (above).
    SELECT statistic_id, x, y, 'value' AS reason, x_value AS x_departs, y_value AS y_departs, value_judged AS judged
    FROM pairs WHERE value_disjoint
    UNION ALL
    SELECT statistic_id, x, y, 'period', x_period, y_period, period_judged FROM pairs WHERE period_differs
    UNION ALL
    SELECT statistic_id, x, y, 'meaning', x_meaning, y_meaning, true FROM pairs WHERE meaning_differs
    UNION ALL
    SELECT statistic_id, x, y, 'qualifier', x_qualifier, y_qualifier, true FROM pairs WHERE qualifier_differs
)
SELECT
    statistic_id,
    CASE WHEN x_departs AND NOT y_departs THEN y ELSE x END AS claim_a,
    CASE WHEN x_departs AND NOT y_departs THEN x ELSE y END AS claim_b,
    reason,
    CASE
        WHEN x_departs <> y_departs THEN 'claim_b'
        WHEN NOT x_departs AND judged THEN 'neither'
        ELSE 'both'
    END AS charged
FROM reasons
ORDER BY statistic_id, claim_a, claim_b, reason
