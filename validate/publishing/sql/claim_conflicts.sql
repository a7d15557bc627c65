-- claim_conflicts: each pair of claims of one statistic that disagree, once per reason:
--   value      their intervals (claim_intervals) share no value
--   period     both state a period, and they are not one period (same_period, interval_macros.sql)
--   meaning    one claim's meaning is 'same' and the other's 'differs' (claims.meaning)
--   qualifier  they state the same value with different qualifiers (675 and approximately 675)
-- claim_b is the claim that departs from the statistic's reading, by claim_fidelity: for value,
-- the one outside the primary interval; for period, the one whose period is changed; for
-- meaning, the one that differs; for qualifier, the one whose qualifier is not the primary's.
-- Where no reading judges both claims in a reason and one of them counts something else
-- (meaning 'differs') while the other counts the statistic, the reframing claim departs: 30
-- towns and 90 residents disagree in value because one counts residents, so the source of "30
-- towns" is not charged. When both or neither depart (without a primary reading there is no
-- reading to depart from, except in meaning), claim_a is the smaller claim_id. So one pair may
-- stand in one order for one reason and the other order for another: to count pairs, group by
-- least(claim_a, claim_b) and greatest(claim_a, claim_b).
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
        fa.meaning = 'differs' AND fb.meaning <> 'differs' AS x_reframes,
        fb.meaning = 'differs' AND fa.meaning <> 'differs' AS y_reframes,
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
    -- way (above). A claim that counts something else (meaning 'differs') beside one that counts
    -- the statistic is the departure in every reason where no reading judges both: the faithful
    -- claim is not charged with the gap its reframing makes.
    -- The reasons are a table of four rows joined to the pairs, not four selects of them: a CTE
    -- read four times is materialised, every pair in memory (4,000 claims of one statistic, 8
    -- million pairs, went past `claims sql`'s 1 GB; one pass streams them).
    SELECT statistic_id, x, y, r.reason,
        CASE r.reason WHEN 'value' THEN x_value WHEN 'period' THEN x_period
                      WHEN 'meaning' THEN x_meaning ELSE x_qualifier END
            OR (r.reason <> 'meaning' AND x_reframes AND NOT judged_here) AS x_departs,
        CASE r.reason WHEN 'value' THEN y_value WHEN 'period' THEN y_period
                      WHEN 'meaning' THEN y_meaning ELSE y_qualifier END
            OR (r.reason <> 'meaning' AND y_reframes AND NOT judged_here) AS y_departs,
        judged_here OR x_reframes OR y_reframes AS judged
    FROM (
        SELECT pairs.*, r.reason,
            CASE r.reason WHEN 'value' THEN value_judged WHEN 'period' THEN period_judged ELSE true END AS judged_here
        FROM pairs CROSS JOIN (VALUES ('value'), ('period'), ('meaning'), ('qualifier')) r(reason)
        WHERE CASE r.reason WHEN 'value' THEN value_disjoint WHEN 'period' THEN period_differs
                            WHEN 'meaning' THEN meaning_differs ELSE qualifier_differs END
    ) r
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
-- No ORDER BY: the view grows as the square of a statistic's claims, and a view that sorts is
-- sorted whole wherever it is read (source_summary, a count, a LIMIT), every pair in memory at
-- once. A query orders what it keeps: ORDER BY statistic_id, claim_a, claim_b, reason.
