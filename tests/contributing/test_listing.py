"""`claims claims` and `claims statistics` refuse an id that does not exist, as add-claim does."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from validate import search_statistics
from validate.cli import main
from validate.errors import UsageError

MakeRoot = Callable[..., Path]


@pytest.mark.parametrize(
    ("option", "given", "message"),
    [
        ("--statistic", "detainers-declined-2091", "no statistic_id 'detainers-declined-2091' in datasets/statistics.csv: did you mean 'detainers-declined-2019'?"),
        ("--source", "blog-psot", "no source_id 'blog-psot' in datasets/sources.csv: did you mean 'blog-post'?"),
        ("--source", "zzz", "no source_id 'zzz' in datasets/sources.csv (the source_id column there lists them)"),
    ],
)  # fmt: skip
def test_claims_of_an_unknown_id_is_a_usage_error_with_the_closest(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str], option: str, given: str, message: str
) -> None:
    root = make_root()
    assert main(["claims", option, given, "--root", str(root)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"claims claims: {message}\n"
    assert captured.out == ""


def test_claims_of_a_known_id_lists_them(make_root: MakeRoot, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root()
    assert main(["claims", "--statistic", "detainers-declined-2019", "--root", str(root), "--format", "json"]) == 0
    assert {r["claim_id"] for r in json.loads(capsys.readouterr().out)} == {
        "county-declined-1234",
        "blog-declined-1234",
    }


def test_statistics_of_an_id_lists_it_first_and_refuses_a_typo(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    assert main(["statistics", "released-detainees", "--root", str(root), "--limit", "2"]) == 0
    assert capsys.readouterr().out.startswith("released-detainees  (score 1.00: its statistic_id)\n")
    assert main(["statistics", "released-detainee", "--root", str(root)]) == 2
    captured = capsys.readouterr()
    assert "did you mean 'released-detainees'?" in captured.err and captured.out == ""
    # Words apart are a search by words, whatever they are close to.
    assert main(["statistics", "released", "detainee", "--root", str(root)]) == 0


@pytest.mark.parametrize(("option", "given"), [("--limit", "0"), ("--limit", "-1"), ("--top", "-1")])
def test_a_count_below_its_least_is_a_usage_error(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str], option: str, given: str
) -> None:
    command = "statistics" if option == "--limit" else "candidates"
    with pytest.raises(SystemExit) as caught:
        main([command, option, given, "--root", str(make_root())])
    assert caught.value.code == 2
    assert f"argument {option}: '{given}' is not a whole number of" in capsys.readouterr().err


def test_the_library_refuses_a_limit_that_lists_nothing(make_root: MakeRoot) -> None:
    with pytest.raises(UsageError, match="a limit of 0 lists nothing"):
        search_statistics(make_root(), "released", limit=0)


def test_a_reason_shows_its_value_in_plain_notation(make_root: MakeRoot, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["statistics", "--value", "2.4 million", "--limit", "1", "--root", str(make_root())]) == 0
    out = capsys.readouterr().out
    assert out.startswith("docket-2017-06  (score") and "(2400000)" in out and "e+" not in out
