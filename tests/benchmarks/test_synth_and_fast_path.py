"""The synthetic generator makes valid data (and breaks it as asked); both CSV readers agree."""

from __future__ import annotations

import csv
import io
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from synth import generate

import validate.reading.csv_file as csv_file
from validate import check
from validate.reading.table_schema import TableSchema, load_schema
from validate.rules.claims import _parse_simple
from validate.text.value_text import parse_value_text


def test_generated_data_is_valid(tmp_path: Path) -> None:
    root = generate(tmp_path / "ok", rows=3000, sources=30)
    assert [(f.file, f.row, f.check) for f in check(root)] == []


def test_broken_share_breaks_every_way(tmp_path: Path) -> None:
    root = generate(tmp_path / "broken", rows=3000, sources=30, broken=0.05)
    codes = Counter(f.check for f in check(root))
    for code in [
        "quote-not-in-source", "value-text-not-in-quote", "value-text-mismatch", "constraint-error", "type-error",
        "foreign-key", "period-order", "invalid-date", "formula-injection", "primary-key", "period-incomplete", "blank-row",
    ]:  # fmt: skip
        assert codes[code] > 0, code


@pytest.fixture
def broken_root(tmp_path: Path) -> Path:
    root = generate(tmp_path / "b", rows=2000, sources=20, broken=0.05)
    claims = root / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    # A quoted newline inside a cell shifts physical lines against rows for every later row.
    lines[5] = lines[5].replace(",same,,", ',same,,"two\nlines",', 1).rsplit(",", 1)[0]
    claims.write_text("\n".join(lines), encoding="utf-8")
    return root


def _findings(root: Path) -> list[tuple[str, int | None, int | None, str | None, str, str]]:
    return [(f.file, f.row, f.line, f.column, f.check, f.message) for f in check(root)]


def test_fast_and_exact_readers_agree(broken_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 1 << 62)
    exact = _findings(broken_root)
    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
    calls = []
    original = csv_file._read_clean

    def spy(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        calls.append(result is not None)
        return result

    monkeypatch.setattr(csv_file, "_read_clean", spy)
    fast = _findings(broken_root)
    assert any(calls), "the fast path never ran"
    assert fast == exact
    assert any(check == "blank-row" for *_, check, _ in exact)


def test_fast_path_declines_ragged_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = generate(tmp_path / "r", rows=500, sources=5)
    claims = root / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3] + ",extra"
    claims.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
    assert [(f.row, f.check) for f in check(root)] == [(4, "extra-cell")]


# Where other CSV readers part ways with Python's csv (which decides): DuckDB trims spaces beside a
# quoted cell and drops blank lines; polars reads `"xy"z"w"` as xyzw. Arrow's parser reads them all
# as Python does; the fast path must give exactly the exact reader's findings.
ODD_NOTES = {
    "space before a quote": ' "x"',
    "space after a quote": '"x" ',
    "text after a closing quote": '"xy"z"w"',
    "a stray quote": 'x"y',
}


@pytest.mark.parametrize("note", list(ODD_NOTES.values()), ids=list(ODD_NOTES))
def test_fast_path_reads_odd_quoting_as_python_does(note: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = generate(tmp_path / "q", rows=500, sources=5)
    claims = root / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    assert lines[3].endswith(",same,,")  # the note is the last cell, empty in generated rows
    lines[3] += note
    claims.write_text("\n".join(lines), encoding="utf-8")
    schema = load_schema(root / "schema" / "claims.schema.json")

    def read() -> tuple[list[tuple[object, ...]], list[str | None], list[str]]:
        table = csv_file.read_table(claims, "datasets/claims.csv", "claims", schema)
        return table.frame.rows(), table.frame.get_column("note").to_list(), [f.message for f in table.findings]

    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 1 << 62)
    exact = read()
    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
    assert read() == exact


