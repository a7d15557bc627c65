"""`query(root, sql)`: a read-only query on the built database, rebuilt first when stale; and its rendering."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import math
import re
import resource
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from validate.errors import UsageError
from validate.paths import Layout
from validate.publishing.build import build, build_folder_refusal
from validate.publishing.connection import QUERY_ADDRESS_SPACE, QUERY_LIMITS, QUERY_TIMEOUT, connect
from validate.publishing.database import DEFAULT_APPROXIMATELY_TOLERANCE, database_path
from validate.publishing.stamp import inputs_digest, read_stamp
from validate.render import visible

FORMATS = ("table", "csv", "json")
# A table is for reading on a terminal: longer cells are cut (csv and json give them whole).
MAX_CELL = 80

Rows = list[tuple[Any, ...]]


def query(
    root: Path | str,
    sql: str,
    *,
    params: Sequence[object] | None = None,
    build_if_stale: bool = True,
    timeout: float = QUERY_TIMEOUT,
    cap_address_space: bool = False,
) -> tuple[list[str], Rows]:
    """Run the one read statement `sql` (with `?` parameters) read-only on the root's database,
    stopped after `timeout` seconds; return column names and rows.
    The database is used only when this toolkit wrote it from the root's current inputs (its
    signed stamp says so); otherwise it is built anew, or refused without `build_if_stale`.
    With `cap_address_space` (the CLI's, whose process is the query's alone), the process may
    grow by at most QUERY_ADDRESS_SPACE while DuckDB runs the query (see capped_growth); the
    answer's rows, fetched after, are the caller's."""
    if not timeout > 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout}")
    layout = Layout(Path(root))
    refused = build_folder_refusal(layout)
    if refused is not None:
        raise UsageError(refused)
    path = database_path(layout)
    digest = inputs_digest(layout)
    if _stale(path, digest):
        if not build_if_stale:
            raise UsageError(
                f"{layout.rel(path)} is missing, out of date, or was not written by this toolkit: "
                "build it (claims build)"
            )
        build(layout.root, approximately_tolerance=_previous_tolerance(path))
    # Read-only, and no files besides the database: a query can neither change the build nor
    # read or write anything else on the machine (read_csv, COPY ... TO, ATTACH, extensions);
    # bounded memory and threads, and nothing spilled to disk.
    try:
        con = connect(path, read_only=True, **QUERY_LIMITS)
    except duckdb.Error as exc:
        raise UsageError(f"{layout.rel(path)} cannot be opened: {exc}; rebuild it (claims build)") from exc
    try:
        try:
            built_from = con.execute("SELECT inputs_digest FROM settings").fetchall()
        except duckdb.Error:
            built_from = []
        if built_from != [(digest,)]:
            raise UsageError(f"{layout.rel(path)} was not built from the current inputs: rebuild it (claims build)")
        _only_one_read(con, sql)
        return _run(con, sql, params, timeout, QUERY_ADDRESS_SPACE if cap_address_space else None)
    finally:
        con.close()


# One capped block at a time: the limit is the process's, and each block restores the one it
# found, so two that overlapped could leave the process capped.
_CAPPED = threading.Lock()


@contextmanager
def capped_growth(limit: int | None) -> Iterator[None]:
    """Let the process's address space grow by at most `limit` bytes (None: no cap) inside the
    block. DuckDB's memory_limit bounds what its buffer manager holds (joins, sorts, aggregates),
    not a value a function makes: SELECT repeat('x', 2000000000) took 4 GB under a 1GB limit.
    Under this cap the allocation fails, and DuckDB says so as an out-of-memory error. Only the
    soft limit is lowered, so it is restored after; where the process's size cannot be read
    (no /proc), there is no cap."""
    if limit is None:
        yield
        return
    with _CAPPED:
        try:
            status = Path("/proc/self/status").read_text(encoding="ascii")
            size = int(re.search(r"^VmSize:\s*(\d+) kB", status, re.M).group(1)) * 1024  # type: ignore[union-attr]
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        except (OSError, AttributeError, ValueError):
            yield
            return
        capped = size + limit if hard == resource.RLIM_INFINITY else min(size + limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (capped if soft == resource.RLIM_INFINITY else min(soft, capped), hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _only_one_read(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one read statement, by DuckDB's own parser: a SET, PRAGMA, LOAD,
    INSTALL, ATTACH, COPY, CREATE or CALL is refused before it runs, whatever the settings that
    would also stop most of them. One statement, as the output holds one result."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise UsageError(f"the query cannot be read: {exc}") from exc
    if len(statements) != 1:
        raise UsageError(
            f"give one query, not {len(statements)} statements: claims sql runs a single SELECT "
            "(several can be one query with UNION ALL or a WITH clause)"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        words = statements[0].query.split()
        first = words[0].upper() if words else ""
        name = kind.name.replace("_", " ")
        what = name if first == name else f"{first} (a {name} statement)"
        raise UsageError(
            f"claims sql runs only queries (SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW), and this is {what}: "
            "the database is opened read-only, never changed, configured or extended here"
        )


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None, timeout: float, cap: int | None = None
) -> tuple[list[str], Rows]:
    """Execute and fetch, interrupted by a timer after `timeout` seconds; DuckDB's work (which
    makes the whole answer) within capped_growth(cap)."""
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        with capped_growth(cap):
            cursor = con.execute(sql, params)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall() if cursor.description else []
    except duckdb.InterruptException as exc:
        if not timed_out.is_set():
            raise UsageError("the query was interrupted") from exc
        raise UsageError(
            f"the query ran longer than {timeout:g} seconds and was stopped: narrow it (a WHERE, a LIMIT) "
            "or give it more time with --timeout SECONDS"
        ) from exc
    except duckdb.OutOfMemoryException as exc:
        raise UsageError(
            f"the query needs more memory than a query may use ({QUERY_LIMITS['memory_limit']} for DuckDB's work, "
            "nothing spilled to disk): narrow it (a WHERE, a LIMIT, fewer joined rows)"
        ) from exc
    except MemoryError as exc:
        raise UsageError("the answer is too large to hold in memory: narrow it (a WHERE, a LIMIT)") from exc
    except duckdb.Error as exc:
        raise UsageError(f"the query failed: {exc}") from exc
    finally:
        timer.cancel()
    return columns, rows


def is_stale(layout: Layout) -> bool:
    """True unless the database is the one this toolkit wrote from the root's current inputs."""
    return _stale(database_path(layout), inputs_digest(layout))


