-- claim_conflicts: each pair of claims of one statistic that disagree, once per reason, with
-- claim_a < claim_b:
--   value    their intervals (claim_intervals) are disjoint: one ends before the other begins,
--            or they touch at a value that one of them leaves out
--   period   both state a period, and the periods cover different days
--   meaning  one claim's meaning is 'same' and the other's 'differs' (claims.meaning)
-- Pairs of claims from one source are listed too; source_summary counts only pairs across sources.
CREATE VIEW claim_conflicts AS
WITH pairs AS (
    SELECT
        a.statistic_id,
        a.claim_id AS claim_a,
        b.claim_id AS claim_b,
        coalesce(
            a.value_high < b.value_low OR (a.value_high = b.value_low AND NOT (a.high_inclusive AND b.low_inclusive))
            OR b.value_high < a.value_low OR (b.value_high = a.value_low AND NOT (b.high_inclusive AND a.low_inclusive)),
            false
        ) AS value_disjoint,
        coalesce(a.period_from <> b.period_from OR a.period_to <> b.period_to, false) AS period_differs,
        (ca.meaning = 'same' AND cb.meaning = 'differs') OR (ca.meaning = 'differs' AND cb.meaning = 'same')
            AS meaning_differs
    FROM claim_intervals a
    JOIN claim_intervals b ON a.statistic_id = b.statistic_id AND a.claim_id < b.claim_id
    JOIN claims ca ON ca.claim_id = a.claim_id
    JOIN claims cb ON cb.claim_id = b.claim_id
)
SELECT statistic_id, claim_a, claim_b, reason
FROM (
    SELECT statistic_id, claim_a, claim_b, 'value' AS reason FROM pairs WHERE value_disjoint
    UNION ALL
    SELECT statistic_id, claim_a, claim_b, 'period' FROM pairs WHERE period_differs
    UNION ALL
    SELECT statistic_id, claim_a, claim_b, 'meaning' FROM pairs WHERE meaning_differs
)
ORDER BY statistic_id, claim_a, claim_b, reason
