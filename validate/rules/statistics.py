"""Rules of statistics.csv that a Table Schema cannot say: citations and the primary reading."""

from __future__ import annotations

import polars as pl

from validate.rules.cell_rules import formula_injection, real_date
from validate.rules.context import Context
from validate.rules.rule import Message, Row, Rule, cell
from validate.text.dates import calendar

# Columns of a primary reading that mean nothing without primary_value. primary_source and
# primary_url may name the producer's document even where its figure could not be established.
_WITH_VALUE = ("primary_qualifier", "primary_period_start", "primary_period_end", "primary_locator", "primary_claim_id")
# Columns a primary reading must have beside primary_value.
_REQUIRED_WITH_VALUE = ("primary_qualifier", "primary_locator")
_PERIOD = ("primary_period_start", "primary_period_end")


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Mark which statistics some claim cites; add the primary period's days and the reading of
    the claim that primary_claim_id names."""
    if ctx.cited is None or "statistic_id" not in frame.columns:
        frame = frame.with_columns(_cited=pl.lit(None, dtype=pl.Boolean))
    else:
        # A million cited ids name some thousands of statistics: look them up once each.
        frame = frame.with_columns(_cited=pl.col("statistic_id").is_in(ctx.cited.unique().implode()))
    parts = [
        calendar(frame, c)
        if c in frame.columns
        else pl.DataFrame(schema={f"_{c}_from": pl.Int32, f"_{c}_to": pl.Int32, f"_{c}_real": pl.Boolean}).clear(
            frame.height
        )
        for c in _PERIOD
    ]
    frame = pl.concat([frame, *parts], how="horizontal")
    if ctx.claims is None or "primary_claim_id" not in frame.columns:
        return frame.with_columns(
            _claim_known=pl.lit(None, dtype=pl.Boolean),
            _claim_statistic=pl.lit(None, dtype=pl.String),
            _claim_value=pl.lit(None, dtype=pl.String),
            _claim_qualifier=pl.lit(None, dtype=pl.String),
            _claim_period_start=pl.lit(None, dtype=pl.String),
            _claim_period_end=pl.lit(None, dtype=pl.String),
        )
    # Only the claims that some primary_claim_id names (a few thousand of a million) are read.
    named = frame.get_column("primary_claim_id").drop_nulls().unique().implode()
    readings = (
        ctx.claims.filter(pl.col("claim_id").is_in(named))
        .unique("claim_id", keep="first")
        .select(
            pl.col("claim_id").alias("primary_claim_id"),
            pl.col("statistic_id").alias("_claim_statistic"),
            pl.col("value").alias("_claim_value"),
            pl.col("qualifier").alias("_claim_qualifier"),
            pl.col("period_start").alias("_claim_period_start"),
            pl.col("period_end").alias("_claim_period_end"),
            _claim_known=pl.lit(True),
        )
    )
    joined = frame.select("primary_claim_id").join(readings, on="primary_claim_id", how="left", maintain_order="left")
    return pl.concat([frame, joined.drop("primary_claim_id")], how="horizontal").with_columns(
        _claim_known=pl.when(pl.col("primary_claim_id").is_not_null()).then(pl.col("_claim_known").fill_null(False))
    )


def _same_number(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    x, y = a.cast(pl.Float64, strict=False), b.cast(pl.Float64, strict=False)
    return (x - y).abs() <= 1e-9 * pl.max_horizontal(x.abs(), pl.lit(1.0))


def _mismatch(r: Row) -> str:
    """What differs between the claim that primary_claim_id names and the primary reading."""
    if r["_claim_statistic"] != r["statistic_id"]:
        return (
            f"primary_claim_id {cell(r, 'primary_claim_id')} is a claim of statistic {cell(r, '_claim_statistic')}, "
            "not of this one: name the claim of the primary source that states this statistic"
        )
    pairs = [
        ("value", "primary_value"),
        ("qualifier", "primary_qualifier"),
        ("period_start", "primary_period_start"),
        ("period_end", "primary_period_end"),
    ]
    differ = [
        f"{theirs} {cell(r, '_claim_' + theirs)} against {ours} {cell(r, ours)}"
        for theirs, ours in pairs
        if (r.get("_claim_" + theirs) or None) != (r.get(ours) or None)
    ]
    return (
        f"the claim primary_claim_id names ({cell(r, 'primary_claim_id')}) reads otherwise than the primary "
        f"columns: {'; '.join(differ) or 'its value differs'}. The primary reading is that claim's reading: make them equal"
    )


def _needs_value(column: str) -> Message:
    return lambda r: (
        f"primary_value is {cell(r, 'primary_value')} but {column} is empty: a primary reading needs "
        "its qualifier (exact when the producer does not hedge) and a locator (report number, "
        "page or section) that anyone can follow"
    )


def _without_value(column: str) -> Message:
    return lambda r: (
        f"{column} is {cell(r, column)} but primary_value is empty: give the producer's own value, "
        f"or empty {column} (the note can say what is known)"
    )


def rules() -> list[Rule]:
    value = pl.col("primary_value")
    start, end = pl.col("primary_period_start"), pl.col("primary_period_end")
    out = [
        Rule(
            "statistic-not-cited",
            "statistic_id",
            pl.col("_cited") | pl.col("statistic_id").is_null() | value.is_not_null(),
            lambda r: (
                f"statistic {cell(r, 'statistic_id')} is cited by no claim and has no primary reading: add the "
                "claim that cites it or the producer's own figure (primary_value), or delete the row"
            ),
            frozenset({"statistic_id", "primary_value"}),
        ),
    ]
    for column in _REQUIRED_WITH_VALUE:
        out.append(
            Rule(
                "primary-reading-incomplete",
                column,
                ~(value.is_not_null() & pl.col(column).is_null()),
                _needs_value(column),
                frozenset({column, "primary_value"}),
            )
        )
    for column in _WITH_VALUE:
        out.append(
            Rule(
                "primary-reading-incomplete",
                column,
                ~(value.is_null() & pl.col(column).is_not_null()),
                _without_value(column),
                frozenset({column, "primary_value"}),
            )
        )
    out += [
        Rule(
            "period-incomplete",
            "primary_period_end",
            ~(start.is_not_null() & end.is_null()),
            lambda r: (
                "primary_period_start is set but primary_period_end is empty: set both (equal for a point in time) or neither"
            ),
            frozenset(_PERIOD),
        ),
        Rule(
            "period-incomplete",
            "primary_period_start",
            ~(end.is_not_null() & start.is_null()),
            lambda r: (
                "primary_period_end is set but primary_period_start is empty: set both (equal for a point in time) or neither"
            ),
            frozenset(_PERIOD),
        ),
        Rule(
            "period-order",
            "primary_period_start",
            ~(pl.col("_primary_period_start_from") > pl.col("_primary_period_end_to")),
            lambda r: (
                f"the primary period starts ({r['primary_period_start']}) after it ends ({r['primary_period_end']}): "
                "swap them or fix one"
            ),
            frozenset(_PERIOD),
        ),
        real_date("primary_period_start", precomputed=True),
        real_date("primary_period_end", precomputed=True),
        Rule(
            "percent-out-of-range",
            "primary_value",
            value.is_null()
            | (pl.col("unit") != "percent")
            | value.cast(pl.Float64, strict=False).is_between(0, 100).fill_null(True),
            lambda r: (
                f"primary_value {cell(r, 'primary_value')} is a share in percent, so it must lie between 0 and 100"
            ),
            frozenset({"primary_value", "unit"}),
        ),
        Rule(
            "foreign-key",
            "primary_claim_id",
            pl.col("_claim_known"),
            lambda r: (
                f"primary_claim_id {cell(r, 'primary_claim_id')} is not a claim_id of datasets/claims.csv: "
                "fix the id or add the claim of the primary source first"
            ),
            frozenset({"primary_claim_id"}),
        ),
        Rule(
            "primary-claim-mismatch",
            "primary_claim_id",
            ~pl.col("_claim_known").fill_null(False)
            | value.is_null()  # primary-reading-incomplete says that
            | (
                (pl.col("_claim_statistic") == pl.col("statistic_id"))
                & _same_number(pl.col("_claim_value"), value).fill_null(False)
                & pl.col("_claim_qualifier").eq_missing(pl.col("primary_qualifier"))
                & pl.col("_claim_period_start").eq_missing(start)
                & pl.col("_claim_period_end").eq_missing(end)
            ),
            _mismatch,
            frozenset(
                {
                    "primary_claim_id",
                    "statistic_id",
                    "primary_value",
                    "primary_qualifier",
                    "primary_period_start",
                    "primary_period_end",
                }
            ),
        ),
        formula_injection("description"),
        formula_injection("primary_source"),
        formula_injection("primary_locator"),
        formula_injection("note"),
    ]
    return out
