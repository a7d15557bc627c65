"""Polars' pass of the phrase pattern over texts other than ASCII: its phrases, in characters,
are exactly those of Python's own pass (the reference), except in a text holding a character
that Python's case-insensitive matching takes for an ASCII one, which Python's pass reads."""

from __future__ import annotations

import re
from array import array
from collections import defaultdict

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from validate.text import number_phrases
from validate.text.number_phrases import (
    _NOT_AS_RUST,
    _PHRASE,
    confirmed,
    find_phrases_many,
    proposed_spans,
    python_phrases,
)

# Every character other than ASCII that a Python string of valid text can hold.
_ALL = array("I", [*range(0x80, 0xD800), *range(0xE000, 0x110000)]).tobytes().decode("utf-32-le")


def test_the_characters_read_apart_are_those_python_matches_with_ascii() -> None:
    """_NOT_AS_RUST asks Python's engine one question ((?i)[\\x00-\\x7f]); the pattern asks it
    of each of its characters and classes: over every code point, the same characters."""
    pattern = _PHRASE.pattern
    asked = [re.escape(c) for c in sorted(set(pattern) | set("abcdefghijklmnopqrstuvwxyz")) if c.isascii()]
    asked += ["[A-Za-z0-9_]", "[A-Za-z0-9_-]", "[0-9]"]
    matched: set[str] = set()
    for one in asked:
        matched |= set(re.findall(f"(?i){one}", _ALL))
    assert matched == set(_NOT_AS_RUST.findall(_ALL))
    # This Python's: the dotted and dotless I, the long s, the Kelvin sign.
    assert matched >= {"\u0130", "\u0131", "\u017f", "\u212a"}


_TOKENS = [
    # ASCII words and digits
    "the",
    "x",
    "someone",
    "ones",
    "jurisdictions",
    "675",
    "29,269",
    "2.37",
    "12,3456",
    "2019",
    "18th",
    "COVID-19",
    "$16",
    "70%",
    "_5",
    # number words, shares, magnitudes, quantities
    "one",
    "four",
    "twenty-three",
    "two million",
    "two hundred thousand",
    "seventy per cent",
    "$2.4bn",
    "700k",
    "5mg",
    "million",
    "a third",
    "two-thirds",
    "half",
    "half a dozen",
    "a half-dozen",
    "tens of thousands",
    "many",
    "several",
    "every single one",
    "majority",
    "Muslim-majority",
    "most",
    "all",
    "in",
    "a",
    # qualifiers
    "more than",
    "no more than",
    "not more than",
    "nearly",
    "(N)early",
    "about",
    "at most",
    # other than ASCII: letters, a combining mark, CJK, an emoji, a ligature NFKC would split,
    # a character NFKC makes eighteen, and those Python's case-insensitive match takes for ASCII
    "é",
    "café",
    "on\u0301e",
    "\u0301",
    "ß",
    "字",
    "😀",
    "ﬁ",
    "\ufdfa",
    "\u00a0",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "\u017feveral",
    "\u0131n",
    "mıllion",
]
_JOINTS = [" ", " ", ", ", "", "-", "\u0301", "é", "."]
_TEXT = st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_JOINTS)), max_size=40).map(
    lambda parts: "".join(token + joint for token, joint in parts)
)
# Now and then a mark that polars' pass writes: such a text is Python's to read.
_TEXTS = st.lists(st.one_of(_TEXT, _TEXT.map(lambda t: t + "\x00"), _TEXT.map(lambda t: "\x01" + t)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_polars_pass_confirmed_is_python_pass(texts: list[str]) -> None:
    """proposed_spans, each phrase confirmed where it stands (as the coverage rule does), gives
    each exact text exactly Python's phrases, in characters; a text not exact gets none."""
    found = proposed_spans(texts)
    at: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for start, end, owner in found.phrases.iter_rows():
        at[owner].append((start - found.base[owner], end - found.base[owner]))
    for i, text in enumerate(texts):
        expected = [(p.start, p.end, p.core_start, p.core_end) for p in python_phrases(text)]
        if _NOT_AS_RUST.search(text) is None:
            # Each character other than ASCII reads as `#` would, in both engines: it matches
            # nothing of either pattern and is no word character; so the text is exact as that
            # ASCII text is.
            ascii_ = "".join(c if c.isascii() else "#" for c in text)
            assert [(p.start, p.end, p.core_start, p.core_end) for p in python_phrases(ascii_)] == expected
            assert found.exact[i] == proposed_spans([ascii_]).exact[0]
        if not found.exact[i]:
            assert at[i] == []
            continue
        event("exact, not ASCII" if not text.isascii() else "exact, ASCII")
        read = [confirmed(text, start, end) for start, end in sorted(at[i])]
        assert [(p.start, p.end, p.core_start, p.core_end) for p in read if p is not None] == expected
        assert None not in read


def test_text_other_than_ascii_is_read_by_polars() -> None:
    """Accented prose, combining marks and U+FDFA's expansion: polars' phrases, in characters."""
    texts = ["café 12, nearly twenty-three détenus", "on\u0301e 2,500 字 😀 about half", "x " + "\ufdfa" * 3 + " 7"]
    found = proposed_spans(texts)
    assert found.exact == [True, True, True]
    got = [(s, e, o) for s, e, o in found.phrases.iter_rows()]
    expected = [
        (found.base[i] + p.start, found.base[i] + p.end, i) for i, t in enumerate(texts) for p in python_phrases(t)
    ]
    assert got == expected and len(got) == 5


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("\u017feveral", "\u017feveral"), ("\u0131n 1990, mıllions", "mıllions"), ("two \u212a", None), ("\u0130", None)],
)
def test_a_character_python_takes_for_ascii_is_read_by_python(text: str, phrase: str | None) -> None:
    """Python reads `ſeveral` as `several`, Rust's ASCII pass does not: Python's pass reads the
    stretch around such a character, and the text's phrases are Python's."""
    found = proposed_spans([text, "café 12"])
    assert found.exact == [True, True]
    spans = [(s, e) for s, e, owner in found.phrases.iter_rows() if owner == 0]
    assert spans == [(p.start, p.end) for p in python_phrases(text)]
    if phrase is not None:
        assert phrase in [text[s:e] for s, e in spans]


