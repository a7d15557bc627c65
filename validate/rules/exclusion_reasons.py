"""An exclusion's reason against its words: `no-bound` is for words that imply no interval.

The contract's `no-bound` is "a quantity word that implies no interval: many, several, a
myriad". The value reader (validate.text.value_text) is what says whether words imply one: it
reads "dozens" as order_of_magnitude 12, [12, 120), and "2017" as 2017. Words it reads as a
value are a claim, or not a statistic for another reason (a date, an age, furniture), never
`no-bound`. Kept apart from exclusions.py's enrichment: it reads only the row's own cells.
"""

from __future__ import annotations

import shlex
from functools import lru_cache

import polars as pl

from validate.rules.contract import EXCLUSION_REASONS
from validate.rules.rule import Row, Rule, cell
from validate.text.normalise import normalise
from validate.text.number_phrases import find_phrases
from validate.text.value_text import MAX_READ, ValueTextError, parse_value_text, plain_number

NO_BOUND = "no-bound"


@lru_cache(maxsize=1 << 12)
def bounded_reading(text: str) -> str | None:
    """The first number-like phrase of `text` that the value reader reads as a value, with its
    reading ("'Dozens' reads as order_of_magnitude 12"); None when every phrase implies no bound."""
    for phrase in find_phrases(normalise(text)):
        try:
            parsed = parse_value_text(phrase.text)
        except ValueTextError:
            continue
        return f"{phrase.text!r} reads as {parsed.qualifier} {plain_number(parsed.value)}"
    return None


def reasons_for(words: str) -> tuple[str, ...]:
    """The reasons an exclusion of `words` may give: every reason of the contract, but no-bound
    only where the words imply no bound (a number the value reader reads is never no-bound)."""
    if len(words) <= MAX_READ and bounded_reading(words) is None:
        return EXCLUSION_REASONS
    return tuple(r for r in EXCLUSION_REASONS if r != NO_BOUND)


def _passes(rows: pl.Series) -> pl.Series:
    """Per row of (reason, text): false where a no-bound exclusion's words state a bound. Each
    distinct text of a no-bound row is read once ("many" is excluded again and again)."""
    frame = rows.struct.unnest()
    reason, text = frame.get_column("reason").cast(pl.String), frame.get_column("text").cast(pl.String)
    # A text over MAX_READ characters is not read: the length rule reports it.
    asked = text.filter((reason == NO_BOUND) & (text.str.len_chars() <= MAX_READ)).drop_nulls().unique().to_list()
    bounded = [t for t in asked if bounded_reading(t) is not None]
    return ~((reason == NO_BOUND) & text.is_in(bounded)).fill_null(False)


def _message(row: Row) -> str:
    text = str(row.get("text") or "")
    reading = (bounded_reading(text) if len(text) <= MAX_READ else None) or "it reads as a value"
    source = row.get("source_id")
    # The source's id as a shell word: a cell of a stranger's row is never a bare command part.
    command = f"claims candidates {shlex.quote(str(source))}" if source else "claims candidates SOURCE_ID"
    return (
        f"reason 'no-bound' is for words that imply no interval (many, several, a myriad of), but text "
        f"{cell(row, 'text')} states a bound: {reading}. Claim the number ({command}), or give the "
        f"reason it is not a statistic (one of {', '.join(reasons_for(text))})"
    )


def rules() -> list[Rule]:
    """The rule of exclusions.csv's reasons."""
    return [
        Rule(
            "no-bound-with-bound",
            "reason",
            pl.struct("reason", "text").map_batches(_passes, return_dtype=pl.Boolean),
            _message,
            frozenset({"reason", "text"}),
        )
    ]
