"""Hostile pull requests, seeds past the size cap: every read of a seed (the check, candidates,
exclude, the coverage rule, the build) goes through the guarded reader, so a seed larger than it
is refused by its size before a byte is read. The seeds are sparse files: a size on disk of
nothing, and one byte more than the cap; a memory cap below that size proves nothing read them."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import SOURCES, nest_folders, read_rows

from validate import check
from validate.contributing.add import add_source
from validate.contributing.candidates import candidates
from validate.contributing.exclude import exclude
from validate.errors import UsageError
from validate.paths import Layout
from validate.publishing.database import write_database
from validate.reading import seeds
from validate.reading.files import MAX_FILE_BYTES, FileRefused

# Below the oversize seed's size: reading it whole would fail under this cap.
MEMORY_CAP = 2 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _oversize(root: Path, row: int = 1) -> str:
    """Make the seed of sources row `row` (0 is the first data row) one byte past the cap,
    sparse (it takes no disk); return its name."""
    rows = read_rows(root / SOURCES)
    name = rows[1 + row][rows[0].index("file")]
    with open(root / "seeds" / name, "r+b") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    return name


def _source_id(root: Path, row: int = 1) -> str:
    rows = read_rows(root / SOURCES)
    return rows[1 + row][rows[0].index("source_id")]


def test_the_check_reports_an_oversize_seed_under_a_memory_cap(make_root: MakeRoot) -> None:
    root = make_root()
    name = _oversize(root)
    done = subprocess.run(
        [sys.executable, "-m", "validate", "check", "--root", str(root), "--format", "json"],
        capture_output=True,
        preexec_fn=_limit_memory,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode(errors="replace")[-2000:]
    [finding] = [f for f in json.loads(done.stdout) if f["check"] == "file-not-found"]
    assert finding["file"] == SOURCES and finding["column"] == "file"
    assert name in finding["message"]
    assert f"more than the {MAX_FILE_BYTES:,}" in finding["message"]
    assert "archive the source's text alone" in finding["message"]


def test_candidates_skip_an_oversize_seed_under_a_memory_cap(make_root: MakeRoot) -> None:
    root = make_root()
    _oversize(root)
    done = subprocess.run(
        [sys.executable, "-m", "validate", "candidates", "--root", str(root), _source_id(root), "--format", "json"],
        capture_output=True,
        preexec_fn=_limit_memory,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert json.loads(done.stdout) == []  # claims check reports the seed


def test_candidates_and_exclude_refuse_an_oversize_seed(make_root: MakeRoot) -> None:
    root = make_root()
    _oversize(root)
    sid = _source_id(root)
    assert candidates(root, sid) == []
    with pytest.raises(UsageError, match=f"text of source '{sid}' cannot be read .*more than the"):
        exclude(root, sid, "1,234", "not-a-statistic")


def test_add_source_refuses_a_text_past_the_cap(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    before = sorted(os.listdir(root / "seeds")), (root / SOURCES).read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(b"")
    os.truncate(big, MAX_FILE_BYTES + 1)
    with pytest.raises(UsageError, match=f"big.txt is {MAX_FILE_BYTES + 1:,} bytes, more than"):
        add_source(root, big, title="T", publisher="P", kind="news")
    assert (sorted(os.listdir(root / "seeds")), (root / SOURCES).read_bytes()) == before


def test_the_build_refuses_a_seed_that_grew_past_the_cap_after_the_check(make_root: MakeRoot) -> None:
    root = make_root()
    name = _oversize(root)
    with pytest.raises(UsageError, match=f"seeds/{name} is {MAX_FILE_BYTES + 1:,} bytes, more than"):
        write_database(Layout(root), root / "out.duckdb", approximately_tolerance=0.1)


@pytest.mark.parametrize("special", ["link", "fifo", "folder", "oversize"])
def test_read_seed_reads_only_a_regular_file_within_the_cap(make_root: MakeRoot, special: str) -> None:
    root = make_root()
    folder = root / "seeds"
    target = folder / "odd.txt"
    if special == "link":
        target.symlink_to(folder / "county-report.txt")
    elif special == "fifo":
        os.mkfifo(target)
    elif special == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"")
        os.truncate(target, MAX_FILE_BYTES + 1)
    with pytest.raises(FileRefused) as refused:
        seeds.read_seed(folder, "odd.txt")
    expected = {"link": "could lead outside", "fifo": "FIFO", "folder": "a folder", "oversize": "more than the"}
    assert expected[special] in refused.value.reason
    state = seeds.inspect(folder, ["odd.txt"]).by_value["odd.txt"]
    statuses = {"link": seeds.OUTSIDE, "fifo": seeds.NOT_FILE, "folder": seeds.NOT_FILE, "oversize": seeds.TOO_LARGE}
    assert state.status == statuses[special]


def test_the_largest_file_read_fits_a_string_view() -> None:
    """Every text read whole must fit the signed 32-bit length the C kernels read in a string view."""
    assert MAX_FILE_BYTES <= 2**31 - 1


def test_folders_nested_past_the_path_limit_are_named_not_entered(make_root: MakeRoot) -> None:
    """Twenty folders of 250 characters each (git commits and clones them): listing seeds/
    met a path past the system's limit, an internal error. No source's file can lie deeper
    than a file value may be long, so the folder that passes it is named, as a file no row has."""
    root = make_root()
    name = "d" * 250
    nest_folders(root / "seeds", name, 20, "deep.txt")
    found = [(f.file, f.check, f.message) for f in check(root)]
    deepest = "/".join([name] * 5)  # the first past 1,024 bytes
    assert found == [
        (
            "datasets/sources.csv",
            "seed-without-source",
            f"seeds/{deepest} is a folder that lies deeper than a source's file may (1024 bytes of path), so no "
            "source's file in it is read: remove it (a source's text is archived in seeds/ as a file of its own)",
        )
    ]
