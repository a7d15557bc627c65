"""Rules derived from a Table Schema: types, required, enum, pattern, length, unique, keys."""

from __future__ import annotations

import polars as pl

from .rule import Row, Rule, cell
from .table_schema import SchemaField, TableSchema

# Frictionless's number: a decimal, optionally signed, optionally with an exponent. NaN and
# infinities are not numbers a claim can state.
NUMBER_PATTERN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
INTEGER_PATTERN = r"^[+-]?\d+$"


def schema_rules(schema: TableSchema) -> list[Rule]:
    """Every constraint the schema declares, as rules on its columns."""
    rules: list[Rule] = []
    for f in schema.fields:
        rules.extend(_field_rules(f, schema))
    if len(schema.primary_key) == 1:
        (key,) = schema.primary_key
        col = pl.col(key)
        rules.append(
            Rule("primary-key", key, col.is_null() | col.is_first_distinct(), _dup_message(key, "primary key"), frozenset({key}))
        )
    elif schema.primary_key:
        keys = schema.primary_key
        first = pl.struct(keys).is_first_distinct()
        rules.append(
            Rule("primary-key", keys[0], first, lambda r, k=keys: f"the primary key ({', '.join(k)}) repeats an earlier row: change it", frozenset(keys))
        )
    return rules


def _field_rules(f: SchemaField, schema: TableSchema) -> list[Rule]:
    name, c = f.name, f.constraints
    col = pl.col(name)
    needs = frozenset({name})
    rules: list[Rule] = []
    if c.required:
        rules.append(Rule("constraint-error", name, col.is_not_null(),
                          lambda r, n=name: f"{n} is required: fill it in ({_about(f)})", needs))  # fmt: skip
    if f.type in ("number", "integer"):
        pattern = NUMBER_PATTERN if f.type == "number" else INTEGER_PATTERN
        rules.append(Rule("type-error", name, col.str.contains(pattern),
                          lambda r, n=name, t=f.type: f"{n} {cell(r, n)} is not a {t}: write it as digits with a "
                          "'.' for decimals and no thousands separators (2400000, 1.4)", needs))  # fmt: skip
        number = col.cast(pl.Float64, strict=False)
        if c.minimum is not None:
            rules.append(Rule("constraint-error", name, number >= c.minimum,
                              lambda r, n=name, m=c.minimum: f"{n} {cell(r, n)} is below the minimum {m:g}", needs))  # fmt: skip
        if c.maximum is not None:
            rules.append(Rule("constraint-error", name, number <= c.maximum,
                              lambda r, n=name, m=c.maximum: f"{n} {cell(r, n)} is above the maximum {m:g}", needs))  # fmt: skip
    if c.enum is not None:
        allowed = c.enum
        rules.append(Rule("constraint-error", name, col.is_in(allowed),
                          lambda r, n=name, a=allowed: f"{n} {cell(r, n)} is not one of the allowed values: use one of {', '.join(a)}", needs))  # fmt: skip
    if c.pattern is not None:
        anchored = f"^(?:{c.pattern})$"  # Table Schema patterns match the whole value
        rules.append(Rule("constraint-error", name, col.str.contains(anchored),
                          lambda r, n=name, p=c.pattern: f"{n} {cell(r, n)} does not match the pattern {p}: {_about(f)}", needs))  # fmt: skip
    if c.min_length is not None:
        rules.append(Rule("constraint-error", name, col.str.len_chars() >= c.min_length,
                          lambda r, n=name, m=c.min_length: f"{n} is shorter than {m} characters: {_about(f)}", needs))  # fmt: skip
    if c.max_length is not None:
        rules.append(Rule("constraint-error", name, col.str.len_chars() <= c.max_length,
                          lambda r, n=name, m=c.max_length: f"{n} has {len(r.get(n) or '')} characters, more than the {m} allowed: "
                          "shorten it to the words that state the value", needs))  # fmt: skip
    if c.unique and schema.primary_key != [name]:
        rules.append(Rule("unique-error", name, col.is_null() | col.is_first_distinct(), _dup_message(name, "unique column"), needs))
    return rules


def _about(f: SchemaField) -> str:
    return f.description.rstrip(".") or f"see the schema of {f.name}"


def _dup_message(name: str, what: str) -> object:
    def message(r: Row) -> str:
        return f"{name} {cell(r, name)} appears in an earlier row, but it is a {what}: give this row its own {name}"

    return message
