"""The compiled per-cell passes (validate/kernels/_cells.c) give the polars reference's answers and
refuse buffers that would make them read astray; a file's facts, by polars and Arrow, are Python's,
and Arrow checks each cell's UTF-8 as the fast reader parses."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roots import needs_c_kernels
from rules.test_rules import CASES, same_findings_with

from validate.kernels import cells as cell_kernels

_cells = cell_kernels._cells

# Text that reaches every branch: ASCII and not, the whitespace normalise() changes, double and
# edge spaces, formula starts, and cells both inline in their view (12 bytes or fewer) and not.
ALPHABET = st.sampled_from([*"ab =+-@\t\r\n\x0b\x0c.,'\"", "é", "\u2019", "\u00a0", "\u3000", "字", "😀"])
# Mostly-plain cells too: a cell that is plain but for one edge space is rare in the full alphabet.
CELLS = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=40), st.text("ab =", max_size=20)), max_size=60)


@needs_c_kernels
def test_the_extension_is_built() -> None:
    """The tests and CI install with a C compiler: a silent fall back to polars would hide a
    broken build (and make the check several times slower)."""
    assert _cells is not None


def _reference(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(e for c in frame.columns for e in cell_kernels.reference_profile(c))


def _compiled(frame: pl.DataFrame) -> pl.DataFrame:
    profiled = cell_kernels.profile_columns(frame, frame.columns)
    return profiled.select(c for c in profiled.columns if c not in frame.columns)


def _chunked(cells: list[str | None], skip: int, pieces: int) -> pl.Series:
    """The cells as a column of `pieces` chunks (overlapping slices of them), less its first
    `skip` rows: chunk and slice offsets a pass must follow."""
    series = pl.Series("t", cells, dtype=pl.String)
    cut = [series.slice(i * len(cells) // pieces, len(cells) // pieces + 1) for i in range(pieces)]
    return pl.concat(cut, rechunk=False).slice(skip)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CELLS, st.integers(0, 5), st.integers(1, 4))
def test_profile_agrees_with_polars(cells: list[str | None], skip: int, pieces: int) -> None:
    """In chunks of any size, from any offset (a sliced frame), with or without nulls."""
    frame = _chunked(cells, skip, pieces).to_frame()
    assert _compiled(frame).equals(_reference(frame))


def test_profile_of_known_cells() -> None:
    frame = pl.DataFrame({"t": ["plain text", " edge", "edge ", "two  spaces", "tab\there", "é", "=SUM(A1)", None, ""]})
    out = _compiled(frame)
    assert out.get_column("_t_chars").to_list() == [10, 5, 5, 11, 8, 1, 8, None, 0]
    assert out.get_column("_t_plain").to_list() == [True, False, False, False, False, False, True, None, True]
    assert out.get_column("_t_formula").to_list() == [False, False, False, False, False, False, True, None, False]


def test_profile_keeps_the_columns_chunks() -> None:
    """Results in one chunk beside a column of many made polars copy every string to align them."""
    series = pl.concat([pl.Series("t", ["a" * 20] * 5)] * 3, rechunk=False)
    out = cell_kernels.profile_columns(series.to_frame(), ["t"])
    assert out.get_column("_t_chars").n_chunks() == series.n_chunks() == 3


def _pairs(draw: st.DrawFn) -> tuple[str | None, str | None]:
    hay = draw(st.one_of(st.none(), st.text(ALPHABET, max_size=120)))
    kind = draw(st.sampled_from(["part", "other", "none", "longer"]))
    if kind == "none" or hay is None:
        return hay, draw(st.one_of(st.none(), st.text(ALPHABET, max_size=5)))
    if kind == "part" and hay:
        start = draw(st.integers(0, len(hay) - 1))
        return hay, hay[start : draw(st.integers(start, len(hay)))]
    if kind == "longer":
        return hay, hay + draw(st.text(ALPHABET, min_size=1, max_size=3))
    return hay, draw(st.text(ALPHABET, max_size=40))


PAIRS = st.lists(st.composite(_pairs)(), max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAIRS, st.randoms(use_true_random=False), st.booleans(), st.booleans())
def test_locate_agrees_with_python(
    pairs: list[tuple[str | None, str | None]], rnd: random.Random, ordered: bool, from_start: bool
) -> None:
    """Needles at the start, middle and end of their haystacks (the vector scan's last block and
    the byte-wise tail), of 0, 1, 2 and many bytes, not there, or longer than the haystack; from
    the start, or from a random byte offset (past the end too)."""
    hay = pl.Series("h", [h for h, _ in pairs], dtype=pl.String)
    needle = pl.Series("n", [n for _, n in pairs], dtype=pl.String)
    rows = list(range(len(pairs)))
    rnd.shuffle(rows)
    order = pl.Series(rows, dtype=pl.UInt32) if ordered else None
    start = None
    if from_start:
        start = pl.Series([rnd.randint(0, len((h or "").encode()) + 2) for h, _ in pairs], dtype=pl.Int32)
    expected = cell_kernels.reference_locate(hay, needle, start)
    assert cell_kernels.locate(hay, needle, order, start).to_list() == expected.to_list()
    found = [None if at is None else at >= 0 for at in cell_kernels.reference_locate(hay, needle).to_list()]
    assert cell_kernels.contains(hay, needle, order).to_list() == found


@pytest.mark.parametrize("tail", [32, 33, 47])  # the vector scan's blocks end at different places
def test_a_needle_built_to_match_its_ends_everywhere_is_found_in_linear_time(tail: int) -> None:
    """ "aaa...ab...a" against megabytes of "a": every position matches the needle's first and last
    byte, and each candidate costs a comparison of its length; past a budget the search finishes
    two-way (memmem). The answers are bytes.find's wherever the budget runs out: before the
    match, after it, in the byte-wise tail, or never."""
    needle = "a" * 999 + "b" + "a" * 1000
    lead = "a" * 300_000
    hays = [
        lead + needle + "a" * tail,  # found after the budget ran out
        "a" * 5 + needle + lead,  # found before it did
        lead + "b" + "a" * tail,  # never there
        lead,  # never there, no b at all
        lead[: tail + 1000] + needle,  # found in the last block and the tail
    ]
    hay = pl.Series("h", hays)
    needles = pl.Series("n", [needle] * len(hays))
    expected = cell_kernels.reference_locate(hay, needles)
    assert cell_kernels.locate(hay, needles).to_list() == expected.to_list()
    start = pl.Series([400_000, 1, 0, 17, 3], dtype=pl.Int32)
    assert (
        cell_kernels.locate(hay, needles, None, start).to_list()
        == cell_kernels.reference_locate(hay, needles, start).to_list()
    )


def test_the_reference_is_bytes_find() -> None:
    hay = pl.Series(["éé abc abc", "abc", "abc", None])
    needle = pl.Series(["abc", "", "", "a"])
    assert cell_kernels.reference_locate(hay, needle, pl.Series([6, 3, 4, 0])).to_list() == [9, 3, -1, None]


def test_locate_finds_a_needle_in_every_position_of_a_long_text() -> None:
    text = "".join(random.Random(7).choice("abcd ") for _ in range(300))
    cases = [(text, text[i : i + k], i) for k in (1, 2, 3, 17, 40) for i in range(0, 300 - k + 1)]
    cases += [(text, text[i : i + 5] + "x", 0) for i in range(0, 295)]  # never there
    hay = pl.Series([h for h, _, _ in cases])
    needle = pl.Series([n for _, n, _ in cases])
    assert cell_kernels.locate(hay, needle).to_list() == [h.find(n) for h, n, _ in cases]
    # From the place it was taken from, each is found there; from one past it, further on or not at all.
    start = pl.Series([i for _, _, i in cases], dtype=pl.Int32)
    assert cell_kernels.locate(hay, needle, start=start).to_list() == [h.find(n, i) for h, n, i in cases]
    after = pl.Series([i + 1 for _, _, i in cases], dtype=pl.Int32)
    assert cell_kernels.locate(hay, needle, start=after).to_list() == [h.find(n, i + 1) for h, n, i in cases]


def _view_column(length: int, index: int, offset: int, data: bytes) -> tuple[object, int, object, tuple[object, ...]]:
    """A hand-made column of one non-inline view."""
    view = length.to_bytes(4, "little", signed=True) + b"abcd" + index.to_bytes(4, "little", signed=True)
    view += offset.to_bytes(4, "little", signed=True)
    return None, 0, pa.py_buffer(view), (pa.py_buffer(data),)


@needs_c_kernels
@pytest.mark.parametrize(
    ("length", "index", "offset", "message"),
    [
        (20, 0, 0, "outside its data buffers"),  # 20 bytes in a buffer of 16
        (16, 1, 0, "outside its data buffers"),  # no buffer 1
        (16, -1, 0, "outside its data buffers"),
        (8, 0, 9, "outside its data buffers"),
        (-3, 0, 0, "negative length"),
    ],
)
def test_a_view_pointing_astray_is_refused(length: int, index: int, offset: int, message: str) -> None:
    bad = _view_column(length, index, offset, b"x" * 16)
    if length == 8:  # inline views are not bounds-checked; make it long enough to point somewhere
        bad = _view_column(13, index, offset, b"x" * 16)
    with pytest.raises(ValueError, match=message):
        _cells.profile(bad, 1, bytearray(4), bytearray(1))
    with pytest.raises(ValueError, match=message):
        _cells.locate(bad, _view_column(16, 0, 0, b"y" * 16), 1, None, None, bytearray(4))


@needs_c_kernels
def test_short_buffers_and_bad_orders_are_refused() -> None:
    good = _view_column(16, 0, 0, b"x" * 16)
    with pytest.raises(ValueError, match="views buffer shorter"):
        _cells.profile(good, 2, bytearray(8), bytearray(2))
    with pytest.raises(ValueError, match="output buffer too short"):
        _cells.profile(good, 1, bytearray(3), bytearray(1))
    with pytest.raises(ValueError, match="validity bitmap shorter"):
        _cells.profile((pa.py_buffer(b""), 0, good[2], good[3]), 1, bytearray(4), bytearray(1))
    with pytest.raises(ValueError, match="order names a row past the end"):
        _cells.locate(good, good, 1, pa.py_buffer((1).to_bytes(4, "little")), None, bytearray(4))
    with pytest.raises(ValueError, match="order shorter"):
        _cells.locate(good, good, 1, pa.py_buffer(b""), None, bytearray(4))
    with pytest.raises(ValueError, match="start shorter"):
        _cells.locate(good, good, 1, None, pa.py_buffer(b""), bytearray(4))
    with pytest.raises(ValueError, match="a negative start"):
        _cells.locate(good, good, 1, None, pa.py_buffer((-1).to_bytes(4, "little", signed=True)), bytearray(4))
    with pytest.raises(ValueError, match="output buffer too short"):
        _cells.locate(good, good, 1, None, None, bytearray(3))


@needs_c_kernels
def test_a_null_row_is_never_read() -> None:
    """A null row's view may hold anything (Arrow leaves it undefined): it is not checked or read."""
    garbage = (-1).to_bytes(4, "little", signed=True) + b"\xff" * 12
    column = (pa.py_buffer(b"\x00"), 0, pa.py_buffer(garbage), ())
    chars, flags = bytearray(4), bytearray(1)
    _cells.profile(column, 1, chars, flags)
    assert chars == bytearray(4) and flags == bytearray(1)


