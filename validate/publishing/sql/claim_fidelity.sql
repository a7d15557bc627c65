-- claim_fidelity: each claim judged against its statistic's primary reading (primary_intervals),
-- one row per claim.
--
-- value_fidelity:
--   unknown   the statistic has no primary reading
--   within    the claim's interval shares a value with the primary reading's (the claim can
--             be true if the producer's figure is)
--   rounded   the claim's value is not the primary value but is that value rounded to the
--             claim's own last stated digit (claims.value_step; halves away from zero, told in
--             decimals: rounds_to in interval_macros.sql), and
--             the claim is exact or approximately: 2.4 million for 2.37 million (step 100,000),
--             700 for 675 (step 100). Checked before 'within': a rounding is a departure,
--             however small
--   outside   the two intervals share no value, even where the values are equal: "nearly 500"
--             ([450, 500]) or "fewer than 500" for the producer's "more than 500" (500, open)
-- qualifier_fidelity: unknown (no primary reading); kept (same qualifier); dropped (the
--   primary hedges and the claim is exact); added (the primary is exact and the claim hedges);
--   changed (both hedge, differently)
-- period_fidelity: unknown (no primary reading, or it states no period); kept (the claim's
--   period is the primary's by same_period: the same days, or, both being points in time, the
--   same time to another precision, 2018-01 for 2018-01-24; or its duration equals the primary
--   period's length); changed (another period: a span narrower or wider than the primary's is
--   another count, 2016 for January 2014 to May 2017; or another length); dropped (the claim
--   states neither period nor duration).
--   A duration of years and months (P3Y, P41M) is compared with the primary period's length
--   in whole calendar months, when that period runs from the first of a month to the last day
--   of one (otherwise unknown); one of weeks and days with its length in days (P3Y is 36 months: against January
--   2014 to May 2017, 41 months, it is changed). A duration that mixes the two is unknown.
-- label: the most serious that holds of outside, reframed (meaning = differs), period_changed,
--   hedge_dropped, period_dropped, rounded, then faithful (a primary reading exists and
--   nothing above holds) or unverified (no primary reading to judge against).
CREATE VIEW claim_fidelity AS
WITH j AS (
    SELECT
        i.claim_id,
        i.statistic_id,
        i.source_id,
        i.value,
        i.qualifier,
        i.value_low,
        i.value_high,
        i.low_inclusive,
        i.high_inclusive,
        i.period_from,
        i.period_to,
        i.period_point,
        c.value_step,
        c.duration,
        c.duration_months,
        c.duration_days,
        c.meaning,
        c.differs_in,
        p.statistic_id IS NOT NULL AS has_primary,
        p.value AS primary_value,
        p.qualifier AS primary_qualifier,
        p.value_low AS p_low,
        p.value_high AS p_high,
        p.low_inclusive AS p_low_inc,
        p.high_inclusive AS p_high_inc,
        p.period_from AS p_from,
        p.period_to AS p_to,
        p.period_point AS p_point
    FROM claim_intervals i
    JOIN claims c USING (claim_id)
    LEFT JOIN primary_intervals p ON p.statistic_id = i.statistic_id
),
judged AS (
    SELECT
        *,
        CASE
            WHEN NOT has_primary THEN 'unknown'
            -- The primary value itself is no rounding of it, whatever digit the claim writes it to
            -- ("2.4 million" for the producer's 2,400,000 rounds to itself), so equal values skip
            -- the rounding test; whether they are within is still the intervals' to say, since
            -- the qualifiers may part them ("nearly 500" for "more than 500").
            WHEN abs(value - primary_value) > 1e-9 * greatest(abs(primary_value), 1)
                AND qualifier IN ('exact', 'approximately')
                AND rounds_to(primary_value, value, value_step)
                THEN 'rounded'
            WHEN intervals_meet(value_low, value_high, low_inclusive, high_inclusive, p_low, p_high, p_low_inc, p_high_inc)
                THEN 'within'
            ELSE 'outside'
        END AS value_fidelity,
        CASE
            WHEN NOT has_primary THEN 'unknown'
            WHEN qualifier = primary_qualifier THEN 'kept'
            WHEN qualifier = 'exact' THEN 'dropped'
            WHEN primary_qualifier = 'exact' THEN 'added'
            ELSE 'changed'
        END AS qualifier_fidelity,
        CASE
            WHEN NOT has_primary OR p_from IS NULL THEN 'unknown'
            WHEN period_from IS NOT NULL THEN
                CASE WHEN same_period(period_from, period_to, period_point, p_from, p_to, p_point)
                    THEN 'kept' ELSE 'changed' END
            WHEN duration IS NULL THEN 'dropped'
            WHEN duration_months IS NOT NULL THEN
                CASE
                    WHEN day(p_from) <> 1 OR day(p_to + 1) <> 1 THEN 'unknown'
                    WHEN date_diff('month', p_from, p_to + 1) = duration_months THEN 'kept'
                    ELSE 'changed'
                END
            WHEN duration_days IS NOT NULL THEN
                CASE WHEN date_diff('day', p_from, p_to) + 1 = duration_days THEN 'kept' ELSE 'changed' END
            ELSE 'unknown'
        END AS period_fidelity
    FROM j
)
SELECT
    claim_id,
    statistic_id,
    source_id,
    value,
    qualifier,
    primary_value,
    primary_qualifier,
    value_fidelity,
    qualifier_fidelity,
    period_fidelity,
    meaning,
    differs_in,
    CASE
        WHEN value_fidelity = 'outside' THEN 'outside'
        WHEN meaning = 'differs' THEN 'reframed'
        WHEN period_fidelity = 'changed' THEN 'period_changed'
        WHEN qualifier_fidelity = 'dropped' THEN 'hedge_dropped'
        WHEN period_fidelity = 'dropped' THEN 'period_dropped'
        WHEN value_fidelity = 'rounded' THEN 'rounded'
        WHEN has_primary THEN 'faithful'
        ELSE 'unverified'
    END AS label
FROM judged
ORDER BY claim_id
