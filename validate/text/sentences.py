"""Sentences of a source's text, as spans of its normalised text: a paragraph break always ends one.

Normalising (validate.text.normalise) turns every line break into a space, so paragraphs are
split first, on the raw text's blank lines, and each is normalised and segmented by syntok
(rules for abbreviations, decimals and quotation marks that a regular expression gets wrong:
"U.S.", "1.4 percent", "e.g."). Each step is linear in the text's length."""

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


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span in the normalised text, and its text."""

    start: int
    end: int
    text: str


def _paragraphs(raw: str) -> tuple[str, list[tuple[int, str]]]:
    """The normalised text of `raw`, and each paragraph's normalised text with where it starts in it."""
    full = normalise(raw)
    out: list[tuple[int, str]] = []
    cursor = 0
    for paragraph in _PARAGRAPH_BREAK.split(raw):
        norm = normalise(paragraph)
        if not norm:
            continue
        # Normalising the whole text joins the normalised paragraphs with one space.
        base = full.find(norm, cursor)
        if base < 0:  # pragma: no cover - normalising never merges across a line break
            continue
        cursor = base + len(norm)
        out.append((base, norm))
    return full, out


def _segmented(full: str, base: int, norm: str) -> list[Sentence]:
    """The sentences of `norm`, a piece of `full` that starts at `base`."""
    out = []
    for segmented in analyze(norm):
        for tokens in segmented:
            if not tokens:
                continue
            start, end = tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)
            out.append(Sentence(base + start, base + end, full[base + start : base + end]))
    return out


def sentences(raw: str) -> tuple[str, list[Sentence]]:
    """The normalised text of `raw` and its sentences, in order."""
    full, paragraphs = _paragraphs(raw)
    return full, [s for base, norm in paragraphs for s in _segmented(full, base, norm)]


def sentences_at(raw: str, offsets: Sequence[int]) -> tuple[str, list[Sentence | None]]:
    """The normalised text of `raw` and the sentence holding each offset of it (None where none
    does). Only the paragraphs holding an offset are segmented, and of one longer than WINDOW
    only the WINDOW characters around the offset: the cost is bounded by the offsets asked for,
    not the text's length. A sentence cut by the window's edge is shown cut."""
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
            done[(i, lo)] = _segmented(full, base + lo, norm[lo : lo + WINDOW])
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
