-- interval_macros: how a value and its qualifier become an interval, and whether two intervals
-- meet; one definition for claim_intervals, primary_intervals and the views that compare them
-- (the contract, "From a claim to an interval"):
--
--   exact               [value - step/2, value + step/2]   step: the unit of the last stated digit
--                                                          (675 is [674.5, 675.5], 2.4 million
--                                                          [2.35M, 2.45M])
--   approximately       [value - t|value|, value + t|value|]   t: settings.approximately_tolerance
--   nearly              [value - 0.1|value|, value]
--   more_than           (value, open)
--   at_least            [value, open)
--   fewer_than          [0, value)
--   at_most             [0, value]
--   order_of_magnitude  [value, 10 value)
--
-- An open end is a NULL bound with a false *_inclusive: no number lies beyond it. The 0 below
-- fewer_than and at_most holds because counts, shares and amounts are never negative; a
-- percent_change can be, so there the low end is open.
-- A bound never leaves what its unit can be: none below 0 but a percent_change's ("zero" is
-- [0, 0.5], not [-0.5, 0.5]), and no percent (a share, 0 to 100: the check's
-- percent-out-of-range) above 100 ("all" is [99.5, 100], "about 95 percent" [85.5, 100]). An
-- open end stays open: "more than half" is (50, open), as the contract writes it.
-- Bounds are rounded to 9 decimal places, so that sums binary floating point gets a hair apart
-- (1.4 + 0.05 and 1.5 - 0.05) meet at one number and closed ends that touch do agree.

-- A bound as its unit allows it (NULL, an open end, stays NULL).
CREATE MACRO above_zero(x, unit) AS CASE WHEN x < 0 AND unit <> 'percent_change' THEN 0 ELSE x END;

CREATE MACRO below_hundred(x, unit) AS CASE WHEN x > 100 AND unit = 'percent' THEN 100 ELSE x END;

-- The bounds before that: what the qualifier alone makes of the value.
CREATE MACRO stated_low(qualifier, value, step, unit, t) AS round(CASE qualifier
    WHEN 'exact' THEN value - step / 2
    WHEN 'approximately' THEN value - t * abs(value)
    WHEN 'nearly' THEN value - 0.1 * abs(value)
    WHEN 'more_than' THEN value
    WHEN 'at_least' THEN value
    WHEN 'fewer_than' THEN CASE WHEN unit <> 'percent_change' THEN 0 END
    WHEN 'at_most' THEN CASE WHEN unit <> 'percent_change' THEN 0 END
    WHEN 'order_of_magnitude' THEN value
END, 9);

CREATE MACRO stated_high(qualifier, value, step, unit, t) AS round(CASE qualifier
    WHEN 'exact' THEN value + step / 2
    WHEN 'approximately' THEN value + t * abs(value)
    WHEN 'nearly' THEN value
    WHEN 'fewer_than' THEN value
    WHEN 'at_most' THEN value
    WHEN 'order_of_magnitude' THEN 10 * value
END, 9);

CREATE MACRO interval_low(qualifier, value, step, unit, t) AS above_zero(stated_low(qualifier, value, step, unit, t), unit);

CREATE MACRO interval_high(qualifier, value, step, unit, t) AS
    below_hundred(stated_high(qualifier, value, step, unit, t), unit);

-- A bound moved to what its unit can be is that value, which the unit allows, so it is included:
-- "more than -5" of a count is [0, open), an order of magnitude of 20 percent [20, 100]. An open
-- end (NULL) is never included.
CREATE MACRO low_inclusive(qualifier, value, step, unit, t) AS CASE
    WHEN stated_low(qualifier, value, step, unit, t) < 0 AND unit <> 'percent_change' THEN true
    WHEN qualifier = 'more_than' THEN false
    WHEN qualifier IN ('fewer_than', 'at_most') THEN unit <> 'percent_change'
    ELSE true
END;

CREATE MACRO high_inclusive(qualifier, value, step, unit, t) AS
    qualifier IN ('exact', 'approximately', 'nearly', 'at_most')
    OR coalesce(stated_high(qualifier, value, step, unit, t) > 100 AND unit = 'percent', false);

