"""A quoted cell ends at its closing quote: the exact reader's record scan (reading/quoting.py)
and the fast reader's whole-file scan (kernels.cells.quotes_enclose_cells) against the csv module."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validate.kernels.cells import quotes_enclose_cells
from validate.reading.quoting import QuoteFault, quote_fault

# Texts of the characters that matter to quoting, so that faults are common.
texts = st.text(alphabet='ab",\n\r', max_size=24)


def _strict_fault(text: str) -> bool:
    """Whether the csv module in strict mode refuses `text` (text after a closing quote, or a
    quote never closed)."""
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return True
    return False


def _records(text: str) -> list[str]:
    """Each record's text, as the lenient csv module splits them (as the exact reader does)."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(iter(lines), strict=False)
    out, last = [], 0
    for _ in reader:
        out.append("".join(lines[last : reader.line_num]))
        last = reader.line_num
    return out


def _rfc_quoted(text: str) -> bool:
    """RFC 4180's quoting, by a character state machine: a quote only opens a cell at its start,
    and closes it before a comma, a line end or the end; a quote inside a quoted cell is doubled."""
    state = "start"  # start of a cell, in an unquoted cell, in a quoted one, or just after a quote in one
    for char in text:
        if state == "quote":
            if char == '"':
                state = "quoted"
                continue
            if char not in ",\r\n":
                return False
            state = "start"
        if state == "quoted":
            state = "quote" if char == '"' else "quoted"
        elif char in ",\r\n":
            state = "start"
        elif char == '"':
            if state != "start":
                return False  # a quote inside an unquoted cell
            state = "quoted"
        else:
            state = "plain"
    return state != "quoted"


@pytest.mark.parametrize(
    ("record", "fault"),
    [
        ('a,"abc"def,x\n', QuoteFault(1, closed=True, text='"abc"def')),
        ('"a""b"x\n', QuoteFault(0, closed=True, text='"a""b"x')),
        ('x,"" ,y\n', QuoteFault(1, closed=True, text='"" ')),
        ('1,"abc\n\ndef', QuoteFault(1, closed=False, text='"abc\n\ndef')),
        ('"ok","fine, yes",""\n', None),
        ('1,12" of rain,y\n', None),  # a quote inside an unquoted cell is text to every reader
        ('"two\nlines",x\r\n', None),
    ],
)
def test_a_record_s_quoting_fault_names_its_cell(record: str, fault: QuoteFault | None) -> None:
    assert quote_fault(record) == fault


def test_the_fault_is_shown_around_its_closing_quote() -> None:
    fault = quote_fault('"' + "a" * 40 + '"' + "b" * 40 + ",z\n")
    assert fault is not None
    assert fault.text == "…" + "a" * 11 + '"' + "b" * 12 + "…"


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_a_record_scan_finds_what_the_strict_csv_module_refuses(text: str) -> None:
    faults = [quote_fault(record) for record in _records(text)]
    assert any(f is not None for f in faults) == _strict_fault(text)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_the_whole_file_scan_clears_exactly_rfc_quoting(text: str) -> None:
    assert quotes_enclose_cells(text.encode()) == _rfc_quoted(text)


@given(texts)
def test_what_the_whole_file_scan_clears_has_no_fault(text: str) -> None:
    if quotes_enclose_cells(text.encode()):
        assert not _strict_fault(text)
