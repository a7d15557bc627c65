"""The compiled per-cell passes (validate/_cells.c) give the polars reference's answers, and
refuse buffers that would make them read astray."""

from __future__ import annotations

import random

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validate import cell_scan

_cells = cell_scan._cells

# Text that reaches every branch: ASCII and not, the whitespace normalise() changes, double and
# edge spaces, formula starts, and cells both inline in their view (12 bytes or fewer) and not.
ALPHABET = st.sampled_from([*"ab =+-@\t\r\n\x0b\x0c.,'\"", "é", "\u2019", "\u00a0", "\u3000", "字", "😀"])
# Mostly-plain cells too: a cell that is plain but for one edge space is rare in the full alphabet.
CELLS = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=40), st.text("ab =", max_size=20)), max_size=60)


def test_the_extension_is_built() -> None:
    """The tests and CI install with a C compiler: a silent fall back to polars would hide a
    broken build (and make the check several times slower)."""
    assert _cells is not None


def _reference(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(e for c in frame.columns for e in cell_scan.reference_profile(c))


def _compiled(frame: pl.DataFrame) -> pl.DataFrame:
    profiled = cell_scan.profile_columns(frame, frame.columns)
    return profiled.select(c for c in profiled.columns if c not in frame.columns)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CELLS, st.integers(0, 5), st.integers(1, 4))
def test_profile_agrees_with_polars(cells: list[str | None], skip: int, pieces: int) -> None:
    """In chunks of any size, from any offset (a sliced frame), with or without nulls."""
    series = pl.Series("t", cells, dtype=pl.String)
    cut = [series.slice(i * len(cells) // pieces, len(cells) // pieces + 1) for i in range(pieces)]
    chunked = pl.concat(cut, rechunk=False).slice(skip)
    frame = chunked.to_frame()
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
    out = cell_scan.profile_columns(series.to_frame(), ["t"])
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
@given(PAIRS, st.randoms(use_true_random=False), st.booleans())
def test_contains_agrees_with_polars(
    pairs: list[tuple[str | None, str | None]], rnd: random.Random, ordered: bool
) -> None:
    """Needles at the start, middle and end of their haystacks (the vector scan's last block and
    the byte-wise tail), of 0, 1, 2 and many bytes, not there, or longer than the haystack."""
    hay = pl.Series("h", [h for h, _ in pairs], dtype=pl.String)
    needle = pl.Series("n", [n for _, n in pairs], dtype=pl.String)
    rows = list(range(len(pairs)))
    rnd.shuffle(rows)
    order = pl.Series(rows, dtype=pl.UInt32) if ordered else None
    expected = cell_scan.reference_contains(hay, needle)
    assert cell_scan.contains(hay, needle, order).to_list() == expected.to_list()


def test_contains_finds_a_needle_in_every_position_of_a_long_text() -> None:
    text = "".join(random.Random(7).choice("abcd ") for _ in range(300))
    cases = [(text, text[i : i + k]) for k in (1, 2, 3, 17, 40) for i in range(0, 300 - k + 1)]
    cases += [(text, text[i : i + 5] + "x") for i in range(0, 295)]  # never there
    hay = pl.Series([h for h, _ in cases])
    needle = pl.Series([n for _, n in cases])
    assert cell_scan.contains(hay, needle).to_list() == [n in h for h, n in cases]


def _view_column(length: int, index: int, offset: int, data: bytes) -> tuple[object, int, object, tuple[object, ...]]:
    """A hand-made column of one non-inline view."""
    view = length.to_bytes(4, "little", signed=True) + b"abcd" + index.to_bytes(4, "little", signed=True)
    view += offset.to_bytes(4, "little", signed=True)
    return None, 0, pa.py_buffer(view), (pa.py_buffer(data),)


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
        _cells.contains(bad, _view_column(16, 0, 0, b"y" * 16), 1, None, bytearray(1))


def test_short_buffers_and_bad_orders_are_refused() -> None:
    good = _view_column(16, 0, 0, b"x" * 16)
    with pytest.raises(ValueError, match="views buffer shorter"):
        _cells.profile(good, 2, bytearray(8), bytearray(2))
    with pytest.raises(ValueError, match="output buffer too short"):
        _cells.profile(good, 1, bytearray(3), bytearray(1))
    with pytest.raises(ValueError, match="validity bitmap shorter"):
        _cells.profile((pa.py_buffer(b""), 0, good[2], good[3]), 1, bytearray(4), bytearray(1))
    with pytest.raises(ValueError, match="order names a row past the end"):
        _cells.contains(good, good, 1, pa.py_buffer((1).to_bytes(4, "little")), bytearray(1))
    with pytest.raises(ValueError, match="order shorter"):
        _cells.contains(good, good, 1, pa.py_buffer(b""), bytearray(1))


def test_a_null_row_is_never_read() -> None:
    """A null row's view may hold anything (Arrow leaves it undefined): it is not checked or read."""
    garbage = (-1).to_bytes(4, "little", signed=True) + b"\xff" * 12
    column = (pa.py_buffer(b"\x00"), 0, pa.py_buffer(garbage), ())
    chars, flags = bytearray(4), bytearray(1)
    _cells.profile(column, 1, chars, flags)
    assert chars == bytearray(4) and flags == bytearray(1)
