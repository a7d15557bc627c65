"""Rules of exclusions.csv that a Table Schema cannot say: the source exists, the text is found, it is a number."""

from __future__ import annotations

import polars as pl

from validate.rules import exclusion_reasons
from validate.rules.cell_rules import formula_injection
from validate.rules.columns import SPAN_END, SPAN_START, TEXT
from validate.rules.context import Context, readable_texts
from validate.rules.rule import Rule, cell
from validate.text.normalise import normalise
from validate.text.number_phrases import has_number
from validate.text.whole_words import occurrences_many


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Add whether the source is known, the text's count of occurrences, and whether it holds a number."""
    cols = set(frame.columns)
    if not {"source_id", "text", "occurrence"} <= cols:
        return frame.with_columns(
            _source_known=pl.lit(None, dtype=pl.Boolean),
            _count=pl.lit(None, dtype=pl.Int64),
            _has_number=pl.lit(None, dtype=pl.Boolean),
            **{SPAN_START: pl.lit(None, dtype=pl.Int64), SPAN_END: pl.lit(None, dtype=pl.Int64)},
        )
    # Each distinct (source, text) looked up once; its rows get their span from it. A million
    # claims' sources have some 600,000 exclusions, of a few words each.
    looked_up, flat = _looked_up(frame.select("source_id", "text").unique(), ctx)
    looked_up = looked_up.cast({"source_id": frame.schema["source_id"], "text": frame.schema["text"]})
    known_ids = set(ctx.sources.get_column("source_id").to_list()) if ctx.has_sources else set()
    occurrence = pl.col("occurrence").cast(pl.Int64, strict=False)
    chosen = occurrence.is_between(1, pl.col("_count"))
    joined = frame.select("source_id", "text", "occurrence").join(
        looked_up, on=["source_id", "text"], how="left", maintain_order="left"
    )
    at = joined.select(pl.when(chosen).then(pl.col("_first") + occurrence - 1)).to_series()
    start = flat.rename(SPAN_START).gather(at)
    known = pl.col("source_id").is_in(list(known_ids)) if ctx.has_sources else pl.lit(None, dtype=pl.Boolean)
    derived = joined.select(
        _source_known=pl.when(pl.col("source_id").is_not_null()).then(known),
        _count=pl.col("_count"),
        # The words excluded are the text itself: whether they hold a number is the text's.
        _has_number=pl.when(chosen).then(pl.col("_holds")),
        # The span each row excludes, which the coverage rule reads.
        **{SPAN_START: start, SPAN_END: start + pl.col("_length")},
    )
    return pl.concat([frame, derived], how="horizontal").with_columns(_occurrence=occurrence)


def _looked_up(distinct: pl.DataFrame, ctx: Context) -> tuple[pl.DataFrame, pl.Series]:
    """Each distinct (source, text) whose source has a text, looked up once (occurrences_many:
    Python's occurrences, mostly in polars): its count of whole-word occurrences, where its first
    is (`_first`) in the occurrences of all pairs laid end to end (returned beside the pairs, each
    pair's from the top of its text), the normalised text's length, and whether it holds a number.

    A source_id's text is readable_texts'. An empty text, or one without a source_id, is looked
    up in none."""
    texts = pl.DataFrame(schema={"source_id": pl.String, TEXT: pl.String})
    if ctx.has_sources:
        texts = ctx.sources.select("source_id", TEXT)
    texts = readable_texts(texts).with_row_index("_owner")
    pairs = (
        distinct.cast(pl.String)
        .filter(pl.col("source_id").is_not_null() & pl.col("text").is_not_null() & (pl.col("text") != ""))
        .join(texts.select("_owner", "source_id"), on="source_id", how="inner")
    )
    # Each distinct text normalised once, and asked once whether it holds a number.
    excluded = pairs.get_column("text").unique().to_list()
    needles = [normalise(t) for t in excluded]
    holds = {n: has_number(n) for n in set(needles)}
    words = pl.DataFrame(
        {
            "text": excluded,
            "_needle": needles,
            "_length": [len(n) for n in needles],
            "_holds": [holds[n] for n in needles],
        },
        schema={"text": pl.String, "_needle": pl.String, "_length": pl.Int64, "_holds": pl.Boolean},
    )
    pairs = pairs.join(words, on="text", how="left")
    found, _ = occurrences_many(texts.get_column(TEXT), pairs.get_column("_owner"), pairs.get_column("_needle"))
    counts = found.group_by("row").len().select("row", _count=pl.col("len").cast(pl.Int64))
    pairs = (
        pairs.with_row_index("row")
        .join(counts, on="row", how="left", maintain_order="left")
        .with_columns(pl.col("_count").fill_null(0))
        .with_columns(_first=pl.col("_count").cum_sum() - pl.col("_count"))
    )
    return pairs.select("source_id", "text", "_first", "_count", "_length", "_holds"), found.get_column("start")


def rules() -> list[Rule]:
    """The rules of exclusions.csv."""
    return [
        Rule(
            "foreign-key",
            "source_id",
            pl.col("_source_known"),
            lambda r: f"source_id {cell(r, 'source_id')} is not a source_id of datasets/sources.csv: fix the id",
            frozenset({"source_id"}),
        ),
        Rule(
            "exclusion-not-found",
            "text",
            ~(pl.col("_count") == 0),
            lambda r: (
                f"text {cell(r, 'text')} is not in the source's text as a whole word (case and words as the source "
                "has them, after the contract's normalisation): copy it from the source"
            ),
            frozenset({"source_id", "text"}),
        ),
        Rule(
            "exclusion-not-found",
            "occurrence",
            ~((pl.col("_count") > 0) & (pl.col("_occurrence") > pl.col("_count"))),
            lambda r: (
                f"occurrence {cell(r, 'occurrence')}: the source has {r['_count']} whole-word occurrence(s) of "
                f"{cell(r, 'text')}: count them from the top of the text, the first is 1"
            ),
            frozenset({"source_id", "text", "occurrence"}),
        ),
        Rule(
            "exclusion-without-number",
            "text",
            pl.col("_has_number").fill_null(True),
            lambda r: (
                f"text {cell(r, 'text')} holds no number-like phrase, so it excludes nothing: "
                "name the words with the number (docs/contributing.md says what the reader counts as one), or delete the row"
            ),
            frozenset({"source_id", "text", "occurrence"}),
        ),
        *exclusion_reasons.rules(),
        formula_injection("text"),
        formula_injection("note"),
    ]
