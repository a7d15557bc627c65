"""Which rows changed since a git ref, so a pull request's check can speak of its own rows only."""

from __future__ import annotations

import csv
import io
import subprocess
from collections import Counter
from pathlib import Path

from validate.errors import UsageError
from validate.findings import Finding, Report
from validate.paths import TABLES, Layout
from validate.reading.files import FileRefused, read_regular
from validate.rules.registry import ALWAYS_REPORTED


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"git could not be run: {exc}") from exc


def _records(data: bytes) -> list[tuple[str, ...]]:
    text = data.decode("utf-8", errors="replace")
    return [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _current(path: Path) -> bytes:
    """The CSV as the plain check reads it, through the same guard: a link, a FIFO, a device or
    an oversize file is not read here either (the check reports it), so it counts as empty."""
    try:
        return read_regular(path, 2)
    except FileRefused:
        return b""


def changed_rows(root: Path, ref: str) -> dict[str, set[int]]:
    """Per dataset file, the row numbers (header = 1) that are new or changed since `ref`."""
    if ref.startswith("-") or not ref.strip():
        raise UsageError(f"{ref!r} is not a git ref")
    layout = Layout(root)
    verified = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verified.returncode != 0:
        raise UsageError(f"{ref!r} is not a commit of the git repository at {root}")
    commit = verified.stdout.decode().strip()
    changed: dict[str, set[int]] = {}
    now_by_table: dict[str, list[tuple[str, ...]]] = {}
    for table in TABLES:
        path = layout.csv(table)
        rel = layout.rel(path)
        old = _git(root, "show", f"{commit}:{rel}")
        before = Counter(_records(old.stdout)) if old.returncode == 0 else Counter()
        now = _records(_current(path))
        rows: set[int] = set()
        for number, record in enumerate(now, start=1):
            if before[record] > 0:
                before[record] -= 1
            else:
                rows.add(number)
        changed[rel] = rows
        now_by_table[table] = now
    # A changed seed makes its sources row part of the change (its hash is checked there).
    diff = _git(root, "diff", "--name-only", commit, "--", "seeds")
    seeds = {
        line[len("seeds/") :] for line in diff.stdout.decode(errors="replace").splitlines() if line.startswith("seeds/")
    }
    sources = layout.rel(layout.csv("sources"))
    if seeds:
        changed.setdefault(sources, set()).update(_rows_with(now_by_table["sources"], "file", seeds))
    # A changed source (its row or its text) or statistic (its unit, say) changes what its
    # claims are checked against: those claims are part of the change too.
    claims = layout.rel(layout.csv("claims"))
    for table, key in (("sources", "source_id"), ("statistics", "statistic_id")):
        ids = _values_at(now_by_table[table], changed.get(layout.rel(layout.csv(table)), set()), key)
        if ids:
            changed.setdefault(claims, set()).update(_rows_with(now_by_table["claims"], key, ids))
    return changed


def _values_at(records: list[tuple[str, ...]], rows: set[int], column: str) -> set[str]:
    """The values of `column` in the given rows (header = row 1)."""
    if not records or column not in records[0]:
        return set()
    at = records[0].index(column)
    return {records[n - 1][at] for n in rows if 2 <= n <= len(records) and at < len(records[n - 1])}


def _rows_with(records: list[tuple[str, ...]], column: str, values: set[str]) -> set[int]:
    """The rows (header = row 1) whose `column` holds one of `values`."""
    if not records or column not in records[0]:
        return set()
    at = records[0].index(column)
    return {n for n, r in enumerate(records[1:], start=2) if at < len(r) and r[at] in values}


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
