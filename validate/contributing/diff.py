"""`diff(root, ref)`: what a change does to the ledger since a git ref, for a pull request's summary.

Claims added, changed (with the columns that changed) and removed, each with its standing in
the built database (its fidelity label where the dataset's views have one, else whether it is
in a conflict); and the statistics whose agreement (verdict, consensus, the claims that
reframe the number or drop its hedge) or relation checks changed. Both sides are built into
temporary databases from their own files: the ref's through `git archive`, so the working tree
is never touched."""

from __future__ import annotations

import csv
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from validate.errors import UsageError
from validate.paths import TABLES, Layout, given_root
from validate.publishing.database import DEFAULT_APPROXIMATELY_TOLERANCE, write_database
from validate.reading.files import FileRefused, read_regular
from validate.reading.table_schema import SchemaFileError, load_schema
from validate.render import md_cell
from validate.text.value_text import plain_number

_PARTS = ("datapackage.json", "datasets", "schema", "seeds")
# statistic_agreement's counts of claims that depart from the statistic, in agreement_text's order.
_DEPARTURES = ("n_reframed", "n_hedge_dropped")
# A statistic's relation checks shown in its row, the rest counted: the job summary that shows
# the diff takes 1 MiB, and a statistic can be named by thousands of relations.
_RELATION_CHECKS_SHOWN = 10


@dataclass
class Diff:
    """What changed between the ref and the working tree."""

    ref: str
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[tuple[dict[str, str], list[str]]] = field(default_factory=list)  # (claim now, columns changed)
    standing: dict[str, str] = field(default_factory=dict)  # claim_id -> its fidelity now (or before, if removed)
    statistics: list[tuple[str, str, str]] = field(default_factory=list)  # (statistic_id, before, after)
    note: str = ""


def _git(root: Path, *args: str) -> bytes:
    """git's output; a failure is told in our words (git's own stderr is never shown: it may
    quote anything the ref or the repository holds)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(
            f"git could not be run ({type(exc).__name__}): install git, or run claims diff where it is"
        ) from exc
    if done.returncode != 0:
        raise _GitFailed(done.returncode)
    return done.stdout


class _GitFailed(Exception):
    """git ran and failed (its status); the caller says what that means."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _commit_of(root: Path, ref: str) -> str:
    """The commit `ref` names in the repository around `root`, or a usage error saying why not."""
    if not ref.strip():
        raise UsageError("the ref is empty: give a branch, a tag or a commit, such as origin/main or HEAD~1")
    if ref.startswith("-"):
        # No ref of git's starts with '-' (git check-ref-format): git would read it as an option.
        raise UsageError(f"{ref!r} begins with '-', which no git ref does: give a branch, a tag or a commit")
    try:
        _git(root, "rev-parse", "--git-dir")
    except _GitFailed as exc:
        raise UsageError(
            f"{root} is not in a git repository: claims diff compares the dataset with a commit of the repository "
            "that holds it (run it in a clone)"
        ) from exc
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except _GitFailed as exc:
        raise UsageError(
            f"{ref!r} is not a commit, a branch or a tag of the git repository at {root}: check its spelling "
            "(git branch -a lists the branches); a branch of the remote is named like origin/main, and one made "
            "since the clone needs a git fetch first"
        ) from exc


def _listed(root: Path, *args: str) -> bytes:
    """git's output for a commit already verified: a failure now is the repository's."""
    try:
        return _git(root, *args)
    except _GitFailed as exc:
        raise UsageError(
            f"git {args[0]} failed (status {exc.status}) in the repository at {root}: run git fsck there"
        ) from exc


def _claims(layout: Layout) -> dict[str, dict[str, str]]:
    path = layout.csv("claims")
    try:
        # The guarded reader, as the check's: a link, a FIFO or a device is never read.
        data = read_regular(path, 2)
    except FileRefused as exc:
        if exc.missing:
            return {}
        raise UsageError(f"{layout.rel(path)} {exc}: claims check says how to fix it") from exc
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    return {r.get("claim_id") or "": {k: v or "" for k, v in r.items() if k is not None} for r in rows}


