"""The coverage rule: every number-like phrase of a source lies inside a claim's value_text or an exclusion.

The phrases are those of validate.text.number_phrases; a phrase is accounted for when its core
(the number, without the qualifier words) lies inside the span of the `value_text` of a claim of
the same source (found inside the claim's quote, found in the source's normalised text) or inside
the span of an exclusion (the `occurrence`-th whole-word occurrence of its `text`)."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from validate.findings import Cap, Finding
from validate.kernels.cells import locate
from validate.paths import Layout
from validate.reading.files import FileRefused
from validate.reading.seeds import read_seed
from validate.rules.claimed_spans import SPANS, Covered, claimed_spans, merged_spans, value_runs
from validate.rules.columns import QUOTE_AT, QUOTE_NORM, SPAN_END, SPAN_START, TEXT, VALUE_TEXT_AT, VALUE_TEXT_NORM
from validate.rules.context import readable_texts
from validate.rules.contract import MAX_QUOTE
from validate.rules.exclusion_reasons import reasons_for
from validate.rules.registry import known
from validate.text.normalise import normalise
from validate.text.number_phrases import (
    Phrase,
    Proposed,
    confirmed,
    find_phrases,
    has_number,
    phrases_outside,
    proposed_spans,
    python_phrases,
)
from validate.text.quote_places import QuotePlaces
from validate.text.sentences import SegmentBudget, Sentence, sentences_at
from validate.text.text_index import LazyIndexes, Span, TextIndex, excluded_span

# The columns of the claims and exclusions frames that findings() reads: the derived ones where
# the check gives its enriched frames, the table's own otherwise.
READS = {
    "claims": ("source_id", "quote", "value_text", QUOTE_NORM, VALUE_TEXT_NORM, QUOTE_AT, VALUE_TEXT_AT),
    "exclusions": ("source_id", "text", "occurrence", SPAN_START, SPAN_END),
}
NOT_ACCOUNTED = known("number-not-accounted")


@dataclass(frozen=True)
class Unaccounted:
    """A phrase no claim and no exclusion accounts for."""

    source_id: str
    phrase: Phrase
    words: str  # the phrase widened to whole words: the text an exclusion of it names
    occurrence: int  # of `words`, as an exclusion counts


def covered_spans(text: str, source_id: str, claims: pl.DataFrame, exclusions: pl.DataFrame | None) -> list[Span]:
    """The spans of a source's normalised text that its claims state and its exclusions name
    (the claims' and exclusions' own columns, for a command that reads one source)."""
    pairs = claims.filter(pl.col("source_id") == source_id).select("quote", "value_text").iter_rows()
    covered = claimed_spans(text, pairs)
    if exclusions is not None:
        # One index for all of them: each exclusion searched the text afresh for its words, and
        # "2019" again for each of its occurrences (82 s for 20,000 exclusions of a 1 MB seed).
        index = TextIndex(text)
        for excluded, occurrence in (
            exclusions.filter(pl.col("source_id") == source_id)
            .select("text", pl.col("occurrence").cast(pl.Int64, strict=False))
            .iter_rows()
        ):
            span = excluded_span(index, excluded or "", occurrence or 0)
            if span is not None:
                covered.append(span)
    return covered


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole words: "18" of "18th" is excluded as "18th"."""
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isascii() and text[end].isalnum():
        end += 1
    return start, end


def unaccounted(
    text: str | TextIndex, spans: list[Span], source_id: str, proposed: list[str] | None = None
) -> list[Unaccounted]:
    """The phrases of `text` whose core lies in none of `spans` (given polars' `proposed` phrases
    of it, or found here), each with the whole-word text an exclusion of it would name and that
    text's occurrence."""
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    covered = Covered(spans)
    if proposed is None:
        missing = [p for p in find_phrases(index.text) if not covered.contains(p.core_start, p.core_end)]
    else:
        # One pass over the proposals: a phrase inside a span is passed over without being read.
        missing = phrases_outside(index.text, proposed, covered.contains)
    return _named(index, missing, source_id)


