"""sentences_at: the sentence holding each offset, segmenting only around the offsets asked for."""

from __future__ import annotations

import pytest

from validate.text import sentences as module
from validate.text.sentences import sentence_at, sentences, sentences_at

TEXT = "A heading\n\nU.S. officials counted 1.4 percent. Then 2.4 million more.\n\nLast line here"


def test_it_agrees_with_segmenting_the_whole_text() -> None:
    full, every = sentences(TEXT)
    offsets = list(range(len(full)))
    same, found = sentences_at(TEXT, offsets)
    assert same == full
    assert found == [sentence_at(every, offset) for offset in offsets]


def test_a_long_paragraph_is_segmented_only_near_the_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3,000 sentences in one paragraph: with a window of 300 characters, the sentence holding an
    # offset deep in it is still found whole, and its offsets are those of the whole text.
    raw = " ".join(f"Sentence {i} counts {i} people." for i in range(3000))
    full, every = sentences(raw)
    monkeypatch.setattr(module, "WINDOW", 300)
    _, found = sentences_at(raw, [len(full) // 2, len(full) - 3])
    assert found == [sentence_at(every, len(full) // 2), sentence_at(every, len(full) - 3)]


def test_a_title_before_a_name_does_not_end_a_sentence() -> None:
    # syntok knows "Sen." and "Dr." but not "Rep." or "Gov.": "Rep. Jane Doe said ..." was the
    # sentence "Rep." and another, so a candidate lost the speaker's title.
    raw = "Rep. Jane Doe, a Republican, said 29,269 were declined. Gov. Brown did not. He met the Rep. then left."
    _, found = sentences(raw)
    assert [s.text for s in found] == [
        "Rep. Jane Doe, a Republican, said 29,269 were declined.",
        "Gov. Brown did not.",
        "He met the Rep. then left.",
    ]
    assert all(raw[s.start : s.end] == s.text for s in found)
