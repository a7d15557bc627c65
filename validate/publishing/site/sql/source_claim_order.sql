-- The citations of each source in the order of its page's table (`row`): the statistics take
-- turns as in citation_order.sql (the first citation of each statistic in this text, then the
-- second of each, ...), each turn in the order of the text. {where} narrows the claims.
-- Only the columns it names: a column a pull request adds to claims (`label`, `turn`) neither
-- collides with claim_fidelity's nor takes part in the order.
SELECT c.claim_id, c.value_text, c.statistic_id, f.label, c.turn, c.quote_start,
       row_number() OVER (PARTITION BY c.source_id ORDER BY c.turn, c.quote_start NULLS LAST, c.statistic_id, c.claim_id) AS row
FROM (SELECT claim_id, source_id, statistic_id, value_text, quote_start,
             row_number() OVER (PARTITION BY source_id, statistic_id ORDER BY quote_start NULLS LAST, claim_id) AS turn
      FROM claims{where}) AS c
LEFT JOIN claim_fidelity AS f ON f.claim_id = c.claim_id
ORDER BY c.source_id, row
