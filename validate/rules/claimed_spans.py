"""The spans of a source's normalised text that its claims state: each claim's value_text at
every place its quote stands, merged where they repeat, and asked whether one holds a phrase.

A claim accounts for a number of its source (the coverage rule) when the number lies inside one
of these spans; `claims exclude` asks which claim states a number first (first_stating)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from heapq import heappop, heappush
from itertools import accumulate
from typing import TypeVar

import polars as pl

from validate.text.normalise import normalise
from validate.text.number_phrases import has_number
from validate.text.quote_places import QuotePlaces
from validate.text.text_index import Span

T = TypeVar("T")
# Spans of a value_text, as QuotePlaces' runs with its length: (start, step, count, length).
ValueRun = tuple[int, int, int, int]
# A frame of spans: the stretches (start, end) of a source's text that something accounts for.
SPANS = {"source_id": pl.String, "start": pl.Int64, "end": pl.Int64}
# Spans a source's claims state that are all kept, as stated, beyond twice its text's size.
_EXACT_SPANS = 4096
_RUNS = {"source_id": pl.String, "start": pl.Int64, "step": pl.Int64, "count": pl.Int64, "length": pl.Int64}
_LAID = {"source_id": pl.String, "start": pl.Int64, "last": pl.Int64, "step": pl.Int64, "length": pl.Int64}


def claimed_spans(text: str, claims: Iterable[tuple[str | None, str | None]]) -> list[Span]:
    """Spans of `text` (normalised) that the (quote, value_text) pairs of a source's claims state
    (where they are more than the text has characters, those inside no other: see merged_spans)."""
    places = QuotePlaces(text)
    runs = [("", *run) for quote, value_text in claims for run in (value_runs(places, quote, value_text) or [])]
    return list(merged_spans(runs, {"": len(text)}).select("start", "end").iter_rows())


def first_stating(
    text: str, claims: Iterable[tuple[T, str | None, str | None]], cores: list[Span]
) -> tuple[T, int] | None:
    """The first of `claims` (key, quote, value_text; a source's, in order) whose spans, as
    claimed_spans finds them, hold one of `cores` (spans of `text`, normalised), with the index
    of the first core it holds. Each claim is asked of its value runs, its quote searched once
    in one QuotePlaces: claimed_spans of each claim in turn (a QuotePlaces and a polars frame
    each) took 18 s for 3,000 claims of a 1 MB seed."""
    places = QuotePlaces(text)
    for key, quote, value_text in claims:
        runs = value_runs(places, quote, value_text) or []
        for i, (start, end) in enumerate(cores):
            if any(run_holds(run, start, end) for run in runs):
                return key, i
    return None


def run_holds(run: ValueRun, start: int, end: int) -> bool:
    """Whether one of the spans of a value run holds text[start:end]: the last of its places at
    or before `start` reaches furthest."""
    first, step, count, length = run
    if start < first:
        return False
    last = first + min(count - 1, (start - first) // step) * step
    return last + length >= end


class Covered:
    """Spans, asked whether one of them contains a given span, in logarithmic time."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # The furthest end of the spans up to each.
        self._reach = list(accumulate((e for _, e in ordered), max))

    def contains(self, start: int, end: int) -> bool:
        """Whether some span starts at or before `start` and ends at or after `end`."""
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end


def value_runs(
    places: QuotePlaces, quote: str | None, value_text: str | None, normalised: bool = False
) -> list[ValueRun] | None:
    """The spans of a claim's value_text, one per place its quote stands in the text (a claim
    states its value wherever its words are), as runs; None when the quote or value_text is not
    found."""
    q, v = (quote or "", value_text or "") if normalised else (normalise(quote or ""), normalise(value_text or ""))
    if not has_number(v):
        return None  # value-text-unparsed says what is wrong with it
    inside = q.find(v) if q and v else -1
    if inside < 0:
        return None
    return [(at + inside, step, count, len(v)) for at, step, count in places.runs(q)] or None


def merged_spans(runs: list[tuple[str, int, int, int, int]], sizes: dict[str, int]) -> pl.DataFrame:
    """The spans (source_id, start, end) of the value runs (source_id, start, step, count,
    length), each once.

    Runs of one step, phase and length that meet are one: a hundred quotes "1", "1 1", ... of a
    seed "1 1 1 ... 1" with the value_text "1" state the same 100,000 spans. Where a source's spans
    are still more than twice its characters (and a few thousand), only those inside no other are kept (at each
    place the longest, then those that reach past every span starting before them): the rule only
    asks whether some span holds a phrase's number, which these answer alike (see Covered). Below
    that, every span is kept, as stated."""
    frame = pl.DataFrame(runs, schema=_RUNS, orient="row")
    if frame.is_empty():
        return pl.DataFrame(schema=SPANS)
    step = pl.when(pl.col("count") == 1).then(1).otherwise("step")
    key = ["source_id", "step", "phase", "length"]
    frame = frame.with_columns(step=step).with_columns(
        phase=pl.col("start") % pl.col("step"), last=pl.col("start") + (pl.col("count") - 1) * pl.col("step")
    )
    # A new stretch where a run starts past the step after the places of its class before it.
    fresh = pl.col("start") > (pl.col("last").cum_max().shift(1) + pl.col("step")).over(key)
    merged = (
        frame.sort([*key, "start"])
        .with_columns(piece=fresh.fill_null(True).cum_sum())
        .group_by([*key, "piece"])
        .agg(pl.col("start").min(), pl.col("last").max())
        .with_columns(count=(pl.col("last") - pl.col("start")) // pl.col("step") + 1)
    )
    totals = merged.group_by("source_id").agg(pl.col("count").sum())
    many = {sid for sid, total in totals.iter_rows() if total > _EXACT_SPANS + 2 * sizes.get(sid, 0)}
    exact = _laid(merged.filter(~pl.col("source_id").is_in(list(many)))).unique()
    return pl.concat([exact, *(_outermost(merged.filter(pl.col("source_id") == sid), sizes[sid]) for sid in many)])


def _laid(runs: pl.DataFrame) -> pl.DataFrame:
    """The spans of the runs (source_id, start, last, step, length), one a row."""
    return (
        runs.select("source_id", "length", start=pl.int_ranges("start", pl.col("last") + 1, "step"))
        .explode("start")
        .select("source_id", "start", end=pl.col("start") + pl.col("length"))
        .cast(SPANS)  # type: ignore[arg-type]
    )


def _outermost(runs: pl.DataFrame, size: int) -> pl.DataFrame:
    """The spans of one source's runs (merged as in merged_spans) that no other span holds: at
    most one a character of its text. Of each step and phase, only each place's longest is laid
    out, a text's size of them at a time, each batch pruned with what was kept before it."""
    kept = pl.DataFrame(schema=SPANS)
    batch: list[tuple[str, int, int, int, int]] = []
    laid = 0  # the spans of the batch
    for (sid, step, phase), group in runs.partition_by("source_id", "step", "phase", as_dict=True).items():
        places = [
            ((start - phase) // step, (last - phase) // step, length)
            for start, last, length in group.select("start", "last", "length").iter_rows()
        ]
        for first, last, length in _highest(places):
            batch.append((sid, first * step + phase, last * step + phase, step, length))
            laid += last - first + 1
        if laid > size:
            kept = inside_none(pl.concat([kept, _laid(pl.DataFrame(batch, schema=_LAID, orient="row"))]))
            batch, laid = [], 0
    return inside_none(pl.concat([kept, _laid(pl.DataFrame(batch, schema=_LAID, orient="row"))]))


def _highest(pieces: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of intervals (first, last, length) of places, the greatest length at each place, as
    disjoint intervals (a sweep with a heap: at most twice as many as given)."""
    pieces.sort()
    out: list[tuple[int, int, int]] = []
    open_: list[tuple[int, int]] = []  # (-length, last) of the intervals begun
    i, at = 0, pieces[0][0] if pieces else 0
    while i < len(pieces) or open_:
        if not open_:
            at = max(at, pieces[i][0])
        while i < len(pieces) and pieces[i][0] <= at:
            heappush(open_, (-pieces[i][2], pieces[i][1]))
            i += 1
        while open_ and open_[0][1] < at:
            heappop(open_)
        if not open_:
            continue
        length, last = -open_[0][0], open_[0][1]
        stop = last if i == len(pieces) else min(last, pieces[i][0] - 1)
        out.append((at, stop, length))
        at = stop + 1
    return out


def inside_none(spans: pl.DataFrame) -> pl.DataFrame:
    """The spans that no other holds: in order of start (the longest first), those that end past
    every span before them. Whether some span holds a given one is answered alike (see Covered)."""
    ordered = spans.unique().sort("start", "end", descending=[False, True])
    return ordered.filter(pl.col("end") > pl.col("end").cum_max().shift(1).fill_null(-1))
