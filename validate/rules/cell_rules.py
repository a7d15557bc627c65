"""Rules every table shares for free text."""

from __future__ import annotations

import polars as pl

from validate.kernels.cells import formula
from validate.reading.table_schema import TableSchema
from validate.rules.registry import known
from validate.rules.rule import Rule, cell


def formula_injection(column: str) -> Rule:
    """The cell must not begin like a spreadsheet formula."""
    return Rule(
        "formula-injection",
        column,
        ~pl.col(formula(column)),
        lambda r: (
            f"{column} {cell(r, column)} begins with =, +, -, @, a tab or a carriage return, which a "
            "spreadsheet would run as a formula: start the cell with the text's first word instead"
        ),
        frozenset({column}),
        profiled=frozenset({column}),
    )


def every_text_cell(schema: TableSchema, rules: list[Rule]) -> list[Rule]:
    """The formula rule for each string column of `schema` that `rules` do not already cover:
    the contract forbids a formula-like start in every text cell of every table, columns a pull
    request's schema adds included."""
    covered = {r.column for r in rules if r.code == "formula-injection"}
    return [formula_injection(f.name) for f in schema.fields if f.type == "string" and f.name not in covered]


def real_date(column: str, precomputed: bool = False) -> Rule:
    """A reduced-precision date must name a real calendar day or month. With `precomputed`, the
    answer is read from the derived column _<column>_real (dates.calendar)."""
    from validate.text.dates import is_real

    return Rule(
        "invalid-date",
        column,
        pl.col(f"_{column}_real") if precomputed else is_real(pl.col(column)),
        lambda r: (
            f"{column} {cell(r, column)} is not a real calendar date: check the year (0001 or later), the month (01-12) and the day"
        ),
        frozenset({column}),
    )


# A digit of another script or form (Arabic-Indic ٦٧٥, fullwidth ６７５, superscript ², mathematical 𝟔): polars'
# and Python's \d take them, the contract's numbers and DuckDB's casts do not.
NON_ASCII_DIGIT = r"[\p{Nd}\p{No}--0-9]"


def ascii_digits(column: str) -> Rule:
    """The cell's digits must be ASCII 0-9: the contract reads no other."""
    return Rule(
        known("non-ascii-digit"),
        column,
        ~pl.col(column).str.contains(NON_ASCII_DIGIT),
        lambda r: (
            f"{column} {cell(r, column)} has digits other than ASCII 0-9 (fullwidth, superscript, Arabic-Indic or "
            "another script's), which the toolkit does not read: type the number with the digits 0-9, "
            "and if the source itself prints it so, say so in note"
        ),
        frozenset({column}),
    )
