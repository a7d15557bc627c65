"""Git must check the seeds and CSVs out as they were archived: the root's .gitattributes may only
keep bytes as they are, and no folder of the data holds one of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import SOURCES, add_row, locations

from validate import check

REPOSITORY_LINES = "seeds/** -text\ndatasets/*.csv -text\n"


def test_the_repository_s_own_file_passes() -> None:
    root = Path(__file__).resolve().parents[2]
    assert [f for f in check(root) if f.check == "git-attributes"] == []


@pytest.mark.parametrize(
    "extra",
    [
        "# a comment\n\n*.png binary\nbuild/** linguist-generated\n",
        "docs/** -diff -merge export-ignore\n",
    ],
)
def test_lines_that_keep_bytes_as_they_are_pass(make_root: MakeRoot, extra: str) -> None:
    root = make_root()
    (root / ".gitattributes").write_text(REPOSITORY_LINES + extra)
    assert locations(check(root)) == []


@pytest.mark.parametrize(
    "line",
    ["* text=auto", "seeds/** working-tree-encoding=UTF-16", "* ident", "seeds/** filter=lfs", "[attr]plain text"],
)
def test_a_line_that_can_change_bytes_on_checkout_is_named(make_root: MakeRoot, line: str) -> None:
    root = make_root()
    (root / ".gitattributes").write_text(REPOSITORY_LINES + line + "\n")
    [finding] = check(root)
    assert (finding.file, finding.check, finding.line) == (".gitattributes", "git-attributes", 3)


def test_the_lines_that_keep_seeds_and_csvs_as_bytes_must_be_there(make_root: MakeRoot) -> None:
    root = make_root()
    (root / ".gitattributes").write_text("seeds/** -text\n")
    [finding] = check(root)
    assert "lacks the line 'datasets/*.csv -text'" in finding.message


def test_a_git_checkout_without_the_file_is_told_to_add_it(make_root: MakeRoot) -> None:
    root = make_root()
    (root / ".gitattributes").unlink()
    assert locations(check(root)) == []  # a dataset root outside git needs none
    (root / ".git").mkdir()
    [finding] = check(root)
    assert (finding.file, finding.check) == (".gitattributes", "git-attributes")
    assert "is missing" in finding.message


@pytest.mark.parametrize("folder", ["datasets", "schema"])
def test_a_folder_of_the_data_holds_no_gitattributes(make_root: MakeRoot, folder: str) -> None:
    root = make_root()
    (root / folder / ".gitattributes").write_text("* text eol=crlf\n")
    assert locations(check(root)) == [(f"{folder}/.gitattributes", None, None, "git-attributes")]


def test_a_hidden_file_in_seeds_is_no_longer_passed_over(make_root: MakeRoot) -> None:
    root = make_root()
    (root / "seeds" / ".gitattributes").write_text("* text eol=crlf\n")
    assert sorted(locations(check(root)), key=str) == [
        (SOURCES, None, "file", "seed-without-source"),
        ("seeds/.gitattributes", None, None, "git-attributes"),
    ]


def test_a_source_whose_file_is_hidden_is_refused(make_root: MakeRoot) -> None:
    root = make_root()
    (root / "seeds" / ".gitattributes").write_text("* text eol=crlf\nThe jail declined no requests.\n")
    row = add_row(root, SOURCES, source_id="attrs", file=".gitattributes", title="T", publisher="P", kind="news")
    found = [f for f in check(root) if f.row == row and f.column == "file"]
    assert [f.check for f in found] == ["file-name-not-portable"]
    assert "begins with a dot" in found[0].message