ABC = TableSchema.model_validate({"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})


def _both_readers(path: Path, block: int, schema: TableSchema = ABC) -> tuple[object, object, list[bool]]:
    """read_table's result with the exact reader and with the fast one (`block`-byte Arrow blocks),
    and whether the fast path took the file."""

    def read() -> object:
        t = csv_file.read_table(path, "t.csv", "t", schema)
        return t.frame.rows(), list(t.rows), list(t.lines), [(f.row, f.line, f.check, f.message) for f in t.findings]

    took: list[bool] = []
    original = csv_file._read_clean

    def spy(*args: Any) -> csv_file.Table | None:
        table = original(*args)
        took.append(table is not None)
        return table

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(csv_file, "FAST_PATH_MIN_BYTES", 1 << 62)
        exact = read()
        mp.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
        mp.setattr(csv_file, "ARROW_BLOCK_BYTES", block)
        mp.setattr(csv_file, "_read_clean", spy)
        fast = read()
    return exact, fast, took


_CELL = st.text(alphabet='ab,"\n é', max_size=6)
# A cell written quoted as csv.writer would, or raw, so that the body holds every odd quoting.
_WRITTEN = st.one_of(_CELL, _CELL.map(lambda c: '"' + c.replace('"', '""') + '"'))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # Mostly records of the header's width, which the fast path reads rather than declines.
    rows=st.lists(
        st.one_of(*[st.lists(_WRITTEN, min_size=3, max_size=3)] * 3, st.lists(_WRITTEN, max_size=4)), max_size=12
    ),
    end=st.sampled_from(["", "\n", "\n\n"]),
    block=st.sampled_from([16, 64, 1 << 20]),
)
# Found by this test, both with a cut inside a quoted cell and no error from Arrow. First: Arrow
# skipped the record's first line and read the rest as a record of the right width (the line
# count refuses it). Then (in CI): Arrow ended the record at the cut, the cut's newline in its
# cell, and read on from there, as many records as lines (the search for newlines refuses it).
@example(rows=[['"aaa\na"""', ","]], end="", block=16)
@example(rows=[["", "aaé", '"aaa'], ["", "", ""]], end="", block=16)
def test_fast_path_reads_any_body_as_python_does(rows: list[list[str]], end: str, block: int) -> None:
    # Small blocks make Arrow cut inside quoted cells; whatever it does, the result is Python's.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(("a,b,c\n" + "\n".join(",".join(r) for r in rows) + end).encode())
        exact, fast, _ = _both_readers(path, block)
    assert fast == exact


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=15),
    bad=st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x80", b"\x80"]),
    at=st.integers(0, 10**6),
    block=st.sampled_from([16, 1 << 20]),
)
def test_a_file_not_utf8_gets_the_exact_readers_findings(
    rows: list[list[str]], bad: bytes, at: int, block: int
) -> None:
    # The file is checked once as its lines are counted, and Arrow checks each cell as it parses:
    # bytes that are not UTF-8, anywhere, must send the file to the exact reader.
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["a", "b", "c"], *rows])
    data = out.getvalue().encode()
    i = len(b"a,b,c\n") + at % (len(data) - len(b"a,b,c\n") + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data[:i] + bad + data[i:])
        exact, fast, took = _both_readers(path, block)
    assert took == [False]
    assert fast == exact


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=15),
    change=st.none() | st.tuples(st.sampled_from(['drop a "', 'add a "', "add a newline"]), st.integers(0, 10**6)),
    block=st.sampled_from([8, 16, 32, 64, 1 << 20]),
    last_newline=st.booleans(),
)
# The bug the search for newlines fixed, in a file csv.writer wrote: a quoted newline in the last
# record, at a cut, and no newline at the end.
@example(rows=[["", "", ""]] * 3 + [["", "", "\n,,"]], change=None, block=8, last_newline=False)
def test_fast_path_reads_written_csv_and_one_change_as_python_does(
    rows: list[list[str]], change: tuple[str, int] | None, block: int, last_newline: bool
) -> None:
    # Well-formed files, as csv.writer quotes them, which the fast path mostly takes: quoted
    # newlines across block cuts. One change at most, so that a quote may run on to the end.
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["a", "b", "c"], *rows])
    text = out.getvalue() if last_newline else out.getvalue()[:-1]
    if change is not None:
        kind, at = change
        quotes = [i for i, ch in enumerate(text) if ch == '"']
        if kind == 'drop a "' and quotes:
            i = quotes[at % len(quotes)]
            text = text[:i] + text[i + 1 :]
        elif kind != 'drop a "':
            i = at % (len(text) + 1)
            text = text[:i] + ('"' if kind == 'add a "' else "\n") + text[i:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode())
        exact, fast, _ = _both_readers(path, block)
    assert fast == exact


def test_a_quoted_newline_at_a_cut_is_seen(tmp_path: Path) -> None:
    """Arrow's first reading ends the record at the cut, with as many records as lines: only the
    search of its cells for a newline sends the file to the quote-aware reading."""
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b,c\n,,\n,,\n,,\n,,"\n,,"')
    exact, fast, _ = _both_readers(path, 8)
    assert fast == exact


