"""Hostile pull requests, bytes and names: CSV line ends, portable seed names, add-source's FILE,
a killed add-claim, and .gitattributes."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import CLAIMS, REPO, SOURCES, locations, read_rows, write_rows

from validate.contributing.add import add_source
from validate.errors import UsageError
from validate.rules.check import check


def _write_with_ends(path: Path, ends: list[str]) -> None:
    import csv

    buf = io.StringIO()
    for number, row in enumerate(read_rows(path), start=1):
        csv.writer(buf, lineterminator=ends[min(number, len(ends)) - 1]).writerow(row)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def test_crlf_throughout_is_valid(make_root: MakeRoot) -> None:
    root = make_root()
    _write_with_ends(root / CLAIMS, ["\r\n"])
    assert locations(check(root)) == []


def test_mixed_line_ends_are_a_finding(make_root: MakeRoot) -> None:
    root = make_root()
    _write_with_ends(root / CLAIMS, ["\n", "\n", "\r\n"])  # rows 3 on end with \r\n, rows 1 and 2 with \n
    assert locations(check(root)) == [(CLAIMS, 3, None, "line-ending")]


def _add_seed(root: Path, name: str) -> None:
    """A seed file called `name` (when the file system takes it) and its sources row."""
    data = b"A text with 1,234 in it.\n"
    with contextlib.suppress(OSError):  # too long for this file system: the row alone is refused
        (root / "seeds" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "seeds" / name).write_bytes(data)
    rows = read_rows(root / SOURCES)
    head = rows[0]
    row = [""] * len(head)
    for column, value in {
        "source_id": f"extra-{len(rows)}",
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "title": "Extra",
        "publisher": "Nobody",
        "kind": "other",
    }.items():
        row[head.index(column)] = value
    rows.append(row)
    write_rows(root / SOURCES, rows)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("what?.txt", "file-name-not-portable"),
        ("a<b>.txt", "file-name-not-portable"),
        ("trailing-dot.", "file-name-not-portable"),
        ("trailing-space.txt ", "file-name-not-portable"),
        ("CON.txt", "file-name-not-portable"),
        ("lpt9", "file-name-not-portable"),
        ("tab\there.txt", "file-name-not-portable"),
        # shown as another name: a bidi override (000_exe.txt), a zero-width space, a C1 control
        ("000_\u202etxt.exe", "file-name-not-portable"),
        ("000\u200b_x.txt", "file-name-not-portable"),
        ("a\x85b.txt", "file-name-not-portable"),
        ("x" * 256 + ".txt", "file-name-too-long"),
        ("/".join(["d" * 200] * 6), "file-name-too-long"),
    ],
)
def test_seed_names_that_windows_or_macos_refuse_are_findings(make_root: MakeRoot, name: str, code: str) -> None:
    root = make_root()
    _add_seed(root, name)
    row = len(read_rows(root / SOURCES))
    assert (SOURCES, row, "file", code) in locations(check(root))


def test_seed_names_that_differ_only_in_case_are_a_finding(make_root: MakeRoot) -> None:
    root = make_root()
    _add_seed(root, "Report.txt")
    _add_seed(root, "report.txt")
    row = len(read_rows(root / SOURCES))
    assert (SOURCES, row, "file", "file-name-not-portable") in locations(check(root))
    assert (SOURCES, row - 1, "file", "file-name-not-portable") not in locations(check(root))


@pytest.mark.parametrize(
    ("first", "second", "said"),
    [
        # The file x, then a folder X: one name on Windows and macOS.
        ("x", "X/y.txt", "names 'X', which differs from 'x', named in an earlier row, only in case"),
        ("X/y.txt", "x", "names 'x', which differs from 'X', named in an earlier row, only in case"),
        # Two folders that differ only in case, each file of its own.
        ("a/b.txt", "A/c.txt", "names 'A', which differs from 'a', named in an earlier row, only in case"),
        ("a/B.txt", "a/b.txt", "differs from 'a/B.txt', named in an earlier row, only in case"),
        # One name a file and a folder: no file system holds both.
        ("x", "x/y.txt", "names 'x' as a folder, which an earlier row names as a file"),
        ("x/y.txt", "x", "names 'x' as a file, which an earlier row names as a folder"),
    ],
)
def test_seed_names_are_compared_folder_by_folder(make_root: MakeRoot, first: str, second: str, said: str) -> None:
    root = make_root()
    _add_seed(root, first)
    _add_seed(root, second)
    row = len(read_rows(root / SOURCES))
    found = [f for f in check(root) if f.check == "file-name-not-portable"]
    assert [(f.file, f.row, f.column) for f in found] == [(SOURCES, row, "file")]
    assert said in found[0].message


def test_seed_names_in_one_folder_are_portable(make_root: MakeRoot) -> None:
    root = make_root()
    for name in ("a/b.txt", "a/c.txt", "b/a.txt", "a/d/e.txt"):
        _add_seed(root, name)
    assert not [f for f in check(root) if f.check == "file-name-not-portable"]


@pytest.mark.timeout(60)
def test_add_source_refuses_a_fifo(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    with pytest.raises(UsageError, match="FIFO"):
        add_source(root, fifo, title="T", publisher="P", kind="news")
    with pytest.raises(UsageError, match="folder"):
        add_source(root, tmp_path, title="T", publisher="P", kind="news")


_KILLED = """
import sys, time
from pathlib import Path
import validate.contributing.add as add

real = add.check
def slow_check(root, *a, **k):
    report = real(root, *a, **k)
    if Path(root).name.startswith(".trial-"):
        print("trial", flush=True)
        time.sleep(60)
    return report
add.check = slow_check
add.add_claim(Path(sys.argv[1]), source_id="county-report", statistic_id="detainers-declined-2019",
              quote="The county jail declined 1,234 detainer requests in 2019", value_text="1,234",
              counted_as="detainer requests", meaning="same", claim_id="another")
"""


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_add_claim_leaves_nothing_in_the_temp_folder(make_root: MakeRoot, how: signal.Signals) -> None:
    root = make_root()
    before = set(os.listdir(tempfile.gettempdir()))
    child = subprocess.Popen([sys.executable, "-c", _KILLED, str(root)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "trial\n"
    child.send_signal(how)
    child.wait(timeout=60)
    assert [n for n in set(os.listdir(tempfile.gettempdir())) - before if "trial" in n] == []
    left = list((root / "build").glob(".trial-*"))
    if how == signal.SIGTERM:
        assert left == []  # cleaned on the way out
    else:
        assert len(left) == 1  # inside the root's build/, which git ignores; the next run removes it
        from validate.scratch import remove_abandoned

        time.sleep(0.1)
        remove_abandoned(root / "build", "trial")
        assert list((root / "build").glob(".trial-*")) == []


def test_gitattributes_keep_git_from_converting_seeds_and_csvs() -> None:
    done = subprocess.run(
        ["git", "-C", str(REPO), "check-attr", "text", "--", "seeds/any.txt", "seeds/a/b.html", "datasets/claims.csv"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "seeds/any.txt: text: unset",
        "seeds/a/b.html: text: unset",
        "datasets/claims.csv: text: unset",
    ]
