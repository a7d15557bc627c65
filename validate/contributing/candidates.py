"""Numbers in a source's text that no claim covers yet, each proposed as a claim row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from validate.errors import UsageError
from validate.paths import Layout
from validate.reading.csv_file import read_table
from validate.reading.seeds import inspect, leads_outside
from validate.reading.table_schema import load_schema
from validate.text.normalise import normalise
from validate.text.value_text import ValueTextError, parse_value_text

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_QUALIFIER = (
    r"(?:more than|over|upwards of|in excess of|at least|no fewer than|no less than|nearly|almost|close to|"
    r"just under|approximately|about|around|roughly|an estimated|fewer than|less than|under|at most|"
    r"no more than|up to) "
)
# A value phrase: qualifier words, then digits or number words, then a scale or percent word;
# or a share or magnitude said in words. Bracketed editorial letters ("(N)early") are allowed.
_QUALIFIER_EDITED = _QUALIFIER.replace("nearly", r"(?:\(n\)|n)early")
_VALUE = re.compile(
    rf"(?i)(?<![\w$.,-])(?:{_QUALIFIER_EDITED})?"
    rf"(?:\$?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\$?\d+(?:\.\d+)?|(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))?)"
    r"(?:%| percent| per cent| million| billion| trillion| thousand| hundred)?(?![\w%])"
    r"|(?<![\w-])(?:tens of thousands|hundreds of thousands|tens of millions|thousands|millions|hundreds|dozens"
    r"|(?:the |a )?(?:vast )?majority|(?:nearly |almost )?(?:a|one) (?:quarter|third|half|fifth|tenth)"
    r"|all|most|many|a number of|multiple|a myriad of|several)(?!\w)"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_CONTEXT = re.compile(rf"(?i)(?:{_MONTHS})\.?\s*$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# A sentence ends at . ! ? followed by a space or the end, so "1.4 percent" stays whole.
_SENTENCE = re.compile(r"""(?:[^.!?]|[.!?](?!["')\]]*(?:\s|$)))+(?:[.!?]+["')\]]*|$)""")
_PERIOD = re.compile(
    rf"(?i)(?:(?P<m1>{_MONTHS})\s+)?(?P<y1>(?:19|20)\d\d)(?:\s*(?:to|through|-|and)\s*(?:(?P<m2>{_MONTHS})\s+)?(?P<y2>(?:19|20)\d\d))?"
)
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(_MONTHS.split("|")[:12])}


@dataclass(frozen=True)
class Candidate:
    source_id: str
    sentence: str
    value_text: str
    value: float | None
    qualifier: str | None
    period_start: str
    period_end: str
    note: str


def _period(sentence: str) -> tuple[str, str]:
    m = _PERIOD.search(sentence)
    if not m:
        return "", ""

    def stamp(year: str, month: str | None) -> str:
        return f"{year}-{_MONTH_NUMBER[month.lower()]:02d}" if month and month.lower() in _MONTH_NUMBER else year

    start = stamp(m["y1"], m["m1"])
    end = stamp(m["y2"], m["m2"]) if m["y2"] else start
    return start, end


def find_candidates(text: str, covered: list[tuple[int, int]], source_id: str) -> list[Candidate]:
    """Value phrases of `text` (normalised) outside the `covered` spans."""
    out: list[Candidate] = []
    for sentence_match in _SENTENCE.finditer(text):
        sentence = sentence_match.group(0).strip()
        base = sentence_match.start()
        for m in _VALUE.finditer(sentence_match.group(0)):
            start, end = base + m.start(), base + m.end()
            phrase = m.group(0)
            bare = phrase.replace(",", "")
            if _YEAR.match(bare) or _DATE_CONTEXT.search(text[max(0, start - 12) : start]):
                continue  # a year or a day of a month: a period, not a value
            if any(s < end and start < e for s, e in covered):
                continue
            try:
                parsed = parse_value_text(phrase)
                value, qualifier, note = parsed.value, parsed.qualifier, ""
            except ValueTextError:
                value, qualifier, note = None, None, "no bound can be read from these words"
            p_start, p_end = _period(sentence)
            out.append(Candidate(source_id, sentence, phrase, value, qualifier, p_start, p_end, note))
    return out


def candidates(root: Path, source_id: str | None = None) -> list[Candidate]:
    """Numbers in the sources' texts (or one source's) that no claim's value_text covers."""
    layout = Layout(Path(root))
    for path in (layout.csv("sources"), layout.csv("claims"), layout.schema("sources"), layout.schema("claims")):
        if leads_outside(layout.root, path):
            raise UsageError(f"{layout.rel(path)} is a link that leads outside the dataset root: run claims check")
    sources = read_table(layout.csv("sources"), "sources", "sources", load_schema(layout.schema("sources"))).frame
    claims = read_table(layout.csv("claims"), "claims", "claims", load_schema(layout.schema("claims"))).frame
    if source_id is not None:
        sources = sources.filter(pl.col("source_id") == source_id)
        if sources.height == 0:
            raise UsageError(f"no source {source_id!r} in datasets/sources.csv")
    seeds = inspect(layout.seeds, sources.get_column("file").to_list())
    # Seeds.texts holds exactly the files that are readable UTF-8.
    texts: dict[str, str] = dict(seeds.texts.iter_rows())
    out: list[Candidate] = []
    for sid, file in sources.select("source_id", "file").iter_rows():
        text = texts.get(file)
        if text is None:
            continue
        covered: list[tuple[int, int]] = []
        for quote, value_text in claims.filter(pl.col("source_id") == sid).select("quote", "value_text").iter_rows():
            q, v = normalise(quote or ""), normalise(value_text or "")
            at = text.find(q) if q else -1
            inside = q.find(v) if v else -1
            if at >= 0 and inside >= 0:
                covered.append((at + inside, at + inside + len(v)))
        out.extend(find_candidates(text, covered, sid))
    return out
