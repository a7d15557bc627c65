-- The citations of each statistic in the order of its page, numbered (`number`): the sources
-- take turns (the first citation of each source, then the second of each, ...), so a source of
-- 1,000 citations takes one place a turn and hiding the others takes 100 sources, each with its
-- own archived text (by id, a pull request's rows named "0-..." came first and pushed every
-- established citation past the 100 a page shows). Within a turn, the sources published first
-- (a number's first carriers before those who repeat it; undated last), and a source's citations
-- in the order its text makes them (a quote not placed in it last). {where} narrows the claims.
-- The columns this adds begin with '_', which no schema field may: a column a pull request adds
-- to claims (say `turn`) takes no part in the order (DuckDB renamed this query's own `turn_1`).
SELECT claims.*, _published_from,
       row_number() OVER (PARTITION BY claims.statistic_id
                          ORDER BY _turn, _published_from NULLS LAST, claims.source_id,
                                   claims.quote_start NULLS LAST, claims.claim_id) AS _number
FROM (SELECT *, row_number() OVER (PARTITION BY statistic_id, source_id ORDER BY quote_start NULLS LAST, claim_id) AS _turn
      FROM claims{where}) AS claims
JOIN (SELECT source_id AS _source_id, published_from AS _published_from FROM sources) ON _source_id = claims.source_id
ORDER BY claims.statistic_id, _number
