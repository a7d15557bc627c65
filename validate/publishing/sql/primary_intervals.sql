-- primary_intervals: the interval of each statistic's primary reading (statistics.primary_*),
-- by the same rules as a claim's (interval_macros.sql). An exact primary value is taken to its
-- last written digit (statistics.primary_value_step: 40 is [39.5, 40.5], 1.4 is [1.35, 1.45]).
-- One row per statistic that has a primary reading.
--
-- value, qualifier: statistics.primary_value and primary_qualifier.
-- value_low, value_high, low_inclusive, high_inclusive: the interval they stand for, as in
--   claim_intervals; a NULL bound is an open end (more than 29,269 has no high end).
-- period_from, period_to: the first day of primary_period_start and the last day of
--   primary_period_end; NULL where the reading states no period.
-- period_point: the primary period is a point in time (start = end as written), as claim_intervals'.
CREATE VIEW primary_intervals AS
SELECT
    s.statistic_id,
    s.primary_value AS value,
    s.primary_qualifier AS qualifier,
    interval_low(s.primary_qualifier, s.primary_value, s.primary_value_step, s.unit, t.approximately_tolerance)
        AS value_low,
    interval_high(s.primary_qualifier, s.primary_value, s.primary_value_step, s.unit, t.approximately_tolerance)
        AS value_high,
    low_inclusive(s.primary_qualifier, s.primary_value, s.primary_value_step, s.unit, t.approximately_tolerance)
        AS low_inclusive,
    high_inclusive(s.primary_qualifier, s.primary_value, s.primary_value_step, s.unit, t.approximately_tolerance)
        AS high_inclusive,
    s.primary_period_from AS period_from,
    s.primary_period_to AS period_to,
    s.primary_period_start = s.primary_period_end AS period_point
FROM statistics s
CROSS JOIN settings t
WHERE s.primary_value IS NOT NULL
ORDER BY s.statistic_id