def unaccounted_first(text: str, spans: list[Span], source_id: str, keep: int | None) -> tuple[list[Unaccounted], int]:
    """The first `keep` of unaccounted() (all with None), and how many there are in all: the
    phrases past `keep` are counted by polars, never read (see missing_many)."""
    index = TextIndex(text)
    missing, count = missing_phrases(index, spans, keep)
    return _named(index, missing, source_id), count


def missing_phrases(text: str | TextIndex, spans: list[Span], keep: int | None = None) -> tuple[list[Phrase], int]:
    """The first `keep` phrases of `text` whose core lies in none of `spans` (all with None), and
    how many there are: missing_many of one text. Only these are read in Python, and none is
    named (_named searches the text for each one's words)."""
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    frame = pl.DataFrame(
        {"owner": [0] * len(spans), "start": [a for a, _ in spans], "end": [b for _, b in spans]},
        schema={"owner": pl.Int64, "start": pl.Int64, "end": pl.Int64},
    )
    [missing], [count] = missing_many([index], frame, keep=keep)
    return missing, count


def _named(index: TextIndex, missing: list[Phrase], source_id: str) -> list[Unaccounted]:
    """Each phrase with the whole-word text an exclusion of it would name and its occurrence."""
    out = []
    for phrase in missing:
        start, end = whole_words(index.text, phrase.start, phrase.end)
        words = index.text[start:end]
        out.append(Unaccounted(source_id, phrase, words, bisect_right(index.occurrences(words), start)))
    return out


def findings(
    layout: Layout,
    sources: pl.DataFrame,
    texts: pl.DataFrame,
    claims: pl.DataFrame,
    exclusions: pl.DataFrame,
    skip: frozenset[str] = frozenset(),
    proposed: Proposed | None = None,
    claimed: Claimed | None = None,
    cap: Cap | None = None,
) -> list[Finding]:
    """A number-not-accounted finding for each phrase of each readable source that nothing
    accounts for; the sources in `skip` (whose rows have findings of their own) are left out.
    `proposed` is proposals(texts) and `claimed` claimed_in_all(claims, texts), where the caller
    has worked them out already. Of each seed's findings, `cap` (by default the usual one) says
    how many are made; it counts the rest."""
    cap = cap if cap is not None else Cap()
    # Where another rule already reports what breaks the count, coverage stays silent rather than
    # repeat it number by number: a claim with no known source (whose numbers are then in no
    # source), a claim whose quote or value_text is not found, two sources of one id or one file.
    ids = sources.get_column("source_id")
    files = sources.get_column("file")
    doubled = (
        set(skip)
        | set(ids.filter(ids.is_duplicated()).to_list())
        | set(sources.filter(files.is_duplicated()).get_column("source_id").to_list())
    )
    if not applies(sources, claims):
        return []
    known = readable_texts(texts)
    # Every readable text, in readable_texts' order (that of `proposed`, where the check gives it).
    indexes = LazyIndexes(known.get_column(TEXT))
    position = {sid: i for i, sid in enumerate(known.get_column("source_id").to_list())}
    spans_of_claims, unlocated = claimed if claimed is not None else _claimed(claims, known)
    doubled |= unlocated
    if {SPAN_START, SPAN_END} <= set(exclusions.columns):
        # Read in polars: a million claims' sources have some 600,000 exclusions.
        excluded = exclusions.select(
            "source_id", start=pl.col(SPAN_START).cast(pl.Int64), end=pl.col(SPAN_END).cast(pl.Int64)
        ).drop_nulls()
    else:
        rows: list[tuple[str, int, int]] = []
        for sid, text, occurrence in exclusions.select(
            "source_id", "text", pl.col("occurrence").cast(pl.Int64, strict=False)
        ).iter_rows():
            index = indexes[position[sid]] if sid in position else None
            span = excluded_span(index, text, occurrence) if index and text and occurrence else None
            if span is not None:
                rows.append((sid, *span))
        excluded = pl.DataFrame(rows, schema=SPANS, orient="row")
    todo = [
        (sid, file, position[sid])
        for sid, file in sources.select("source_id", "file").iter_rows()
        if sid in position and file is not None and sid not in doubled
    ]
    owners = pl.DataFrame(
        {"source_id": [sid for sid, _, _ in todo], "owner": [i for _, _, i in todo]},
        schema={"source_id": spans_of_claims.schema["source_id"], "owner": pl.Int64},
    )
    spans = (
        pl.concat([spans_of_claims, excluded.cast(spans_of_claims.schema)])
        .join(owners, on="source_id")
        .drop("source_id")
    )
    out: list[Finding] = []
    # Only the findings the cap keeps are made: a seed of a million bare numbers would otherwise
    # cost a sentence and a finding each (gigabytes) for a count.
    every, counts = missing_many(
        indexes,
        spans,
        found=proposed,
        wanted=frozenset(i for _, _, i in todo),
        keep=cap.limit,
        sizes=indexes.sizes(),
    )
    # One budget of sentence segmenting for the whole check: per seed, a thousand seeds with a
    # finding each could each spend it.
    budget = SegmentBudget()
    for sid, file, i in todo:
        if not counts[i]:
            # Nothing to admit or count: the seed's path (a pathlib round trip, costly over
            # ten thousand sources) is worked out only for a seed with findings.
            continue
        kept = cap.admit_many(layout.rel(layout.seeds / file), NOT_ACCOUNTED, counts[i])
        if kept:
            out.extend(_finding(layout, file, indexes[i].text, _named(indexes[i], every[i][:kept], sid), budget))
    return out


