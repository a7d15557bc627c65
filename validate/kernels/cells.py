"""Per-cell facts of string columns (characters, left as it is by normalise(), begins like a
formula), row-wise substring search, a column's distinct values numbered (for lookups worked out
once per value), and the seeds' space, quote and dash normalising, in one compiled pass each
(validate/kernels/_cells.c); a large CSV's line count and UTF-8 check by polars and Arrow.

At a million claims the check was the sum of some hundred polars passes over columns, and a pass
costs about the same whatever it tests; the C passes replace many of them, and each stays only
where its library equivalent measured too slow for the speed target (docs/performance.md). The
polars expressions are kept here as the reference: they run where the extension is not built (a
machine with no C compiler installs the package without it), tests/kernels/test_cells.py
holds the two to the same answers, and benchmarks/fuzz_cells.py fuzzes the C under ASan and UBSan.
"""

from __future__ import annotations

import secrets
import struct
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import polars as pl

from validate.text.normalise import unchanged_by_normalise

# The version of _cells.c this module speaks (its CELLS_VERSION).
_VERSION = 6
try:
    from validate.kernels import _cells  # type: ignore[attr-defined]
except ImportError:  # built without a C compiler: the polars reference does the same work
    _cells = None
if getattr(_cells, "VERSION", None) != _VERSION:
    # An older build (an editable install not rebuilt after a pull): polars, until reinstalled.
    _cells = None

# A cell a spreadsheet would run as a formula (CWE-1236): = + - @ tab or carriage return.
FORMULA_START = r"^[=+\-@\t\r]"
_NEWEST = pl.CompatLevel.newest()  # Arrow's string views, as polars holds them: no copy
# groups()' hash seed, new in every process: rows in a pull request cannot be made to collide.
_SEED = secrets.randbits(64)


def chars(column: str) -> str:
    """The derived column of `column`'s character counts."""
    return f"_{column}_chars"


def plain(column: str) -> str:
    """The derived column: whether normalise() leaves `column`'s cell as it is."""
    return f"_{column}_plain"


def formula(column: str) -> str:
    """The derived column: whether `column`'s cell begins like a spreadsheet formula."""
    return f"_{column}_formula"