# Places where the two engines may read a text apart, and what surrounds them: refused edges
# (a hyphen before a word, a digit before a digit after a thousands group, a word before
# "(N)early"), characters Python's case-insensitive match takes for ASCII ones, runs of digits
# (along which an attempt reads far), and the words around them.
_NEAR = [
    "Muslim-majority",
    "COVID-19",
    "x-more than half",
    "1,2345",
    "12,345,6789",
    "x(N)early 5",
    "x[A]bout 5",
    "(N)early",
    "[M]ore than",
    "nearly",
    "about",
    "more than",
    "at most",
    "one",
    "twenty-three",
    "two million",
    "a third",
    "two-thirds",
    "tens of thousands",
    "every single one",
    "several",
    "majority",
    "12",
    "1" * 40,
    # a run of digits longer than any phrase of words, then a suffix Python reads
    "1" * 40 + " thou\u017fand",
    "about " + "2" * 45 + " m\u0131llion",
    # a phrase of words as long as they come, read apart at its end
    "no more than hundreds of thou\u017fands",
    "1,234,567.89",
    "3.5",
    "$16",
    "70%",
    "million",
    "percent",
    "per cent",
    "cafe",
    "the",
    "é",
    "字",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "\u017feveral",
    "m\u0131llion",
    "\u0131n",
    "per\u017fent",
    "thou\u017fand",
    "\u212aeep",
]
_NEAR_JOINTS = [" ", " ", " ", "", "-", ",", ".", "\u0131", "\n"]
_NEAR_TEXT = st.lists(st.tuples(st.sampled_from(_NEAR), st.sampled_from(_NEAR_JOINTS)), max_size=60).map(
    lambda parts: "".join(token + joint for token, joint in parts)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_NEAR_TEXT, _TEXT), min_size=1, max_size=4))
def test_python_reads_only_near_the_places_and_finds_its_own_phrases(texts: list[str]) -> None:
    """Where the two engines may read a text apart, Python's pass reads a stretch around each
    place and polars' proposals stand elsewhere: the phrases are exactly those of Python's pass
    over the whole text, each confirmed where it stands; and so are find_phrases_many's. (With
    places as dense as these short texts hold, a text is read whole by Python unless _DENSE says
    otherwise: the stretches are tested with it at 0, the texts as the check reads them with it
    as it is.)"""
    expected = [[(p.start, p.end, p.core_start, p.core_end) for p in python_phrases(text)] for text in texts]
    for dense in (0, number_phrases._DENSE):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(number_phrases, "_DENSE", dense)
            found = proposed_spans(texts)
            got = find_phrases_many(texts)
        at: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for start, end, owner in found.phrases.iter_rows():
            at[owner].append((start - found.base[owner], end - found.base[owner]))
        for i, text in enumerate(texts):
            assert found.exact[i]
            read = [confirmed(text, start, end) for start, end in at[i]]
            assert [(p.start, p.end, p.core_start, p.core_end) for p in read if p is not None] == expected[i]
            assert None not in read
        assert [[(p.start, p.end, p.core_start, p.core_end) for p in one] for one in got] == expected
    event("read apart somewhere" if any(_NOT_AS_RUST.search(t) or "-m" in t for t in texts) else "plain")


