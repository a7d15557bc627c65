"""Reads one CSV of the contract's dialect into string columns, reporting what breaks its shape.

Frictionless's structural errors (encoding, header labels, blank rows, missing and extra cells)
are found here, with its codes and row numbering (the header is row 1), so that every later
check can work on well-shaped string columns.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import mmap
import os
from collections.abc import Container, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from validate.findings import Cap, Finding
from validate.kernels.cells import file_facts, holds_newline, quotes_enclose_cells
from validate.reading.files import FileRefused, read_regular, refusal
from validate.reading.quoting import QuoteFault, quote_fault
from validate.reading.table_schema import TableSchema

# A cell may be huge (a pasted article); the length rules report it, the reader must not choke.
csv.field_size_limit(1 << 30)

_BOM = b"\xef\xbb\xbf"
# What is still reported of a row longer than its header: what the reader says of it (its cells
# are not where its header says they are, so the rules' findings of them wait for it to be fixed).
# The same for a row whose quoting breaks: its cells as read are not the ones it meant.
_SHIFTED_KEEPS = frozenset({"extra-cell", "encoding-error", "line-ending", "quote-error"})
# Below this size the exact reader costs little; above it the Arrow path pays off.
FAST_PATH_MIN_BYTES = 1 << 20
# The fast path reads the header from this much of the file; a longer header takes the exact path.
_HEAD_BYTES = 1 << 16
# Arrow's block size, and so the chunks of every column polars gets. 4 MiB (62 chunks at 1M
# claims): against Arrow's default 1 MiB, the check was faster in each of 6 alternating rounds
# (median 2.49 s against 2.94 s), fewer chunks meaning less work per column pass; 2 and 8 MiB
# were as fast as 4. (Before the C passes, 4 and 16 MiB had been slower than 1.)
ARROW_BLOCK_BYTES = 4 << 20


class MissingCells(Container[tuple[int, str]]):
    """The (row, field) cells that rows too short for the header leave out: kept as each short
    row's length, not as a pair per cell (a file of a million one-cell rows is a few MB)."""

    def __init__(self, short: dict[int, int], places: dict[str, int]) -> None:
        self._short, self._places = short, places

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        row, name = item
        cells = self._short.get(row)
        place = self._places.get(name)
        return cells is not None and place is not None and place > cells


@dataclass
class Table:
    """A CSV read as string columns named after the schema's fields, with row and line numbers."""

    name: str
    file: str
    frame: pl.DataFrame
    # Row and physical line number of each frame row: a list from the exact reader, a polars
    # Series from the fast one (two lists of a million ints cost 0.06 s and 70 MiB).
    rows: list[int] | pl.Series
    lines: list[int] | pl.Series
    findings: list[Finding] = field(default_factory=list)
    missing_cells: Container[tuple[int, str]] = field(default_factory=set)
    # 1-based position of each schema field in the file's header, for annotations.
    positions: dict[str, int] = field(default_factory=dict)


