"""A row rule: a named polars condition on one column, and how to explain a failure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from validate.rules.registry import known

# A row's cells by column name, as a message reads them.
Row = Mapping[str, Any]
Message = Callable[[Row], str]


@dataclass(frozen=True)
class Rule:
    """Rows where `passes` is false (null counts as a pass) break the rule at `column`."""

    code: str
    column: str
    passes: pl.Expr
    message: Message
    # Columns the condition reads; a rule whose columns a schema lacks is not run.
    needs: frozenset[str] = field(default_factory=frozenset)
    # Columns whose per-cell profile (validate.kernels.cells: characters, plain, formula) the
    # condition reads: check computes each profile once, in one pass, before any rule runs.
    profiled: frozenset[str] = field(default_factory=frozenset)
    # The condition reads other rows of the table (a duplicate is one only beside its first
    # occurrence), so it is evaluated over the whole table, never over a subset of its rows.
    whole_table: bool = False

    def __post_init__(self) -> None:
        known(self.code)
        # Every schema column the condition reads is needed, whether or not the rule said so: a
        # schema that drops one must skip the rule, never fail inside polars. Derived columns
        # (a leading "_") are the enrichment's, which makes them whatever the schema holds.
        read = {name for name in self.passes.meta.root_names() if not name.startswith("_")}
        object.__setattr__(self, "needs", self.needs | read)


def cell(row: Row, name: str, limit: int = 80) -> str:
    """A cell's value for a message: quoted, shortened if long."""
    value = row.get(name)
    if value is None:
        return "empty"
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)