-- An implied bound as a view shows it. A share's bound divides by an operand's, which can be past the
-- range of a double (1e300 over 1e-40) or undefined (0 over 0); no value is past 1e300 (the
-- check's LARGEST_NUMBER), so a high past the range, or a low below it, is no bound at all (NULL,
-- an open end), and a low past the range is above every value: the largest double, finite, where
-- JSON would write infinity as null and so as an open end. Undefined is open too.
CREATE MACRO implied_low(x) AS CASE
    WHEN isnan(x) OR x = '-inf'::DOUBLE THEN NULL
    WHEN x = 'inf'::DOUBLE THEN 1.7976931348623157e308
    ELSE x
END;

CREATE MACRO implied_high(x) AS CASE
    WHEN isnan(x) OR x = 'inf'::DOUBLE THEN NULL
    WHEN x = '-inf'::DOUBLE THEN -1.7976931348623157e308
    ELSE x
END;

-- Whether two stated periods are one period: claim_fidelity's 'kept', the period conflicts of
-- claim_conflicts and statistic_agreement, and relation_checks' periods. A period with a length
-- is the days it covers, and another span is another period, narrower or wider: a count over
-- 2016 is not the count over January 2014 to May 2017 that holds it, nor is a count over 2010 to
-- 2020. A point in time (start = end as written, the contract's "as of June 2017") is one time,
-- named to its date's precision: two points are one when one's span holds the other's, the same
-- time stated more or less precisely (2018-01 and 2018-01-24; 2019 and 2019-07). Calendar years,
-- months and days nest or lie apart, so for points holding is overlapping. NULL when either
-- states no period.
-- Whether many periods are all one (statistic_agreement's voices, relation_checks' members),
-- without comparing every pair: same_period of their two extremes, (min(from), min(to)) and
-- (max(from), max(to)), points in time only if all are (bool_and). Where one is a span, the
-- extremes are one exactly when every period has the same days; where all are points, exactly
-- when the latest start is not after the earliest end, that is (calendar units nesting) when
-- they are one pairwise.
CREATE MACRO same_period(a_from, a_to, a_point, b_from, b_to, b_point) AS
    (a_from = b_from AND a_to = b_to) OR (a_point AND b_point AND a_from <= b_to AND b_from <= a_to);

-- Whether intervals a and b share a value: neither ends before the other begins, and where they
-- touch, both include the point. NULL bounds are open ends.
CREATE MACRO intervals_meet(a_low, a_high, a_low_inc, a_high_inc, b_low, b_high, b_low_inc, b_high_inc) AS NOT coalesce(
    a_high < b_low OR (a_high = b_low AND NOT (a_high_inc AND b_low_inc))
    OR b_high < a_low OR (b_high = a_low AND NOT (b_high_inc AND a_low_inc)),
    false
);

-- Whether value is x rounded to a multiple of step, halves away from zero: claim_fidelity's
-- 'rounded' (1.5 for 1.45 at step 0.1, 700 for 650 at step 100). Told in decimals, as the
-- numbers are written: in binary floating point 1.45 / 0.1 is 14.4999..., which rounded 1.45 to
-- 1.4 and 0.15 to 0.1. Each double is read back as the shortest decimal that gives it (what the
-- CSV said) into DECIMAL(38, 18), where -, * and % are exact; beyond what that holds (a number
-- of 1e18 or more, a step below 1e-18) the doubles decide.
CREATE MACRO as_decimal(x) AS x::VARCHAR::DECIMAL(38, 18);

CREATE MACRO rounds_to(x, value, step) AS CASE
    WHEN greatest(abs(x), abs(value), step) < 1e18 AND step >= 1e-18 THEN
        as_decimal(value) % as_decimal(step) = 0
        AND (2 * abs(as_decimal(x) - as_decimal(value)) < as_decimal(step)
            OR (2 * abs(as_decimal(x) - as_decimal(value)) = as_decimal(step) AND abs(value) > abs(x)))
    ELSE abs(round(x / step) * step - value) <= 1e-9 * greatest(abs(value), 1)
END;
