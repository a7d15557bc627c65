"""Runs rules through Pandera: one DataFrameSchema per table, checked lazily, failures as findings.

Every rule is first evaluated over the whole table in one polars pass (polars runs the conditions
side by side, where Pandera runs them one after another); the rows that break none of them cannot
give a failure case, so Pandera validates only the rows that break some rule. A whole-table rule
(a duplicate is one only beside its first occurrence) reaches Pandera as its result over the whole
table, since over a subset of rows its condition would mean something else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from validate.findings import Cap, Finding
from validate.reading.csv_file import Table
from validate.rules.rule import Rule

if TYPE_CHECKING:
    # Imported where used: Pandera runs only when some row breaks a rule, so a check of valid
    # data (a pre-commit run on a clean tree) never pays its 0.1 s import.
    import pandera.polars as pa
    from pandera.api.polars.types import PolarsData

_ROW = "_row"  # the frame's row index, carried through the subset Pandera sees


def _result(index: int) -> str:
    """The column holding whole-table rule `index`'s result over the whole table."""
    return f"_rule_{index}"


def _condition(rule: Rule, index: int) -> pl.Expr:
    return pl.col(_result(index)) if rule.whole_table else rule.passes.fill_null(True)


def _check(expr: pl.Expr, rule: Rule, key: str) -> pa.Check:
    import pandera.polars as pa

    def run(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expr)

    # ignore_na=False: a required-cell rule must see the empty cells; `error` is our key back to
    # the rule, so the failure table says which rule failed without the repr of its arguments.
    return pa.Check(run, error=key, name=rule.code, ignore_na=False)


def build_schema(name: str, columns: list[str], rules: list[Rule]) -> pa.DataFrameSchema:
    """The Pandera schema of one table: its string columns, each with its rules as checks."""
    import pandera.polars as pa

    checks: dict[str, list[pa.Check]] = {c: [] for c in columns}
    for index, rule in enumerate(rules):
        checks[rule.column].append(_check(_condition(rule, index), rule, str(index)))
    return pa.DataFrameSchema(
        {c: pa.Column(pl.String, nullable=True, checks=checks[c]) for c in columns},
        name=name,
        strict=False,  # derived "_" columns ride along for the rules to read
    )


def early_rules(frame: pl.DataFrame, rules: list[Rule]) -> list[int]:
    """The rules (by index) that read only columns `frame` already has."""
    columns = set(frame.columns)  # once: a schema may add thousands of columns, each a rule
    return [i for i, r in enumerate(rules) if set(r.passes.meta.root_names()) <= columns]


def results(frame: pl.DataFrame, rules: list[Rule], which: list[int]) -> pl.DataFrame:
    """Whether each row passes each rule of `which` (by index; null counts as passing)."""
    # One select of every condition: polars evaluates them side by side (all_horizontal over the
    # same expressions evaluates them one after another, and took twice as long at 1M claims).
    return frame.select(rules[i].passes.fill_null(True).alias(_result(i)) for i in which)


def screen(
    frame: pl.DataFrame,
    rules: list[Rule],
    done: pl.DataFrame | None = None,
    cap: Cap | None = None,
    file: str = "",
    numbers: list[int] | pl.Series | None = None,
) -> pl.DataFrame:
    """The rows of `frame` that break at least one rule, with their row index (_row) and the
    results of the whole-table rules over the whole table. `done` holds results() already
    worked out, for the same rows in the same order. With `cap`, a rule's failures past its
    limit are counted in it (for `file`), and a row is a suspect only for the failures before;
    the column _allow_<i> says which rows those are, for each rule i that has more. A row
    outside the cap's scope (`numbers` are the rows' numbers) passes: it is not reported."""
    numbered = frame.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(_ROW))
    if not rules:
        return numbered.clear()
    known = set(done.columns) if done is not None else set()
    rest = results(frame, rules, [i for i in range(len(rules)) if _result(i) not in known])
    passed = pl.concat([done, rest], how="horizontal") if done is not None else rest
    whole = [_result(i) for i, r in enumerate(rules) if r.whole_table]
    if cap is not None and numbers is not None:
        passed = _outside_passes(passed, rules, cap, file, numbers)
    allowed: list[pl.Series] = []
    if cap is not None and cap.limit is not None:
        # A million broken rows would cost Pandera minutes and the findings gigabytes; only each
        # rule's first failures can be shown, so only they are handed on.
        limit = cap.limit
        over: list[pl.Series] = []
        for column, total in zip(passed.columns, passed.select((~pl.all()).sum()).row(0), strict=True):
            if total > limit:
                i = int(column.removeprefix("_rule_"))
                cap.count_dropped(file, rules[i].code, total - limit)
                fails = ~passed.get_column(column)
                first = fails & (fails.cum_sum() <= limit)
                allowed.append(first.alias(_allow(i)))
                over.append((~first).alias(column))  # past the limit, no longer a suspect
        passed = passed.with_columns(over)
    broken = passed.select(~pl.all_horizontal(pl.all())).to_series()
    return numbered.with_columns(*passed.select(whole), *allowed).filter(broken)


