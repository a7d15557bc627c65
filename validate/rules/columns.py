"""The names of the columns the check derives beside a table's own, declared once. Each begins
with "_", which no schema field may (validate/reading/table_schema.py), so none can clash with a
column of the data; a name misspelt where it is used is then a NameError the linters catch, not a
column polars cannot find at run time."""

from __future__ import annotations

# A source's archived text, normalised (null where it cannot be read), and its published date.
TEXT = "_text"
PUBLISHED = "_published"
# A source's text as archived, where it holds a character that normalising may fold into a digit
# (², ½, ６), and null otherwise: a quote found there must print the same digits.
FOLDING = "_folding"
# A claim's quote and value_text, normalised, and where each is found (in the source's text, and
# in the quote).
QUOTE_NORM = "_quote_norm"
VALUE_TEXT_NORM = "_value_text_norm"
QUOTE_AT = "_quote_at"
VALUE_TEXT_AT = "_value_text_at"
# The claim_id of an earlier claim that records the same words (validate.rules.claim_repeats).
REPEAT_OF = "_repeat_of"
# For the first claim past the bound of a statistic with too many, that statistic's number of
# claims (validate.rules.claims_per_statistic).
STATISTIC_CLAIMS = "_statistic_claims"
# Where an exclusion's text stands in its source's normalised text.
SPAN_START = "_span_start"
SPAN_END = "_span_end"
