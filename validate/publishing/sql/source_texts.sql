-- source_texts: the archived text of each source, the bytes of seeds/<file> decoded as UTF-8 and
-- otherwise unchanged (not normalised), so that a claim's quote can be shown in its context.
--
-- text: that archived text.
--
-- claims.quote_start and claims.quote_end point into this text like a W3C TextPositionSelector:
-- offsets in Unicode code points, counted from 0, start included, end excluded. The quote is
-- matched as the contract says (both sides normalised, first occurrence), and the match is
-- mapped back to the original characters it came from, so the span holds the quote as the source
-- prints it (curly quotes, non-breaking spaces and all):
--
--   SELECT substr(t.text, c.quote_start + 1, c.quote_end - c.quote_start)
--   FROM claims c JOIN source_texts t USING (source_id)
--
-- Where NFKC made several characters of one (the ligature "fi") or one of several (e and a
-- combining accent), a span that begins or ends inside them takes them whole.
CREATE TABLE source_texts (
    source_id VARCHAR PRIMARY KEY REFERENCES sources (source_id),
    text VARCHAR NOT NULL
)