def _checkout(root: Path, ref: str, dest: Path) -> Path:
    """The ref's dataset files (those it has) extracted under `dest`; the root they form."""
    commit = _commit_of(root, ref)
    prefix = _listed(root, "rev-parse", "--show-prefix").decode().strip()
    listed = _listed(root, "ls-tree", "--name-only", commit, "--", *(prefix + p for p in _PARTS)).decode().split("\n")
    present = [p for p in listed if p]
    if not present:
        return dest
    data = _listed(root, "archive", "--format=tar", commit, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(dest, filter=_no_links)
    # git archive keeps the repository's paths: a dataset root in a subfolder lands there.
    return dest / prefix if prefix else dest


def _no_links(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's data filter (no absolute names, nothing outside `dest`), and no link at all: a
    ref may hold one (a commit of the pull request's history), which the check never follows, and
    the data filter raised on one leading outside (an internal error). Left out, that side is
    built as the check would read it: without the file."""
    if member.issym() or member.islnk():
        return None
    return tarfile.data_filter(member, dest)


def _add_missing_tables(now: Layout, before: Layout) -> None:
    """A table the ref predates is an empty one, with today's schema: the ref then builds."""
    for table in TABLES:
        if not before.schema(table).is_file() and now.schema(table).is_file():
            try:
                # The guarded reader: a schema linked out of the root is not copied in.
                schema = read_regular(now.schema(table), 2)
            except FileRefused:
                continue  # the ref then shows no standing; claims check reports the link
            before.schema_dir.mkdir(exist_ok=True)
            before.schema(table).write_bytes(schema)
        if not before.csv(table).is_file() and before.schema(table).is_file():
            try:
                header = ",".join(load_schema(before.schema(table)).names)
            except SchemaFileError:
                continue  # a schema of the ref's own that cannot be read: that side shows no standing
            before.datasets.mkdir(exist_ok=True)
            before.csv(table).write_text(header + "\n", encoding="utf-8")


def _standing(root: Path, db: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Per claim its label, and per statistic its agreement and relations, from a database built
    of `root`; empty when the root cannot be built (the ref may predate a table)."""
    try:
        write_database(Layout(root), db, approximately_tolerance=DEFAULT_APPROXIMATELY_TOLERANCE)
    except Exception:  # the ref's files may be of any age or state: that side then shows no standing
        return {}, {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        claims: dict[str, str] = {}
        if "claim_fidelity" in views:
            claims = {
                str(c): str(label) for c, label in con.execute("SELECT claim_id, label FROM claim_fidelity").fetchall()
            }
        elif "claim_conflicts" in views:
            claims = {str(c): "agrees" for (c,) in con.execute("SELECT claim_id FROM claims").fetchall()}
            for b, reason in con.execute("SELECT claim_b, reason FROM claim_conflicts").fetchall():
                claims[str(b)] = f"conflict ({reason})"
        stats: dict[str, str] = {}
        if "statistic_agreement" in views:
            # The counts of departures, where the ref's views have them (an older ref's may not):
            # a reframing added moves neither verdict nor consensus, which count only the claims
            # of the statistic's own meaning.
            have = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = 'statistic_agreement'"
                ).fetchall()
            }
            counts = [c if c in have else "0" for c in _DEPARTURES]
            for sid, *agreement in con.execute(
                "SELECT statistic_id, verdict, consensus_low, consensus_high, consensus_low_inclusive,"
                f" consensus_high_inclusive, {', '.join(counts)} FROM statistic_agreement"
            ).fetchall():
                stats[str(sid)] = agreement_text(*agreement)
        # Joined once per statistic: added row by row, a statistic named by thousands of
        # relations copied its growing text for each (60 s for 5,000 relations).
        relations: dict[str, list[str]] = {}
        if "relation_checks" in views:
            # One row per relation and scope: the primary readings, and each source that cites it.
            for rid, sid, scope, source, verdict in con.execute(
                "SELECT relation_id, statistic_id, scope, source_id, verdict FROM relation_checks"
                " ORDER BY relation_id, scope DESC, source_id"
            ).fetchall():
                where = "primary" if source is None else f"{scope} {source}"
                relations.setdefault(str(sid), []).append(f"relation {rid} ({where}): {verdict}")
        for sid, checks in relations.items():
            shown = checks[:_RELATION_CHECKS_SHOWN]
            if len(checks) > len(shown):
                shown.append(f"{len(checks) - len(shown)} more relation checks (claims sql lists relation_checks)")
            stats[sid] = "; ".join([stats.get(sid, ""), *shown])
        return claims, stats
    finally:
        con.close()


def agreement_text(
    verdict: str | None,
    low: float | None,
    high: float | None,
    low_in: bool | None,
    high_in: bool | None,
    reframed: int = 0,
    hedge_dropped: int = 0,
) -> str:
    """A statistic's verdict and consensus in words, numbers in plain notation: "consistent
    [39.5, 40.5]", "consistent, more than 29269" (a bound the view leaves NULL is open),
    "single_source, no consensus" (no value the claims share, or no claim with meaning same),
    "no claims" (the view's NULL verdict); then its claims that reframe the number or drop its
    hedge, where there are any ("consistent [1234, 1234]; 1 reframed")."""
    if verdict is None:
        return "no claims"
    if low is None and high is None:
        text = f"{verdict}, no consensus"
    elif high is None:
        text = f"{verdict}, {'at least' if low_in else 'more than'} {_num(low)}"
    elif low is None:
        text = f"{verdict}, {'at most' if high_in else 'less than'} {_num(high)}"
    else:
        text = f"{verdict} {'[' if low_in else '('}{_num(low)}, {_num(high)}{']' if high_in else ')'}"
    departures = [f"{n} {what}" for n, what in ((reframed, "reframed"), (hedge_dropped, "hedge dropped")) if n]
    return "; ".join([text, *departures])


def _num(value: Any) -> str:
    """A number for a person: plain notation (2133000, never 2.133e+06)."""
    return plain_number(float(value)) if isinstance(value, int | float | Decimal) else str(value)


def diff(root: Path | str, ref: str) -> Diff:
    """What the working tree of `root` changes in the ledger since git `ref`."""
    layout = Layout(given_root(root))
    out = Diff(ref)
    with tempfile.TemporaryDirectory(prefix="claims-diff-") as tmp:
        (Path(tmp) / "before").mkdir()
        before_root = _checkout(layout.root, ref, Path(tmp) / "before")
        _add_missing_tables(layout, Layout(before_root))
        old, new = _claims(Layout(before_root)), _claims(layout)
        out.added = [new[c] for c in new if c not in old]
        out.removed = [old[c] for c in old if c not in new]
        for c in new:
            if c in old and new[c] != old[c]:
                columns = sorted(k for k in set(new[c]) | set(old[c]) if new[c].get(k, "") != old[c].get(k, ""))
                out.changed.append((new[c], columns))
        before_claims, before_stats = _standing(before_root, Path(tmp) / "before.duckdb")
        after_claims, after_stats = _standing(layout.root, Path(tmp) / "after.duckdb")
    if not after_stats:
        out.note = "the working tree could not be built: run claims check"
    out.standing = {**{c: before_claims.get(c, "") for c in old}, **after_claims}
    for sid in sorted(set(before_stats) | set(after_stats)):
        a, b = before_stats.get(sid, "(none)"), after_stats.get(sid, "(none)")
        if a != b:
            out.statistics.append((sid, a, b))
    return out


def render(d: Diff) -> str:
    """The diff as Markdown, for a terminal or a pull request's job summary."""
    lines = [f"## Changes to the ledger since {md_cell(d.ref)}", ""]
    if d.note:
        lines += [md_cell(d.note), ""]
    if not (d.added or d.removed or d.changed or d.statistics):
        return "\n".join([*lines, "No claim and no statistic's agreement changed.", ""])

    # Cells hold the pull request's text: code spans, so the job summary links and pings nothing.
    cell = md_cell

    if d.added or d.removed or d.changed:
        lines += ["| change | claim | source | statistic | value_text | standing |", "|---|---|---|---|---|---|"]
        for kind, rows in (
            ("added", [(r, []) for r in d.added]),
            ("changed", d.changed),
            ("removed", [(r, []) for r in d.removed]),
        ):
            for r, columns in rows:
                what = kind if not columns else f"changed: {', '.join(columns)}"
                lines.append(
                    f"| {cell(what)} | {cell(r.get('claim_id', ''))} | {cell(r.get('source_id', ''))} | "
                    f"{cell(r.get('statistic_id', ''))} | {cell(r.get('value_text', ''))} | {cell(d.standing.get(r.get('claim_id', ''), ''))} |"
                )
        lines.append("")
    if d.statistics:
        lines += ["| statistic | before | after |", "|---|---|---|"]
        lines += [f"| {cell(s)} | {cell(a)} | {cell(b)} |" for s, a, b in d.statistics]
        lines.append("")
    return "\n".join(lines)