def profile_columns(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """`frame` with chars(), plain() and formula() of each of `columns` that it has and has not
    profiled yet (null where the cell is null)."""
    have = set(frame.columns)  # once: frame.columns is a new list each time, and a schema may add thousands
    todo = [c for c in dict.fromkeys(columns) if c in have and chars(c) not in have]
    if not todo:
        return frame
    if _cells is None:
        return frame.with_columns(e for c in todo for e in reference_profile(c))
    # Two at a time: each pass holds no GIL, and a core streams one column's bytes at some
    # 1.5 GB/s, so the second core takes another (1.45 times the speed of one at a time).
    # The null profiles of this frame's empty columns, by their chunks: made once for all of them,
    # and let go with the frame (a module-wide cache held a million rows' nulls after the check).
    null_profiles: dict[tuple[int, ...], tuple[pl.Series, pl.Series]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        profiles = list(pool.map(partial(_profile, null_profiles=null_profiles), (frame.get_column(c) for c in todo)))
    return pl.concat([frame, *profiles], how="horizontal")


def reference_profile(column: str) -> list[pl.Expr]:
    """The polars expressions of profile_columns: seven passes over the column."""
    col = pl.col(column)
    return [
        col.str.len_chars().cast(pl.Int32).alias(chars(column)),
        unchanged_by_normalise(col).alias(plain(column)),
        col.str.contains(FORMULA_START).alias(formula(column)),
    ]


def _null_profile(lengths: tuple[int, ...]) -> tuple[pl.Series, pl.Series]:
    """The profile of a column of nulls cut into chunks of `lengths`: its character counts and
    its flags, all null."""

    def nulls_of(dtype: type[pl.DataType]) -> pl.Series:
        whole, pieces, at = pl.repeat(None, sum(lengths), dtype=dtype, eager=True), [], 0
        for length in lengths:
            pieces.append(whole.slice(at, length))
            at += length
        return pl.concat(pieces, rechunk=False) if pieces else whole

    return nulls_of(pl.Int32), nulls_of(pl.Boolean)


def _profile(
    series: pl.Series, null_profiles: dict[tuple[int, ...], tuple[pl.Series, pl.Series]] | None = None
) -> pl.DataFrame:
    """profile_columns of one column, chunk by chunk: results cut into the column's own chunks
    keep polars from aligning them by copying (the normalised quotes cost 200 MiB more when
    their column's 250 chunks met results in one)."""
    name = series.name
    nulls = series.null_count()
    if nulls == series.len():
        # A column left empty throughout (at a million claims, six of the claims' columns): its
        # profile is nulls, known without a pass or the 5 bytes a row the pass writes. Cut into
        # the column's chunks, as the pass's results are (see below); made once for columns of
        # the same chunks (a schema may add thousands of empty columns: each took a millisecond).
        lengths = tuple(series.chunk_lengths())
        made = null_profiles if null_profiles is not None else {}
        if lengths not in made:  # two threads may both make one: the same nulls, either kept
            made[lengths] = _null_profile(lengths)
        none, unset = made[lengths]
        return pl.DataFrame([none.alias(chars(name)), unset.alias(plain(name)), unset.alias(formula(name))])
    counts, flags = [], []
    for chunk in _chunks(series):
        size = len(chunk)
        counts.append(bytearray(4 * size))
        flags.append(bytearray(size))
        _cells.profile(_spec(chunk), size, counts[-1], flags[-1])
    flag = _numbers(flags, "uint8")
    profile = pl.DataFrame(
        {
            chars(name): _numbers(counts, "int32"),
            plain(name): (flag & _cells.PLAIN) != 0,
            formula(name): (flag & _cells.FORMULA) != 0,
        }
    )
    # Nulls copied in only where the column has some (the copy is three columns anew).
    return profile.with_columns(pl.when(series.is_not_null()).then(pl.all())) if nulls else profile


def aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every column cut into the chunks of its first (slices, no copy). Polars
    realigns a frame whose columns are chunked apart before each select, copying them: on the
    claims' enriched frame, whose derived columns come in one chunk beside the 63 of Arrow's
    read, the rules selected one at a time took 3.3 CPU seconds in all, and 0.5 aligned."""
    if frame.width == 0:
        return frame
    lengths = frame.to_series(0).chunk_lengths()

    def cut(series: pl.Series) -> pl.Series:
        if series.chunk_lengths() == lengths:
            return series
        whole, pieces, at = series.rechunk(), [], 0
        for length in lengths:
            pieces.append(whole.slice(at, length))
            at += length
        return pl.concat(pieces, rechunk=False)

    return pl.DataFrame([cut(frame.to_series(i)) for i in range(frame.width)])


def contains(hay: pl.Series, needle: pl.Series, order: pl.Series | None = None) -> pl.Series:
    """Whether each row's needle occurs in its haystack (null where either is null), visiting the
    rows in `order` (a permutation of the row numbers) if given."""
    return (locate(hay, needle, order) >= 0).alias(hay.name)


def locate(
    hay: pl.Series, needle: pl.Series, order: pl.Series | None = None, start: pl.Series | None = None
) -> pl.Series:
    """The byte offset of each row's needle in its haystack, at or after the row's `start` (a
    byte offset; 0 if not given), as Python's bytes.find: -1 where it is not found, null where
    either is null. Visits the rows in `order` (a permutation of the row numbers) if given."""
    n = hay.len()
    if _cells is None:
        return reference_locate(hay, needle, start)
    at = bytearray(4 * n)
    spans = _spec(_one_chunk(hay)), _spec(_one_chunk(needle))
    _cells.locate(*spans, n, _int_buffer(order, pl.UInt32), _int_buffer(start, pl.Int32), at)
    codes = _numbers([at], "int32")
    return pl.select(pl.when(codes != _cells.NULL_AT).then(codes)).to_series().alias(hay.name)


def _int_buffer(series: pl.Series | None, dtype: type[pl.DataType]) -> Any:
    """The series' values as one buffer of 4-byte integers (None for None)."""
    if series is None:
        return None
    values = series.cast(dtype).rechunk().to_arrow()
    return values.buffers()[1].slice(4 * values.offset)  # a sliced series keeps its offset


def groups(series: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each row's code (UInt32, null for a null row): its value's number, the distinct values
    numbered 0, 1, ... in the order they first occur; and the row where each value first occurs."""
    if _cells is None:
        return reference_groups(series)
    n = series.len()
    codes = bytearray(4 * n)
    chunks = tuple((_spec(chunk), len(chunk)) for chunk in _chunks(series))
    firsts = _cells.groups(chunks, n, _SEED, codes)
    code = _numbers([codes], "uint32")
    if series.null_count():
        code = pl.select(pl.when(series.is_not_null()).then(code)).to_series()
    return code.alias(series.name), _numbers([bytearray(firsts)], "uint32")


def reference_groups(series: pl.Series) -> tuple[pl.Series, pl.Series]:
    """groups() in polars: the first occurrences, and a join to them."""
    firsts = (series.is_first_distinct() & series.is_not_null()).arg_true()
    numbered = series.gather(firsts).to_frame("value").with_row_index("code")
    joined = series.to_frame("value").join(numbered, on="value", how="left", maintain_order="left")
    return joined.get_column("code").alias(series.name), firsts


def per_distinct(series: pl.Series, work: Callable[[pl.Series], pl.DataFrame]) -> pl.DataFrame:
    """work() done once per distinct value of `series` (given them in the order they first
    occur, it returns one row for each), its rows then given to every row of `series` (null rows
    get nulls): a million value texts are 126,000 distinct ones, a period column a few hundred."""
    codes, firsts = groups(series)
    return work(series.gather(firsts)).select(pl.all().gather(codes))


def file_facts(data: Any) -> tuple[int, bool, bool]:
    """A file's bytes (any buffer, a memory map): its newlines, whether it holds a \r, and
    whether it is UTF-8. Arrow validates the UTF-8 (a shortcut for plain ASCII) and polars counts
    the bytes where they lie, each a vector pass with no copy: 0.07 CPU seconds for 249 MiB, where
    a C pass took 0.01, beside Arrow's parse on the other core (docs/performance.md)."""
    import pyarrow as pa

    buffer = pa.py_buffer(data)
    if buffer.size == 0:
        return 0, False, True
    offsets = pa.py_buffer(struct.pack("<qq", 0, buffer.size))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buffer]).validate(full=True)
        utf8 = True
    except pa.ArrowInvalid:
        utf8 = False
    byte = _bytes(buffer)
    newlines, has_cr = int((byte == 10).sum()), bool((byte == 13).any())
    del byte, buffer  # the memory map can be closed only once nothing holds a view of it
    return newlines, has_cr, utf8


def quotes_enclose_cells(data: Any) -> bool:
    """Whether every double quote of a CSV's bytes (any buffer) opens a quoted cell, closes one, or
    is one of a doubled pair inside one, as RFC 4180 has them; then every CSV reader finds the
    same cells. Counted in order, each odd quote (the 1st, 3rd, ...) must follow a comma, a line
    end, the file's start or a quote, and each even one precede a comma, a line end, the file's
    end or a quote, and their number be even. By induction that is the csv module's state machine:
    an odd quote after a separator opens a cell (nothing quoted is open before it), an even quote
    followed by a quote is half of a doubled pair, and otherwise closes the cell at a separator.

    False where a closing quote is followed by text (`"abc"def`: the csv module, Arrow and
    Frictionless read `abcdef`, DuckDB's reader another file), where a quote is never closed, and
    also for a quote inside an unquoted cell (`ab"c`), which every reader takes as text: the
    exact reader tells these apart (reading/quoting.py). Polars finds the quotes where the bytes
    lie: 0.17 CPU seconds for 260 MiB holding 3 million quotes, beside Arrow's parse."""
    import pyarrow as pa

    buffer = pa.py_buffer(data)
    size = buffer.size
    byte = _bytes(buffer)
    at = byte.eq(ord('"')).arg_true()
    if at.len() % 2:
        return False
    if at.len() == 0:
        return True
    separators = [ord(","), ord("\n"), ord("\r"), ord('"')]
    # Only the byte before each odd quote and after each even one is looked at (half the gathers).
    odd, even = at.gather_every(2), at.gather_every(2, 1)
    opens = byte.gather(odd.clip(1) - 1).is_in(separators) | (odd == 0)
    closes = byte.gather((even + 1).clip(None, size - 1)).is_in(separators) | (even == size - 1)
    del byte, buffer  # the memory map can be closed only once nothing holds a view of it
    return bool(opens.all()) and bool(closes.all())


def holds_newline(data: Any) -> bool:
    """Whether a buffer (a string column's bytes) holds a newline: polars compares the bytes where
    they lie."""
    import pyarrow as pa

    buffer = pa.py_buffer(data)
    found = buffer.size > 0 and bool((_bytes(buffer) == 10).any())
    del buffer
    return found


def _bytes(buffer: Any) -> pl.Series:
    """An Arrow buffer's bytes as a polars UInt8 series, no copy: a Series of the Arrow array takes
    its buffer in microseconds, where a frame's select or from_arrow's rechunk cost some 0.2 ms,
    and the fast reader asks this of every chunk of every column (some 800 at a million claims)."""
    import pyarrow as pa

    return pl.Series("byte", pa.Array.from_buffers(pa.uint8(), buffer.size, [None, buffer]))


def normalise_spaces(texts: pl.Series) -> pl.Series | None:
    """Each text with every run of Unicode White_Space made one space, trimmed, and curly quotes
    and en and em dashes made ASCII (normalise() but for NFKC), in one pass; None without the
    extension."""
    if _cells is None:
        return None
    import pyarrow as pa

    n = texts.len()
    chunk = _one_chunk(texts)
    offsets, data = bytearray(8 * (n + 1)), bytearray(max(1, int(texts.str.len_bytes().cast(pl.UInt64).sum() or 0)))
    used = _cells.normalise_spaces(_spec(chunk), n, offsets, data)
    array = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)[:used]])
    done = pl.from_arrow(array)
    assert isinstance(done, pl.Series)
    return (
        done.alias(texts.name)
        if texts.null_count() == 0
        else pl.select(pl.when(texts.is_not_null()).then(done)).to_series().alias(texts.name)
    )


