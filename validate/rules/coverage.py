"""The coverage rule: every number-like phrase of a source lies inside a claim's value_text or an exclusion.

The phrases are those of validate.text.number_phrases; a phrase is accounted for when its core
(the number, without the qualifier words) lies inside the span of the `value_text` of a claim of
the same source (found inside the claim's quote, found in the source's normalised text) or inside
the span of an exclusion (the `occurrence`-th whole-word occurrence of its `text`)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from validate.findings import Finding
from validate.paths import Layout
from validate.reading.seeds import confine
from validate.text.normalise import normalise
from validate.text.number_phrases import Phrase, find_phrases, occurrences
from validate.text.sentences import Sentence, sentence_at, sentences

Span = tuple[int, int]
# A quote longer than the contract allows is reported by its length rule, never searched for.
MAX_QUOTE = 2000
# The contract's reasons for an exclusion (schema/exclusions.schema.json holds the same enum).
REASONS = ("furniture", "age", "enumeration", "date", "duration", "no-bound", "not-a-statistic")


@dataclass(frozen=True)
class Unaccounted:
    """A phrase no claim and no exclusion accounts for."""

    source_id: str
    phrase: Phrase
    words: str  # the phrase widened to whole words: the text an exclusion of it names
    occurrence: int  # of `words`, as an exclusion counts


def claimed_spans(text: str, claims: Iterable[tuple[str | None, str | None]]) -> list[Span]:
    """Spans of `text` (normalised) that the (quote, value_text) pairs of a source's claims state."""
    return [span for pair in claims for span in (_located(text, *pair) or [])]


def _located(text: str, quote: str | None, value_text: str | None) -> list[Span] | None:
    """The spans of a claim's value_text, one per place its quote stands in the text (a claim
    states its value wherever its words are); None when the quote or value_text is not found."""
    q, v = normalise(quote or ""), normalise(value_text or "")
    if not find_phrases(v):
        return None  # value-text-unparsed says what is wrong with it
    inside = q.find(v) if q and v else -1
    at = text.find(q) if inside >= 0 else -1
    if at < 0:
        return None
    out = []
    while at >= 0:
        out.append((at + inside, at + inside + len(v)))
        at = text.find(q, at + 1)
    return out


def excluded_span(text: str, excluded: str, occurrence: int) -> Span | None:
    """The span of the `occurrence`-th whole-word occurrence of `excluded` in `text`, if there is one."""
    needle = normalise(excluded)
    found = occurrences(text, needle)
    if not 1 <= occurrence <= len(found):
        return None
    return found[occurrence - 1], found[occurrence - 1] + len(needle)


def _inside(phrase: Phrase, spans: list[Span]) -> bool:
    return any(s <= phrase.core_start and phrase.core_end <= e for s, e in spans)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole words: "18" of "18th" is excluded as "18th"."""
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isascii() and text[end].isalnum():
        end += 1
    return start, end


def unaccounted(text: str, spans: list[Span], source_id: str) -> list[Unaccounted]:
    """The phrases of `text` whose core lies in none of `spans`, each with the whole-word text an
    exclusion of it would name and that text's occurrence."""
    out = []
    starts: dict[str, list[int]] = {}  # each distinct text's occurrences, found once: linear in the text
    for phrase in find_phrases(text):
        if _inside(phrase, spans):
            continue
        start, end = whole_words(text, phrase.start, phrase.end)
        words = text[start:end]
        if words not in starts:
            starts[words] = occurrences(text, words)
        out.append(Unaccounted(source_id, phrase, words, bisect_right(starts[words], start)))
    return out


def findings(
    layout: Layout,
    sources: pl.DataFrame,
    texts: pl.DataFrame,
    claims: pl.DataFrame,
    exclusions: pl.DataFrame,
    skip: frozenset[str] = frozenset(),
) -> list[Finding]:
    """A number-not-accounted finding for each phrase of each readable source that nothing
    accounts for; the sources in `skip` (whose rows have findings of their own) are left out."""
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
    known = set(ids.drop_nulls().to_list())
    if any(sid is None or sid not in known for sid in claims.get_column("source_id").to_list()):
        return []
    text_of = dict(texts.select("source_id", "_text").iter_rows())
    spans: dict[str, list[Span]] = defaultdict(list)
    for sid, quote, value_text in claims.select("source_id", "quote", "value_text").iter_rows():
        text = text_of.get(sid)
        located = _located(text, quote, value_text) if text is not None and len(quote or "") <= MAX_QUOTE else None
        if located is None:
            doubled.add(sid)
        else:
            spans[sid].extend(located)
    for sid, excluded, occurrence in exclusions.select("source_id", "text", "occurrence").iter_rows():
        text = text_of.get(sid)
        if text is None or not excluded or occurrence is None:
            continue
        span = excluded_span(text, excluded, int(occurrence))
        if span is not None:
            spans[sid].append(span)
    out: list[Finding] = []
    for sid, file in sources.select("source_id", "file").iter_rows():
        text = text_of.get(sid)
        if text is None or file is None or sid in doubled:
            continue
        missing = unaccounted(text, spans[sid], sid)
        if missing:
            out.extend(_finding(layout, file, text, missing))
    return out


def _finding(layout: Layout, file: str, text: str, missing: list[Unaccounted]) -> list[Finding]:
    """Findings for one seed, each with the sentence the phrase stands in."""
    path = confine(layout.seeds, file)
    found: list[Sentence] = []
    if path is not None:
        try:
            norm, found = sentences(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            norm = ""
        if norm != text:
            found = []
    out = []
    for u in missing:
        sentence = sentence_at(found, u.phrase.start)
        shown = sentence.text if sentence is not None else text[max(0, u.phrase.start - 80) : u.phrase.end + 80]
        if len(shown) > 300:
            shown = shown[:299] + "…"
        nth = "" if u.occurrence == 1 else f" (occurrence {u.occurrence} of {u.words!r})"
        out.append(
            Finding(
                file=layout.rel(layout.seeds / file),
                check="number-not-accounted",
                message=(
                    f"{u.phrase.text!r}{nth} of source {u.source_id!r} is in no claim's value_text and not in "
                    f"datasets/exclusions.csv, in: {shown!r}. Add its claim (claims candidates {u.source_id}), or record "
                    f"why it is not a statistic (claims exclude {u.source_id} {u.words!r} --occurrence "
                    f"{u.occurrence} --reason REASON, a reason of: {', '.join(REASONS)})"
                ),
            )
        )
    return out