def _outside_passes(
    passed: pl.DataFrame, rules: list[Rule], cap: Cap, file: str, numbers: list[int] | pl.Series
) -> pl.DataFrame:
    """`passed` with every row outside the cap's scope, or held back by it, passing: before the
    cap counts failures, so that a rule's first failures in scope are the ones shown."""
    inside: list[pl.Series] = []
    series = numbers if isinstance(numbers, pl.Series) else pl.Series(numbers, dtype=pl.Int64)
    masks: dict[int, pl.Series] = {}  # one per set of rows: the same for every rule a row owns

    def mask(rows: set[int]) -> pl.Series:
        if id(rows) not in masks:
            masks[id(rows)] = series.is_in(sorted(rows))
        return masks[id(rows)]

    for column in passed.columns:
        code = rules[int(column.removeprefix("_rule_"))].code
        rows, held = cap.rows(file, code), cap.held(file, code)
        if rows is None and not held:
            continue
        passes = passed.get_column(column)
        if rows is not None:
            passes = passes | ~mask(rows)
        if held:
            passes = passes | mask(held)
        inside.append(passes.alias(column))
    return passed.with_columns(inside) if inside else passed


def _allow(index: int) -> str:
    """The column of which suspect rows may give rule `index` a finding (see screen)."""
    return f"_allow_{index}"


def run_rules(
    table: Table, frame: pl.DataFrame, rules: list[Rule], done: pl.DataFrame | None = None, cap: Cap | None = None
) -> list[Finding]:
    """Validate `frame` (the table's columns plus derived ones) and turn failures into findings;
    `done` as for screen(); with `cap`, failures past it are counted, not made into findings."""
    suspects = screen(frame, rules, done, cap, table.file, table.rows)
    if suspects.height == 0:
        return []
    import pandera.polars as pa

    schema = build_schema(table.name, table.frame.columns, rules)
    try:
        schema.validate(suspects, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _findings(table, suspects, rules, exc.failure_cases, cap)
    return []


def _findings(
    table: Table, suspects: pl.DataFrame, rules: list[Rule], failures: pl.DataFrame, cap: Cap | None
) -> list[Finding]:
    out: list[Finding] = []
    position = table.positions
    at = suspects.get_column(_ROW).to_list()
    # The suspect rows' row and line numbers in one gather: per failure, DataFrame.row and Series
    # indexing cost a third of a second over 12,000 findings.
    cells = _Cells(suspects)
    numbers, lines = _pick(table.rows, at), _pick(table.lines, at)
    for key, index in failures.select("check", "index").iter_rows():
        if key is None or not str(key).isdigit() or index is None:
            raise RuntimeError(f"unexpected pandera failure in {table.file}: {key!r}")
        rule = rules[int(key)]
        if _allow(int(key)) in suspects.columns and not cells.column(_allow(int(key)))[index]:
            continue  # past the rule's limit: counted by screen()
        if cap is not None and not cap.admit(table.file, rule.code, int(numbers[index])):
            continue
        out.append(
            Finding(
                file=table.file,
                row=int(numbers[index]),
                column=rule.column,
                check=rule.code,
                message=rule.message(_Record(cells, index)),
                line=int(lines[index]),
                col=position.get(rule.column),
            )
        )
    return out


def _pick(values: list[int] | pl.Series, indices: list[int]) -> list[int]:
    """values[i] for each i, from the exact reader's list or the fast reader's Series."""
    if isinstance(values, pl.Series):
        return values.gather(indices).to_list()
    return [values[i] for i in indices]


class _Cells:
    """The suspect rows' columns, each made a Python list the first time a message reads it: the
    messages read a few of the 50 columns, and every suspect row as a dict took 0.11 s of the
    0.2 s that 12,000 findings cost, against 0.03 s for every column as lists."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self._lists: dict[str, list[Any]] = {}

    def column(self, name: str) -> list[Any]:
        values = self._lists.get(name)
        if values is None:
            if name not in self.frame.schema:
                raise KeyError(name)
            values = self._lists[name] = self.frame.get_column(name).to_list()
        return values


class _Record(Mapping[str, Any]):
    """One suspect row's cells by column name, read from _Cells."""

    __slots__ = ("_cells", "_index")

    def __init__(self, cells: _Cells, index: int) -> None:
        self._cells, self._index = cells, index

    def __getitem__(self, name: str) -> Any:
        return self._cells.column(name)[self._index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells.frame.columns)

    def __len__(self) -> int:
        return self._cells.frame.width
