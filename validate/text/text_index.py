"""Where an exclusion's words stand in a source's normalised text: the whole-word occurrences of
each needle, found once per text (TextIndex), for the coverage rule, the commands that read one
source and the site's highlighting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import polars as pl

from validate.text.normalise import normalise
from validate.text.number_phrases import occurrences

# A stretch of a text: its start and end offsets.
Span = tuple[int, int]


class TextIndex:
    """A source's normalised text with the whole-word occurrences of each needle, found once:
    exclusions name the same words again and again ("2017", occurrences 1 to 6)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[int]] = {}
        self._named: dict[str, tuple[str, list[int]]] = {}

    def occurrences(self, needle: str) -> list[int]:
        """Start offsets of the whole-word occurrences of `needle`."""
        found = self._found.get(needle)
        if found is None:
            found = self._found[needle] = occurrences(self.text, needle)
        return found

    def named(self, excluded: str) -> tuple[str, list[int]]:
        """The normalised form of an exclusion's text and its whole-word occurrences."""
        got = self._named.get(excluded)
        if got is None:
            needle = normalise(excluded)
            got = self._named[excluded] = (needle, self.occurrences(needle))
        return got


class LazyIndexes(Sequence[TextIndex]):
    """The TextIndex of each of `texts`, made when first asked for: the coverage rule reads the
    text of few sources in Python (those with findings, or a phrase a span touches), and making
    all of them (41 MB of Python strings at a million claims) came at the end of the check."""

    def __init__(self, texts: pl.Series) -> None:
        self._texts = texts
        self._made: dict[int, TextIndex] = {}

    def __len__(self) -> int:
        return self._texts.len()

    @overload
    def __getitem__(self, i: int) -> TextIndex: ...
    @overload
    def __getitem__(self, i: slice) -> list[TextIndex]: ...
    def __getitem__(self, i: int | slice) -> TextIndex | list[TextIndex]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = TextIndex(self._texts[i])
        return made

    def sizes(self) -> list[int]:
        """Each text's length in characters, without making its TextIndex."""
        return self._texts.str.len_chars().fill_null(0).to_list()


def excluded_span(text: str | TextIndex, excluded: str, occurrence: int) -> Span | None:
    """The span of the `occurrence`-th whole-word occurrence of `excluded` in `text`, if there is one."""
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    needle, found = index.named(excluded)
    if not 1 <= occurrence <= len(found):
        return None
    return found[occurrence - 1], found[occurrence - 1] + len(needle)