# Byte sequences at the edges of UTF-8 (the Unicode Standard's Table 3-7): overlong forms,
# surrogates, past U+10FFFF, stray continuation bytes, truncated sequences, and good ones.
EDGES = [
    b"\xc0\xaf", b"\xc1\xbf", b"\xc2\x80", b"\xdf\xbf", b"\xe0\x9f\xbf", b"\xe0\xa0\x80", b"\xed\x9f\xbf",
    b"\xed\xa0\x80", b"\xef\xbf\xbf", b"\xf0\x8f\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf",
    b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff", b"\x80", b"\xbf", b"\xe2\x80", b"\xf0\x9f\x98", b"\xe2\x80\x99",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    # Mostly valid text around the edges: random bytes are nearly always invalid, hiding an edge.
    st.lists(
        st.one_of(
            st.text(max_size=20).map(str.encode),
            st.sampled_from(EDGES),
            st.sampled_from([b"\n", b"\r", b"a" * 70]),
            st.binary(max_size=3),
        ),
        max_size=30,
    ),
    st.integers(0, 9000),
)
def test_file_facts_are_pythons(pieces: list[bytes], pad: int) -> None:
    """Newlines, \\r and UTF-8 as Python sees them, at any length: the padding puts the edges on
    either side of the blocks that the ASCII shortcut of UTF-8 validation skips whole."""
    data = b"x" * pad + b"".join(pieces)
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    assert cell_kernels.file_facts(data) == (data.count(b"\n"), b"\r" in data, utf8)


