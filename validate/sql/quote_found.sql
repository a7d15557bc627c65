-- Is each claim's quote in its source's text (both normalised)? Run by `claims check` on the
-- tables `quotes` (_i, source_id, _quote_norm) and `texts` (source_id unique, _text).
-- DuckDB searches on every core; the same search in polars took four times as long at 1M claims.
-- _text comes back only for a quote not found, for the message that shows the closest passage.
SELECT
    _i,
    found AS _quote_found,
    CASE WHEN NOT found THEN _text END AS _text
FROM (
    SELECT q._i, s._text, contains(s._text, q._quote_norm) AS found
    FROM quotes AS q
    JOIN texts AS s USING (source_id)
)