def _stale(path: Path, digest: str) -> bool:
    record = read_stamp(path)
    return record is None or record["inputs"] != digest


def _previous_tolerance(path: Path) -> float:
    """The setting the existing database was built with, so a rebuild keeps it: read from its
    signed stamp, so a database the toolkit did not write is never opened to learn it."""
    record = read_stamp(path)
    value = record.get("approximately_tolerance") if record else None
    return value if isinstance(value, float) else DEFAULT_APPROXIMATELY_TOLERANCE


def render_rows(columns: Sequence[str], rows: Rows, fmt: str) -> str:
    """Query results as an aligned text table, CSV or JSON (a list of objects); ends with a newline."""
    return "".join(rendered(columns, rows, fmt))


def rendered(columns: Sequence[str], rows: Rows, fmt: str) -> Iterator[str]:
    """render_rows() in pieces of at most _PIECE rows, for writing as they come: twenty million
    rows rendered whole took 6.3 GB beside the rows themselves."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "json":
        if not rows:
            yield "[]\n"
            return
        for start in range(0, len(rows), _PIECE):
            records = (
                {c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows[start : start + _PIECE]
            )
            # Each object as json.dumps(..., indent=2) writes it inside a list: its lines indented
            # by two spaces. JSON escapes "\n" inside strings, so each "\n" of its text ends a line
            # (textwrap.indent would also split at U+2028, which a string may hold as it is).
            text = ",\n".join(
                "  " + json.dumps(r, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", "\n  ")
                for r in records
            )
            yield ("[\n" if start == 0 else ",\n") + text
        yield "\n]\n"
    elif fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(columns)
        yield out.getvalue()
        for start in range(0, len(rows), _PIECE):
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(
                [_text(v) for v in row] for row in rows[start : start + _PIECE]
            )
            yield out.getvalue()
    else:
        yield from _table(columns, rows)


# Rows rendered at a time.
_PIECE = 10_000


def _table(columns: Sequence[str], rows: Rows) -> Iterator[str]:
    def cells(row: tuple[Any, ...]) -> list[str]:
        return [_cut(_text(v, null="NULL")) for v in row]

    # Two passes over the rows, the widths first, so that no rendered cell is held for long.
    widths = [len(_cut(c)) for c in columns]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, cells(row), strict=True)]
    # Numbers line up on the right, as in every SQL shell.
    right = [bool(rows) and all(_is_number(r[i]) for r in rows if r[i] is not None) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    yield line([_cut(c) for c in columns]) + "\n" + "  ".join("-" * w for w in widths) + "\n"
    for start in range(0, len(rows), _PIECE):
        yield "".join(line(cells(r)) + "\n" for r in rows[start : start + _PIECE])
    yield f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def _cut(text: str) -> str:
    # A terminal shows the table: no cell may break a line or send an escape.
    text = visible(text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _text(value: Any, null: str = "") -> str:
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Whole numbers without ".0" (2350000, not 2350000.0); others as the shortest exact repr.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(_json_value(value), ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
