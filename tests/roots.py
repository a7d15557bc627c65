"""Builds dataset roots for tests: the base fixture, the real schemas, one fault overlaid.

Fixtures are never touched: every root is a copy under pytest's tmp_path, and the editing
helpers below (for faults that cannot be stored as files) work on that copy only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from validate import Finding
from validate.kernels import cells
from validate.paths import REPO_ROOT as REPO

TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
BASE = FIXTURES / "base"
# The five articles' ledger, frozen: the tests that read real articles read this copy, so that a
# data contribution (a new source, a corrected claim) never breaks them.
REAL = FIXTURES / "real"
# What a dataset root holds, besides build/.
ROOT_PARTS = ("datasets", "schema", "seeds", "datapackage.json")
FAULTS = FIXTURES / "faults"
# In a fault's folder, the findings it must give (tests/rules/test_rules.py); not part of the root.
EXPECTED = "expected.csv"
SCHEMA = REPO / "schema"

CLAIMS = "datasets/claims.csv"
SOURCES = "datasets/sources.csv"
STATISTICS = "datasets/statistics.csv"
RELATIONS = "datasets/relations.csv"
EXCLUSIONS = "datasets/exclusions.csv"

Location = tuple[str, int | None, str | None, str]

# On a machine without a C compiler (the README allows one) the C kernels are not built: every
# check then runs on the reference paths, which the other tests exercise there, and the tests of
# the kernels themselves and of their sanitized build are skipped, saying why. CI (CI set, as
# GitHub and .ci/run set it) has a compiler and runs them all: a build that silently fell back
# would fail there.
_LOCAL = not os.environ.get("CI")
needs_c_kernels = pytest.mark.skipif(
    _LOCAL and cells._cells is None, reason="the C kernels are not built here (no C compiler); CI runs these"
)
needs_c_compiler = pytest.mark.skipif(
    _LOCAL and shutil.which(os.environ.get("CC", "gcc")) is None, reason="no C compiler here; CI runs these"
)


def build_root(dest: Path, fault: str | None = None) -> Path:
    """A dataset root at `dest`: base fixture + the repository's schema/ + faults/<fault> on top."""
    shutil.copytree(BASE, dest)
    shutil.copytree(SCHEMA, dest / "schema")
    shutil.copyfile(REPO / ".gitattributes", dest / ".gitattributes")  # as a checkout has it
    if fault is not None:
        overlay = FAULTS / fault
        if not overlay.is_dir():
            raise FileNotFoundError(f"no fault fixture {overlay}")
        shutil.copytree(
            overlay, dest, dirs_exist_ok=True, ignore=lambda folder, names: [EXPECTED] if folder == str(overlay) else []
        )
    return dest


def real_root(dest: Path) -> Path:
    """A dataset root at `dest`: the frozen five articles (tests/fixtures/real) + the repository's schema/."""
    shutil.copytree(REAL, dest)
    shutil.copytree(SCHEMA, dest / "schema")
    shutil.copyfile(REPO / ".gitattributes", dest / ".gitattributes")  # as a checkout has it
    return dest


def live_root(dest: Path) -> Path:
    """A copy of the repository's own dataset at `dest`, for the tests marked `live` only: those
    that hold for any valid contribution (the data checks valid, the docs show its results).
    tests/contributing/test_end_to_end.py runs them again on a copy with a source added."""
    dest.mkdir(parents=True)
    for name in ROOT_PARTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
        else:
            shutil.copy2(REPO / name, dest / name)
    return dest


def repository_copy(dest: Path) -> Path:
    """A copy of the repository's files at `dest`, tracked or new but not ignored (as `git ls-files
    --cached --others --exclude-standard` lists them: a contributor's seed not yet added is there):
    code, tests and the live dataset, for a contribution tried end to end."""
    import subprocess

    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted in the working tree but not yet in git's index
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / name)
    return dest


def locations(report: Iterable[Finding]) -> list[Location]:
    """The findings of a report as (file, row, column, check) tuples, in report order."""
    return [(f.file, f.row, f.column, f.check) for f in report]


