"""Numbers in a source's text that no claim and no exclusion accounts for, each read and matched.

For each number-like phrase (validate.text.number_phrases) outside every claim's value_text and
every exclusion, a candidate gives its sentence (validate.text.sentences), its reading
(qualifier, value), a proposed counted_as, attributed_to and period read from the sentence, the
existing statistics ranked by their fit (statistics_search.score), and, for a phrase that looks
like no statistic (a year, an age, a duration, a quantity with no bound), the exclusion reason to
record. One pass over the text, each number reading at most CONTEXT characters either side of it: the
cost is linear in the text's length times the number of statistics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from validate.contributing.add import refuse_linked_folders
from validate.contributing.statistics_search import Match, Profile, _read, period_bounds, profiles, score
from validate.errors import UsageError
from validate.findings import DEFAULT_MAX_FINDINGS
from validate.paths import Layout, given_root
from validate.reading.files import FileRefused
from validate.reading.seeds import read_seed
from validate.rules.coverage import covered_spans, unaccounted_first
from validate.text.normalise import normalise
from validate.text.number_phrases import Phrase
from validate.text.sentences import Sentence, sentences_at
from validate.text.value_text import ValueTextError, parse_value_text, preposition_after

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(_MONTHS.split("|")[:12])}
_PERIOD = re.compile(
    rf"(?i)(?:(?P<m1>{_MONTHS})\s+)?(?P<y1>(?:19|20)\d\d)(?:\s*(?:to|through|until|-|and)\s*(?:(?P<m2>{_MONTHS})\s+)?(?P<y2>(?:19|20)\d\d))?"
)
# What a candidate reads and shows of its sentence on either side of its number: a few lines of
# a real sentence, enough for its period, attribution and the words that say what it counts.
CONTEXT = 300
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATE_BEFORE = re.compile(rf"(?i)(?:{_MONTHS})\.? $")
_AGE_AFTER = re.compile(r"^-(?:year|month)s?-old")
_DURATION_AFTER = re.compile(r"(?i)^[ -](?:years?|months?|weeks?|days?|hours?|decades?)\b")
# The words after a number that say what it counts: up to the first word that starts a clause.
_STOP = re.compile(
    r"(?i)[,.;:()\"!?]| -|\b(?:that|who|which|whom|whose|were|was|are|is|had|have|has|from|between|during|since|in|on|by|to|for|as|at|with|and|or|but|of whom|according)\b"
)
_ATTRIBUTION = [
    re.compile(r"(?i)\baccording to (?P<who>(?:the )?[A-Z][\w.'&-]*(?: (?:of |and |for )?[A-Z][\w.'&-]*)*)"),
    re.compile(r"\b(?P<who>(?:[Tt]he )?(?:[A-Z][\w.'&-]*(?: |$))+)(?:said|reported|found|says|estimated)\b"),
    # A name, then who they are between commas: "Rep. Jane Doe, a Republican from Ohio, said".
    re.compile(
        r"\b(?P<who>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*)*), (?:an? |the )[^,]{1,80}, "
        r"(?:said|reported|found|says|estimated)\b"
    ),
    re.compile(r"(?i)\b(?P<who>the (?:[\w'-]+ ){0,4}(?:report|audit|study|survey|inspector general|census))\b"),
]


@dataclass(frozen=True)
class Candidate:
    """A number of a source that nothing accounts for yet: its reading, proposals and suggestions."""

    source_id: str
    sentence: str
    value_text: str
    value: float | None
    qualifier: str | None
    period_start: str
    period_end: str
    note: str
    occurrence: int = 1  # of `words`, as `claims exclude` counts it
    words: str = ""  # the phrase widened to whole words: what an exclusion names
    counted_as: str = ""
    counted_as_reason: str = ""  # why those words were proposed
    attributed_to: str = ""
    exclude_reason: str = ""  # proposed when the phrase looks like no statistic
    suggestions: list[Match] = field(default_factory=list)
    start: int = -1  # of the phrase, in the source's normalised text


def _period(sentence: str) -> tuple[str, str]:
    m = _PERIOD.search(sentence)
    if not m:
        return "", ""

    def stamp(year: str, month: str | None) -> str:
        return f"{year}-{_MONTH_NUMBER[month.lower()]:02d}" if month and month.lower() in _MONTH_NUMBER else year

    start = stamp(m["y1"], m["m1"])
    end = stamp(m["y2"], m["m2"] or (m["m1"] if not m["y2"] else None)) if m["y2"] else start
    return (start, end) if start <= end else (end, start)


# Nouns that name what a number in this ledger counts; a proposal ends at the last of them.
_COUNTED = re.compile(
    r"(?i)\b(?:detainers?|requests?|people|persons|individuals|immigrants|aliens|migrants|jurisdictions|"
    r"cities|counties|states|localities|files|cases|arrests|crimes|convictions|refugees|recommendations|"
    r"operations|occasions|deportations|removals|releases|inmates|prisoners|detainees|offenders|criminals|"
    r"green cards|visas|letters|agencies|officers|agents|dollars|examples)\b"
)


def counted_as(sentence: str, value_end: int, value_start: int | None = None) -> str:
    """The words of the sentence that say what the number ending at `value_end` counts."""
    return propose_counted_as(sentence, value_start if value_start is not None else value_end, value_end)[0]


def propose_counted_as(sentence: str, value_start: int, value_end: int) -> tuple[str, str]:
    """What the number at [value_start, value_end) of `sentence` counts, and why these words: the
    words after it ("of" passed over: "tens of thousands of immigrants") up to the first word that
    starts a clause, ended at the last counting noun among them ("jurisdictions declined them" is
    "jurisdictions"); without a counting noun after it, the nearest one before it ("40 case files
    ... and every single one showed" counts files); else the words after it."""
    rest = sentence[value_end:]
    lead = re.match(r"(?i)\s+of\s+", rest)
    rest = rest[lead.end() :] if lead else rest
    stop = _STOP.search(rest)
    words = " ".join((rest[: stop.start()] if stop else rest).split()[:6])
    nouns = list(_COUNTED.finditer(words))
    if nouns:
        return words[: nouns[-1].end()], f"the words after the number, to the counting noun {nouns[-1].group(0)!r}"
    # "every single one showed ...": the words after are no noun; what is counted was named before.
    before = list(_COUNTED.finditer(sentence[:value_start]))
    if before:
        return before[-1].group(0), "the nearest counting noun before the number (none follows it)"
    if words:
        why = f"up to {stop.group(0).strip()!r}" if stop else "to the end of the sentence"
        return words, f"the words after the number, {why}; no counting noun near it"
    return "", "no words after the number and no counting noun before it"


def attributed_to(sentence: str) -> str:
    """Who the sentence says produced its numbers, if it says it in a common way."""
    for pattern in _ATTRIBUTION:
        m = pattern.search(sentence)
        if m:
            return m["who"].strip().rstrip(".,;:")
    return ""


def _preposition_note(text: str, phrase: Phrase) -> str:
    """Where the phrase's qualifier word may be a preposition ("worried about 700 jobs"), what the
    other reading records: the check accepts either."""
    word = phrase.text[: phrase.core_start - phrase.start].strip()
    head = preposition_after(text, phrase.start, word) if word else None
    if head is None:
        return ""
    return f"{word!r} after {head!r} may be a preposition, not a hedge: then value_text is {phrase.core!r}, exact"


def _exclude_reason(text: str, start: int, end: int, core: str, readable: bool) -> str:
    if not readable:
        return "no-bound"
    if _YEAR.match(core) or _DATE_BEFORE.search(text[max(0, start - 12) : start]):
        return "date"
    if _AGE_AFTER.match(text[end : end + 12]):
        return "age"
    if _DURATION_AFTER.match(text[end : end + 10]):
        return "duration"
    return ""


def _around(text: str, sentence: Sentence | None, start: int, end: int) -> Sentence:
    """The part of the sentence around text[start:end] that a candidate reads and shows: at most
    CONTEXT characters either side, cut at a space. A line with no sentence end is one sentence
    as long as the text; each of its numbers reading all of it (the period, the attribution, the
    words ranked against every statistic) and carrying it into the output made the command's
    time and output grow with the square of the text (benchmarks/candidates_scaling.py)."""
    if sentence is None:
        return Sentence(start, end, text[start:end])
    lo, hi = max(sentence.start, start - CONTEXT), min(sentence.end, end + CONTEXT)
    if lo == sentence.start and hi == sentence.end:
        return sentence
    if lo > sentence.start:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < sentence.end:
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Sentence(lo, hi, text[lo:hi])


class Candidates(list[Candidate]):
    """Candidates, and how many numbers of each source were left past the cap (`more`)."""

    def __init__(self, found: Iterable[Candidate] = (), more: dict[str, int] | None = None) -> None:
        super().__init__(found)
        self.more: dict[str, int] = dict(more or {})


def find_candidates(
    raw: str,
    covered: list[tuple[int, int]],
    source_id: str,
    stats: list[Profile] | None = None,
    top: int = 5,
    limit: int | None = None,
) -> Candidates:
    """The candidates of a source's raw text: its phrases outside `covered` (spans of its
    normalised text), the first `limit` of them (all with None); the rest are counted in `more`,
    never read: a seed of 50,000 bare numbers took a minute and printed 367,000 lines."""
    text = normalise(raw)
    shown, count = unaccounted_first(text, covered, source_id, limit)
    # Only the sentences around the numbers shown are segmented.
    _, around = sentences_at(raw, [u.phrase.start for u in shown])
    out = Candidates(more={source_id: count - len(shown)} if count > len(shown) else {})
    for u, holding in zip(shown, around, strict=True):
        phrase = u.phrase
        sentence = _around(text, holding, phrase.start, phrase.end)
        value: float | None
        qualifier: str | None
        try:
            parsed = parse_value_text(phrase.text)
            value, qualifier, step, kind, note = parsed.value, parsed.qualifier, parsed.step, parsed.kind, ""
        except ValueTextError:
            value, qualifier = None, None
            step, kind, note = 1.0, "count", "no bound can be read from these words"
        note = note or _preposition_note(text, phrase)
        reason = _exclude_reason(text, phrase.start, phrase.end, phrase.core, value is not None)
        p_start, p_end = _period(sentence.text)
        what, what_reason = propose_counted_as(
            sentence.text, phrase.start - sentence.start, phrase.end - sentence.start
        )
        if reason in ("date", "age", "duration"):
            what, what_reason = "", ""  # it counts nothing
        suggestions: list[Match] = []
        if stats and value is not None and reason not in ("date", "age"):
            # The words around the number speak for it more than the whole sentence does.
            words = f"{what} {sentence.text}" if what else sentence.text
            period = period_bounds(p_start, p_end)
            ranked = sorted(
                (score(value, qualifier, step, kind, words, period, p) for p in stats),
                key=lambda m: (-m.score, m.statistic_id),
            )
            suggestions = ranked[:top]
        out.append(
            Candidate(
                source_id,
                sentence.text,
                phrase.text,
                value,
                qualifier,
                p_start,
                p_end,
                note,
                occurrence=u.occurrence,
                words=u.words,
                counted_as=what,
                counted_as_reason=what_reason,
                attributed_to=attributed_to(sentence.text),
                exclude_reason=reason,
                suggestions=suggestions,
                start=phrase.start,
            )
        )
    return out


def candidates(
    root: Path | str, source_id: str | None = None, top: int = 5, limit: int | None = DEFAULT_MAX_FINDINGS
) -> Candidates:
    """Candidates of every source (or one) of the dataset at `root`, each with `top`
    suggestions; at most `limit` a source (None: all; by default as many as `claims check`
    shows findings of one kind: a real article has tens), the rest counted in `.more`."""
    layout = Layout(given_root(root))
    # Each seed is read through the guarded reader, which refuses what lies behind a link: with
    # seeds/ a link, every source would be passed over in silence ("0 candidates").
    refuse_linked_folders(layout, layout.seeds)
    sources = _read(layout, "sources")
    claims = _read(layout, "claims")
    exclusions = _read(layout, "exclusions") if layout.csv("exclusions").is_file() else None
    if source_id is not None:
        sources = sources.filter(pl.col("source_id") == source_id)
        if sources.height == 0:
            from validate.text.closest import did_you_mean

            known = _read(layout, "sources").get_column("source_id").drop_nulls().to_list()
            raise UsageError(f"no source {source_id!r} in datasets/sources.csv{did_you_mean(source_id, known)}")
    stats = profiles(layout.root)
    out = Candidates()
    for sid, file in sources.select("source_id", "file").iter_rows():
        try:
            raw = read_seed(layout.seeds, file).decode("utf-8") if file else None
        except (FileRefused, UnicodeDecodeError):
            raw = None
        if raw is None:
            continue  # claims check reports the seed
        covered = covered_spans(normalise(raw), sid, claims, exclusions)
        found = find_candidates(raw, covered, sid, stats, top, limit)
        out.extend(found)
        out.more.update(found.more)
    return out
