"""Rules of statistics.csv that a Table Schema cannot say."""

from __future__ import annotations

import polars as pl

from validate.rules.cell_rules import formula_injection
from validate.rules.context import Context
from validate.rules.rule import Rule, cell


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Mark which statistics some claim cites."""
    if ctx.cited is None or "statistic_id" not in frame.columns:
        return frame.with_columns(_cited=pl.lit(None, dtype=pl.Boolean))
    # A million cited ids name some thousands of statistics: look them up once each.
    return frame.with_columns(_cited=pl.col("statistic_id").is_in(ctx.cited.unique().implode()))


def rules() -> list[Rule]:
    return [
        Rule(
            "statistic-not-cited",
            "statistic_id",
            pl.col("_cited") | pl.col("statistic_id").is_null(),
            lambda r: (
                f"statistic {cell(r, 'statistic_id')} is cited by no claim: add the claim that cites it, or delete the row"
            ),
            frozenset({"statistic_id"}),
        ),
        formula_injection("description"),
        formula_injection("primary_source"),
    ]
