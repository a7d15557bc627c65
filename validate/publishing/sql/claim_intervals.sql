-- claim_intervals: the interval of values each claim stands for, one row per claim, by the
-- rules of interval_macros.sql (step: claims.value_step, the unit of the last stated digit of
-- value_text; t: settings.approximately_tolerance).
-- value_low, value_high, low_inclusive, high_inclusive: that interval; a NULL bound is an open
--   end (more than 29,269 has no high end); low_inclusive and high_inclusive say whether each
--   bound itself is in it.
-- period_from, period_to: the first day of period_start and the last day of period_end, since
-- a reduced-precision date covers its whole span (2014-01 to 2017-05 is 2014-01-01 to
-- 2017-05-31); NULL where the source states no period.
-- period_point: the period is a point in time (period_start = period_end as written), which
--   same_period (interval_macros.sql) compares by the time it names, not by the days it covers.
-- duration: as claims.duration.
-- quote_start, quote_end: the quote's place in source_texts.text, in code points, start
-- included, end excluded, like a W3C TextPositionSelector (see source_texts.sql).
-- value_start, value_end: the place of value_text's first occurrence inside that passage.
-- inside_quotation_marks: the value stands inside double quotation marks in the source (the
-- source quotes someone rather than paraphrasing): within its paragraph, more opening marks
-- than closing ones (curly, guillemets) or an odd number of straight ones come before it.
-- Single quotes are not counted: the same character is the apostrophe.
--
-- The claims' columns are named one by one, never claims.*: a column a schema adds to claims
-- would otherwise stand beside (or take the place of) statistics.unit or t below.
CREATE VIEW claim_intervals AS
WITH c AS (
    SELECT
        claims.claim_id,
        claims.statistic_id,
        claims.source_id,
        claims.value,
        claims.qualifier,
        claims.value_step,
        claims.period_start,
        claims.period_end,
        claims.period_from,
        claims.period_to,
        claims.period_basis,
        claims.duration,
        claims.quote_start,
        claims.quote_end,
        claims.value_start,
        claims.value_end,
        claims.inside_quotation_marks,
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
    interval_low(qualifier, value, value_step, unit, t) AS value_low,
    interval_high(qualifier, value, value_step, unit, t) AS value_high,
    low_inclusive(qualifier, value, value_step, unit, t) AS low_inclusive,
    high_inclusive(qualifier, value, value_step, unit, t) AS high_inclusive,
    period_from,
    period_to,
    period_start = period_end AS period_point,
    period_basis,
    duration,
    quote_start,
    quote_end,
    value_start,
    value_end,
    inside_quotation_marks
FROM c
ORDER BY claim_id
