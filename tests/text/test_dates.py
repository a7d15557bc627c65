"""Reduced-precision dates: the days a value covers, worked out once per distinct value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from roots import CLAIMS, set_cell

import validate
from validate.text.dates import PATTERN, calendar, first_day, is_real, last_day

D = dt.date


def test_calendar_gives_each_row_its_days_in_order() -> None:
    values = ["2019", "2017-02", None, "2016-02-29", "2017-02-30", "2019-13", "soon", "2019", "2020-02"]
    frame = pl.DataFrame({"period_start": values})
    out = calendar(frame, "period_start")
    assert out.columns == ["_period_start_from", "_period_start_to", "_period_start_real"]
    days = out.with_columns(pl.col("^_period_start_(from|to)$").cast(pl.Date))
    assert days.rows() == [
        (D(2019, 1, 1), D(2019, 12, 31), True),
        (D(2017, 2, 1), D(2017, 2, 28), True),
        (None, None, None),
        (D(2016, 2, 29), D(2016, 2, 29), True),
        (None, None, False),  # the shape of a date, no such day
        (None, None, False),
        (None, None, True),  # not a date at all: the pattern rule reports it, not invalid-date
        (D(2019, 1, 1), D(2019, 12, 31), True),
        (D(2020, 2, 1), D(2020, 2, 29), True),
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.from_regex(PATTERN, fullmatch=True), st.text(max_size=8)), max_size=30))
def test_calendar_equals_the_row_by_row_expressions(values: list[str | None]) -> None:
    frame = pl.DataFrame({"p": pl.Series(values, dtype=pl.String)})
    col = pl.col("p")
    direct = frame.select(
        first_day(col).cast(pl.Int32), last_day(col).cast(pl.Int32).alias("to"), is_real(col).alias("real")
    )
    assert calendar(frame, "p").rows() == direct.rows()


def test_year_zero_beside_another_fault_is_reported_not_a_traceback(make_root: Callable[..., Path]) -> None:
    """The pattern allows 0000, which Python's dates cannot hold, and the row of a claim that
    breaks another rule is handed to its message as Python values. The year 0000 is itself an
    invalid date: the build's charts draw periods with Python's dates."""
    root = make_root()
    set_cell(root, CLAIMS, 2, "period_start", "0000")
    set_cell(root, CLAIMS, 2, "period_end", "0000")
    set_cell(root, CLAIMS, 2, "qualifier", "roughly")
    found = [(f.row, f.column, f.check) for f in validate.check(root)]
    assert found == [
        (2, "period_end", "invalid-date"),
        (2, "period_start", "invalid-date"),
        (2, "qualifier", "constraint-error"),
        (2, "qualifier", "value-text-mismatch"),
    ]
