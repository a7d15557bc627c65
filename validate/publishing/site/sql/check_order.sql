-- The checks of each relation in the order its listings show them (`number`): the primary
-- readings first, then the sources whose numbers cannot satisfy it (inconsistent), then those
-- whose can, then those that lack a number (incomplete); sources by id within each. A listing
-- shows the first few (content.MAX_CHECKS), so a pull request's sources named "0-..." push out no
-- inconsistency, only agreeing checks after it. {where} narrows the checks.
SELECT *,
       row_number() OVER (PARTITION BY relation_id
                          ORDER BY scope = 'source',
                                   CASE verdict WHEN 'inconsistent' THEN 0 WHEN 'consistent' THEN 1 ELSE 2 END,
                                   source_id) AS number
FROM relation_checks{where}
