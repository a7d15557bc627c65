-- claim_intervals: the interval of values each claim stands for, one row per claim
-- (DATA-MODEL.md, "From a claim to an interval"):
--
--   exact               [value - step/2, value + step/2]   step: the unit of the last stated digit
--                                                          of value_text (claims.value_step): 675 is
--                                                          [674.5, 675.5], 2.4 million [2.35M, 2.45M]
--   approximately       [value - t|value|, value + t|value|]   t: settings.approximately_tolerance (0.10)
--   nearly              [value - 0.1|value|, value]
--   more_than           (value, open)
--   at_least            [value, open)
--   fewer_than          [0, value)
--   at_most             [0, value]
--   order_of_magnitude  [value, 10 value)
--
-- An open end has a NULL bound and a false *_inclusive: no number lies beyond it. The 0 below
-- fewer_than and at_most holds because counts, shares and amounts are never negative; a
-- percent_change can be, so there the low end is open.
-- Bounds are rounded to 9 decimal places, so that sums binary floating point gets a hair apart
-- (1.4 + 0.05 and 1.5 - 0.05) meet at one number and closed ends that touch do agree.
-- period_from, period_to: the first day of period_start and the last day of period_end, since
-- a reduced-precision date covers its whole span (2014-01 to 2017-05 is 2014-01-01 to
-- 2017-05-31); NULL where the source states no period.
-- quote_start, quote_end: the quote's place in source_texts.text (see source_texts.sql).
CREATE VIEW claim_intervals AS
WITH c AS (
    SELECT
        claims.*,
        statistics.unit,
        settings.approximately_tolerance AS t
    FROM claims
    JOIN statistics USING (statistic_id)
    CROSS JOIN settings
)
SELECT
    claim_id,
    statistic_id,
    source_id,
    value,
    qualifier,
    round(CASE qualifier
        WHEN 'exact' THEN value - value_step / 2
        WHEN 'approximately' THEN value - t * abs(value)
        WHEN 'nearly' THEN value - 0.1 * abs(value)
        WHEN 'more_than' THEN value
        WHEN 'at_least' THEN value
        WHEN 'fewer_than' THEN CASE WHEN unit <> 'percent_change' THEN 0 END
        WHEN 'at_most' THEN CASE WHEN unit <> 'percent_change' THEN 0 END
        WHEN 'order_of_magnitude' THEN value
    END, 9) AS value_low,
    round(CASE qualifier
        WHEN 'exact' THEN value + value_step / 2
        WHEN 'approximately' THEN value + t * abs(value)
        WHEN 'nearly' THEN value
        WHEN 'fewer_than' THEN value
        WHEN 'at_most' THEN value
        WHEN 'order_of_magnitude' THEN 10 * value
    END, 9) AS value_high,
    CASE
        WHEN qualifier = 'more_than' THEN false
        WHEN qualifier IN ('fewer_than', 'at_most') THEN unit <> 'percent_change'
        ELSE true
    END AS low_inclusive,
    qualifier IN ('exact', 'approximately', 'nearly', 'at_most') AS high_inclusive,
    period_from,
    period_to,
    quote_start,
    quote_end
FROM c
ORDER BY claim_id
