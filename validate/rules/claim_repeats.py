"""A claim that records the same words of a source as an earlier claim: one citation twice.

A quote is found where it first stands in its source, and value_text where it first stands in
the quote, so two claims of one source with the same quote and value_text (normalised) point at
the same words: the views would count the citation twice (n_claims, source_summary, agreement),
or file one number under two statistics."""

from __future__ import annotations

import polars as pl

from validate.rules.columns import QUOTE_NORM, REPEAT_OF, VALUE_TEXT_NORM
from validate.rules.rule import Row, Rule, cell

# What makes two claims one citation.
_KEY = ("source_id", QUOTE_NORM, VALUE_TEXT_NORM)


def repeat_of(frame: pl.DataFrame) -> pl.Series:
    """For each claim, the claim_id of the first claim before it with the same key (_KEY); null
    for a first, and where a key cell is empty (a required cell's finding). The keys are
    compared by their hashes first: where no hash repeats, which is every dataset without a
    repeat, nothing more is read."""
    none = pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias(REPEAT_OF)
    if "claim_id" not in frame.columns or any(c not in frame.columns for c in _KEY):
        return none
    hashes = frame.select(pl.struct(_KEY).hash()).to_series()
    if hashes.n_unique() == frame.height:
        return none
    rows = hashes.is_duplicated().arg_true()
    few = (
        frame.select("claim_id", *_KEY)
        .gather(rows)
        .with_columns(first=pl.col("claim_id").first().over(_KEY), again=~pl.struct(_KEY).is_first_distinct())
        .with_columns(again=pl.col("again") & pl.all_horizontal(pl.col(c).is_not_null() for c in _KEY))
    )
    again = few.get_column("again")
    return none.scatter(rows.filter(again), few.get_column("first").filter(again))


def _message(r: Row) -> str:
    return (
        f"claim {cell(r, 'claim_id')} records the same words of source {cell(r, 'source_id')} as claim "
        f"{cell(r, REPEAT_OF)} (the same quote and value_text, which are found where they first stand): one "
        "citation is one claim, or the views count it twice; remove this row, or, where the source states the "
        "number again in another place, quote that place in words that are its own"
    )


def rules() -> list[Rule]:
    return [
        Rule(
            "claim-repeated",
            "quote",
            pl.col(REPEAT_OF).is_null(),
            _message,
            # The condition reads only the derived column; these are what enrich compared.
            frozenset({"claim_id", "source_id", "quote", "value_text"}),
            # A repeat is one only beside the row it repeats.
            whole_table=True,
        )
    ]