def applies(sources: pl.DataFrame, claims: pl.DataFrame) -> bool:
    """Whether every claim names a source of `sources`: where one does not (no source_id, or one
    not listed), its numbers are in no source, the foreign-key rule reports it, and the coverage
    rule stays silent. The check asks before it starts the rule's work in the background."""
    ids = sources.get_column("source_id").drop_nulls().cast(pl.String)
    cited = claims.get_column("source_id").cast(pl.String)
    return not cited.null_count() and bool(cited.is_in(ids.implode()).all())


# The spans (source_id, start, end) the claims state, and the sources of the claims not found.
Claimed = tuple[pl.DataFrame, set[str]]


def claimed_in_all(claims: pl.DataFrame, texts: pl.DataFrame) -> Claimed:
    """_claimed of the claims and every readable text: it needs nothing of the exclusions, so the
    check starts it in its background thread once the claims are enriched, beside their rules."""
    return _claimed(claims, readable_texts(texts))


def proposals(texts: pl.DataFrame) -> Proposed:
    """The regex pass of unaccounted_many over every readable text (readable_texts' order). It
    needs nothing of the claims or exclusions, so the check starts it in a thread as soon as the
    texts are read, beside the tables' rules, and hands it to findings()."""
    return proposed_spans(readable_texts(texts).get_column(TEXT).to_list())


