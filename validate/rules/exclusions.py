"""Rules of exclusions.csv that a Table Schema cannot say: the source exists, the text is found, it is a number."""

from __future__ import annotations

import polars as pl

from validate.rules.cell_rules import formula_injection
from validate.rules.context import Context
from validate.rules.coverage import TextIndex, excluded_span, has_number
from validate.rules.rule import Rule, cell


def _where(
    text: TextIndex | None, excluded: str | None, occurrence: int | None
) -> tuple[int | None, bool | None, tuple[int, int] | None]:
    """How many whole-word occurrences of `excluded` the text has, whether the chosen one holds a
    number-like phrase, and its span (None where it cannot be said)."""
    if text is None or not excluded:
        return None, None, None
    count = len(text.named(excluded)[1])
    if occurrence is None:
        return count, None, None
    span = excluded_span(text, excluded, occurrence)
    if span is None:
        return count, None, None
    # The phrases of the excluded words alone: a core inside them is one they account for.
    return count, has_number(text.text[span[0] : span[1]]), span


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Add whether the source is known, the text's count of occurrences, and whether it holds a number."""
    cols = set(frame.columns)
    if not {"source_id", "text", "occurrence"} <= cols:
        return frame.with_columns(
            _source_known=pl.lit(None, dtype=pl.Boolean),
            _count=pl.lit(None, dtype=pl.Int64),
            _has_number=pl.lit(None, dtype=pl.Boolean),
            _span_start=pl.lit(None, dtype=pl.Int64),
            _span_end=pl.lit(None, dtype=pl.Int64),
        )
    texts = (
        {sid: TextIndex(t) for sid, t in ctx.sources.select("source_id", "_text").iter_rows() if t is not None}
        if ctx.has_sources
        else {}
    )
    known_ids = set(ctx.sources.get_column("source_id").to_list()) if ctx.has_sources else set()
    known, counts, numbers, starts, ends = [], [], [], [], []
    for sid, excluded, occurrence in frame.select(
        "source_id", "text", pl.col("occurrence").cast(pl.Int64, strict=False)
    ).iter_rows():
        known.append(None if sid is None or not ctx.has_sources else sid in known_ids)
        count, holds_number, span = _where(texts.get(sid), excluded, occurrence)
        counts.append(count)
        numbers.append(holds_number)
        starts.append(None if span is None else span[0])
        ends.append(None if span is None else span[1])
    return frame.with_columns(
        _source_known=pl.Series(known, dtype=pl.Boolean),
        _count=pl.Series(counts, dtype=pl.Int64),
        _has_number=pl.Series(numbers, dtype=pl.Boolean),
        # The span each row excludes, which the coverage rule reads.
        _span_start=pl.Series(starts, dtype=pl.Int64),
        _span_end=pl.Series(ends, dtype=pl.Int64),
        _occurrence=pl.col("occurrence").cast(pl.Int64, strict=False),
    )


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
        formula_injection("text"),
        formula_injection("note"),
    ]