def reference_locate(hay: pl.Series, needle: pl.Series, start: pl.Series | None = None) -> pl.Series:
    """locate in Python: bytes.find per row (the reference that tests and the fuzzer hold the C to).
    Each distinct haystack is made bytes once: a claim's haystack is its source's whole text,
    which polars holds once for all its claims, and a Python string of it per row took 400 claims
    of a 2 MB seed past a 2 GiB memory cap."""
    codes, firsts = reference_groups(hay)
    distinct = [h.encode() for h in hay.gather(firsts).to_list()]
    starts = start.to_list() if start is not None else [0] * hay.len()
    found = [
        None if c is None or s is None else distinct[c].find(s.encode(), f)
        for c, s, f in zip(codes.to_list(), needle.to_list(), starts, strict=True)
    ]
    return pl.Series(hay.name, found, dtype=pl.Int32)


def _chunks(series: pl.Series) -> list[Any]:
    """The series' Arrow string-view chunks, as polars holds them."""
    return list(series.to_frame().to_arrow(compat_level=_NEWEST).column(0).chunks)


def _one_chunk(series: pl.Series) -> Any:
    """The series as one Arrow string-view array: rechunking views copies 16 bytes per row and
    shares the strings' buffers."""
    (chunk,) = _chunks(series.rechunk())
    return chunk


def _spec(chunk: Any) -> tuple[Any, int, Any, tuple[Any, ...]]:
    """The (validity, bit offset, views, data buffers) tuple of an Arrow string-view chunk."""
    import pyarrow as pa

    if chunk.type != pa.string_view():
        raise TypeError(f"expected Arrow string views, got {chunk.type}")
    validity, views, *data = chunk.buffers()
    views = views.slice(16 * chunk.offset) if views is not None else pa.py_buffer(b"")
    if any(b is None for b in data):
        # Dropping one would shift the index of every later buffer that the views name.
        raise TypeError("an Arrow string-view chunk without one of its data buffers")
    return validity, chunk.offset, views, tuple(data)


def _numbers(chunks: list[bytearray], kind: str) -> pl.Series:
    """The numbers in `chunks` as a polars Series of as many chunks, without a copy (through Arrow)."""
    import pyarrow as pa

    dtype = getattr(pa, kind)()
    arrays = [pa.Array.from_buffers(dtype, len(c) // dtype.byte_width, [None, pa.py_buffer(c)]) for c in chunks]
    series = pl.from_arrow(pa.chunked_array(arrays, type=dtype), rechunk=False)
    assert isinstance(series, pl.Series)
    return series