def _claimed(claims: pl.DataFrame, texts: pl.DataFrame) -> tuple[pl.DataFrame, set[str]]:
    """The spans (source_id, start, end) that the claims state, and the sources of the claims
    that are not found (no text, a quote too long or not in it, a value_text not in its quote or
    with no number). Where the text is ASCII, each quote's first place and its value_text's place
    in it come from C (the claims' enrichment found them; its offsets are bytes, so characters
    there), each distinct place is asked once whether the quote stands again, and Python reads
    the rest: the quotes that stand twice, and the texts that are not ASCII. `texts` are
    readable_texts()'."""
    known = texts.select("source_id", "_ascii", _t=TEXT).with_row_index("_src")
    read = _places(claims, known)
    v = pl.col("v")
    # Every digit is in a phrase: only the value texts without one are asked in Python.
    no_digit = read.filter(~v.str.contains("[0-9]")).get_column("v").unique()
    without = [text for text in no_digit.to_list() if not has_number(text)]
    q, at, inside = pl.col("q"), pl.col("at"), pl.col("inside")
    read = read.with_columns(
        ok=~pl.col("long") & (q != "") & ~v.is_in(without) & (inside >= 0).fill_null(False) & (at >= 0).fill_null(False)
    )
    ascii_ = pl.col("_ascii")
    unlocated = set(read.filter(ascii_ & ~pl.col("ok")).get_column("source_id").unique().to_list())
    # Each distinct place once (numbers only: a source is its row in `known`): many claims of a
    # source quote the same sentence.
    places = (
        read.filter(ascii_ & pl.col("ok"))
        .select("_src", "q", "v", "at", start=at + inside, qlen=q.str.len_bytes(), vlen=v.str.len_bytes())
        .unique(["_src", "at", "qlen", "start", "vlen"], keep="any")
    )
    source = places.get_column("_src")
    # Found again: another place of the quote, overlapping the first or not, starts after it.
    text = known.get_column("_t").gather(source)
    again = locate(text, places.get_column("q"), source.arg_sort(), places.get_column("at") + 1) >= 0
    places = places.with_columns(again=again, source_id=known.get_column("source_id").gather(source))
    once = places.filter(~pl.col("again")).select(
        "source_id", start=pl.col("start").cast(pl.Int64), end=(pl.col("start") + pl.col("vlen")).cast(pl.Int64)
    )
    runs: list[tuple[str, int, int, int, int]] = []
    python = pl.concat(
        [
            places.filter("again").select("source_id", "q", "v", long=pl.lit(False)),
            read.filter(~ascii_).select("source_id", "q", "v", "long").unique(),
        ]
    )
    # The texts of these few claims' sources only, as Python strings.
    needed = known.filter(pl.col("source_id").is_in(python.get_column("source_id").implode()))
    text_of: dict[str, str] = {sid: t for sid, t in needed.select("source_id", "_t").iter_rows()}
    searched = {sid: QuotePlaces(text) for sid, text in text_of.items()}
    for sid, quote, value_text, too_long in python.iter_rows():
        own = searched.get(sid)
        found = value_runs(own, quote, value_text, True) if own is not None and not too_long else None
        if found is None:
            unlocated.add(sid)
        else:
            runs.extend((sid, *run) for run in found)
    return pl.concat([once, merged_spans(runs, {sid: len(text) for sid, text in text_of.items()})]), unlocated