def read_rows(path: Path) -> list[list[str]]:
    """All records of a CSV, header first."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write records in the contract's dialect (UTF-8, minimal quoting, \\n line ends)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def set_cell(root: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; `row` is numbered as in findings (the header is row 1)."""
    path = root / table
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def get_cell(root: Path, table: str, row: int, column: str) -> str:
    rows = read_rows(root / table)
    return rows[row - 1][rows[0].index(column)]


def add_row(root: Path, table: str, **cells: str) -> int:
    """Append a row (unnamed cells empty); return its row number."""
    path = root / table
    rows = read_rows(path)
    header = rows[0]
    unknown = set(cells) - set(header)
    if unknown:
        raise KeyError(f"no such columns in {table}: {sorted(unknown)}")
    rows.append([cells.get(name, "") for name in header])
    write_rows(path, rows)
    return len(rows)


def replace_seed(root: Path, name: str, data: bytes) -> None:
    """Replace seeds/<name> with `data` and put its true hash in sources.csv, so only the content changes."""
    (root / "seeds" / name).write_bytes(data)
    rows = read_rows(root / SOURCES)
    header = rows[0]
    for record in rows[1:]:
        if record[header.index("file")] == name:
            record[header.index("sha256")] = hashlib.sha256(data).hexdigest()
    write_rows(root / SOURCES, rows)


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry below `root`: files by content hash, links by target, folders and anything
    else (a FIFO, which reading would block on) by kind."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            elif not path.is_file():
                out[rel] = "other"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def nest_folders(top: Path, name: str, depth: int, file: str) -> None:
    """`depth` folders called `name`, one in the other below `top`, and an empty `file` in the
    last: made relative to each folder, so the whole path may pass the system's limit."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
    finally:
        os.close(fd)


def cite_again(root: Path, source_id: str, quote: str, value_text: str, tag: str) -> str:
    """A passage of its own in source `source_id` that states `quote` again ("<quote> <tag>."),
    appended to its seed, for a claim that cites the same words anew (one citation is one claim:
    a copy of a claim's quote and value_text repeats that claim). Every other number-like phrase
    of the passage is excluded as a date (the fixtures' quotes hold years). Returns the passage."""
    from validate.text.normalise import normalise
    from validate.text.number_phrases import find_phrases, occurrences

    passage = f"{quote} {tag}."
    seed = append_lines(root, source_id, [passage])
    text, said = normalise(seed.read_text(encoding="utf-8")), normalise(passage)
    start = text.rindex(said)
    value_at = start + said.index(normalise(value_text))
    for phrase in find_phrases(said):
        if not (value_at <= start + phrase.core_start and start + phrase.core_end <= value_at + len(value_text)):
            count = len(occurrences(text, phrase.core))
            add_row(root, EXCLUSIONS, source_id=source_id, text=phrase.core, occurrence=str(count), reason="date")
    return passage


def sentences_of_their_own(root: Path, source_id: str, template: str, n: int) -> list[str]:
    """n sentences appended to source `source_id`'s seed, `template` with a word of its own in each
    ("x" and four letters: no number word, no qualifier, "xfive" is none), for n claims that cite
    anew (one citation is one claim: n copies of one quote would be one claim n times). Returns
    the sentences, each a quote."""
    from itertools import islice, product
    from string import ascii_lowercase

    words = ("x" + "".join(letters) for letters in product(ascii_lowercase, repeat=4))
    sentences = [template.format(word) for word in islice(words, n)]
    append_lines(root, source_id, sentences)
    return sentences


def append_lines(root: Path, source_id: str, lines: list[str]) -> Path:
    """Append `lines` to source `source_id`'s seed, each a line of its own, its hash put in
    sources.csv; the seed's path."""
    sources = read_rows(root / SOURCES)
    header = sources[0]
    [name] = [r[header.index("file")] for r in sources[1:] if r[header.index("source_id")] == source_id]
    seed = root / "seeds" / name
    replace_seed(root, name, seed.read_bytes().rstrip(b"\n") + "".join("\n" + line for line in lines).encode() + b"\n")
    return seed
