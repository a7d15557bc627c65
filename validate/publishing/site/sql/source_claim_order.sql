-- The citations of each source in the order of its page's table (`row`): the statistics take
-- turns as in citation_order.sql (the first citation of each statistic in this text, then the
-- second of each, ...), each turn in the order of the text. {where} narrows the claims.
SELECT claim_id, value_text, statistic_id, label, turn, quote_start,
       row_number() OVER (PARTITION BY source_id ORDER BY turn, quote_start NULLS LAST, statistic_id, claim_id) AS row
FROM (SELECT *, row_number() OVER (PARTITION BY source_id, statistic_id ORDER BY quote_start NULLS LAST, claim_id) AS turn
      FROM claims{where})
LEFT JOIN claim_fidelity USING (claim_id, statistic_id, source_id)
ORDER BY source_id, row