def _places(claims: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """Each claim's (source_id, q, v: its normalised quote and value_text, long: its quote over
    the contract's length, at: the quote's first byte offset in its text, inside: the
    value_text's in the quote, _ascii: whether the text is ASCII). The check passes the claims'
    enriched frame, which has them all; other callers' claims are normalised and searched here,
    each distinct one once. `known` has each text's source_id, _t, _ascii and _src (its row)."""
    if {QUOTE_NORM, VALUE_TEXT_NORM, QUOTE_AT, VALUE_TEXT_AT} <= set(claims.columns):
        # The enrichment normalised only quotes within the length limit: a longer one is null.
        return (
            claims.select(
                pl.col("source_id").cast(pl.String),
                q=pl.col(QUOTE_NORM).fill_null(""),
                v=pl.col(VALUE_TEXT_NORM).fill_null(""),
                long=pl.lit(False),
                at=pl.col(QUOTE_AT),
                inside=pl.col(VALUE_TEXT_AT),
            )
            .join(known.select("source_id", "_ascii", "_src"), on="source_id", how="left")
            .with_columns(pl.col("_ascii").fill_null(False))
        )
    raw = claims.select("source_id", "quote", "value_text").unique()
    distinct = pl.DataFrame(
        {
            "source_id": raw.get_column("source_id").cast(pl.String),
            "q": [normalise(q or "") for q in raw.get_column("quote").to_list()],
            "v": [normalise(v or "") for v in raw.get_column("value_text").to_list()],
            # A quote longer than the contract allows (as written) is reported by its length rule,
            # never searched for.
            "long": raw.get_column("quote").str.len_chars().fill_null(0) > MAX_QUOTE,
        },
        schema={"source_id": pl.String, "q": pl.String, "v": pl.String, "long": pl.Boolean},
    ).unique()
    joined = distinct.join(known, on="source_id", how="left").with_columns(pl.col("_ascii").fill_null(False))
    text, quote = joined.get_column("_t"), joined.get_column("q")
    return joined.with_columns(
        at=locate(text, quote, joined.get_column("source_id").arg_sort(nulls_last=True)),
        inside=locate(quote, joined.get_column("v")),
    ).drop("_t")


def unaccounted_many(
    indexes: list[TextIndex],
    spans: pl.DataFrame,
    source_ids: list[str],
    found: Proposed | None = None,
    wanted: frozenset[int] | None = None,
) -> list[list[Unaccounted]]:
    """unaccounted() of each text, all at once (see missing_many)."""
    missing, _ = missing_many(indexes, spans, found, wanted)
    return [_named(index, phrases, sid) for index, phrases, sid in zip(indexes, missing, source_ids, strict=True)]


def missing_many(
    indexes: Sequence[TextIndex],
    spans: pl.DataFrame,
    found: Proposed | None = None,
    wanted: frozenset[int] | None = None,
    keep: int | None = None,
    sizes: list[int] | None = None,
) -> tuple[list[list[Phrase]], list[int]]:
    """The phrases of each text that no span accounts for (the first `keep` of each, in the
    text's order; all by default), and how many there are, all at once: polars places every phrase of every text
    (proposed_spans), the spans are laid end to end the same way, and one sorted-interval join
    tells the phrases inside a span; only the others are read in Python. A text whose phrases
    Python might read otherwise gets Python's own pass. `spans` holds each text's (owner: its
    index, start, end). `found` is proposed_spans of the texts, where the caller has it; only the
    `wanted` texts are read (all by default), the others get no phrases. `sizes` are the texts'
    lengths, where the caller has them without reading each text into Python."""
    if found is None:
        found = proposed_spans([index.text for index in indexes])
    exact = list(found.exact)  # a copy: `found` may be the check's, and a text can turn out inexact
    if wanted is None:
        wanted = frozenset(range(len(indexes)))
    bases = pl.DataFrame(
        {
            "owner": range(len(indexes)),
            "base": found.base,
            "size": sizes if sizes is not None else [len(index.text) for index in indexes],
            "exact": exact,
        },
        schema={"owner": pl.Int64, "base": pl.Int64, "size": pl.Int64, "exact": pl.Boolean},
    )
    # Each span's end kept within its text (no phrase of the text ends past it), so that no span
    # reaches into the text laid after it.
    laid = (
        spans.join(bases.filter("exact"), on="owner")
        .select(
            start=pl.col("start") + pl.col("base"),
            end=pl.min_horizontal("end", "size") + pl.col("base"),
        )
        .sort("start")
    )
    starts, reach = laid.get_column("start"), laid.get_column("end").cum_max()

    def inside(start: pl.Series, end: pl.Series) -> pl.Series:
        """Whether some span starts at or before each start and reaches each end."""
        at = starts.search_sorted(start, side="right").cast(pl.Int64)
        return ((at > 0) & (reach_before(at) >= end)).fill_null(False)

    def touched(start: pl.Series, end: pl.Series) -> pl.Series:
        """Whether some span starts at or before each end and reaches each start: every span
        that could hold any part of the phrase, and some that meet it only at an edge."""
        at = starts.search_sorted(end, side="right").cast(pl.Int64)
        return ((at > 0) & (reach_before(at) >= start)).fill_null(False)

    def reach_before(at: pl.Series) -> pl.Series:
        """The furthest end of the spans that lie before each of `at`."""
        return reach.gather((at - 1).clip(0, None)) if reach.len() else pl.Series([None] * at.len(), dtype=pl.Int64)

    phrases = found.phrases
    if len(wanted) < len(indexes):
        phrases = phrases.filter(pl.col("owner").is_in(sorted(wanted)))
    outside = phrases.filter(~inside(phrases.get_column("start"), phrases.get_column("end")))
    # A phrase that no span touches is unaccounted whatever its number is: counted without being
    # read (a seed of five million bare numbers took 30 s reading each in Python). Only the phrases
    # a span touches are read here, where a span may hold their number without holding the whole
    # phrase; each is kept as five integers, not a Phrase.
    touching = touched(outside.get_column("start"), outside.get_column("end"))
    read = {key: array("q") for key in ("owner", "start", "end", "core_start", "core_end")}
    for start, end, owner in outside.filter(touching).iter_rows():
        base = found.base[owner]
        phrase = confirmed(indexes[owner].text, start - base, end - base)
        if phrase is None:  # the reasoning of proposed_spans says it cannot be; were it, Python's pass
            exact[owner] = False
            continue
        for key, number in zip(
            read, (owner, start, end, phrase.core_start + base, phrase.core_end + base), strict=True
        ):
            read[key].append(number)
    cores = pl.DataFrame({key: _int64(numbers) for key, numbers in read.items()})
    uncovered = (
        pl.concat(
            [
                outside.filter(~touching).select(_PLACE),
                cores.filter(~inside(cores.get_column("core_start"), cores.get_column("core_end"))).select(_PLACE),
            ]
        )
        .filter(pl.col("owner").is_in([i for i, ok in enumerate(exact) if ok]))
        .sort("start")  # the texts lie end to end: each text's phrases in its order
    )
    counts = [0] * len(indexes)
    for owner, count in uncovered.group_by("owner").len().iter_rows():
        counts[owner] = count
    missing: list[list[Phrase]] = [[] for _ in range(len(indexes))]  # not through indexes, which reads each text
    # Any cap past the rows there are keeps them all (and a cap past polars' counts would not fit).
    shown = uncovered
    if keep is not None and keep < uncovered.height:
        # (Not group_by().head(): polars gives a row of nulls per group for head(0).)
        shown = uncovered.filter(pl.int_range(pl.len()).over("owner") < keep)
    for owner, start, end in shown.select("owner", "start", "end").iter_rows():
        base = found.base[owner]
        phrase = confirmed(indexes[owner].text, start - base, end - base)
        if phrase is None:  # as above: the text gets Python's own pass below, which replaces all of its reading
            exact[owner] = False
            continue
        missing[owner].append(phrase)
    inexact = [i for i, ok in enumerate(exact) if not ok and i in wanted]
    own: dict[int, list[Span]] = defaultdict(list)
    for owner, start, end in spans.filter(pl.col("owner").is_in(inexact)).select("owner", "start", "end").iter_rows():
        own[owner].append((start, end))
    for i in inexact:
        by = Covered(own[i])
        every = [p for p in python_phrases(indexes[i].text) if not by.contains(p.core_start, p.core_end)]
        missing[i], counts[i] = every[:keep], len(every)
    return missing, counts


# A phrase's text and place in the texts laid end to end, alike from both ways of reading it.
_PLACE = [pl.col(c).cast(pl.Int64) for c in ("owner", "start", "end")]


def _int64(numbers: array[int]) -> pl.Series:
    """The integers of an array("q") as a polars series, without a Python object each."""
    return pl.Series(pa.Array.from_buffers(pa.int64(), len(numbers), [None, pa.py_buffer(numbers)]))


def _finding(layout: Layout, file: str, text: str, missing: list[Unaccounted], budget: SegmentBudget) -> list[Finding]:
    """Findings for one seed, each with the sentence the phrase stands in."""
    found: list[Sentence | None] = []
    try:
        norm, found = sentences_at(
            read_seed(layout.seeds, file).decode("utf-8"), [u.phrase.start for u in missing], budget
        )
    except (FileRefused, UnicodeDecodeError):
        norm = ""
    if norm != text:
        found = [None] * len(missing)
    out = []
    for u, sentence in zip(missing, found, strict=True):
        shown = sentence.text if sentence is not None else text[max(0, u.phrase.start - 80) : u.phrase.end + 80]
        if len(shown) > 300:
            shown = shown[:299] + "…"
        nth = "" if u.occurrence == 1 else f" (occurrence {u.occurrence} of {u.words!r})"
        out.append(
            Finding(
                file=layout.rel(layout.seeds / file),
                check=NOT_ACCOUNTED,
                message=(
                    f"{u.phrase.text!r}{nth} of source {u.source_id!r} is in no claim's value_text and not in "
                    f"datasets/exclusions.csv, in: {shown!r}. Add its claim (claims candidates {u.source_id}), or record "
                    f"why it is not a statistic (claims exclude {u.source_id} {u.words!r} --occurrence "
                    f"{u.occurrence} --reason REASON, a reason of: {', '.join(reasons_for(u.words))})"
                ),
            )
        )
    return out