@pytest.mark.parametrize("missing", [[""], ["", "NA"], ["NA"], []], ids=["empty", "empty-and-NA", "NA", "none"])
def test_fast_path_reads_missing_values_as_the_exact_reader(missing: list[str], tmp_path: Path) -> None:
    # Arrow makes empty cells null only when the schema counts them missing; other missing
    # values are made null after, and a blank row is one of empty cells whatever is missing.
    path = tmp_path / "t.csv"
    path.write_text('a,b,c\nx,,NA\n,,\nNA,NA,NA\n"",y,""\n', encoding="utf-8")
    schema = ABC.model_copy(update={"missing_values": missing})
    exact, fast, took = _both_readers(path, 1 << 20, schema)
    assert took == [True]
    assert fast == exact


def test_fast_path_rereads_a_quoted_newline_across_blocks(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    body = "".join(f'{i},"line one\nline two\nline three",x\n' for i in range(40))
    path.write_text("a,b,c\n" + body, encoding="utf-8")
    exact, fast, took = _both_readers(path, 64)
    assert took == [True]
    assert fast == exact


@pytest.mark.parametrize("header", ["x,y,z", "A,B,C", "a,y,z", ",,"], ids=["none", "case", "one", "blank"])
def test_fast_path_reads_a_header_of_other_labels_as_the_exact_reader(header: str, tmp_path: Path) -> None:
    # With no label of the schema in the header, every column is made empty: as many rows as
    # the file has, not the one row that a select of constants gives.
    path = tmp_path / "t.csv"
    path.write_text(header + "\n" + "".join(f"{i},v{i},w\n" for i in range(50)) + ",,\n", encoding="utf-8")
    exact, fast, took = _both_readers(path, 1 << 20)
    assert took == [True]
    assert fast == exact


def test_fast_path_table_outlives_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The table must own its bytes (were it ever read from a memory map, it would not), so that
    # a file rewritten or truncated during a check neither changes the cells read nor crashes the
    # process (a mapped page past a truncated end is a SIGBUS).
    monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
    path = tmp_path / "t.csv"
    body = "".join(f"{i},cell {i} of a row long enough to live outside Arrow's inline views,z\n" for i in range(20000))
    path.write_text("a,b,c\n" + body, encoding="utf-8")
    table = csv_file.read_table(path, "t.csv", "t", ABC)
    assert isinstance(table.rows, pl.Series)  # the fast path took it
    path.write_bytes(b"")
    path.write_bytes(b"x" * len(body))
    assert table.frame.get_column("b").to_list() == [
        f"cell {i} of a row long enough to live outside Arrow's inline views" for i in range(20000)
    ]


@pytest.mark.parametrize(
    "text",
    ["more than 29,269", "2.4 million", "1.4 percent", "70%", "approximately 832,000", "675", "More than 5",
     "no more than 5", "16 billion", "nearly 4.5%", "007", "at least 300,000", "over 1,000", "fewer than 12"],
)  # fmt: skip
def test_vectorised_reading_matches_python(text: str) -> None:
    simple, rest = _parse_simple(pl.Series([text]))
    assert rest.len() == 0
    (_, qualifier, value, kind, error) = simple.row(0)
    parsed = parse_value_text(text)
    assert (qualifier, kind, error) == (parsed.qualifier, parsed.kind, None)
    assert value == pytest.approx(parsed.value, rel=1e-12)


def test_bytes_not_utf8_reach_the_exact_reader(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b,c\n" + b"x,y,z\n" * 50 + b"x,\xe2\x80,z\n" + b"x,y,z\n" * 50)
    exact, fast, took = _both_readers(path, 64)
    assert took == [False]
    assert fast == exact


def test_a_file_changed_after_its_scan_still_reaches_the_exact_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The scan and Arrow read the file apart: were bytes not UTF-8 written between the two,
    # Arrow's check of each cell as it parses still refuses them before polars takes them.
    path = tmp_path / "t.csv"
    good = b"a,b,c\n" + b"x,y,z\n" * 100
    path.write_bytes(good[:-4] + b"\xff,z\n")
    monkeypatch.setattr(csv_file, "_plain_lines", lambda _path: good.count(b"\n"))
    exact, fast, took = _both_readers(path, 64)
    assert took == [False]
    assert fast == exact
