"""Finds, in one CSV record, a quoted cell that does not end at its closing quote.

The contract's dialect quotes a cell with double quotes around the whole of it (RFC 4180). The
csv module, Arrow and Frictionless read `"abc"def` as `abcdef`, and take an unclosed quote as
opening a cell that runs to the end of the file; DuckDB's CSV reader reads such a file otherwise
(it drops rows, or fails to find the dialect). So a quote that does not enclose a cell is a
finding, before any reader of the published package can disagree with the check about a cell.

A quote inside an unquoted cell (`12" of rain`) is text to every one of those readers, and stays
allowed. The fast reader's scan of the whole file (kernels.cells.quotes_enclose_cells) cannot
tell it apart from a fault, and leaves such a file to the exact reader; this module can, one
record at a time, and the exact reader asks it of each record that holds a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A quoted cell: its quotes, and between them anything but a quote, or a doubled quote.
# Possessive: a cell never closed fails in one pass, where backtracking would be quadratic.
_QUOTED = re.compile(r'"(?:[^"]++|"")*+"')
# An unquoted cell runs to a comma or a line end; a quote inside it is text.
_UNQUOTED = re.compile(r"[^,\r\n]*+")


@dataclass(frozen=True)
class QuoteFault:
    """Where a record's quoting breaks: the cell (0-based), and the text from that cell's start
    to just past the fault (its closing quote and what follows it, or the unclosed cell's start)."""

    cell: int
    closed: bool
    text: str


def quote_fault(record: str, context: int = 12) -> QuoteFault | None:
    """The first quoted cell of `record` (one record's text, as the csv module split it, with its
    line end) that does not end at its closing quote, or that is never closed; None if none."""
    at, cell, end = 0, 0, len(record)
    while True:
        if record.startswith('"', at):
            quoted = _QUOTED.match(record, at)
            if quoted is None:
                return QuoteFault(cell, closed=False, text=record[at : at + context])
            start, at = at, quoted.end()
            if at < end and record[at] not in ",\r\n":
                return QuoteFault(cell, closed=True, text=_around(record, start, at, context))
        else:
            unquoted = _UNQUOTED.match(record, at)
            assert unquoted is not None  # it matches the empty string
            at = unquoted.end()
        if at >= end or record[at] != ",":
            return None
        at, cell = at + 1, cell + 1


def _around(record: str, start: int, close: int, context: int) -> str:
    """The closing quote of the cell from `start` (ending at `close`) and the text after it, with
    up to `context` characters of the cell before it."""
    head = record[max(start, close - context) : close]
    tail = _UNQUOTED.match(record, close)
    assert tail is not None
    after = tail.group()
    return ("…" if close - context > start else "") + head + after[:context] + ("…" if len(after) > context else "")