@pytest.mark.parametrize(
    ("place", "phrase"),
    [
        ("Muslim-majority", None),
        ("x-more than half", "more than half"),
        ("x(N)early 5", "5"),
        ("1,2345", "1,234"),
        ("about 5 m\u0131llion", "about 5 m\u0131llion"),
        ("\u017feveral", "\u017feveral"),
        ("about " + "2" * 60 + " m\u0131llion", "about " + "2" * 60 + " m\u0131llion"),
        ("no more than hundreds of thou\u017fands", "no more than hundreds of thou\u017fands"),
    ],
)
def test_python_reads_a_short_stretch_around_one_place_in_a_long_text(
    monkeypatch: pytest.MonkeyPatch, place: str, phrase: str | None
) -> None:
    """One place read apart in 400 KB of `cafe 12 `: Python's pass reads a few dozen characters
    around it, not the text (which cost some 3 s a megabyte), and finds the phrases there."""
    text = "cafe 12 " * 25_000 + place + " " + "cafe 12 " * 25_000
    stretches: list[tuple[int, int]] = []
    passes = number_phrases._local_passes

    def counting(text: str, *args: object) -> list[tuple[int, int, list[tuple[int, int]]]]:
        out = passes(text, *args)  # type: ignore[arg-type]
        stretches.extend((lo, hi) for lo, hi, _ in out)
        return out

    monkeypatch.setattr(number_phrases, "_local_passes", counting)
    found = proposed_spans([text])
    assert found.exact == [True]
    assert 0 < sum(hi - lo for lo, hi in stretches) <= 200
    got = [text[s:e] for s, e, _ in found.phrases.iter_rows()]
    assert got == [p.text for p in python_phrases(text)]
    if phrase is not None:
        assert got[25_000] == phrase


def _first_reader_walked_alone(text: str, c: int) -> int:
    """The first reader of `text[c]` as _first_readers' docstring defines it, its run walked back
    from y character by character: the reference."""
    first = c - max(number_phrases._WORD_REACH, number_phrases._SUFFIX_REACH + 1 + number_phrases._BEFORE_DIGITS)
    y = c - number_phrases._SUFFIX_REACH - 1
    if y >= 0 and text[y] in "0123456789,.":
        run = y
        while run and text[run - 1] in "0123456789,.":
            run -= 1
        first = min(first, run - number_phrases._BEFORE_DIGITS)
    return max(first, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="1,.a ſ", max_size=80), st.data())
def test_first_readers_of_many_spots_are_each_spots_own(text: str, data: st.DataObject) -> None:
    spots = sorted(data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)))) if text else set())
    assert number_phrases._first_readers(text, spots) == [_first_reader_walked_alone(text, c) for c in spots]


class _Counted(str):
    """A text that counts the characters read from it one at a time."""

    reads = 0

    def __getitem__(self, key: object) -> str:  # type: ignore[override]
        _Counted.reads += 1
        return super().__getitem__(key)  # type: ignore[index]


def test_a_long_run_of_digits_is_walked_back_once_for_the_spots_after_it() -> None:
    # Ten characters read apart after a run of 100,000 digits: each walked the run back again
    # (a million digits and ten ſ took 2.3 s, where Python's own pass reads the text in 8 ms).
    run = 100_000
    text = _Counted("1" * run + "ſ" * 10)
    _Counted.reads = 0
    firsts = number_phrases._first_readers(text, list(range(run, run + 10)))
    assert firsts == [0] * 10
    assert _Counted.reads < 2 * run


def test_every_phrase_begins_where_the_local_pass_looks_for_one() -> None:
    # The local pass skips to the next character _CAN_START allows: a phrase beginning with any
    # other ("[M]ore than 700") would be missed beside a character read apart.
    for token in _TOKENS + _NEAR:
        for text in (f"so {token} x", f"so {token} 5 x"):
            for phrase in python_phrases(text):
                assert number_phrases._CAN_START.match(text, phrase.start), text
