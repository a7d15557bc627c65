"""Rules derived from a Table Schema: types, required, enum, pattern, length, unique, keys."""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from validate.kernels.cells import chars
from validate.reading.table_schema import SchemaField, TableSchema
from validate.rules.rule import Message, Row, Rule, cell
from validate.text.value_text import plain_number

# The contract's plain number: digits, a '.' for decimals, an optional leading '-'. Frictionless's
# number type also takes a leading '+', an exponent (6.75e2), NaN and INF; the contract asks for
# plain numbers (a value reads back as its own digits), so those are type errors here, and the
# message says exactly what is accepted.
# [0-9], not \d: polars' \d takes every script's digits (٦٧٥, ６７５), which no cast reads.
NUMBER_PATTERN = r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
INTEGER_PATTERN = r"^-?[0-9]+$"
_PLAIN = {
    "number": "write it as plain ASCII digits (0-9) with a '.' for decimals and an optional leading '-', "
    "without '+', exponent (e) or thousands separators (2400000, 1.4, -12.5)",
    "integer": "write it as plain ASCII digits (0-9) with an optional leading '-', "
    "without '+', exponent (e), decimals or thousands separators (2400000, -12)",
}


def schema_rules(schema: TableSchema) -> list[Rule]:
    """Every constraint the schema declares, as rules on its columns."""
    rules: list[Rule] = []
    for f in schema.fields:
        rules.extend(_field_rules(f, schema))
    keys = schema.primary_key
    if keys:
        compared = [_as_stored(schema.field(k)) for k in keys]
        first = compared[0] if len(keys) == 1 else pl.struct(compared)
        nulls = pl.any_horizontal([pl.col(k).is_null() for k in keys])
        rules.append(
            Rule(
                "primary-key",
                keys[0],
                nulls | first_distinct(first),
                _duplicate(keys, "primary key", schema),
                frozenset(keys),
                whole_table=True,
            )
        )
    return rules


# The largest number a cell may hold: far past any count the ledger cites, and far enough below
# a double's limit (1.8e308) that every interval the views derive from it is finite.
LARGEST_NUMBER = 1e300


def _field_rules(f: SchemaField, schema: TableSchema) -> list[Rule]:
    name, c = f.name, f.constraints
    col = pl.col(name)
    needs = frozenset({name})
    about = f.description.rstrip(".") or f"see the schema of {name}"
    rules: list[Rule] = []

    def add(code: str, passes: pl.Expr, message: str | None = None, profiled: bool = False) -> None:
        def render(r: Row) -> str:
            return f"{name} {cell(r, name)} {message}" if message else f"{name} is required: fill it in ({about})"

        rules.append(Rule(code, name, passes, render, needs, profiled=needs if profiled else frozenset()))

    if c.required:
        add("constraint-error", col.is_not_null())
    elif name in schema.primary_key:
        # Table Schema makes a primary key's fields required, and the database's key refuses an
        # empty one.
        add("constraint-error", col.is_not_null(), "is empty, but it is part of the primary key: fill it in")
    if f.type in ("number", "integer"):
        pattern = NUMBER_PATTERN if f.type == "number" else INTEGER_PATTERN
        add(
            "type-error",
            col.str.contains(pattern),
            f"is not a {f.type}: {_PLAIN[f.type]}",
        )
        number = col.cast(pl.Float64, strict=False)
        if f.type == "number":
            # Some 309 digits and more are past what a double (and so DuckDB, the views and the
            # site) holds: such a cell would be built as infinity. A little less still overflowed
            # the views' intervals (ten times the value, the value plus 10 %): NaN and wrong
            # verdicts. An integer's bound (below) is far inside this one.
            add(
                "type-error",
                (number.abs() <= LARGEST_NUMBER) | ~col.str.contains(pattern),
                f"has more digits than a number can hold: {_PLAIN[f.type]}, of a size the source states "
                f"(at most {LARGEST_NUMBER:g}, so that its interval is a number too)",
            )
        else:
            # DuckDB builds an integer column as BIGINT: a cell past it would stop the build.
            add(
                "type-error",
                col.cast(pl.Int64, strict=False).is_not_null() | ~col.str.contains(pattern),
                f"is beyond the integers the dataset holds (-9223372036854775808 to 9223372036854775807): "
                f"{_PLAIN[f.type]}, and of a size the source states",
            )
        if c.minimum is not None:
            add(
                "constraint-error",
                _within(col, number, c.minimum, operator.ge),
                f"is below the minimum {plain_number(c.minimum)}",
            )
        if c.maximum is not None:
            add(
                "constraint-error",
                _within(col, number, c.maximum, operator.le),
                f"is above the maximum {plain_number(c.maximum)}",
            )
    if c.enum is not None:
        add("constraint-error", col.is_in(c.enum), f"is not one of the allowed values: use one of {', '.join(c.enum)}")
    if c.pattern is not None:
        anchored = f"^(?:{c.pattern})$"  # Table Schema patterns match the whole value
        add("constraint-error", col.str.contains(anchored), f"does not match the pattern {c.pattern}: {about}")
    length = pl.col(chars(name))
    if c.min_length is not None:
        add(
            "constraint-error",
            length >= c.min_length,
            f"is shorter than {c.min_length} characters: {about}",
            profiled=True,
        )
    if c.max_length is not None:
        add(
            "constraint-error",
            length <= c.max_length,
            f"is longer than the {c.max_length} characters allowed: shorten it ({about})",
            profiled=True,
        )
    if c.unique and schema.primary_key != [name]:
        rules.append(
            Rule(
                "unique-error",
                name,
                col.is_null() | first_distinct(_as_stored(f)),
                _duplicate([name], "unique column", schema),
                needs,
                whole_table=True,
            )
        )
    return rules


