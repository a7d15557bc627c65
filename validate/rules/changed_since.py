"""Which rows changed since a git ref, so a pull request's check can speak of its own rows only.

A row counts as changed when its record did, and when something it is checked against did: its
table's schema, the source (row and seed) its claims and exclusions read, the statistic its
claims and relations read; and every row does when the rules did (the running validator is this
repository's own validate/, changed since the ref). A finding whose cause the pull request changed is so reported
wherever it falls, and the merged data checks as the pull request did. Findings one row can
cause in rows the rules do not tie to it (keys, references) are of the `dataset` scope and
always reported (registry.py).

datapackage.json marks no row: the check reads each table's schema from schema/, never through
the descriptor, whose faults are package-error findings of the whole file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from validate.errors import UsageError
from validate.findings import Finding, Report
from validate.paths import PACKAGE_DIR, TABLES, Layout
from validate.reading.csv_file import records_of
from validate.reading.files import FileRefused, read_regular
from validate.reading.seeds import name_key, read_seed
from validate.rules.registry import ALWAYS_REPORTED

Records = list[tuple[str, ...]]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"git could not be run: {exc}") from exc


def _records(data: bytes) -> Records:
    # The check's own reader, BOM, bad bytes and dialect alike: a reading of its own here once
    # took a BOM into the first header cell, found no statistic_id column, and so marked no
    # claim of a changed statistic.
    return [tuple(r) for r in records_of(data)]


def _current(path: Path, depth: int = 2) -> bytes | None:
    """The file as the plain check reads it, through the same guard: a link, a FIFO, a device or
    an oversize file is not read here either (the check reports it): None."""
    try:
        return read_regular(path, depth)
    except (FileRefused, OSError):
        return None


def _committed(root: Path, commit: str, rel: str) -> bytes | None:
    """The bytes of `rel` (relative to the root, which may lie below the repository's top) at
    `commit`, as the blob stores them (cat-file blob converts nothing); None if it was no file then."""
    shown = _git(root, "cat-file", "blob", f"{commit}:./{rel}")
    return shown.stdout if shown.returncode == 0 else None


def changed_rows(root: Path, ref: str) -> dict[str, set[int]]:
    """Per dataset file, the row numbers (header = 1) that are new or changed since `ref`, or
    whose findings hang on something that changed (see the module's docstring)."""
    if ref.startswith("-") or not ref.strip():
        raise UsageError(f"{ref!r} is not a git ref")
    layout = Layout(root)
    verified = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verified.returncode != 0:
        raise UsageError(f"{ref!r} is not a commit of the git repository at {root}")
    commit = verified.stdout.decode().strip()
    changed: dict[str, set[int]] = {}
    now: dict[str, Records] = {}
    rules_changed = _rules_changed(root, commit)
    for table in TABLES:
        rel = layout.rel(layout.csv(table))
        now[table] = _records(_current(layout.csv(table)) or b"")
        schema = layout.schema(table)
        if rules_changed or _committed(root, commit, layout.rel(schema)) != _current(schema):
            # The schema reads every row of its table anew (a length made shorter, an enum
            # narrowed, a pattern added, a missing value declared): every row's cell findings
            # may be the pull request's, however old the row.
            changed[rel] = set(range(2, len(now[table]) + 1))
            continue
        old = _committed(root, commit, rel)
        before = Counter(_records(old)) if old is not None else Counter()
        rows: set[int] = set()
        for number, record in enumerate(now[table], start=1):
            if before[record] > 0:
                before[record] -= 1
            else:
                rows.add(number)
        changed[rel] = rows

    def rows_of(table: str) -> set[int]:
        return changed.setdefault(layout.rel(layout.csv(table)), set())

    sources = rows_of("sources")
    # A changed seed makes its sources row part of the change (its hash and text are checked there).
    sources.update(_rows_with(now["sources"], "file", _changed_seeds(root, layout, commit, now["sources"])))
    # Two file names Windows or macOS take for one are reported on the later row, which may be an
    # old row the pull request did not touch: each changed name marks the rows of its kind.
    keys = {name_key(v) for v in _values_at(now["sources"], sources, "file")}
    sources.update(_rows_with(now["sources"], "file", keys, name_key))
    # A changed source (its row or its seed's text) or statistic (its unit, say) changes what the
    # rows that name it are checked against: a claim's quote, an exclusion's text, a percent.
    source_ids = _values_at(now["sources"], sources, "source_id")
    rows_of("claims").update(_rows_with(now["claims"], "source_id", source_ids))
    rows_of("exclusions").update(_rows_with(now["exclusions"], "source_id", source_ids))
    statistic_ids = _values_at(now["statistics"], rows_of("statistics"), "statistic_id")
    rows_of("claims").update(_rows_with(now["claims"], "statistic_id", statistic_ids))
    rows_of("relations").update(_rows_with(now["relations"], "statistic_id", statistic_ids))
    rows_of("relations").update(_rows_naming(now["relations"], "operands", statistic_ids))
    return changed


def _rules_changed(root: Path, commit: str) -> bool:
    """Whether the validator running now is the one in the repository that holds `root`, and its
    code differs from `commit`'s: a pull request that adds or changes a rule is judged by it on
    every row, or its findings in older rows would first show on the main branch. A validator
    installed from elsewhere (CI's trusted gate runs the base's on the pull request's files)
    judges by rules the ref already had."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return False
    top_path = Path(os.fsdecode(top.stdout.rstrip(b"\n"))).resolve()
    try:
        package = PACKAGE_DIR.resolve().relative_to(top_path)
    except ValueError:
        return False
    # The package's code, and the dependencies that run its rules (a polars bump changes regexes).
    paths = [f":(literal){package.as_posix()}", f":(literal){(package.parent / 'pyproject.toml').as_posix()}"]
    diff = _git(top_path, "diff", "--quiet", commit, "--", *paths)
    if diff.returncode != 0:
        return True
    # git diff lists no untracked file: a new module not yet added runs in this check all the
    # same. Ignored ones (the built extension, caches) are not the repository's code.
    untracked = _git(top_path, "ls-files", "-z", "--others", "--exclude-standard", "--", *paths)
    return untracked.returncode != 0 or bool(untracked.stdout)


def _changed_seeds(root: Path, layout: Layout, commit: str, sources: Records) -> set[str]:
    """The sources' `file` values whose seed the check reads otherwise than it was at `commit`:
    changed, new, gone, or no regular file then or now. Each is compared by git's blob id of
    the bytes the check reads (read_seed), not by `git diff`: that compares after the
    .gitattributes conversions (a seed the pull request's eol attribute checks out with \\r\\n
    was unchanged to it, and failed its sha256 in the check), and lists no untracked seed."""
    values = _values_at(sources, set(range(2, len(sources) + 1)), "file") - {""}
    if not values:
        return set()
    listed = _git(root, "ls-tree", "-r", "-z", commit, "--", layout.rel(layout.seeds))
    stored: dict[str, str] = {}
    for entry in listed.stdout.split(b"\0") if listed.returncode == 0 else []:
        meta, _, path = entry.partition(b"\t")
        mode, kind, blob = [*meta.split(), b"", b"", b""][:3]
        if mode in (b"100644", b"100755") and kind == b"blob":
            stored[path.decode("utf-8", "surrogateescape")] = blob.decode()
    changed = set()
    for value in values:
        oid = stored.get(f"{layout.rel(layout.seeds)}/{value}")
        try:
            data: bytes | None = read_seed(layout.seeds, value)
        except (FileRefused, OSError, ValueError):
            data = None
        if oid is None or data is None or _blob_id(data, len(oid)) != oid:
            changed.add(value)
    return changed


def _blob_id(data: bytes, length: int) -> str:
    """Git's id of a blob of these bytes: SHA-1, or SHA-256 in a repository of 64-digit ids."""
    digest = hashlib.sha256() if length == 64 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _values_at(records: Records, rows: set[int], column: str) -> set[str]:
    """The values of `column` in the given rows (header = row 1)."""
    if not records or column not in records[0]:
        return set()
    at = records[0].index(column)
    return {records[n - 1][at] for n in rows if 2 <= n <= len(records) and at < len(records[n - 1])}


def _rows_with(
    records: Records, column: str, values: Iterable[str], key: Callable[[str], str] = lambda v: v
) -> set[int]:
    """The rows (header = row 1) whose `column`, as `key` makes it, is one of `values`."""
    wanted = set(values)
    if not records or column not in records[0] or not wanted:
        return set()
    at = records[0].index(column)
    return {n for n, r in enumerate(records[1:], start=2) if at < len(r) and key(r[at]) in wanted}


def _rows_naming(records: Records, column: str, values: set[str]) -> set[int]:
    """The rows whose `column`, a ;-separated list (relations' operands), names one of `values`."""
    if not records or column not in records[0] or not values:
        return set()
    at = records[0].index(column)
    return {n for n, r in enumerate(records[1:], start=2) if at < len(r) and not values.isdisjoint(r[at].split(";"))}


class ChangedRows:
    """The check's scope under --changed-since: changed rows, findings of no row, and every key
    and reference finding (ALWAYS_REPORTED) wherever it falls. Given to the check, so that the
    cap on findings per file and code is of these, not of older rows' findings."""

    def __init__(self, changed: dict[str, set[int]]) -> None:
        self.changed = changed

    def rows(self, file: str, check: str) -> set[int] | None:
        if check in ALWAYS_REPORTED:
            return None
        return self.changed.get(file)


def only_changed(report: Report, changed: dict[str, set[int]]) -> Report:
    """Keep findings in changed rows, those about a whole file (which no row owns), and every
    key and reference finding wherever it falls."""

    def keep(f: Finding) -> bool:
        return f.row is None or f.check in ALWAYS_REPORTED or f.file not in changed or f.row in changed[f.file]

    return Report(findings=[f for f in report if keep(f)])
