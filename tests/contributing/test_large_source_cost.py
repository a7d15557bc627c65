"""`claims exclude` and `claims candidates` on a source of many numbers and many claims: what they
read grows with the source, not with its claims or exclusions times its text (counted, not timed)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from roots import CLAIMS, EXCLUSIONS, replace_seed

from validate.contributing import statistics_search
from validate.contributing.candidates import candidates
from validate.contributing.exclude import exclude
from validate.contributing.statistics_search import Profile, score
from validate.errors import UsageError
from validate.rules import claimed_spans
from validate.text import number_phrases, text_index

MakeRoot = Callable[..., Path]
LINES = 300


def _many_numbers(make_root: MakeRoot, claimed: int, years_excluded: bool = False) -> Path:
    """The base root with blog-post a seed of LINES sentences, each a number and the year 2019,
    the first `claimed` numbers claimed (and, with `years_excluded`, every 2019 excluded)."""
    root = make_root()
    lines = [f"Line {k}: the office counted {1000 + k} cases in 2019." for k in range(LINES)]
    replace_seed(root, "blog-post.txt", ("\n".join(lines) + "\n").encode("utf-8"))
    with (root / CLAIMS).open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with (root / CLAIMS).open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for k in range(claimed):
            cells = {
                "claim_id": f"office-{k}",
                "source_id": "blog-post",
                "statistic_id": "detainers-declined-2019",
                "quote": f"the office counted {1000 + k} cases",
                "value_text": str(1000 + k),
                "value": str(1000 + k),
                "qualifier": "exact",
                "counted_as": "cases",
                "meaning": "same",
            }
            w.writerow([cells.get(c, "") for c in header])
    with (root / EXCLUSIONS).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r and r[0] != "blog-post"]
    # The line numbers, "0" to "299", each the first whole-word occurrence of its words.
    rows += [["blog-post", str(k), "1", "enumeration", ""] for k in range(LINES)]
    if years_excluded:
        rows += [["blog-post", "2019", str(n), "date", ""] for n in range(1, LINES + 1)]
    with (root / EXCLUSIONS).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return root


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    """Calls of module.name, recorded (the real one still answers)."""
    calls: list[object] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1] if len(args) > 1 else args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_occurrence_already_claimed_is_found_reading_one_search_and_the_phrases_near_it(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each claim had a search of the text of its own (and a polars frame): 18 s for 3,000 claims
    # of a 1 MB seed; and every phrase of the seed was read to find those of one occurrence.
    root = _many_numbers(make_root, claimed=LINES)
    places = _counting(monkeypatch, claimed_spans, "QuotePlaces")
    read = _counting(monkeypatch, number_phrases, "_phrase")
    with pytest.raises(
        UsageError, match=r"occurrence 1 of '1200' in 'blog-post' holds '1200', which claim 'office-200'"
    ):
        exclude(root, "blog-post", "1200", "furniture", occurrence=1)
    assert len(places) == 1
    assert len(read) <= 4  # the words given, and the phrases around the occurrence


def test_the_occurrences_nothing_accounts_for_are_found_without_naming_every_phrase(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every phrase nothing accounted for was named (its words searched for in the whole text),
    # and every phrase read, to say which occurrences of "2019" are open.
    root = _many_numbers(make_root, claimed=LINES // 2)
    searched = _counting(monkeypatch, text_index, "occurrences")
    read = _counting(monkeypatch, number_phrases, "_phrase")
    with pytest.raises(UsageError, match=rf"{LINES} occurrences of '2019' in 'blog-post' hold a number not yet"):
        exclude(root, "blog-post", "2019", "date")
    # The exclusions' words ("0" to "299"), each searched once, and none other.
    assert len(searched) <= LINES
    # The numbers nothing accounts for (the unclaimed half and the years), not the claimed half.
    assert len(read) <= LINES // 2 + LINES + 1


def test_candidates_search_each_excluded_word_once(make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each exclusion searched the text afresh: "2019" again for each of its 300 occurrences
    # (82 s for 20,000 exclusions of a 1 MB seed).
    root = _many_numbers(make_root, claimed=LINES, years_excluded=True)
    searched = _counting(monkeypatch, text_index, "occurrences")
    assert candidates(root, "blog-post") == []
    assert searched.count("2019") == 1
    assert len(searched) == len(set(searched))


def test_a_number_is_compared_with_each_distinct_counted_as_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each number of `claims candidates` was compared with the words of every claim of every
    # statistic: 7 s of the 10 s for 1,000 numbers against 3,000 claims counting a few phrases.
    profile = Profile("stat", "Detainer requests declined", "count", counted_as=["detainer requests"] * 500)
    compared = _counting(monkeypatch, statistics_search.fuzz, "token_set_ratio")
    match = score(675.0, "exact", 1.0, "count", "675 detainer requests", None, profile)
    assert len(compared) == 2
    assert match.reason == "words: 100% like 'detainer requests'"
