"""`claims candidates`: on the five seeds it lists only what the README says is left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from validate.contributing.candidates import candidates, find_candidates
from validate.text.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent


def _left_out_phrases() -> list[str]:
    guide = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    section = guide.split("## What is deliberately left out", 1)[1].split("\n## ", 1)[0]
    return [normalise(p) for p in re.findall(r'"([^"]+)"', section.replace("\n  ", " "))]


def test_every_candidate_on_the_seeds_is_documented_as_left_out() -> None:
    phrases = _left_out_phrases()
    found = candidates(ROOT)
    assert found, "the seeds hold numbers that are left out on purpose"
    undocumented = [
        (c.source_id, c.value_text, c.sentence)
        for c in found
        if not any(c.value_text.lower() in p.lower() and p in c.sentence for p in phrases)
    ]
    assert undocumented == []


def test_every_documented_phrase_is_still_a_candidate() -> None:
    sentences = " ".join(c.sentence for c in candidates(ROOT))
    stale = [p for p in _left_out_phrases() if p not in sentences]
    assert stale == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "From 2014 to 2017, more than 29,269 detainers were declined.",
            [("more than 29,269", 29269.0, "more_than", "2014", "2017")],
        ),
        ("Nearly a quarter agreed.", [("Nearly a quarter", 25.0, "nearly", "", "")]),
        ("On July 17, 2019 it rained.", []),
        ("Muslim-majority countries.", []),
        ("It grew 1.4 percent in June 2017.", [("1.4 percent", 1.4, "exact", "2017-06", "2017-06")]),
    ],
)
def test_find_candidates(text: str, expected: list[tuple[object, ...]]) -> None:
    got = [(c.value_text, c.value, c.qualifier, c.period_start, c.period_end) for c in find_candidates(text, [], "s")]
    assert got == expected


def test_a_covered_span_is_not_listed() -> None:
    text = "We counted 675 jurisdictions."
    start = text.index("675")
    assert find_candidates(text, [(start, start + 3)], "s") == []
