"""Sentences of a source's text, as spans of its normalised text: a paragraph break always ends one.

Normalising (validate.text.normalise) turns every line break into a space, so paragraphs are
split first, on the raw text's blank lines, and each is normalised and segmented by syntok
(rules for abbreviations, decimals and quotation marks that a regular expression gets wrong:
"U.S.", "1.4 percent", "e.g."). Each step is linear in the text's length; sentences_at() segments
at most a budget of characters (SEGMENT_BUDGET) however many offsets it is asked for."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from syntok.segmenter import analyze

from validate.text.normalise import normalise

# A blank line: two line breaks with nothing but spaces between them.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)")
# sentences_at() segments at most this many characters around an offset: syntok reads some
# 170,000 characters a second, and a pull request's seed can be one paragraph of two gigabytes.
# Real paragraphs are far shorter, and are segmented whole.
WINDOW = 30_000
# sentences_at() segments at most this many characters in all (a SegmentBudget shared between
# calls bounds them together). syntok reads 40,000 to 400,000 characters a second (runs of "(" are
# the slowest), and each offset in a long paragraph costs a window: a seed of ten megabytes with
# a bare number every 10,000 characters had 1,000 findings, each segmenting its own window of
# 30,000 characters (75 s a seed). A real article is far shorter and is segmented whole; past the
# budget an offset gets None, and its caller shows the characters around it instead.
SEGMENT_BUDGET = 250_000


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span in the normalised text, and its text."""

    start: int
    end: int
    text: str


class SegmentBudget:
    """The characters sentences_at() may still segment: one shared between calls (a check's
    seeds) bounds them all together."""

    def __init__(self, chars: int = SEGMENT_BUDGET) -> None:
        self.left = chars

    def spend(self, chars: int) -> bool:
        """Whether `chars` more characters may be segmented; if so, they are taken from the budget."""
        if chars > self.left:
            return False
        self.left -= chars
        return True


def _paragraphs(raw: str) -> tuple[str, list[tuple[int, str]]]:
    """The normalised text of `raw`, and each paragraph's normalised text with where it starts in it.

    The normalised text is the normalised paragraphs joined with one space, which is what
    normalising the whole text gives: the break between two paragraphs is White_Space, which
    collapses to one space, and neither composes nor reorders with its neighbours under NFKC.
    So the text is normalised once, paragraph by paragraph: normalising the whole as well cost
    a second pass, as slow as the first where NFKC expands (U+FDFA is eighteen characters). A
    caller that holds the normalised text compares it with this one."""
    out: list[tuple[int, str]] = []
    base = 0
    for paragraph in _PARAGRAPH_BREAK.split(raw):
        norm = normalise(paragraph)
        if not norm:
            continue
        out.append((base, norm))
        base += len(norm) + 1
    return " ".join(norm for _, norm in out), out


# Titles before a name that syntok does not know as abbreviations (it knows Sen., Dr., Mr., Gen.):
# "Rep. Jane Doe said that 29,269 ..." was two sentences, "Rep." and "Jane Doe said ...", so a
# candidate's sentence and proposed attribution lost the title. A sentence that ends with one
# runs on into the next when that begins with a capital letter (a name).
_TITLE_AT_END = re.compile(
    r"(?:^|[\s(\"'])(?:Rep|Reps|Sens|Gov|Govs|Lt|Atty|Supt|Del|Pres|Sgt|Cmdr|Insp|Amb|Sec|Gens)\.$"
)


def _segmented(full: str, base: int, norm: str) -> list[Sentence]:
    """The sentences of `norm`, a piece of `full` that starts at `base`."""
    out: list[Sentence] = []
    for segmented in analyze(norm):
        for tokens in segmented:
            if not tokens:
                continue
            start, end = base + tokens[0].offset, base + tokens[-1].offset + len(tokens[-1].value)
            if out and _TITLE_AT_END.search(out[-1].text) and full[start : start + 1].isupper():
                start = out.pop().start
            out.append(Sentence(start, end, full[start:end]))
    return out


def sentences(raw: str) -> tuple[str, list[Sentence]]:
    """The normalised text of `raw` and its sentences, in order."""
    full, paragraphs = _paragraphs(raw)
    return full, [s for base, norm in paragraphs for s in _segmented(full, base, norm)]


def sentences_at(
    raw: str, offsets: Sequence[int], budget: SegmentBudget | None = None
) -> tuple[str, list[Sentence | None]]:
    """The normalised text of `raw` and the sentence holding each offset of it (None where none
    does). Only the paragraphs holding an offset are segmented, and of one longer than WINDOW
    only the WINDOW characters around the offset: the cost is bounded by the offsets asked for,
    not the text's length. A sentence cut by the window's edge is shown cut.

    At most `budget` characters are segmented (a fresh SEGMENT_BUDGET when None), in the order
    of the offsets: an offset whose paragraph or window would overspend it gets None, unless an
    earlier offset's segmenting already holds it."""
    if budget is None:
        budget = SegmentBudget()
    full, paragraphs = _paragraphs(raw)
    starts = [base for base, _ in paragraphs]
    third = WINDOW // 3
    done: dict[tuple[int, int], list[Sentence]] = {}
    out: list[Sentence | None] = []
    for offset in offsets:
        i = bisect_right(starts, offset) - 1
        if i < 0:
            out.append(None)
            continue
        base, norm = paragraphs[i]
        # Windows on a grid, so that nearby offsets share one: an offset has a third of the
        # window or the paragraph's edge on either side.
        lo = 0 if len(norm) <= WINDOW else max(0, ((offset - base) // third - 1) * third)
        if (i, lo) not in done:
            piece = norm[lo : lo + WINDOW]
            if not budget.spend(len(piece)):
                out.append(None)
                continue
            done[(i, lo)] = _segmented(full, base + lo, piece)
        out.append(sentence_at(done[(i, lo)], offset))
    return full, out


def sentence_at(found: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding `offset`, by bisection."""
    lo, hi = 0, len(found)
    while lo < hi:
        mid = (lo + hi) // 2
        if found[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(found) and found[lo].start <= offset:
        return found[lo]
    return None
