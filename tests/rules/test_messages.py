"""What a contributor reads: the closest passage of a quote not found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MakeRoot
from rapidfuzz import fuzz
from roots import CLAIMS, add_row

import validate
from validate.rules import claims as claim_rules
from validate.rules.claims import _whole_words
from validate.text.normalise import normalise

TEXT = "The audit identified 675 jurisdictions that declined detainers between January 2014 and September 2015."


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (5, 14, "audit identified"),  # "udit iden" widened both ways
        (0, 3, "The"),
        (4, 10, "audit"),  # a word exactly, or its trailing space, stays that word
        (len(TEXT) - 4, len(TEXT), "2015."),
        (20, 25, "675"),  # " 675 " trimmed
    ],
)
def test_passage_is_whole_words(start: int, end: int, expected: str) -> None:
    assert _whole_words(TEXT, start, end) == expected


def test_a_word_too_long_to_widen_is_cut() -> None:
    text = "a " + "x" * 200 + " b"
    assert _whole_words(text, 50, 60) == "x" * 10


def test_quote_not_found_shows_whole_words(real_copy: Path) -> None:
    claims = real_copy / "datasets" / "claims.csv"
    rows = claims.read_text(encoding="utf-8").split("\n")
    row = next(i for i, r in enumerate(rows) if r.startswith("blog-jurisdictions-675,"))
    rows[row] = rows[row].replace("675 jurisdictions", "675 local jurisdictions", 1)
    claims.write_text("\n".join(rows), encoding="utf-8")
    found = [f for f in validate.check(real_copy) if f.check == "quote-not-in-source"]
    assert len(found) == 1
    passage = re.search(r"is: '(.*)'; copy", found[0].message)
    assert passage is not None
    words = passage.group(1)
    assert words == words.strip() and "675 jurisdictions" in words
    seed = real_copy / "seeds" / "000_d431b536791c3a81.txt"  # the source of blog-jurisdictions-675
    source = normalise(seed.read_text(encoding="utf-8"))
    # Whole words of the source: where the passage occurs, a space or an end is on either side.
    at = source.index(words)
    assert source[at - 1 : at] in ("", " ") and source[at + len(words) : at + len(words) + 1] in ("", " ")


def test_closest_passages_stop_at_a_budget_of_work(real_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each alignment costs quote length times text length: a few long texts must not make a
    # check take minutes, so past a budget the message no longer shows the closest passage.
    claims = real_copy / "datasets" / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("identified 675 jurisdictions", "identified 675 local jurisdictions", 1), encoding="utf-8"
    )
    monkeypatch.setattr(claim_rules, "CLOSEST_PASSAGE_CELLS", 10)
    found = [f for f in validate.check(real_copy) if f.check == "quote-not-in-source"]
    assert len(found) == 1
    assert "closest passage" not in found[0].message
    assert found[0].message.endswith("copy the passage from the source text exactly")


def test_a_long_quote_is_aligned_by_its_start_within_the_budget(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote that NFKC makes 18 times longer (U+FDFA), in many rows, aligns no more than its
    first CLOSEST_PASSAGE_NEEDLE characters, and the work of all alignments stays in the budget:
    the alignment's cost grows with the square of the quote, so a whole one took seconds each."""
    root = make_root()
    for n in range(30):
        add_row(
            root, CLAIMS, claim_id=f"bomb-{n}", source_id="county-report", statistic_id="detainers-declined-2019",
            quote="1,234 " + "\ufdfa" * 1990, value_text="1,234", value="1234", qualifier="exact",
            counted_as="detainer requests", meaning="same",
        )  # fmt: skip
    aligned: list[tuple[int, int]] = []
    real = fuzz.partial_ratio_alignment

    def recording(needle: str, text: str) -> object:
        aligned.append((len(needle), len(text)))
        return real(needle, text)

    monkeypatch.setattr(fuzz, "partial_ratio_alignment", recording)
    found = [f for f in validate.check(root) if f.check == "quote-not-in-source"]
    assert len(found) == 30
    assert aligned and max(n for n, _ in aligned) <= claim_rules.CLOSEST_PASSAGE_NEEDLE
    assert sum(n * t for n, t in aligned) <= claim_rules.CLOSEST_PASSAGE_CELLS


