"""The columns the build adds to each table beside the schema's fields, named once: the database
writes them, and the check refuses a schema field that would take one's name."""

from __future__ import annotations

from validate.reading.table_schema import TableSchema
from validate.text.dates import SCHEMA_PATTERN

# Per table, the columns worked out from other cells (the date bounds come from date_bounds).
COMPUTED: dict[str, tuple[str, ...]] = {
    "statistics": ("primary_value_step",),
    "claims": (
        "value_step",
        "quote_start",
        "quote_end",
        "value_start",
        "value_end",
        "inside_quotation_marks",
        "duration_months",
        "duration_days",
    ),
}


def date_bounds(field: str) -> list[tuple[str, str]]:
    """The DATE columns derived from a reduced-precision date column: (name, 'first' or 'last')."""
    # A period's start only bounds it from below and its end from above: period_start gives
    # period_from, period_end gives period_to. A lone date (published) gets both.
    for suffix, bound, which in (("_start", "_from", "first"), ("_end", "_to", "last")):
        if field.endswith(suffix):
            return [(field[: -len(suffix)] + bound, which)]
    return [(field + "_from", "first"), (field + "_to", "last")]


def derived_from(table: str, schema: TableSchema) -> list[tuple[str, str | None]]:
    """Every column the build adds to `table` described by `schema`, in the order it adds them,
    each with the date field it comes from (None: worked out from several)."""
    dates = [
        (name, f.name)
        for f in schema.fields
        if f.constraints.pattern == SCHEMA_PATTERN
        for name, _ in date_bounds(f.name)
    ]
    return [*((name, None) for name in COMPUTED.get(table, ())), *dates]


def derived_columns(table: str, schema: TableSchema) -> list[str]:
    """Every column the build adds to `table` described by `schema`, in the order it adds them."""
    return [name for name, _ in derived_from(table, schema)]
