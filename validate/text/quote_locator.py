"""A source text normalised as the contract says, with a map back to the original: where a quote
found in the normalised text stands in the archived one (the offsets of claim_intervals and the
site's highlights)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from validate.text.normalise import normalise

# The normalisation with a map back to the original text. NFKC can merge characters (e and a
# combining accent) or split one (the ligature "fi"), and whitespace runs shrink to one space,
# so a position in the normalised text is mapped through pieces: stretches of it that each
# come from one stretch of the original.

_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_ASCII_SPACE = re.compile(r"[\t-\r ]+")
_BREAK = re.compile(r"[\t-\r ]{2,}")
_WS, _LINEAR, _BLOCK = 0, 1, 2


@dataclass(frozen=True)
class _Piece:
    norm_start: int
    orig_start: int
    orig_end: int
    # One normalised character per original character, in order; otherwise each normalised
    # character of the piece stands for the whole original stretch.
    linear: bool


class QuoteLocator:
    """A source text normalised as the contract says, able to find a quote's span in the original."""

    def __init__(self, original: str) -> None:
        parts: list[str] = []
        pieces: list[_Piece] = []
        n = 0
        space: tuple[int, int] | None = None  # the whitespace run not yet written
        for kind, a, b, out in _tokens(original):
            if kind == _WS:
                space = (space[0], b) if space else (a, b)
                continue
            if space and n:  # leading whitespace is trimmed, inner runs become one space
                parts.append(" ")
                pieces.append(_Piece(n, space[0], space[1], False))
                n += 1
            space = None  # trailing whitespace is trimmed: it is never written
            parts.append(out)
            pieces.append(_Piece(n, a, b, kind == _LINEAR))
            n += len(out)
        self.text = "".join(parts)
        if self.text != normalise(original):  # pragma: no cover - a bug here, not in the data
            raise RuntimeError("the offset map of a source text disagrees with the contract's normalisation")
        self._pieces = pieces
        self._starts = [p.norm_start for p in pieces]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Start (included) and end (excluded) in the original text of the first match of normalised `quote`."""
        if not quote:
            return None
        i = self.text.find(quote)
        if i < 0:
            return None
        return self.original(i, i + len(quote))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Start (included) and end (excluded) in the original text of the normalised span [start, end), not empty."""
        return self._original(start)[0], self._original(end - 1)[1]

    def _original(self, k: int) -> tuple[int, int]:
        p = self._pieces[bisect.bisect_right(self._starts, k) - 1]
        if p.linear:
            at = p.orig_start + k - p.norm_start
            return at, at + 1
        return p.orig_start, p.orig_end


def _tokens(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(kind, original start, original end, normalised text) of whitespace and non-whitespace stretches."""
    # Runs of two or more ASCII spaces (paragraph breaks) split the text into regions. Most
    # regions map one character to one (a curly quote, a dash, a lone non-breaking space each
    # become one character), so one piece covers each; only the others are read piece by piece.
    pos = 0
    for m in _BREAK.finditer(text):
        yield from _region_tokens(text, pos, m.start())
        yield _WS, m.start(), m.end(), " "
        pos = m.end()
    yield from _region_tokens(text, pos, len(text))


def _region_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, str]]:
    if start == end:
        return
    same = _one_to_one(text[start:end])
    if same is not None:
        yield _LINEAR, start, end, same
        return
    pos = start
    # A boundary before an ASCII character is safe for NFKC: it never composes with what precedes
    # it and is never reordered. So each non-ASCII run is normalised with the ASCII character
    # before it (e + U+0301 is é), and the ASCII text between runs is left as it is.
    for m in _NON_ASCII.finditer(text, start, end):
        yield from _ascii_tokens(text, pos, m.start())
        yield from _non_ascii_tokens(m.group(), m.start())
        pos = m.end()
    yield from _ascii_tokens(text, pos, end)


def _one_to_one(region: str) -> str | None:
    """The region's normalisation if it is the region with each character replaced by one; else None."""
    out = normalise(region)
    if len(out) != len(region):
        return None
    table: dict[int, str] = {}
    for ch in set(region):
        one = _one_char(ch)
        if one is None:
            return None
        table[ord(ch)] = one
    return out if region.translate(table) == out else None


@cache
def _one_char(ch: str) -> str | None:
    nfkc = unicodedata.normalize("NFKC", ch)
    if len(nfkc) != 1:
        return None
    return _map_char(nfkc) or " "


def _ascii_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, str]]:
    pos = start
    for m in _ASCII_SPACE.finditer(text, start, end):
        a, b = m.span()
        # A single space between two other characters maps to itself: no piece needed.
        if m.group() == " " and start < a and b < end:
            continue
        if pos < a:
            yield _LINEAR, pos, a, text[pos:a]
        yield _WS, a, b, " "
        pos = b
    if pos < end:
        yield _LINEAR, pos, end, text[pos:end]


def _non_ascii_tokens(segment: str, offset: int) -> Iterator[tuple[int, int, int, str]]:
    whole = unicodedata.normalize("NFKC", segment)
    # Finest first: each character alone, then each character with the combining marks after it.
    # Where neither normalises piecewise to the same text (Hangul jamo, some Indic vowel signs),
    # the normalised run stands for the whole original run.
    for units in (list(segment), _clusters(segment)):
        each = [unicodedata.normalize("NFKC", u) for u in units]
        if "".join(each) == whole:
            pos = offset
            for unit, out in zip(units, each, strict=True):
                yield from _emit(out, pos, pos + len(unit))
                pos += len(unit)
            return
    yield from _emit(whole, offset, offset + len(segment))


def _clusters(segment: str) -> list[str]:
    out: list[str] = []
    for ch in segment:
        if out and unicodedata.combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _emit(out: str, a: int, b: int) -> Iterator[tuple[int, int, int, str]]:
    for ch in out:
        mapped = _map_char(ch)
        if not mapped:
            yield _WS, a, b, " "
        else:
            yield (_LINEAR if len(out) == 1 and b - a == 1 and len(mapped) == 1 else _BLOCK), a, b, mapped


@cache
def _map_char(ch: str) -> str:
    # The normalisation itself says what becomes of a character already in NFKC: "" for
    # whitespace (trimmed away when alone), a straight quote for a curly one, else itself.
    return normalise(ch)
