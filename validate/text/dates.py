"""Reduced-precision ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) as polars expressions."""

from __future__ import annotations

import polars as pl

from validate.kernels.cells import per_distinct

# How the schemas spell a reduced-precision ISO date (YYYY, YYYY-MM or YYYY-MM-DD), as a Table
# Schema pattern (matched whole); PATTERN is the same for a search.
SCHEMA_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
PATTERN = f"^{SCHEMA_PATTERN}$"


def first_day(col: pl.Expr) -> pl.Expr:
    """The first calendar day the value covers; null when it is not a real date. The year 0000
    is none: polars reads it (1 BC), but Python's dates, and so the site, start at year 1."""
    full = (
        pl.when(col.str.len_chars() == 4)
        .then(col + "-01-01")
        .when(col.str.len_chars() == 7)
        .then(col + "-01")
        .otherwise(col)
    )
    real = col.str.contains(PATTERN) & ~col.str.starts_with("0000")
    return pl.when(real).then(full.str.to_date("%Y-%m-%d", strict=False))


def last_day(col: pl.Expr) -> pl.Expr:
    """The last calendar day the value covers."""
    start = first_day(col)
    n = col.str.len_chars()
    return (
        pl.when(n == 4)
        .then(start.dt.offset_by("1y").dt.offset_by("-1d"))
        .when(n == 7)
        .then(start.dt.month_end())
        .otherwise(start)
    )


def is_real(col: pl.Expr) -> pl.Expr:
    """True unless the value has the date pattern but names no real day (2017-02-30, 2017-13, 0000)."""
    return ~col.str.contains(PATTERN) | first_day(col).is_not_null()


def calendar(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """For each row of `frame`: the first (_<column>_from) and last (_<column>_to) day (as a day
    number) that `column` covers and whether it names a real date (_<column>_real). Worked out
    once per distinct value (per_distinct): a period column holds a few hundred values over a
    million claims, and the date parsing per row was a third of the claims' rule time."""
    col = pl.col(column)
    # Days since 1970-01-01, not dates: a finding's message gets its row as Python values.
    return per_distinct(
        frame.get_column(column),
        lambda values: values.to_frame().select(
            first_day(col).cast(pl.Int32).alias(f"_{column}_from"),
            last_day(col).cast(pl.Int32).alias(f"_{column}_to"),
            is_real(col).alias(f"_{column}_real"),
        ),
    )
