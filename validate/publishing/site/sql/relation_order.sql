-- The relations in the order of the index and of each page that names them (`place`): the
-- statistics take turns (the first relation of each statistic, then the second of each, ...), in
-- each turn the statistics the sources cite most first (one no source cites last), a statistic's
-- own in the order of their ids. By id, 100 relations named "0-..." hid every other.
SELECT relation_id, row_number() OVER (ORDER BY turn, cited DESC, statistic_id, relation_id) AS place
FROM (SELECT relation_id, statistic_id,
             row_number() OVER (PARTITION BY statistic_id ORDER BY relation_id) AS turn,
             (SELECT count(*) FROM claims WHERE claims.statistic_id = relations.statistic_id) AS cited
      FROM relations)
