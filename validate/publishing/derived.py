"""The columns the build adds to each table beside the schema's fields, named once: the database
writes them, and the check refuses a schema field that would take one's name."""

from __future__ import annotations

from validate.reading.table_schema import TableSchema
from validate.text.dates import SCHEMA_PATTERN

# Per table, the columns worked out from other cells (the date bounds come from date_bounds),
# each with what it means: the database carries it as the column's comment.
COMPUTED: dict[str, dict[str, str]] = {
    "statistics": {
        "primary_value_step": "Added by the build: the unit of primary_value's last written digit (1 for 675, 0.1 "
        "for 1.4), which an exact primary reading is widened by half of (primary_intervals).",
    },
    "claims": {
        "value_step": "Added by the build: the unit of the last stated digit of value_text (100,000 for 2.4 million, "
        "1 for 675), which an exact claim is widened by half of (claim_intervals).",
        "quote_start": "Added by the build: where the quote starts in source_texts.text, in code points from 0 "
        "(included), as a W3C TextPositionSelector; NULL if it is not found.",
        "quote_end": "Added by the build: where the quote ends in source_texts.text, in code points (excluded).",
        "value_start": "Added by the build: where value_text's first occurrence inside the quote starts in "
        "source_texts.text, in code points (included).",
        "value_end": "Added by the build: where that occurrence of value_text ends in source_texts.text, in code "
        "points (excluded).",
        "inside_quotation_marks": "Added by the build: whether the value stands inside double quotation marks in the "
        "source's paragraph (the source quotes someone rather than paraphrasing).",
        "duration_months": "Added by the build: the duration in whole months, when it is stated in years and months "
        "(P3Y is 36); NULL otherwise.",
        "duration_days": "Added by the build: the duration in days, when it is stated in weeks and days (P2W is 14); "
        "NULL otherwise.",
    },
}


def date_bounds(field: str) -> list[tuple[str, str]]:
    """The DATE columns derived from a reduced-precision date column: (name, 'first' or 'last')."""
    # A period's start only bounds it from below and its end from above: period_start gives
    # period_from, period_end gives period_to. A lone date (published) gets both.
    for suffix, bound, which in (("_start", "_from", "first"), ("_end", "_to", "last")):
        if field.endswith(suffix):
            return [(field[: -len(suffix)] + bound, which)]
    return [(field + "_from", "first"), (field + "_to", "last")]


def date_columns(schema: TableSchema) -> list[tuple[str, str, str]]:
    """The DATE columns derived from the schema's reduced-precision date fields, in field order:
    (name, the field, 'first' or 'last')."""
    return [
        (name, f.name, which)
        for f in schema.fields
        if f.constraints.pattern == SCHEMA_PATTERN
        for name, which in date_bounds(f.name)
    ]


def derived_from(table: str, schema: TableSchema) -> list[tuple[str, str | None]]:
    """Every column the build adds to `table` described by `schema`, in the order it adds them,
    each with the date field it comes from (None: worked out from several)."""
    dates = [(name, field) for name, field, _ in date_columns(schema)]
    return [*((name, None) for name in COMPUTED.get(table, ())), *dates]


def derived_descriptions(table: str, schema: TableSchema) -> dict[str, str]:
    """What each column the build adds to `table` means, by its name."""
    return dict(COMPUTED.get(table, {})) | {
        name: f"Added by the build: the {which} day that {field} covers, as a DATE ({field} may be a year or a month)."
        for name, field, which in date_columns(schema)
    }


def derived_columns(table: str, schema: TableSchema) -> list[str]:
    """Every column the build adds to `table` described by `schema`, in the order it adds them."""
    return [name for name, _ in derived_from(table, schema)]
