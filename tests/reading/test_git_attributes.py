"""Git must check the seeds and CSVs out as they were archived: the root's .gitattributes may only
keep bytes as they are, and no folder of the data holds one of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MakeRoot
from hypothesis import given, settings
from hypothesis import strategies as st
from roots import SOURCES, add_row, locations

from validate import check
from validate.paths import Layout
from validate.reading.git_attributes import git_attributes_findings

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


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # a vertical tab in a display hint's value: Python's splitlines() saw a line of its own
        (REPOSITORY_LINES + "seeds/** linguist-x=a\x0b text\n", 3),
        (REPOSITORY_LINES + "seeds/** linguist-y=a\u2028 eol=crlf\n", 3),
        # git drops this line whole ("-text\x0bx" is no attribute), so seeds/ would have no -text
        ("seeds/** -text\x0bx\ndatasets/*.csv -text\n", 1),
        # a NUL ends the file for git: the lines after it are not read
        ("\x00\n" + REPOSITORY_LINES, 1),
    ],
)
def test_a_control_character_git_reads_otherwise_is_named(make_root: MakeRoot, text: str, line: int) -> None:
    root = make_root()
    (root / ".gitattributes").write_text(text)
    found = [f for f in check(root) if f.check == "git-attributes"]
    assert found and found[0].line == line and "control character" in found[0].message


def test_lines_ended_with_crlf_are_read_as_git_reads_them(make_root: MakeRoot) -> None:
    root = make_root()
    (root / ".gitattributes").write_bytes(REPOSITORY_LINES.replace("\n", "\r\n").encode())
    assert locations(check(root)) == []


_SEPARATORS = [" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028"]
_LINE = st.tuples(
    st.sampled_from(["seeds/**", "datasets/*.csv", "#", "[attr]x"]),
    st.lists(
        st.tuples(st.sampled_from(_SEPARATORS), st.sampled_from(["-text", "text", "eol=crlf", "linguist-x=a"])),
        max_size=3,
    ),
).map(lambda line: line[0] + "".join(sep + word for sep, word in line[1]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, max_size=3).map(lambda lines: "".join(line + "\n" for line in lines)))
def test_a_file_the_check_passes_keeps_git_from_converting_the_data(
    tmp_path_factory: pytest.TempPathFactory, extra: str
) -> None:
    """Whatever the file holds, when the check passes it, git itself leaves seeds and CSVs unconverted."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("attrs")
    (root / ".gitattributes").write_text(REPOSITORY_LINES + extra, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    if git_attributes_findings(Layout(root)):
        return
    answer = subprocess.run(
        ["git", "-C", str(root), "check-attr", "text", "eol", "--", "seeds/a.txt", "datasets/a.csv"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    values = [line.split(": ", 2)[2] for line in answer.rstrip("\n").split("\n")]  # (as git writes it: \x0b stays)
    assert values == ["unset", "unspecified", "unset", "unspecified"], (extra, answer)
