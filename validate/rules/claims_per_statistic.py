"""A statistic cited by more claims than the views can compare two by two.

claim_conflicts (validate/publishing/sql/claim_conflicts.sql) compares every two claims of one
statistic: n claims are n(n-1)/2 pairs, which `claims build` reads whole for source_summary and
the site. Without a bound, a pull request of a few thousand sentences filed under one statistic
makes a build of millions of pairs; with it, the pairs grow with the claims, at most
MAX_CLAIMS_PER_STATISTIC / 2 for each."""

from __future__ import annotations

import polars as pl

from validate.rules.columns import STATISTIC_CLAIMS
from validate.rules.rule import Row, Rule, cell

# Far more than a statistic of a ledger of articles is cited, few enough that its pairs (at most
# 499,500) cost a build seconds: 1,000 claims of one statistic, each disagreeing with every other,
# built in 3.5 s, against 1.2 s for the fixture without them; 4,000 took 8.4 s.
MAX_CLAIMS_PER_STATISTIC = 1000


def claims_past_the_bound(height: int, codes: pl.Series | None) -> pl.Series:
    """For the first claim past MAX_CLAIMS_PER_STATISTIC of each statistic that has more, the
    number of that statistic's claims; null for every other claim. `codes` numbers each claim's
    statistic_id (validate.kernels.cells.groups: the same number for the same id, null for none),
    so the claims are counted without reading the ids again; None where claims.csv has no
    statistic_id column. `height` is the number of claims."""
    none = pl.repeat(None, height, dtype=pl.Int64, eager=True).alias(STATISTIC_CLAIMS)
    if codes is None or height <= MAX_CLAIMS_PER_STATISTIC:
        return none
    counts = codes.drop_nulls().value_counts(name="n")
    over = counts.filter(pl.col("n") > MAX_CLAIMS_PER_STATISTIC)
    if over.height == 0:
        return none
    code = codes.name
    past = (
        codes.to_frame()
        .with_row_index("row")
        .filter(pl.col(code).is_in(over.get_column(code).implode()))
        .filter(pl.int_range(pl.len()).over(code) == MAX_CLAIMS_PER_STATISTIC)
        .join(over, on=code, how="left", maintain_order="left")
    )
    return none.scatter(past.get_column("row"), past.get_column("n"))


def _message(r: Row) -> str:
    return (
        f"statistic {cell(r, 'statistic_id')} has {r[STATISTIC_CLAIMS]:,} claims, more than the "
        f"{MAX_CLAIMS_PER_STATISTIC:,} a statistic may have (this row is the first past them): the views compare "
        "every two claims of a statistic, so a build's work grows with the square of their number; file the claims "
        "that count something narrower under a statistic of their own (split it by place or period), or, where one "
        "figure truly is cited this often, raise MAX_CLAIMS_PER_STATISTIC (validate/rules/claims_per_statistic.py) "
        "in a pull request of its own"
    )


def rules() -> list[Rule]:
    return [
        Rule(
            "statistic-too-many-claims",
            "statistic_id",
            pl.col(STATISTIC_CLAIMS).is_null(),
            _message,
            frozenset({"statistic_id"}),
            # A claim is past the bound only beside the claims of its statistic before it.
            whole_table=True,
        )
    ]
