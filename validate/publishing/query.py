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
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from validate.errors import UsageError, require_utf8
from validate.paths import Layout, given_root
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
    # DuckDB takes only text UTF-8 can hold: a lone surrogate (an argument's byte that was not
    # UTF-8) failed inside its parser as a TypeError.
    require_utf8("the query", sql)
    for at, param in enumerate(params or (), start=1):
        if isinstance(param, str):
            require_utf8(f"parameter {at}", param)
    layout = Layout(given_root(root))
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
            # Run once, the answer held (as con.execute held it); read by _python_rows after.
            answer = con.sql(sql, params=params)
            held = answer.materialize()
        # The names as the query gives them: the held relation's own would be made unique
        # (a, a_1), a name the query never gave.
        columns = list(answer.columns)
        rows = _python_rows(held)
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


# Types whose values Python cannot always hold: a DuckDB INTERVAL has months apart from days
# (timedelta has neither months nor more than 999999999 days: INTERVAL 1 MONTH came back as 30
# days, INTERVAL 100000000 YEAR as an OverflowError); 'infinity' DATE or TIMESTAMP came back as
# 9999-12-31. (Dates past 9999 or before year 1, and TIME '24:00:00', DuckDB already gives as text.)
_INTERVAL = "interval"
_INFINITE = frozenset(("date", "timestamp", "timestamp with time zone", "timestamp_s", "timestamp_ms", "timestamp_ns"))
_NESTED = frozenset(("list", "array", "struct", "map", "union"))
# Floating types, whose NaN and infinities JSON has no word for: json.dumps wrote a list's as
# null, so [1.5, nan] showed as [1.5, null] in every format.
_FLOATING = frozenset(("double", "float"))


def _python_rows(held: duckdb.DuckDBPyRelation) -> Rows:
    """The rows of a held answer as Python values, each value Python cannot hold as it is (see
    _INTERVAL, _INFINITE) written as DuckDB writes it: its column cast to VARCHAR (the whole
    column, so that one column holds one kind of value; a nested column holding an interval
    becomes DuckDB's text of it). Any other value Python's conversion fails on turns every
    column to text, rather than failing the query."""
    types = held.types
    # A nested value holding a date is text whole: an infinite one inside a list came back as
    # 9999-12-31 (only a column's top level is asked whether it holds one, below).
    as_text = [_holds(t, _INTERVAL) or (str(t.id) in _NESTED and _holds_any(t, _INFINITE)) for t in types]
    dated = [i for i, t in enumerate(types) if str(t.id) in _INFINITE]
    if dated:
        (infinite,) = held.aggregate(", ".join(f"bool_or(isinf(#{i + 1}))" for i in dated)).fetchall()
        for i, found in zip(dated, infinite, strict=True):
            as_text[i] = as_text[i] or bool(found)
    try:
        rows = _fetch(held, as_text)
    except (OverflowError, ValueError):
        return _fetch(held, [True] * len(types))
    # A nested value holding NaN or an infinity is text whole, as DuckDB writes it ([1.5, nan]),
    # as an infinite date is. Asked of the rows fetched: a column's top level alone is a number,
    # whose table and CSV text says nan or inf itself.
    floating = [i for i, t in enumerate(types) if not as_text[i] and str(t.id) in _NESTED and _holds_any(t, _FLOATING)]
    unwritable = [i for i in floating if any(_non_finite_inside(row[i]) for row in rows)]
    if not unwritable:
        return rows
    return _fetch(held, [text or i in unwritable for i, text in enumerate(as_text)])


def _non_finite_inside(value: Any) -> bool:
    """True if a nested value holds a NaN or an infinity, at any depth."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_non_finite_inside(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_non_finite_inside(v) for v in value)
    return False


def _holds(kind: Any, wanted: str) -> bool:
    """True if a DuckDB type is `wanted` or a nested type with a `wanted` inside."""
    if str(kind.id) == wanted:
        return True
    if str(kind.id) not in _NESTED:
        return False
    return any(hasattr(child, "id") and _holds(child, wanted) for _, child in kind.children)


def _holds_any(kind: Any, wanted: frozenset[str]) -> bool:
    """True if a DuckDB type is one of `wanted` or a nested type with one inside."""
    return any(_holds(kind, one) for one in wanted)


def _fetch(held: duckdb.DuckDBPyRelation, as_text: Sequence[bool]) -> Rows:
    if not any(as_text):
        return held.fetchall()
    # By position: an answer may have two columns of one name.
    return held.project(
        ", ".join(f"CAST(#{i} AS VARCHAR)" if text else f"#{i}" for i, text in enumerate(as_text, start=1))
    ).fetchall()


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
        _refuse_names_given_twice(columns)
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


def _refuse_names_given_twice(columns: Sequence[str]) -> None:
    """A JSON object holds one value per name: of two columns of one name, it kept the last and
    dropped the other without a word. (A table and CSV show every column, under the names the
    query gives, as DuckDB's own shell does.)"""
    twice = {name: n for name, n in Counter(columns).items() if n > 1}
    if twice:
        shared = " and ".join(f"{n} columns are named {name!r}" for name, n in twice.items())
        raise UsageError(
            f"{shared}, and a JSON object holds one value per name: name them apart with AS "
            "(SELECT a.id AS a_id, b.id AS b_id ...), or use --format csv or table"
        )


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
