"""A row longer than its header (an unquoted comma split a cell): the reader says so, once, and
the rules' findings of its shifted cells wait until it is fixed."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeRoot
from roots import CLAIMS, locations, read_rows, set_cell, write_rows

from validate.rules.check import check


def _split_the_quote(root: Path, row: int) -> None:
    """Write the claim's quote, which holds a comma, without its quotes: two cells."""
    rows = read_rows(root / CLAIMS)
    at = rows[0].index("quote")
    cells = rows[row - 1]
    assert "," in cells[at]
    rows[row - 1] = [*cells[:at], *cells[at].split(",", 1), *cells[at + 1 :]]
    write_rows(root / CLAIMS, rows)


def test_a_split_cell_is_one_finding_and_the_other_rows_are_still_checked(make_root: MakeRoot) -> None:
    # One unquoted comma gave twelve findings besides extra-cell: a value_text of the quote's
    # second half, a qualifier of "1234"... cells that were right, one column to the left.
    root = make_root()
    _split_the_quote(root, 2)
    set_cell(root, CLAIMS, 3, "qualifier", "roughly")  # a real fault in another row
    report = check(root)
    assert [loc for loc in locations(report) if loc[1] == 2] == [(CLAIMS, 2, None, "extra-cell")]
    assert (CLAIMS, 3, "qualifier", "constraint-error") in locations(report)
    [extra] = [f for f in report if f.check == "extra-cell"]
    assert "quote a cell that contains a comma" in extra.message and "checked once it has 18" in extra.message


def test_the_held_back_findings_neither_take_the_cap_nor_are_counted(make_root: MakeRoot) -> None:
    root = make_root()
    _split_the_quote(root, 2)
    set_cell(root, CLAIMS, 3, "qualifier", "roughly")
    report = check(root, max_findings=1)
    assert (CLAIMS, 3, "qualifier", "constraint-error") in locations(report)
    assert not [f for f in report if f.check == "more-findings"], report.findings
