-- For each claim: is its quote in its source's text, and are its value_text and counted_as in
-- its quote (all normalised)? Run by `claims check` on the tables
-- `claims` (_i, source_id, _quote_norm, _value_text_norm, _counted_as_norm) and
-- `texts` (source_id unique, _text). NULL (an empty side, an unknown source) is no finding.
-- DuckDB searches on every core: the same searches in polars took four times as long at 1M claims.
-- _text comes back only for a quote not found, for the message that shows the closest passage.
SELECT
    _i,
    quote_found AS _quote_found,
    contains(_quote_norm, _value_text_norm) AS _value_text_found,
    contains(_quote_norm, _counted_as_norm) AS _counted_as_found,
    CASE WHEN NOT quote_found THEN _text END AS _text
FROM (
    SELECT c.*, s._text, contains(s._text, c._quote_norm) AS quote_found
    FROM claims AS c
    LEFT JOIN texts AS s USING (source_id)
)
-- The caller stacks the result beside the claims, so it must come back in their order.
ORDER BY _i
