"""sentences_at's bounds: a budget of characters segmented however many offsets it is asked
for, and the text normalised once (a hostile seed of ten megabytes with a bare number every
10,000 characters made 1,000 windows of 30,000 characters to segment: 75 s a seed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from validate.text import sentences as module
from validate.text.normalise import normalise
from validate.text.sentences import SegmentBudget, sentence_at, sentences, sentences_at

# 3,000 sentences in one paragraph, some 80,000 characters.
LONG = " ".join(f"Sentence {i} counts {i} people." for i in range(3000))


def test_segmenting_is_bounded_however_many_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    # A megabyte of tiny sentences, one paragraph, with a bare number every 10,000 characters:
    # a hundred offsets, each in a window of its own.
    raw = ("a. " * 3333 + "7 ") * 100
    full = normalise(raw)
    offsets = [i for i, ch in enumerate(full) if ch == "7"]
    seen: list[int] = []

    def counting(text: str) -> Iterator[Any]:
        seen.append(len(text))
        return iter(())

    monkeypatch.setattr(module, "analyze", counting)
    _, found = sentences_at(raw, offsets)
    assert len(found) == len(offsets) == 100
    assert seen, "the first offsets' windows are segmented"
    # Before the budget, 100 windows of 30,000 characters: 3,000,000.
    assert sum(seen) <= module.SEGMENT_BUDGET < 100 * module.WINDOW


def test_past_the_budget_an_offset_gets_none_unless_already_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    full, every = sentences(LONG)
    monkeypatch.setattr(module, "WINDOW", 300)
    a, b, c = 1_000, len(full) // 2, len(full) - 3
    offsets = [a, a + 5, b, c, a + 10]
    # Room for two windows of 300 characters: a's and b's; c's would overspend it.
    _, found = sentences_at(LONG, offsets, SegmentBudget(600))
    assert found == [
        sentence_at(every, a),
        sentence_at(every, a + 5),
        sentence_at(every, b),
        None,
        sentence_at(every, a + 10),
    ]
    assert None not in found[:3]


def test_a_shared_budget_bounds_calls_together() -> None:
    raw = "U.S. officials counted 1.4 percent. Then 2.4 million more."
    budget = SegmentBudget(len(raw))
    _, first = sentences_at(raw, [5])
    assert first[0] is not None
    assert sentences_at(raw, [5], budget)[1] == first  # the budget held the whole paragraph
    assert sentences_at(raw, [5], budget)[1] == [None]  # and is spent


@pytest.mark.parametrize(
    "raw",
    [
        "A heading\n\nU.S. officials counted 1.4 percent. Then 2.4 million more.\n\nLast line here",
        "\n\n  first \r\n\r\n\u00a8second starts with a spacing diaeresis\n \n\u00a0\n\nthird\n\n",
        "Arabic: \ufdfa\n\n\ufdfa 7 \ufdfa\n\n\u201cquoted\u201d \u2014 dash\x1cseparated\n\n\u3000",
        "one paragraph only, no break",
        "\n\n\n",
    ],
)
def test_the_text_is_normalised_once_and_as_a_whole(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    expected = normalise(raw)
    normalised: list[int] = []

    def counting(text: str) -> str:
        normalised.append(len(text))
        return normalise(text)

    monkeypatch.setattr(module, "normalise", counting)
    full, found = sentences_at(raw, range(len(expected)))
    # The paragraphs joined with a space are the whole text normalised (what callers compare
    # with), and each character is normalised once: U+FDFA grows eighteenfold under NFKC.
    assert full == expected
    assert sum(normalised) <= len(raw)
    for s in found:
        assert s is None or full[s.start : s.end] == s.text