def read_table(path: Path, file: str, name: str, schema: TableSchema, cap: Cap | None = None) -> Table:
    """Read `path` (shown as `file`) against `schema`'s fields; never raises on bad content. With
    `cap`, findings past it are counted, not made (a header of a million commas is a few MB)."""
    names = schema.names
    findings: list[Finding] = []

    def room(code: str, row: int | None = None) -> bool:
        return cap is None or cap.admit(file, code, row)

    # Every part of the path inside the root: a link there, a FIFO, a device or a file past the
    # size cap is refused before anything is opened (see reading/files.py).
    depth = len(PurePosixPath(file).parts) or 1
    try:
        refused = refusal(path, depth)
        if refused is None:
            fast = _read_clean(path, file, name, schema, cap)
            if fast is not None:
                return fast
            raw = read_regular(path, depth)
    except FileRefused as exc:
        refused = exc
    except OSError as exc:
        refused = FileRefused(f"cannot be read ({exc.strerror})")
    if refused is not None:
        if refused.missing:
            findings.append(
                Finding(
                    file=file,
                    check="missing-file",
                    message=f"{file} is missing: every dataset root has datasets/{name}.csv with a header row",
                )
            )
        else:
            findings.append(Finding(file=file, check="source-error", message=f"{file} {refused.reason}"))
        return empty_table(name, file, names, findings)
    raw = _without_bom(raw)
    text, bad_lines = _decode(raw)

    rows: list[int] = []
    lines: list[int] = []
    columns: dict[str, list[str | None]] = {n: [] for n in names}
    short: dict[int, int] = {}  # row -> its cells, for each row that ends before the header does
    positions: list[tuple[int, str]] = []  # (cell index, field name) for the labels we keep
    indices: list[int] = []  # the cell index of each of `positions`
    absent: list[str] = []  # the schema's fields the header lacks
    header: list[str] | None = None
    row_starts: list[int] = []
    row_numbers: list[int] = []
    row_no = 0
    line_end: Finding | None = None
    first_end: str | None = None  # the line end of the first record: every record's must be the same
    # Which cells hold the bad bytes: only a file without a real U+FFFD tells a replaced byte apart.
    bad_cells: dict[int, str | None] = {}
    locate = bool(bad_lines) and "\N{REPLACEMENT CHARACTER}".encode() not in raw
    # Where each line starts, to take a record's text, in a file that has a quote. (Not the fast
    # reader's scan of the whole file, which needs Arrow: imported, it leaves too little address
    # space for threads under a 2 GiB limit, tests/reading/test_hostile_seed_size.py.)
    line_starts = _line_starts(text) if '"' in text else None
    for start_line, end_line, cells, ending in _records(text, file, findings):
        row_no += 1
        row_starts.append(start_line)
        row_numbers.append(row_no)
        if line_starts is not None:
            record = text[line_starts[start_line - 1] : line_starts[end_line]]
            fault = quote_fault(record) if '"' in record else None
            if fault is not None:
                if cap is not None:
                    cap.hold(file, row_no, _SHIFTED_KEEPS)
                if room("quote-error", row_no):
                    findings.append(_quote_finding(file, row_no, start_line, fault, positions))
        if ending and first_end is None:
            first_end = ending
        if line_end is None and ending and (ending == "\r" or ending != first_end):
            line_end = _line_end_finding(file, row_no, start_line, ending, first_end or "\n")
        if locate and _spans_any(bad_lines, start_line, end_line):
            bad_cells[row_no] = _bad_column(cells, positions if header is not None else [])
        if header is None:
            header = cells
            positions = _check_header(cells, names, file, findings, cap)
            indices = [index for index, _ in positions]
            placed = {f for _, f in positions}  # once, not once per name: both grow with the columns
            absent = [n for n in names if n not in placed]
            continue
        if not any(cells):
            if room("blank-row", row_no):
                findings.append(
                    Finding(
                        file=file,
                        row=row_no,
                        check="blank-row",
                        line=start_line,
                        message=f"row {row_no} is blank: delete it (the contract allows no blank rows)",
                    )
                )
            continue
        width = len(header)
        if len(cells) > width:
            if cap is not None:
                cap.hold(file, row_no, _SHIFTED_KEEPS)
            if room("extra-cell", row_no):
                findings.append(
                    Finding(
                        file=file,
                        row=row_no,
                        check="extra-cell",
                        line=start_line,
                        message=f"row {row_no} has {len(cells)} cells but the header has {width}: "
                        "remove the extra cells, or quote a cell that contains a comma. Its cells are checked "
                        f"once it has {width}: past a comma that split a cell, each stands in the wrong column",
                    )
                )
        # The header's fields lie at increasing cell indices: those at or past the row's end are missing.
        count = len(cells)
        present = bisect.bisect_left(indices, count)
        for index, fname in positions[:present]:
            value = cells[index]
            columns[fname].append(None if value in schema.missing_values else value)
        if present < len(positions):
            short[row_no] = count
            for _, fname in positions[present:]:
                columns[fname].append(None)
            shown = positions[present:]
            if cap is not None:
                shown = shown[: cap.admit_many(file, "missing-cell", len(shown), row_no)]
            for _, fname in shown:
                findings.append(
                    Finding(
                        file=file,
                        row=row_no,
                        column=fname,
                        check="missing-cell",
                        line=start_line,
                        message=f"row {row_no} ends before column {fname!r} ({count} of {width} cells): "
                        "add the missing cells (an empty cell is still separated by a comma)",
                    )
                )
        for fname in absent:
            columns[fname].append(None)
        rows.append(row_no)
        lines.append(start_line)
    if header is None:
        findings.append(
            Finding(
                file=file,
                row=1,
                check="blank-header",
                line=1,
                message=f"{file} is empty: it needs a header row naming the columns {', '.join(names)}",
            )
        )
    if line_end is not None:
        findings.append(line_end)
    places = {f: i + 1 for i, f in positions}
    for line in bad_lines:
        i = bisect.bisect_right(row_starts, line) - 1
        row = row_numbers[i] if i >= 0 else 1
        column = bad_cells.get(row)
        findings.append(
            Finding(
                file=file,
                row=row,
                column=column,
                check="encoding-error",
                line=line,
                col=places.get(column) if column else None,
                message=f"line {line} is not valid UTF-8"
                + (f" (in column {column!r})" if column else "")
                + f": re-save {file} as UTF-8 (the bytes were shown as \N{REPLACEMENT CHARACTER} here)",
            )
        )
    frame = pl.DataFrame({n: pl.Series(n, columns[n], dtype=pl.String) for n in names})
    return Table(name, file, frame, rows, lines, findings, MissingCells(short, places), places)


