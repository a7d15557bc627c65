"""Sentences of a source's text, as spans of its normalised text: a paragraph break always ends one.

Normalising (validate.text.normalise) turns every line break into a space, so paragraphs are
split first, on the raw text's blank lines, and each is normalised and segmented by syntok
(rules for abbreviations, decimals and quotation marks that a regular expression gets wrong:
"U.S.", "1.4 percent", "e.g."). Each step is linear in the text's length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from syntok.segmenter import analyze

from validate.text.normalise import normalise

# A blank line: two line breaks with nothing but spaces between them.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span in the normalised text, and its text."""

    start: int
    end: int
    text: str


def sentences(raw: str) -> tuple[str, list[Sentence]]:
    """The normalised text of `raw` and its sentences, in order."""
    full = normalise(raw)
    out: list[Sentence] = []
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
        for segmented in analyze(norm):
            for tokens in segmented:
                if not tokens:
                    continue
                start, end = tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)
                out.append(Sentence(base + start, base + end, full[base + start : base + end]))
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
