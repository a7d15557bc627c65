"""`claims exclude` with words around the number: the occurrence whose span holds an unaccounted phrase."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import EXCLUSIONS, SOURCES, replace_seed

from validate import check
from validate.cli import _parser, main
from validate.contributing.add import new_findings
from validate.contributing.exclude import exclude
from validate.errors import UsageError
from validate.findings import DEFAULT_MAX_FINDINGS
from validate.paths import Layout

MakeRoot = Callable[..., Path]


def _without_exclusion(root: Path, text: str) -> None:
    path = root / EXCLUSIONS
    rows = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(r for r in rows if f",{text}," not in r), encoding="utf-8")


def _help_example(command: str, holding: str) -> list[str]:
    """The arguments of the example in the command's help that holds `holding`."""
    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    description = sub.choices[command].description or ""
    [line] = [line for line in description.splitlines() if holding in line]
    return shlex.split(line)[1:]  # without "claims"


def test_the_helps_own_example_of_words_around_a_number_is_recorded(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    seed = (root / "seeds" / "blog-post.txt").read_text(encoding="utf-8")
    replace_seed(root, "blog-post.txt", (seed + "The report named a 30-year-old man.\n").encode("utf-8"))
    assert [f.check for f in check(root)] == ["number-not-accounted"]
    args = _help_example("exclude", "'a 30-year-old'")
    args[args.index("my-paper")] = "blog-post"
    assert main([*args, "--root", str(root)]) == 0, capsys.readouterr().err
    assert "excluded 'a 30-year-old' (occurrence 1) of blog-post: age" in capsys.readouterr().out
    assert list(check(root)) == []


def test_words_around_a_qualified_number_are_recorded_and_then_refused_truly(make_root: MakeRoot) -> None:
    # The phrase is "over three"; the words "three years" hold its core, "three".
    root = make_root()
    _without_exclusion(root, "over three")
    [row] = exclude(root, "blog-post", "three years", "duration")
    assert (row["text"], row["occurrence"]) == ("three years", "1")
    assert list(check(root)) == []
    with pytest.raises(
        UsageError, match="no occurrence of 'three years' in 'blog-post' holds a number that is not yet"
    ):
        exclude(root, "blog-post", "three years", "duration")


def test_the_occurrence_chosen_is_the_one_holding_the_unaccounted_number(make_root: MakeRoot) -> None:
    # Both 2019s unaccounted; the title's recorded first, the words "in 2019" name the other.
    root = make_root()
    _without_exclusion(root, "2019")
    exclude(root, "county-report", "2019", "date", occurrence=1)
    [row] = exclude(root, "county-report", "in 2019", "date")
    assert (row["text"], row["occurrence"]) == ("in 2019", "1")
    assert list(check(root)) == []


def test_words_holding_part_of_a_number_are_refused_with_why(make_root: MakeRoot) -> None:
    root = make_root()
    claims = root / "datasets" / "claims.csv"
    claims.write_text(
        "\n".join(r for r in claims.read_text(encoding="utf-8").split("\n") if not r.startswith("blog-released")),
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="holds only part of the number-like phrase 'tens of thousands'"):
        exclude(root, "blog-post", "thousands of released", "no-bound")


@pytest.mark.parametrize("words", ["1,234", "declined 1,234 detainer"])
def test_an_occurrence_given_that_a_claim_states_is_refused_naming_the_claim(make_root: MakeRoot, words: str) -> None:
    # A number is claimed or excluded, not both: --occurrence is no way around the claim.
    root = make_root()
    before = (root / EXCLUSIONS).read_bytes()
    with pytest.raises(UsageError, match="holds '1,234', which claim 'county-declined-1234' already states"):
        exclude(root, "county-report", words, "not-a-statistic", occurrence=1)
    assert (root / EXCLUSIONS).read_bytes() == before


def test_without_an_occurrence_the_refusal_says_what_accounts_for_each(make_root: MakeRoot) -> None:
    # The guide promised that the message names the claim; without --occurrence it named nothing.
    root = make_root()
    with pytest.raises(UsageError) as refused:
        exclude(root, "county-report", "1,234", "not-a-statistic")
    assert "occurrence 1 holds '1,234', which claim 'county-declined-1234' states" in str(refused.value)
    assert "claims candidates county-report lists" in str(refused.value)
    _without_exclusion(root, "over three")
    exclude(root, "blog-post", "three years", "duration")
    with pytest.raises(UsageError, match="occurrence 1 is excluded already"):
        exclude(root, "blog-post", "three years", "duration")


def test_a_row_added_to_a_crlf_file_ends_with_crlf(make_root: MakeRoot) -> None:
    # A CSV whose lines end with CRLF is valid; the new row ended with LF, and the command
    # refused its own result (line-ending).
    root = make_root()
    _without_exclusion(root, "2019")
    path = root / EXCLUSIONS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    exclude(root, "county-report", "2019", "date", occurrence=1)
    exclude(root, "county-report", "2019", "date", occurrence=2)
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and data.endswith(b"\r\n")
    assert list(check(root)) == []


def test_an_exclusion_is_recorded_when_more_numbers_are_open_than_the_cap(make_root: MakeRoot) -> None:
    # 1,002 numbers open, more than the check's cap of findings of a kind: excluding one brought the
    # 1,001st into the capped report and changed the count past the cap, and the trial took both
    # for the change's own findings and refused it. The trial compares every finding, uncapped.
    root = make_root()
    seed = (root / "seeds" / "blog-post.txt").read_text(encoding="utf-8")
    counted = "".join(f"Shelf {n} holds books.\n" for n in range(1001, 1001 + DEFAULT_MAX_FINDINGS + 2))
    replace_seed(root, "blog-post.txt", (seed + counted).encode("utf-8"))
    assert {f.check for f in check(root)} == {"number-not-accounted", "more-findings"}
    [row] = exclude(root, "blog-post", "1001", "furniture")
    assert (row["text"], row["occurrence"]) == ("1001", "1")
    assert [f.check for f in check(root, max_findings=None)].count("number-not-accounted") == DEFAULT_MAX_FINDINGS + 1


def test_a_refused_change_shows_its_findings_capped(make_root: MakeRoot) -> None:
    # The trial compares every finding, uncapped; what the refusal shows is capped as a check's
    # report is, with the rest counted.
    root = make_root()
    seed = (root / "seeds" / "blog-post.txt").read_text(encoding="utf-8")
    counted = "".join(f"Shelf {n} holds books.\n" for n in range(1001, 1001 + DEFAULT_MAX_FINDINGS + 2))
    changed = make_root()
    replace_seed(changed, "blog-post.txt", (seed + counted).encode("utf-8"))
    files = ("seeds/blog-post.txt", SOURCES)
    report = new_findings(Layout(root), {rel: (changed / rel).read_bytes() for rel in files})
    checks = [f.check for f in report]
    assert checks.count("number-not-accounted") == DEFAULT_MAX_FINDINGS
    assert checks.count("more-findings") == 1
