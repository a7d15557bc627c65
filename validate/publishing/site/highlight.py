"""Archived text as HTML with its quotes, claimed numbers and excluded numbers marked, every character escaped.

Spans may overlap (two claims share one quote; a quote of one claim runs into another's), so the
text is cut at every span boundary and each piece is wrapped in one mark of each kind of span that
covers it (one per span only on a span's first piece, which carries the span's id): the HTML always
nests, whatever the spans do, and its size grows with the text and the spans, not their product;
its depth is bounded too (MAX_NESTED_IDS).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup, escape

from validate.text.normalise import normalise
from validate.text.quote_locator import QuoteLocator
from validate.text.text_index import TextIndex, excluded_span


@dataclass(frozen=True)
class Span:
    """A stretch [start, end) of a text to mark: a quote, a claimed value or an excluded number."""

    start: int
    end: int
    kind: str  # "quote", "value" or "excluded"
    key: str  # the claim id, or the exclusion's reason
    anchor: str | None = None  # an id for the first piece, so links can land on it
    after: Markup | None = None  # HTML put after the span's last piece (a link, a reason)


def find_in(text: str, phrase: str) -> tuple[int, int] | None:
    """The original-text span of the first match of `phrase` in `text`, both normalised as quotes
    are: how the check finds a claim's value in its quote (the first match, whole word or not)."""
    return QuoteLocator(text).find(normalise(phrase))


class SourceText:
    """A source's archived text, normalised once with its map back to the original, for the
    exclusions' marks."""

    def __init__(self, text: str) -> None:
        self._locator = QuoteLocator(text)
        # The check's own index of the normalised text: each excluded text's whole-word
        # occurrences are found in one pass, however many occurrences the exclusions name.
        self._index = TextIndex(self._locator.text)

    def excluded(self, text: str, occurrence: int) -> tuple[int, int] | None:
        """The original-text span of the exclusion (`text`, `occurrence`): its occurrence counted
        as the check counts it (whole words of the normalised text), so the mark is the number the
        check took as excluded, never "all" inside "Finally"."""
        span = excluded_span(self._index, text, occurrence)
        return None if span is None else self._locator.original(*span)


def value_span(text: str, quote_start: int | None, quote_end: int | None, value_text: str) -> tuple[int, int] | None:
    """Where a claim's value_text stands inside its quote's place in `text`."""
    if quote_start is None or quote_end is None:
        return None
    found = find_in(text[quote_start:quote_end], value_text)
    return None if found is None else (quote_start + found[0], quote_start + found[1])


_TAGS = {"quote": ("span", "quote"), "value": ("mark", "value"), "excluded": ("span", "excluded")}
_ORDER = {"quote": 0, "excluded": 1, "value": 2}
# The marks a piece opens, outermost first: one kind's marks are alike, so one of each is enough.
_KINDS = sorted(_ORDER, key=_ORDER.__getitem__)
# The ids of the spans of one kind that start together, each on its own element wrapping the
# piece, nest one inside the other: 3,000 claims quoting from one word nested 3,000 elements, past
# the depth (512) at which a browser's parser stops nesting (Chromium set the rest side by side,
# empty, so the page was not the HTML written).
# Past this many, each further id stands on an empty anchor inside the innermost (links land on it,
# and the page's style outlines the piece around it when it is the target).
MAX_NESTED_IDS = 8
_OPEN = {kind: Markup('<{} class="{}">').format(*_TAGS[kind]) for kind in _KINDS}
_CLOSE = {kind: Markup("</{}>").format(_TAGS[kind][0]) for kind in _KINDS}


def render(text: str, spans: list[Span]) -> Markup:
    """`text` escaped, with each span's marks around the pieces it covers."""
    # The order the marks of a piece open in and the texts after them follow, outermost first.
    spans = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=_nesting)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    # One sweep over the cuts: a span joins the covering count of its kind at its start and leaves
    # it at its end (every start and end is a cut). Testing every span at every cut made 50 million
    # tests of 5,000 excluded numbers of one source.
    starting: dict[int, list[Span]] = defaultdict(list)
    ending: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starting[s.start].append(s)
        ending[s.end].append(s)
    covering = dict.fromkeys(_KINDS, 0)
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        for s in ending.get(a, ()):
            covering[s.kind] -= 1
        for s in starting.get(a, ()):
            covering[s.kind] += 1
        # A piece covered by several spans of one kind gets one mark of that kind, not one each:
        # 4,000 quotes of 285 words each, one word apart, nested 285 marks deep on every word (a
        # 190 MB page); the marks of one kind look alike, so one shows what the nest showed.
        # Only a span's first piece carries its id, so a link lands on it: one element per span
        # that starts here with an id, else one plain mark.
        opened: list[str] = []
        for kind in _KINDS:
            if not covering[kind]:
                continue
            anchored = [s.anchor for s in starting.get(a, ()) if s.kind == kind and s.anchor]
            for anchor in anchored[:MAX_NESTED_IDS]:
                out.append(Markup('<{} class="{}" id="{}">').format(*_TAGS[kind], anchor))
                opened.append(kind)
            out.extend(
                Markup('<span class="anchor" id="{}"></span>').format(anchor) for anchor in anchored[MAX_NESTED_IDS:]
            )
            if not anchored:
                out.append(_OPEN[kind])
                opened.append(kind)
        out.append(escape(text[a:b]))
        out.extend(_CLOSE[kind] for kind in reversed(opened))
        out.extend(s.after for s in ending.get(b, ()) if s.after is not None)
    return Markup("").join(out)


def _nesting(s: Span) -> tuple[int, int, int, str]:
    return _ORDER[s.kind], s.start, -s.end, s.key
