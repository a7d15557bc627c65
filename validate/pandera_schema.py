"""Runs rules through Pandera: one DataFrameSchema per table, checked lazily, failures as findings."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from .csv_reader import Table
from .findings import Finding
from .rule import Rule


def _check(rule: Rule, key: str) -> pa.Check:
    expr = rule.passes.fill_null(True)

    def run(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expr)

    # ignore_na=False: a required-cell rule must see the empty cells; `error` is our key back to
    # the rule, so the failure table says which rule failed without the repr of its arguments.
    return pa.Check(run, error=key, name=rule.code, ignore_na=False)


def build_schema(name: str, columns: list[str], rules: list[Rule]) -> pa.DataFrameSchema:
    """The Pandera schema of one table: its string columns, each with its rules as checks."""
    checks: dict[str, list[pa.Check]] = {c: [] for c in columns}
    for index, rule in enumerate(rules):
        checks[rule.column].append(_check(rule, str(index)))
    return pa.DataFrameSchema(
        {c: pa.Column(pl.String, nullable=True, checks=checks[c]) for c in columns},
        name=name,
        strict=False,  # derived "_" columns ride along for the rules to read
    )


def run_rules(table: Table, frame: pl.DataFrame, rules: list[Rule]) -> list[Finding]:
    """Validate `frame` (the table's columns plus derived ones) and turn failures into findings."""
    schema = build_schema(table.name, table.frame.columns, rules)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _findings(table, frame, rules, exc.failure_cases)
    return []


def _findings(table: Table, frame: pl.DataFrame, rules: list[Rule], failures: pl.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    position = table.positions
    for key, index in failures.select("check", "index").iter_rows():
        if key is None or not str(key).isdigit() or index is None:
            raise RuntimeError(f"unexpected pandera failure in {table.file}: {key!r}")
        rule = rules[int(key)]
        row = frame.row(index, named=True)
        out.append(
            Finding(
                file=table.file,
                row=int(table.rows[index]),
                column=rule.column,
                check=rule.code,
                message=rule.message(row),
                line=int(table.lines[index]),
                col=position.get(rule.column),
            )
        )
    return out
