-- For each claim: is its quote in its source's text, and are its value_text and counted_as in
-- its quote (all normalised)? Run by `claims check` on the table
-- `claims` (_i, _text, _quote_norm, _value_text_norm, _counted_as_norm), where _text is the
-- claim's source text (joined on by polars, as views of the same strings). NULL (an empty side,
-- an unknown source) is no finding.
-- DuckDB searches on every core: the same searches in polars took four times as long at 1M claims.
-- _text comes back only for a quote not found, for the message that shows the closest passage.
-- No ORDER BY: with DuckDB's preserve_insertion_order (on by default) a plain scan keeps the
-- claims' order, and the caller checks _i rather than paying for a sort.
SELECT
    _i,
    quote_found AS _quote_found,
    contains(_quote_norm, _value_text_norm) AS _value_text_found,
    contains(_quote_norm, _counted_as_norm) AS _counted_as_found,
    CASE WHEN NOT quote_found THEN _text END AS _text
FROM (
    SELECT *, contains(_text, _quote_norm) AS quote_found
    FROM claims
)
