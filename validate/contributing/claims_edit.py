"""List, edit and remove claims, each edit checked as add-claim checks a new one.

An edit or a removal rewrites claims.csv through a trial copy of the dataset, as add-claim does
(validate.contributing.add): it is written only when the check finds nothing new."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path

from validate.errors import InvalidData, UsageError, require_all_utf8, require_utf8
from validate.paths import Layout, given_root
from validate.reading.files import FileRefused, read_regular
from validate.text.closest import did_you_mean


def _records(path: Path) -> tuple[list[list[str]], str]:
    """The records of a CSV (header first) and its line end."""
    try:
        # The guarded reader, as the check's: a link (out of the root, or to another file of it),
        # a FIFO or a device is never read, nor replaced by what was read through it.
        data = read_regular(path, 2)
    except FileRefused as exc:
        shown = f"datasets/{path.name}"
        raise UsageError(
            f"{shown} is missing: run claims check"
            if exc.missing
            else f"{shown} {exc}: claims check says how to fix it"
        ) from exc
    raw = data.decode("utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(raw, newline=""))), "\r\n" if "\r\n" in raw else "\n"


def _bytes(records: list[list[str]], line_end: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(records)
    return out.getvalue().encode("utf-8")


def list_claims(
    root: Path | str, source_id: str | None = None, statistic_id: str | None = None
) -> list[dict[str, str]]:
    """The claims of the dataset, of one source or one statistic if asked, as dicts of their cells;
    an id that is in neither sources.csv nor statistics.csv is refused, with the closest one."""
    layout = Layout(given_root(root))
    if source_id is not None:
        _known(layout, "sources", "source_id", source_id)
    if statistic_id is not None:
        _known(layout, "statistics", "statistic_id", statistic_id)
    records, _ = _records(layout.csv("claims"))
    if not records:
        return []
    header = records[0]
    rows = [dict(zip(header, r, strict=False)) for r in records[1:]]
    return [
        r
        for r in rows
        if (source_id is None or r.get("source_id") == source_id)
        and (statistic_id is None or r.get("statistic_id") == statistic_id)
    ]


# Where a contributor finds the ids of a table, for a refusal that has no close one to offer.
_HOW = {"source_id": "the source_id column there lists them", "statistic_id": "claims statistics WORDS finds one"}


def _known(layout: Layout, table: str, column: str, wanted: str) -> None:
    """Refuse an id the table does not have, naming the closest one (or how to find one)."""
    records, _ = _records(layout.csv(table))
    at = records[0].index(column) if records and column in records[0] else None
    known = sorted({r[at] for r in records[1:] if at is not None and at < len(r)} - {""})
    if wanted not in known:
        raise UsageError(
            f"no {column} {wanted!r} in datasets/{table}.csv{did_you_mean(wanted, known) or f' ({_HOW[column]})'}"
        )


def _find(records: list[list[str]], claim_id: str) -> int:
    """The index of the claim's record (the header is 0): its row number in findings is one more."""
    header = records[0] if records else []
    if "claim_id" not in header:
        raise UsageError("datasets/claims.csv has no claim_id column: run claims check")
    at = header.index("claim_id")
    found = [i for i, r in enumerate(records[1:], start=1) if at < len(r) and r[at] == claim_id]
    if len(found) > 1:
        # Changing the first of two rows that share an id would leave the other as it was, unsaid.
        rows = ", ".join(str(i + 1) for i in found[:5]) + (" ..." if len(found) > 5 else "")
        raise UsageError(
            f"claim {claim_id!r} is on more than one row of datasets/claims.csv (rows {rows}): give each its own "
            "claim_id first (claims check reports the duplicate key)"
        )
    if found:
        return found[0]
    known = [r[at] for r in records[1:] if at < len(r)]
    raise UsageError(f"no claim {claim_id!r} in datasets/claims.csv{did_you_mean(claim_id, known)}")


def edit_claim(root: Path | str, claim_id: str, changes: Mapping[str, str | None]) -> dict[str, str]:
    """Set some cells of one claim (None or "" empties a cell); refuse the edit with findings."""
    from validate.contributing.add import commit

    # Before anything is read: a value UTF-8 cannot hold would fail as the file is written.
    require_all_utf8([("the claim id", claim_id), *((_option(c), v) for c, v in changes.items())])
    layout = Layout(given_root(root))
    records, line_end = _records(layout.csv("claims"))
    i = _find(records, claim_id)
    header = records[0]
    unknown = sorted(set(changes) - set(header))
    if unknown:
        raise UsageError(
            f"claims.csv has no column {', '.join(map(repr, unknown))}: the columns are {', '.join(header)}"
        )
    changes = dict(changes)
    for column, table in (("source_id", "sources"), ("statistic_id", "statistics")):
        if changes.get(column):
            _known(layout, table, column, str(changes[column]))
    if changes.get("value_text"):
        # New words state a new value, as add-claim reads them: what the edit does not set itself.
        from validate.contributing.add import read_value

        value, qualifier, _ = read_value(str(changes["value_text"]), changes.get("value"), changes.get("qualifier"))
        changes.update({k: v for k, v in (("value", value), ("qualifier", qualifier)) if v is not None})
    record = records[i] + [""] * (len(header) - len(records[i]))
    for column, value in changes.items():
        record[header.index(column)] = value or ""
    records[i] = record
    replaced = {"datasets/claims.csv": _bytes(records, line_end)}
    _check_or_raise(layout, replaced, lambda row: row)
    commit(layout, replaced)
    return dict(zip(header, record, strict=True))


def _option(column: str) -> str:
    """The edit-claim option that sets a column (--statistic sets statistic_id)."""
    return "--statistic" if column == "statistic_id" else "--" + column.replace("_", "-")


def remove_claim(root: Path | str, claim_id: str) -> dict[str, str]:
    """Remove one claim; refuse if the dataset would then break a rule (a statistic no longer
    cited, a number no longer accounted for)."""
    from validate.contributing.add import commit

    require_utf8("the claim id", claim_id)
    layout = Layout(given_root(root))
    records, line_end = _records(layout.csv("claims"))
    i = _find(records, claim_id)
    removed = records.pop(i)
    replaced = {"datasets/claims.csv": _bytes(records, line_end)}
    # Rows after the removed one move up by one in the trial copy: findings name the rows as the
    # file has them now.
    removed_row = i + 1
    _check_or_raise(layout, replaced, lambda row: row + 1 if row >= removed_row else row)
    commit(layout, replaced)
    return dict(zip(records[0], removed, strict=False))


def _check_or_raise(layout: Layout, replaced: Mapping[str, bytes], claims_row: Callable[[int], int | None]) -> None:
    from validate.contributing.add import new_findings

    report = new_findings(layout, replaced, {"datasets/claims.csv": claims_row})
    if not report.valid:
        raise InvalidData(report)