def _within(col: pl.Expr, number: pl.Expr, bound: float, compare: Callable[[Any, Any], bool]) -> pl.Expr:
    """`compare(cell, bound)` as Frictionless decides it, on the cell's exact decimal value: a
    double rounds 675.00000000000000001 to 675 and 9007199254740993 to 9007199254740992, so a
    cell the double puts on the bound is settled by its digits (the few such cells only)."""
    exact = Decimal(str(bound))  # as Frictionless reads a bound: a float by its repr, an int as it is

    def settle(on_bound: pl.Series) -> pl.Series:
        out: list[bool | None] = [None] * on_bound.len()
        for i in on_bound.is_not_null().arg_true().to_list():
            with contextlib.suppress(InvalidOperation):  # no number: its type-error says so
                out[i] = compare(Decimal(on_bound[i]), exact)
        return pl.Series(out, dtype=pl.Boolean)

    on = number == bound
    cells_on = pl.when(on).then(col).otherwise(pl.lit(None, dtype=pl.String))
    return pl.when(on).then(cells_on.map_batches(settle, return_dtype=pl.Boolean)).otherwise(compare(number, bound))


def _as_stored(f: SchemaField) -> pl.Expr:
    """The column as the database compares it: a number or integer by its value ("02" is 2, and
    "1.0" is 1, as DuckDB's key holds them), text as written. A cell that reads as no number (its
    type-error says so) keeps its own text, marked so that it equals no number's: two unreadable
    cells are not one key unless they are the same text."""
    col = pl.col(f.name)
    if f.type not in ("integer", "number"):
        return col
    value = col.cast(pl.Int64 if f.type == "integer" else pl.Float64, strict=False)
    readable = value.is_not_null() & (value.is_finite() if f.type == "number" else pl.lit(True))
    # -0 is 0 (Frictionless's Decimal and DuckDB's key hold them equal; as text they differ).
    if f.type == "number":
        value = pl.when(value == 0).then(pl.lit(0.0)).otherwise(value)  # polars keeps -0.0 + 0.0 as -0.0
    return pl.when(readable).then(value.cast(pl.String)).otherwise(pl.lit("\x00") + col).alias(f.name)


def first_distinct(key: pl.Expr) -> pl.Expr:
    """key.is_first_distinct(), over the whole column, worked out on the keys' hashes: equal
    keys have equal hashes, so a key whose hash no other key shares is the first of its kind.
    Polars hashes a million claim ids and counts the hashes in 0.02 s on every core, where
    is_first_distinct of the strings took 0.14 to 0.3 s on one. Only the rows whose hash
    repeats (duplicates, or keys that collide) are compared as keys, among themselves: every
    occurrence of such a key is among them, in its order."""

    def run(keys: pl.Series) -> pl.Series:
        hashes = keys.hash()
        everywhere = pl.repeat(True, keys.len(), dtype=pl.Boolean, eager=True)
        if hashes.n_unique() == keys.len():
            return everywhere
        rows = hashes.is_duplicated().arg_true()
        return everywhere.scatter(rows, keys.gather(rows).is_first_distinct())

    return key.map_batches(run, return_dtype=pl.Boolean)


def _duplicate(keys: list[str], what: str, schema: TableSchema) -> Message:
    numeric = any(schema.field(k).type != "string" for k in keys)
    # "02" repeats "2": say why, or the two cells look different.
    by_value = " (numbers are compared by their value)" if numeric else ""
    # A unique column's own description says why it is unique and what to do instead (a hash
    # repeated is a text archived twice: "its own value" is no fix for it); a key's is the id's form.
    described = schema.field(keys[0]).description.rstrip(".") if what == "unique column" else ""
    fix = described or "give this row its own value"

    def message(r: Row) -> str:
        shown = ", ".join(f"{k} {cell(r, k)}" for k in keys)
        return f"{shown} appears in an earlier row{by_value}, but it is a {what}: {fix}"

    return message
