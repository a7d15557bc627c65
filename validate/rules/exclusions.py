"""Rules of exclusions.csv that a Table Schema cannot say: the source exists, the text is found, it is a number."""

from __future__ import annotations

import polars as pl

from validate.rules.cell_rules import formula_injection
from validate.rules.context import Context
from validate.rules.coverage import has_number
from validate.rules.rule import Rule, cell
from validate.text.normalise import normalise
from validate.text.number_phrases import occurrences


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
        {sid: t for sid, t in ctx.sources.select("source_id", "_text").iter_rows() if t is not None}
        if ctx.has_sources
        else {}
    )
    known_ids = set(ctx.sources.get_column("source_id").to_list()) if ctx.has_sources else set()
    # Each distinct (source, text) looked up once, in Python; its rows get their span from it in
    # polars: a million claims' sources have some 600,000 exclusions, of a few words each. The
    # occurrences of all pairs are laid end to end in one column, each pair's from `_first` on.
    distinct = frame.select("source_id", "text").unique()
    # Each distinct text normalised once, and asked once whether it holds a number.
    needles = {t: normalise(t) for t in distinct.get_column("text").unique().drop_nulls().to_list() if t}
    holds = {n: has_number(n) for n in set(needles.values())}
    pairs: dict[str, list[object]] = {k: [] for k in ("source_id", "text", "_first", "_count", "_length", "_holds")}
    flat: list[int] = []
    for sid, excluded in distinct.iter_rows():
        text = texts.get(sid)
        if text is None or not excluded:
            continue
        needle = needles[excluded]
        found = occurrences(text, needle)
        values = (sid, excluded, len(flat), len(found), len(needle), holds[needle])
        for key, value in zip(pairs, values, strict=True):
            pairs[key].append(value)
        flat.extend(found)
    looked_up = pl.DataFrame(
        pairs,
        schema={
            "source_id": frame.schema["source_id"],
            "text": frame.schema["text"],
            "_first": pl.Int64,
            "_count": pl.Int64,
            "_length": pl.Int64,
            "_holds": pl.Boolean,
        },
    )
    occurrence = pl.col("occurrence").cast(pl.Int64, strict=False)
    chosen = occurrence.is_between(1, pl.col("_count"))
    joined = frame.select("source_id", "text", "occurrence").join(
        looked_up, on=["source_id", "text"], how="left", maintain_order="left"
    )
    at = joined.select(pl.when(chosen).then(pl.col("_first") + occurrence - 1)).to_series()
    start = pl.Series("_span_start", flat, dtype=pl.Int64).gather(at)
    known = pl.col("source_id").is_in(list(known_ids)) if ctx.has_sources else pl.lit(None, dtype=pl.Boolean)
    derived = joined.select(
        _source_known=pl.when(pl.col("source_id").is_not_null()).then(known),
        _count=pl.col("_count"),
        # The words excluded are the text itself: whether they hold a number is the text's.
        _has_number=pl.when(chosen).then(pl.col("_holds")),
        # The span each row excludes, which the coverage rule reads.
        _span_start=start,
        _span_end=start + pl.col("_length"),
    )
    return pl.concat([frame, derived], how="horizontal").with_columns(_occurrence=occurrence)


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