def _read_clean(path: Path, file: str, name: str, schema: TableSchema, cap: Cap | None = None) -> Table | None:
    """Fast path for a large, well-formed file: Arrow's CSV reader parses it in native code,
    refusing any record without the header's width and any cell that is not UTF-8. Returns None
    whenever anything is off, and the exact (slow) reader takes over, so findings never depend
    on which path ran."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size < FAST_PATH_MIN_BYTES:
            return None
        head = handle.read(_HEAD_BYTES)
    end = head.find(b"\n")
    if head.startswith(_BOM) or end < 0:
        return None
    try:
        first = next(csv.reader(io.StringIO(head[:end].decode("utf-8"), newline=""), strict=False), None)
    except UnicodeDecodeError:
        return None
    if not first:
        return None
    columns = [f"c{i}" for i in range(len(first))]
    # The file's lines are counted in a thread while Arrow parses it on its own threads.
    with ThreadPoolExecutor(max_workers=1) as pool:
        read = _arrow_read(path, columns, pool.submit(_plain_lines, path), "" in schema.missing_values)
    _release_arrow_memory()
    if read is None:
        return None
    frame, inner = read
    labels = [v if v is not None else "" for v in frame.row(0)]
    if labels != first:
        return None  # the two parsers disagree about the header: the exact reader decides
    findings: list[Finding] = []
    positions = _check_header(labels, schema.names, file, findings, cap)
    body = frame.slice(1)
    # Arrow has made empty cells null when the schema counts them missing.
    empty = pl.Expr.is_null if "" in schema.missing_values else lambda c: c == ""
    blank = pl.all_horizontal(empty(pl.col(c)) for c in columns)
    rows_all = pl.int_range(2, body.height + 2, eager=True)
    # A record spanning lines pushes every later record down: count the newlines inside cells.
    lines_all = rows_all if inner is None else rows_all + inner.slice(1).cum_sum().shift(1, fill_value=0)
    is_blank = body.select(blank).to_series()
    for row, line in zip(rows_all.filter(is_blank).to_list(), lines_all.filter(is_blank).to_list(), strict=True):
        if cap is not None and not cap.admit(file, "blank-row", row):
            continue
        findings.append(
            Finding(
                file=file,
                row=row,
                check="blank-row",
                line=line,
                message=f"row {row} is blank: delete it (the contract allows no blank rows)",
            )
        )
    if is_blank.any():
        body, rows_all, lines_all = body.filter(~is_blank), rows_all.filter(~is_blank), lines_all.filter(~is_blank)
    others = [m for m in schema.missing_values if m != ""]
    by_field = {fname: f"c{index}" for index, fname in positions}

    def cells(f: str) -> pl.Expr:
        if f not in by_field:
            # As long as the body: a select of literals alone would give one row, whatever the
            # file holds (when no label of the header is a field of the schema).
            return pl.repeat(None, pl.len(), dtype=pl.String).alias(f)
        col = pl.col(by_field[f])
        return (pl.when(col.is_in(others)).then(None).otherwise(col) if others else col).alias(f)

    # One select, so polars works on the columns side by side.
    columns_out = [cells(f) for f in schema.names]
    return Table(
        name,
        file,
        body.select(columns_out),
        rows_all,
        lines_all,
        findings,
        positions={f: i + 1 for i, f in positions},
    )


def _arrow_read(
    path: Path, columns: list[str], counting: Future[int | None], empty_is_null: bool
) -> tuple[pl.DataFrame, pl.Series | None] | None:
    """Every record of `path` as string cells (empty ones null if `empty_is_null`), and how many
    newlines each record holds inside its cells (None for none at all); None if Arrow refuses
    the file or `counting` (the file's lines) gives None.

    Arrow's parser is the csv module's state machine for a file of \n line ends (quotes open a
    cell only at its start, a quote after a closing one is text, an empty line is a row of empty
    cells), which tests/benchmarks/test_synth_and_fast_path.py holds it to. It refuses a record of another
    width and bytes that are not UTF-8.

    It is first run with blocks cut at any newline, read in parallel. Where a cut falls inside a
    quoted cell, Arrow may, without an error, skip the rest of that block, or end the record at
    the cut with the cut's newline in its cell. So this first reading is taken only when no cell
    holds a newline and there are as many records as lines. Then every record ended at a line
    end of its own (the cut's newline would be in a cell otherwise), and bytes skipped would
    have held at least the cut's newline, leaving fewer records than lines. Otherwise the file
    is read again with blocks cut at record ends only (which costs 60 % more), and its records
    must still add up: one line end each, plus the newlines inside their cells."""
    import pyarrow as pa  # imported here: only a file above FAST_PATH_MIN_BYTES needs it
    import pyarrow.csv as pa_csv

    # Empty cells made null by Arrow as it converts them: a polars pass after it took 0.03 to 0.08 s.
    convert = pa_csv.ConvertOptions(
        # Each cell's UTF-8 checked by Arrow as it parses, on the very bytes polars then takes
        # (the file may change after its scan): a cell that is not refuses the read, and the
        # exact reader names it. At a million claims it costs under 0.1 s (docs/performance.md).
        check_utf8=True,
        column_types=dict.fromkeys(columns, pa.string()),
        null_values=[""] if empty_is_null else [],
        strings_can_be_null=empty_is_null,
        quoted_strings_can_be_null=empty_is_null,
    )
    read = pa_csv.ReadOptions(column_names=columns, block_size=ARROW_BLOCK_BYTES)
    for newlines_in_values in (False, True):
        parse = pa_csv.ParseOptions(newlines_in_values=newlines_in_values, ignore_empty_lines=False)
        try:
            # Not from a memory map (pa.memory_map): that saved 0.1 to 0.7 s of system time at 1M
            # claims, but Arrow's parser then crashed the process (SIGSEGV) in 3 of 25 runs of the
            # fast-path property tests, and in none of 25 reading the file into its own buffers.
            table = pa_csv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        except (pa.ArrowException, OSError):
            continue
        lines = counting.result()
        if lines is None:
            return None
        if not newlines_in_values:
            if table.num_rows == lines and not _cells_hold_newline(table):
                return _frame(table), None
            continue  # judged on Arrow's table, so a reading not taken is never handed to polars
        frame = _frame(table)
        inner = frame.select(pl.sum_horizontal(pl.col(c).str.count_matches("\n") for c in columns)).to_series()
        return (frame, inner) if frame.height + inner.sum() == lines else None
    return None


def _release_arrow_memory() -> None:
    """Hand back to the system what Arrow's allocator (mimalloc) kept of what it freed: the
    file's blocks, the offsets, the string views polars copied. Only Arrow's own buffers would
    ever reuse it, and nothing after the read allocates any: at 1M claims it was 75 to 125 MB
    of resident memory, held to the end of the check, for 1 to 11 ms."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _frame(table: Any) -> pl.DataFrame:
    import pyarrow as pa

    # Cast by Arrow to string views over its own buffers, which polars then takes as they are:
    # polars' own conversion copies every cell. At a million claims the read took 1.43 CPU
    # seconds and 20,000 page faults against 1.58 and 65,000 (medians of 12, alternating).
    with ThreadPoolExecutor(max_workers=2) as pool:
        views = list(pool.map(lambda column: column.cast(pa.string_view()), table.columns))
    frame = pl.from_arrow(pa.table(views, names=table.column_names))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _cells_hold_newline(table: Any) -> bool:
    """Whether any cell of Arrow's `table` holds a newline: a search of each string column's
    bytes, block by block, where they lie, where polars' per-cell search took 0.15 s at 1M claims."""
    for column in table.columns:
        for chunk in column.chunks:
            offsets, data = chunk.buffers()[1:3]
            if data is None:
                continue
            bounds = memoryview(offsets).cast("i")  # Arrow's string offsets are 32-bit
            start, end = bounds[chunk.offset], bounds[chunk.offset + len(chunk)]
            if holds_newline(data.slice(start, end - start)):
                return True
    return False


def _plain_lines(path: Path) -> int | None:
    """The file's lines, or None if it holds a \r (a foreign line end or a quoted cell's
    content, which only the exact reader tells apart), is not UTF-8 (an early answer: Arrow
    checks each cell again as it parses, on the bytes polars then takes), or has a quote that does
    not enclose a cell (Arrow would read `"abc"def` as `abcdef` where the check finds a fault)."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        newlines, has_cr, utf8 = file_facts(data)
        if has_cr or not utf8 or not quotes_enclose_cells(data):
            return None
        return newlines + (data[-1:] != b"\n")


def empty_table(name: str, file: str, names: list[str], findings: list[Finding]) -> Table:
    """A table with the schema's columns and no rows, for a file that could not be read."""
    frame = pl.DataFrame({n: pl.Series(n, [], dtype=pl.String) for n in names})
    return Table(name, file, frame, [], [], findings)


def records_of(raw: bytes) -> Iterator[list[str]]:
    """The records (header first) of a CSV's bytes as the exact reader parses them: BOM dropped,
    bytes that are not UTF-8 replaced, the csv module's dialect, nothing after a record that
    does not parse. --changed-since compares a file's records with these, so that a row counts
    as changed exactly when the check would read it otherwise (a BOM added is no change)."""
    text, _ = _decode(_without_bom(raw))
    for _, _, cells, _ in _records(text, "", []):
        yield cells


def _without_bom(raw: bytes) -> bytes:
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


def _decode(raw: bytes, limit: int = 20) -> tuple[str, list[int]]:
    """Decode UTF-8, replacing bad bytes; return the text and the lines of the first `limit` faults."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    offsets: list[int] = []

    def note(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeDecodeError)
        if len(offsets) < limit:
            offsets.append(exc.start)
        return "\N{REPLACEMENT CHARACTER}", exc.end

    codecs.register_error("claims-note", note)
    text = raw.decode("utf-8", errors="claims-note")
    return text, sorted({_line_ends(raw, offset) + 1 for offset in offsets})


def _line_ends(raw: bytes, end: int) -> int:
    """Line ends before byte `end`, counted as the CSV reader counts lines: \n, \r\n and a bare \r."""
    return raw.count(b"\n", 0, end) + raw.count(b"\r", 0, end) - raw.count(b"\r\n", 0, end)


def _records(text: str, file: str, findings: list[Finding]) -> Iterator[tuple[int, int, list[str], str]]:
    """Yield (first physical line, last physical line, cells, line end) per record; a record may
    span lines inside quotes. The line end is what ends the record's last line ("" at the end of
    the file); lines end as the csv module ends them, at \n, \r\n or a bare \r."""
    ending = [""]

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            ending[0] = "\r\n" if line.endswith("\r\n") else line[-1:] if line[-1:] in ("\r", "\n") else ""
            yield line

    # Without a \r every line ends with \n: skip the per-line bookkeeping.
    source: Iterator[str] = lines() if "\r" in text else iter(io.StringIO(text, newline=""))
    reader = csv.reader(source, dialect="excel", strict=False)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            findings.append(
                Finding(
                    file=file,
                    row=None,
                    check="source-error",
                    line=reader.line_num,
                    message=f"{file} stops parsing as CSV at line {reader.line_num} ({exc}): "
                    "check the quoting there; nothing after it was read",
                )
            )
            return
        yield last_line + 1, reader.line_num, cells, ending[0]
        last_line = reader.line_num


def _line_starts(text: str) -> list[int]:
    """The offset in `text` of each line's start, and of its end last, lines ending as the csv
    module ends them (at \n, \r\n or a bare \r)."""
    starts = [0]
    for line in io.StringIO(text, newline=""):
        starts.append(starts[-1] + len(line))
    return starts


def _quote_finding(file: str, row: int, line: int, fault: QuoteFault, positions: list[tuple[int, str]]) -> Finding:
    column = next((name for index, name in positions if index == fault.cell), None)
    where = f" in column {column!r}" if column else f" (cell {fault.cell + 1})"
    if fault.closed:
        message = (
            f"row {row}: a quoted cell{where} has text after its closing quote ({fault.text!r}): put the "
            'whole cell in quotes and double each quote inside it, as in "12 ""sanctuary"" counties" '
            "(readers of the file take such a cell differently). Its cells are checked once it is fixed"
        )
    else:
        message = (
            f"row {row}: the quote that opens a cell{where} ({fault.text!r}) is never closed, so the rest "
            "of the file was read into that cell: close it, or if the quote is part of the text, put the "
            "whole cell in quotes and double the quote"
        )
    return Finding(
        file=file,
        row=row,
        column=column,
        check="quote-error",
        line=line,
        col=fault.cell + 1 if column else None,
        message=message,
    )


_ENDS = {
    "\n": "a LF (\\n) line end",
    "\r\n": "a CRLF (\\r\\n) line end, as Windows saves",
    "\r": "a bare CR (\\r) line end, as old Macs save",
}


def _line_end_finding(file: str, row: int, line: int, ending: str, first: str) -> Finding:
    """One finding per file, at the first row that ends with a bare \r, or otherwise than the
    first row: \n, or \r\n throughout a file, is the contract's dialect (RFC 4180 allows both)."""
    why = "which no CSV dialect of the contract uses" if ending == "\r" else f"where row 1 ends with {_ENDS[first]}"
    return Finding(
        file=file,
        row=row,
        check="line-ending",
        line=line,
        message=f"row {row} ends with {_ENDS[ending]}, {why}: save {file} with one kind of line end "
        "throughout, \\n (LF) or \\r\\n (CRLF) (a \\r inside a quoted cell is fine)",
    )


def _spans_any(lines: list[int], first: int, last: int) -> bool:
    """Whether any of the sorted `lines` lies in first..last."""
    i = bisect.bisect_left(lines, first)
    return i < len(lines) and lines[i] <= last


def _bad_column(cells: list[str], positions: list[tuple[int, str]]) -> str | None:
    """The schema field of the one cell holding replaced bytes; None if none, several, or unnamed."""
    held = [i for i, value in enumerate(cells) if "\N{REPLACEMENT CHARACTER}" in value]
    if len(held) != 1:
        return None
    return next((f for i, f in positions if i == held[0]), None)


def _shown(label: str, limit: int = 80) -> str:
    """A header label for a message: quoted, shortened like a cell value (see rule.cell)."""
    return repr(_bounded(label, limit))


def _bounded(label: str, limit: int = 80) -> str:
    """A header label as a finding's column: a 50 MB label must not become a 50 MB column."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _check_header(
    labels: list[str], names: list[str], file: str, findings: list[Finding], cap: Cap | None = None
) -> list[tuple[int, str]]:
    """Report header faults; return the cell positions of the schema's fields that are present."""

    def room(code: str) -> bool:
        return cap is None or cap.admit(file, code)

    expected = ", ".join(names)
    seen: dict[str, int] = {}
    positions: list[tuple[int, str]] = []
    for index, label in enumerate(labels):
        number = index + 1
        if not label.strip():
            if room("blank-label"):
                findings.append(
                    Finding(
                        file=file,
                        row=1,
                        column=None,
                        check="blank-label",
                        line=1,
                        message=f"header cell {number} is blank: name it, or delete the column; the columns are {expected}",
                    )
                )
            continue
        if label in seen:
            if room("duplicate-label"):
                findings.append(
                    Finding(
                        file=file,
                        row=1,
                        column=_bounded(label),
                        check="duplicate-label",
                        line=1,
                        message=f"header cell {number} repeats {_shown(label)} (first in cell {seen[label] + 1}): "
                        "delete one of the two columns",
                    )
                )
            continue
        seen[label] = index
        if label not in names:
            if room("extra-label"):
                findings.append(
                    Finding(
                        file=file,
                        row=1,
                        column=_bounded(label),
                        check="extra-label",
                        line=1,
                        message=f"header cell {number} is {_shown(label)}, which the schema does not declare: "
                        f"remove the column or rename it to one of {expected}",
                    )
                )
            continue
        positions.append((index, label))
    for name in names:
        if name not in seen:
            findings.append(
                Finding(
                    file=file,
                    row=1,
                    column=name,
                    check="missing-label",
                    line=1,
                    message=f"the header has no column {_shown(name)}: add it (the columns are {expected})",
                )
            )
    present = [label for label in labels if label in names]
    if len(present) == len(set(present)) and set(present) == set(names) and present != names:
        for index, label in enumerate(labels):
            if index < len(names) and label != names[index] and label in names and room("incorrect-label"):
                findings.append(
                    Finding(
                        file=file,
                        row=1,
                        column=label,
                        check="incorrect-label",
                        line=1,
                        message=f"header cell {index + 1} is {_shown(label)} but the schema puts {_shown(names[index])} there: "
                        f"order the columns as {expected}",
                    )
                )
    return positions
