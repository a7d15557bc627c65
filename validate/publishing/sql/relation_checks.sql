-- relation_checks: whether the numbers can satisfy each relation of relations.csv, one row per
-- relation and source that cites (with meaning = 'same') the relation's statistic or one of its
-- operands (scope 'source'), and one row per relation for the primary readings (scope
-- 'primary', source_id NULL).
--
-- scope: 'source' (the numbers one source gives) or 'primary' (the producers' own readings).
-- source_id: the source, for scope 'source'; NULL for 'primary'.
-- statistic_low, statistic_high: the relation's statistic's interval in this scope, as below;
--   NULL for an open end, or both NULL where the scope gives the statistic no interval.
--
-- Each statistic enters as an interval: for a source, the intersection of the intervals of its
-- same-meaning claims of it (a reframed claim is no reading of the statistic); for the primary
-- scope, its primary reading. A source whose claims of a statistic share no value contradicts
-- itself (claim_conflicts shows the pair): it gives no interval of that statistic, so its
-- relations are incomplete, not inconsistent (an empty intersection misses every interval, and
-- would charge the relation with the source's own disagreement).
-- relation_low, relation_high: the interval the operands imply for the statistic:
--   part_of  [0, whole's high]            the statistic is at most the whole (and no
--                                         amount is below 0; a percent_change may be, so
--                                         there the low end is open)
--   share    [100 a_low / b_high, 100 a_high / b_low]   a: numerator, b: denominator
--   sum      [sum of lows, sum of highs]
-- (NULL is an open end; a share's bound past the range of a double: see implied_low in
-- interval_macros.sql). Bounds are taken as closed: a relation is judged inconsistent only when
-- the intervals miss each other by more than a touch.
-- verdict:
--   incomplete    the statistic or an operand has no interval in this scope
--   inconsistent  the statistic's interval and the implied one share no value; or the periods
--                 cannot fit: a part's period must lie inside its whole's or be one period with
--                 it, a share's or a sum's stated periods must be one period, or a sum's operands'
--                 periods must tile the statistic's span, a sum over time (2016 and 2017 make 2016
--                 to 2017, and so do California's and Texas's 2016 and 2017: each operand a span,
--                 their different periods in order each starting the day after the one before
--                 ends, the first on the statistic's first day, the last on its last, and each
--                 period the period of as many operands as every other, a whole grid; a gap, an
--                 overlap, or Texas's 2017 missing does not fit); "one period" as the
--                 other views say it (same_period in interval_macros.sql: the same days, or two
--                 points in time one of which holds the other, so a part in 2018 fits a whole as
--                 of January 2018)
--   consistent    otherwise
-- reason: why an inconsistent one is: 'value' (the intervals share no value), 'period' (the
-- periods cannot fit), or 'value;period'; NULL for the other verdicts.
CREATE VIEW relation_checks AS
WITH operand_list AS (
    SELECT relation_id, string_split(operands, ';') AS ops FROM relations
),
members AS (
    SELECT relation_id, statistic_id AS member, 0 AS k FROM relations
    UNION ALL
    SELECT relation_id, unnest(ops) AS member, unnest(range(1, len(ops) + 1)) AS k FROM operand_list
),
by_source AS (
    SELECT
        i.source_id,
        i.statistic_id,
        max(i.value_low) AS low,
        min(i.value_high) AS high,
        min(i.period_from) AS period_from,
        max(i.period_to) AS period_to,
        bool_and(i.period_point) AS period_point
    FROM claim_intervals i
    JOIN claims c USING (claim_id)
    WHERE c.meaning = 'same'
    GROUP BY i.source_id, i.statistic_id
),
readings AS (
    -- Bounds taken as closed, as below: intervals that touch still share a value.
    SELECT 'source' AS scope, source_id, statistic_id, low, high, period_from, period_to, period_point FROM by_source
    WHERE NOT coalesce(low > high, false)
    UNION ALL
    SELECT 'primary', NULL, statistic_id, value_low, value_high, period_from, period_to, period_point
    FROM primary_intervals
),
scopes AS (
    SELECT DISTINCT m.relation_id, 'source' AS scope, b.source_id
    FROM members m JOIN by_source b ON b.statistic_id = m.member
    UNION ALL
    SELECT relation_id, 'primary', NULL FROM relations
),
filled AS (
    SELECT s.relation_id, s.scope, s.source_id, m.k, r.statistic_id IS NOT NULL AS found,
        r.low, r.high, r.period_from, r.period_to, r.period_point
    FROM scopes s
    JOIN members m USING (relation_id)
    LEFT JOIN readings r
        ON r.scope = s.scope AND r.source_id IS NOT DISTINCT FROM s.source_id AND r.statistic_id = m.member
),
gathered AS (
    SELECT
        relation_id,
        scope,
        source_id,
        bool_and(found) AS complete,
        any_value(low) FILTER (WHERE k = 0) AS s_low,
        any_value(high) FILTER (WHERE k = 0) AS s_high,
        any_value(period_from) FILTER (WHERE k = 0) AS s_from,
        any_value(period_to) FILTER (WHERE k = 0) AS s_to,
        any_value(period_point) FILTER (WHERE k = 0) AS s_point,
        any_value(low) FILTER (WHERE k = 1) AS a_low,
        any_value(high) FILTER (WHERE k = 1) AS a_high,
        any_value(period_from) FILTER (WHERE k = 1) AS a_from,
        any_value(period_to) FILTER (WHERE k = 1) AS a_to,
        any_value(period_point) FILTER (WHERE k = 1) AS a_point,
        any_value(low) FILTER (WHERE k = 2) AS b_low,
        any_value(high) FILTER (WHERE k = 2) AS b_high,
        -- a NULL low or high of any operand leaves the sum's end open
        CASE WHEN bool_and(low IS NOT NULL) FILTER (WHERE k > 0) THEN sum(low) FILTER (WHERE k > 0) END AS sum_low,
        CASE WHEN bool_and(high IS NOT NULL) FILTER (WHERE k > 0) THEN sum(high) FILTER (WHERE k > 0) END AS sum_high,
        -- Every operand's period, in order (each a span with both ends known, or op_spans is
        -- false), for a sum over time; implied takes its different periods, op_periods.
        list_sort(list(struct_pack(f := period_from, t := period_to)) FILTER (WHERE k > 0)) AS op_all,
        coalesce(bool_and(period_from IS NOT NULL AND period_to IS NOT NULL AND NOT period_point) FILTER (WHERE k > 0), false)
            AS op_spans,
        -- same_period over every pair, at once (interval_macros.sql, below same_period)
        coalesce(NOT same_period(
            min(period_from), min(period_to), bool_and(period_point),
            max(period_from), max(period_to), bool_and(period_point)
        ), false) AS periods_apart
    FROM filled
    GROUP BY relation_id, scope, source_id
),
implied AS (
    -- g's columns named with g.: a column a schema adds to relations may share a name with one.
    SELECT
        g.*,
        r.relation,
        r.statistic_id,
        r.operands,
        -- The operands' different periods in order: several regions' years share each year's
        -- period. As many of each as of every other (a whole grid of regions by years) makes
        -- op_all n runs of equal length, one per period here.
        list_sort(list_distinct(g.op_all)) AS op_periods,
        CASE r.relation
            WHEN 'part_of' THEN CASE WHEN u.unit IS DISTINCT FROM 'percent_change' THEN 0 END
            WHEN 'share' THEN CASE WHEN g.b_high IS NULL THEN 0 ELSE implied_low(100 * g.a_low / g.b_high) END
            WHEN 'sum' THEN g.sum_low
        END AS rel_low,
        CASE r.relation
            WHEN 'part_of' THEN g.a_high
            WHEN 'share' THEN CASE WHEN g.a_high IS NOT NULL AND g.b_low > 0 THEN implied_high(100 * g.a_high / g.b_low) END
            WHEN 'sum' THEN g.sum_high
        END AS rel_high
    FROM gathered g
    JOIN relations r USING (relation_id)
    -- statistic_id is statistics' primary key (as claim_intervals relies on): one row or none
    LEFT JOIN statistics u ON u.statistic_id = r.statistic_id
),
judged AS (
    SELECT
        *,
        complete AND NOT intervals_meet(s_low, s_high, true, true, round(rel_low, 9), round(rel_high, 9), true, true)
            AS value_misses,
        complete AND coalesce(
            CASE
                WHEN relation = 'part_of' THEN s_from IS NOT NULL AND a_from IS NOT NULL AND (s_from < a_from OR s_to > a_to)
                    AND NOT same_period(s_from, s_to, s_point, a_from, a_to, a_point)
                -- Unknown (the statistic's period not stated) is no tiling: the periods stay apart.
                WHEN relation = 'sum' AND periods_apart THEN NOT coalesce(
                    op_spans AND NOT s_point AND op_periods[1].f = s_from AND op_periods[-1].t = s_to
                    AND coalesce(
                        list_bool_and(list_transform(range(1, len(op_periods)), lambda i: op_periods[i + 1].f = op_periods[i].t + 1)),
                        true
                    )
                    -- (nullif: no list here is empty, but DuckDB stops at a division by zero)
                    AND len(op_all) % nullif(len(op_periods), 0) = 0
                    AND list_bool_and(list_transform(
                        range(1, len(op_all) + 1),
                        lambda i: op_all[i] = op_periods[(i - 1) // nullif(len(op_all) // nullif(len(op_periods), 0), 0) + 1]
                    )),
                    false
                )
                ELSE periods_apart
            END,
            false
        ) AS period_misses
    FROM implied
)
SELECT
    relation_id,
    relation,
    statistic_id,
    operands,
    scope,
    source_id,
    CASE WHEN complete THEN s_low END AS statistic_low,
    CASE WHEN complete THEN s_high END AS statistic_high,
    CASE WHEN complete THEN round(rel_low, 9) END AS relation_low,
    CASE WHEN complete THEN round(rel_high, 9) END AS relation_high,
    CASE
        WHEN NOT complete THEN 'incomplete'
        WHEN value_misses OR period_misses THEN 'inconsistent'
        ELSE 'consistent'
    END AS verdict,
    nullif(concat_ws(';', CASE WHEN value_misses THEN 'value' END, CASE WHEN period_misses THEN 'period' END), '')
        AS reason
FROM judged
ORDER BY relation_id, scope DESC, source_id