def test_a_quote_cut_to_its_start_shows_a_passage_as_long_as_itself(real_copy: Path) -> None:
    claims = real_copy / "datasets" / "claims.csv"
    rows = claims.read_text(encoding="utf-8").split("\n")
    row = next(i for i, r in enumerate(rows) if r.startswith("blog-jurisdictions-675,"))
    # The quote's own words, then more of them than the needle holds, ending in words not in the text.
    tail = " and then some words that the archived article never printed" * 6
    rows[row] = rows[row].replace("675 jurisdictions", "675 jurisdictions" + tail, 1)
    claims.write_text("\n".join(rows), encoding="utf-8")
    found = [f for f in validate.check(real_copy) if f.check == "quote-not-in-source"]
    passage = re.search(r"is: '(.*)'; copy", found[0].message)
    assert passage is not None and "675 jurisdictions" in passage.group(1)
    assert len(passage.group(1)) > claim_rules.CLOSEST_PASSAGE_NEEDLE


def test_a_value_that_differs_from_its_words_is_shown_in_plain_notation(make_root: MakeRoot) -> None:
    """2.4 million reads as 2400000 in the message, the notation the value column wants, never 2.4e+06."""
    from roots import set_cell

    root = make_root()
    set_cell(root, CLAIMS, 3, "value", "2300000")
    [found] = [f for f in validate.check(root) if f.check == "value-text-mismatch"]
    assert "'About 2.4 million' reads as 2400000, but value is '2300000'" in found.message


@pytest.mark.parametrize(
    ("column", "typo", "meant"),
    [("statistic_id", "docket-2017-6", "docket-2017-06"), ("source_id", "county-reprot", "county-report")],
)
def test_an_unknown_id_in_the_csv_is_answered_with_the_closest(
    make_root: MakeRoot, column: str, typo: str, meant: str
) -> None:
    """A typo made by hand in claims.csv gets the did-you-mean that the commands give."""
    from roots import set_cell

    root = make_root()
    set_cell(root, CLAIMS, 3, column, typo)
    [found] = [f for f in validate.check(root) if f.check == "foreign-key"]
    assert f"{column} '{typo}' is not a {column} of datasets/" in found.message
    assert f"(did you mean '{meant}'?)" in found.message


def test_only_so_many_unknown_ids_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unknown id is compared with every known one: a flood of them gets hints for the first few."""
    import polars as pl

    from validate.text import closest

    monkeypatch.setattr(closest, "MAX_HINTED", 2)
    ids = pl.Series(["stat-a", "stat-b", "stat-c", "stat-d", "stat-1", None])
    known = pl.Series(["stat-1", "quite-another-id"])
    hints = closest.closest_of_unknown(ids, ids.is_in(known.implode()), known)
    assert hints.to_list() == ["stat-1", "stat-1", None, None, None, None]


@pytest.mark.parametrize(("words", "outside"), [("was worried about", False), ("declined about", True)])
def test_a_qualifier_word_is_a_preposition_only_after_a_word_that_takes_one(
    make_root: MakeRoot, words: str, outside: bool
) -> None:
    """value_text `1,234` after "worried about" passes; after "declined about" the hedge is left out."""
    from roots import replace_seed, set_cell

    root = make_root()
    seed = (root / "seeds" / "county-report.txt").read_text(encoding="utf-8")
    replace_seed(root, "county-report.txt", seed.replace("declined 1,234", f"{words} 1,234").encode())
    quote = f"The county jail {words} 1,234 detainer requests in 2019 - more than any other county in the state."
    set_cell(root, CLAIMS, 2, "quote", quote)
    found = [f for f in validate.check(root) if f.check == "qualifier-outside-value-text"]
    assert [(f.row, f.column) for f in found] == ([(2, "value_text")] if outside else [])
    if outside:
        assert "'about' is one qualifier (read as 'approximately')" in found[0].message
        assert "value_text may leave it out after a word that makes it one ('anxious about'" in found[0].message