@pytest.mark.parametrize("edge", EDGES, ids=[e.hex() for e in EDGES])
@pytest.mark.parametrize("pad", [0, 31, 8160])
def test_each_edge_of_utf8_alone(edge: bytes, pad: int) -> None:
    """Each edge sequence with nothing else wrong around it, at the start, across a block of the
    ASCII shortcut, and far into the buffer."""
    data = b"a" * pad + edge + b"\n"
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    assert cell_kernels.file_facts(data) == (1, False, utf8)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_sequence_cut_by_the_buffers_end_is_not_utf8(cut: int) -> None:
    """The buffer ends inside a sequence whose bytes go on in memory: they must not be read."""
    whole = b"a" * 40 + "😀".encode() + b"\n"
    assert cell_kernels.file_facts(memoryview(whole)[: 40 + cut]) == (0, False, False)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES if not c.bug])
def test_every_fault_gets_the_same_findings_without_the_extension(
    case: object, make_root: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine with no C compiler runs the polars reference: the same findings, row for row."""
    same_findings_with(case, make_root, monkeypatch, cell_kernels, "_cells", None)  # type: ignore[arg-type]


def test_arrow_checks_each_cells_utf8_and_refuses_a_sequence_cut_between_cells() -> None:
    """The fast reader leaves the check of each cell to Arrow's CSV reader, with the options it
    reads with: two cells that are UTF-8 only together are refused, as the exact reader would name
    them (the bytes a file is scanned on first are not those Arrow reads, if it changed between)."""
    import pyarrow.csv as pa_csv

    convert = pa_csv.ConvertOptions(check_utf8=True, column_types={"h": pa.string()})
    with pytest.raises(pa.ArrowInvalid, match="UTF8"):
        pa_csv.read_csv(io.BytesIO(b"h\na\xe2\n\x82\xac\n"), convert_options=convert)
    assert pa_csv.read_csv(io.BytesIO("h\na€\n".encode()), convert_options=convert).num_rows == 1


@needs_c_kernels
def test_inputs_that_could_make_a_pass_read_astray_are_refused() -> None:
    good = _view_column(16, 0, 0, b"x" * 16)
    with pytest.raises(ValueError, match="bit offset too large"):
        _cells.profile((b"\xff", 2**63 - 4, good[2], good[3]), 1, bytearray(4), bytearray(1))
    views = bytearray(good[2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="overlaps an input"):
        _cells.profile((None, 0, views, good[3]), 1, bytearray(4), views)
    with pytest.raises(ValueError, match="not aligned"):
        _cells.profile(good, 1, memoryview(bytearray(8))[1:5], bytearray(1))
    with pytest.raises(ValueError, match="order names a row twice"):
        two = (None, 0, pa.py_buffer(bytes(good[2]) * 2), good[3])  # type: ignore[arg-type]
        _cells.locate(two, two, 2, pa.py_buffer(b"\x00\x00\x00\x00" * 2), None, bytearray(8))


def test_contains_follows_a_sliced_order() -> None:
    hay, needle = pl.Series(["ab", "cd", "ef"]), pl.Series(["a", "c", "e"])
    order = pl.Series([2, 2, 1, 0], dtype=pl.UInt32).slice(1)
    assert cell_kernels.contains(hay, needle, order).to_list() == [True, True, True]


@needs_c_kernels
def test_an_extension_of_another_version_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editable install not rebuilt after a pull holds an older _cells: polars takes over."""
    import importlib

    assert _cells.VERSION == cell_kernels._VERSION
    try:
        monkeypatch.setattr(_cells, "VERSION", cell_kernels._VERSION - 1)
        assert importlib.reload(cell_kernels)._cells is None
    finally:
        monkeypatch.undo()
        importlib.reload(cell_kernels)
    assert cell_kernels._cells is not None


# Values that repeat, that share their first 12 bytes (the part compared as two words) and differ
# after, and that sit on both sides of the 12 bytes a view holds inline.
GROUPED = st.lists(
    st.one_of(
        st.none(), st.text("ab", max_size=3), st.text("ab", min_size=11, max_size=16), st.text(ALPHABET, max_size=30)
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GROUPED, st.integers(0, 5), st.integers(1, 4))
def test_groups_agree_with_polars(cells: list[str | None], skip: int, pieces: int) -> None:
    """Codes numbered in order of first occurrence, in chunks of any size, from any offset."""
    chunked = _chunked(cells, skip, pieces)
    codes, firsts = cell_kernels.groups(chunked)
    want_codes, want_firsts = cell_kernels.reference_groups(chunked)
    assert codes.to_list() == want_codes.to_list()
    assert firsts.to_list() == want_firsts.to_list()


def test_groups_tell_apart_values_alike_in_their_first_twelve_bytes() -> None:
    series = pl.Series(["0123456789abX", "0123456789abY", "0123456789abX", "0123456789ab", "0123456789ab"])
    codes, firsts = cell_kernels.groups(series)
    assert codes.to_list() == [0, 1, 0, 2, 2]
    assert firsts.to_list() == [0, 1, 3]


def test_groups_of_many_values_grow_the_table_and_keep_every_value() -> None:
    """Past the first 1,024 slots and 4 KiB of kept bytes, each value still gets its own code."""
    values = [f"a value long enough to be kept apart, number {i}" for i in range(5000)]
    series = pl.Series(values * 3)
    codes, firsts = cell_kernels.groups(series)
    assert codes.to_list() == list(range(5000)) * 3
    assert firsts.to_list() == list(range(5000))


def test_per_distinct_works_once_per_value_and_gives_nulls_to_null_rows() -> None:
    seen: list[list[str]] = []

    def work(values: pl.Series) -> pl.DataFrame:
        seen.append(values.to_list())
        return pl.DataFrame({"length": values.str.len_chars()})

    out = cell_kernels.per_distinct(pl.Series(["bb", None, "a", "bb", "a"]), work)
    assert seen == [["bb", "a"]]
    assert out.get_column("length").to_list() == [2, None, 1, 2, 1]


@needs_c_kernels
def test_groups_refuse_buffers_that_could_make_them_write_or_read_astray() -> None:
    good = _view_column(16, 0, 0, b"x" * 16)
    with pytest.raises(ValueError, match="codes buffer too short or not aligned"):
        _cells.groups(((good, 1),), 1, 0, bytearray(3))
    with pytest.raises(ValueError, match="codes buffer too short or not aligned"):
        _cells.groups(((good, 1),), 1, 0, memoryview(bytearray(8))[1:5])
    views = bytearray(good[2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="overlaps an input"):
        _cells.groups((((None, 0, views, good[3]), 1),), 1, 0, views)
    with pytest.raises(ValueError, match="chunks longer than the rows"):
        _cells.groups(((good, 1), (good, 1)), 1, 0, bytearray(8))
    with pytest.raises(ValueError, match="chunks shorter than the rows"):
        _cells.groups(((good, 1),), 2, 0, bytearray(8))
    with pytest.raises(ValueError, match="outside its data buffers"):
        _cells.groups(((good, 1), (_view_column(20, 0, 0, b"x" * 16), 1)), 2, 0, bytearray(8))
    with pytest.raises(ValueError, match="too many rows"):
        _cells.groups((), 2**32, 0, bytearray(0))


def test_groups_compare_the_bytes_of_values_whose_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    """300,000 values of one length and first 12 bytes: some pairs share the table's 32-bit hash
    (about ten, by the birthday bound), and only their remaining bytes tell them apart."""
    monkeypatch.setattr(cell_kernels, "_SEED", 12345)
    values = pl.Series([f"0123456789ab{i:08d}" for i in range(300_000)])
    codes, firsts = cell_kernels.groups(values)
    assert firsts.len() == 300_000
    assert codes.equals(pl.Series(range(300_000), dtype=pl.UInt32), check_names=False)


def test_aligned_cuts_every_column_into_the_first_ones_chunks() -> None:
    first = pl.concat([pl.Series("a", [1, 2]), pl.Series("a", [3]), pl.Series("a", [4, 5, 6])], rechunk=False)
    one = pl.Series("b", ["u", "v", "w", "x", "y", "z"])
    other = pl.concat([pl.Series("c", [None, "p", "q"]), pl.Series("c", ["r", "s", None])], rechunk=False)
    frame = pl.DataFrame([first, one, other])
    out = cell_kernels.aligned(frame)
    assert [out.get_column(c).chunk_lengths() for c in out.columns] == [[2, 1, 3]] * 3
    assert out.equals(frame)
    assert cell_kernels.aligned(pl.DataFrame()).width == 0
