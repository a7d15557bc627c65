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

from validate.text.number_phrases import _NOT_AS_RUST, _PHRASE, confirmed, proposed_spans, python_phrases

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
    "million",
    "a third",
    "half",
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
def test_a_character_python_takes_for_ascii_leaves_the_text_to_python(text: str, phrase: str | None) -> None:
    """Python reads `ſeveral` as `several`, Rust's ASCII pass does not: such a text is not exact."""
    assert proposed_spans([text, "café 12"]).exact == [False, True]
    if phrase is not None:
        assert phrase in [p.text for p in python_phrases(text)]
