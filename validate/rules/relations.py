"""Rules of relations.csv that a Table Schema cannot say: the operands, their number and units, and
a relation stated twice.

Whether the numbers satisfy a relation is not a rule of the data: the relation_checks view
judges it on the claims' intervals, source by source, and on the primary readings.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from validate.rules.cell_rules import formula_injection
from validate.rules.columns import REPEAT_OF
from validate.rules.context import Context
from validate.rules.rule import Row, Rule, cell

# How many operands each kind of relation takes: (fewest, most; None for no limit).
ARITY: dict[str, tuple[int, int | None]] = {"part_of": (1, 1), "share": (2, 2), "sum": (2, None)}
_ARITY_WORDS = {
    "part_of": "exactly one operand (the whole)",
    "share": "exactly two operands (numerator;denominator)",
    "sum": "two or more operands",
}


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Add each relation's operands as a list, the unknown ones, and the units of the statistic
    and its operands."""
    units = dict(ctx.statistics.select("statistic_id", "unit").unique("statistic_id").iter_rows())
    known = ctx.has_statistics
    ids = frame.get_column("statistic_id").to_list() if "statistic_id" in frame.columns else [None] * frame.height
    lists = (
        [o.split(";") if o is not None else None for o in frame.get_column("operands").to_list()]
        if "operands" in frame.columns
        else [None] * frame.height
    )
    statistic_known: list[bool | None] = []
    unknown: list[str | None] = []
    unit: list[str | None] = []
    operand_units: list[str | None] = []
    count: list[int | None] = []
    repeated: list[bool | None] = []
    for sid, operands in zip(ids, lists, strict=True):
        statistic_known.append(None if sid is None or not known else sid in units)
        unit.append(units.get(sid) if sid is not None else None)
        if operands is None:
            unknown.append(None)
            operand_units.append(None)
            count.append(None)
            repeated.append(None)
            continue
        missing = [o for o in operands if o not in units]
        unknown.append("; ".join(missing) if missing and known else None)
        found = sorted({units[o] for o in operands if o in units})
        operand_units.append(", ".join(found) if found else None)
        count.append(len(operands))
        repeated.append(len(set(operands)) != len(operands) or sid in operands)
    return frame.with_columns(
        pl.Series(REPEAT_OF, _repeats(frame, lists), dtype=pl.String),
        pl.Series("_statistic_known", statistic_known, dtype=pl.Boolean),
        pl.Series("_unit", unit, dtype=pl.String),
        pl.Series("_unknown_operands", unknown, dtype=pl.String),
        pl.Series("_operand_units", operand_units, dtype=pl.String),
        pl.Series("_operand_count", count, dtype=pl.Int64),
        pl.Series("_operand_repeated", repeated, dtype=pl.Boolean),
    )


# Kinds whose operands are a multiset: a sum of a;b is a sum of b;a, and part_of has one operand.
# A share's are in order (numerator;denominator): a;b and b;a are two relations.
_UNORDERED = frozenset({"sum", "part_of"})


def _repeats(frame: pl.DataFrame, lists: Sequence[list[str] | None]) -> list[str | None]:
    """For each row, the relation_id of the first row that states the same relation (kind,
    statistic and operands, the cells as written) under another relation_id; None for a first
    statement. A repeated relation_id is primary-key's finding, not this one's."""
    names = ("relation_id", "relation", "statistic_id")
    if any(n not in frame.columns for n in names):
        return [None] * frame.height
    ids, kinds, statistics = (frame.get_column(n).to_list() for n in names)
    first: dict[tuple[str, str, tuple[str, ...]], str] = {}
    out: list[str | None] = []
    for rid, kind, sid, operands in zip(ids, kinds, statistics, lists, strict=True):
        if rid is None or kind not in ARITY or sid is None or operands is None:
            # An empty required cell, or a kind outside the enum, is constraint-error's finding
            # (and the message below would show a kind no one checked).
            out.append(None)
            continue
        key = (kind, sid, tuple(sorted(operands)) if kind in _UNORDERED else tuple(operands))
        earlier = first.setdefault(key, rid)
        out.append(earlier if earlier != rid else None)
    return out


def _repeat_message(r: Row) -> str:
    order = "in any order" if r["relation"] in _UNORDERED else "in the same order"
    return (
        f"relation {cell(r, 'relation_id')} states what relation {cell(r, REPEAT_OF)} already states: "
        f"{r['relation']} of statistic {cell(r, 'statistic_id')} with operands {cell(r, 'operands')} ({order}), "
        f"so relation_checks would list each check twice: remove this row, or merge its note into "
        f"{cell(r, REPEAT_OF)}'s and remove it"
    )


def _arity_ok() -> pl.Expr:
    n, kind = pl.col("_operand_count"), pl.col("relation")
    ok = pl.lit(True)
    for name, (low, high) in ARITY.items():
        fits = n >= low if high is None else n.is_between(low, high)
        ok = pl.when(kind == name).then(fits).otherwise(ok)
    return ok


def _arity_message(r: Row) -> str:
    if r["_operand_repeated"]:
        return (
            f"operands {cell(r, 'operands')} name one statistic twice, or the relation's own statistic "
            f"{cell(r, 'statistic_id')}: each operand is another statistic, named once"
        )
    need = _ARITY_WORDS.get(r["relation"], "operands")
    return f"a {r['relation']} relation takes {need}, but operands {cell(r, 'operands')} names {r['_operand_count']}"


def _unit_ok() -> pl.Expr:
    unit, operands, kind = pl.col("_unit"), pl.col("_operand_units"), pl.col("relation")
    # One unit among the operands (the list holds the distinct ones); a share divides two like
    # amounts into a percent, the others add or compare amounts of the statistic's own unit.
    alike = ~operands.str.contains(",")
    share = (unit == "percent") & alike
    same = alike & (operands == unit)
    # An unknown kind of relation is the schema's enum finding; nothing to say about its units.
    judged = pl.when(kind == "share").then(share).when(kind.is_in(["part_of", "sum"])).then(same).otherwise(True)
    return unit.is_null() | operands.is_null() | judged


def _unit_message(r: Row) -> str:
    if r["relation"] == "share":
        return (
            f"a share is a percent of two amounts of one unit, but statistic {cell(r, 'statistic_id')} is in "
            f"{r['_unit']} and the operands in {r['_operand_units']}: relate a percent statistic to two counts (or two amounts)"
        )
    return (
        f"a {r['relation']} relation compares amounts of one unit, but statistic {cell(r, 'statistic_id')} is in "
        f"{r['_unit']} and the operands in {r['_operand_units']}: relate statistics of the same unit"
    )


def rules() -> list[Rule]:
    return [
        Rule(
            "foreign-key",
            "statistic_id",
            pl.col("_statistic_known"),
            lambda r: (
                f"statistic_id {cell(r, 'statistic_id')} is not a statistic_id of datasets/statistics.csv: "
                "fix the id or add the statistic"
            ),
            frozenset({"statistic_id"}),
        ),
        Rule(
            "foreign-key",
            "operands",
            pl.col("_unknown_operands").is_null(),
            lambda r: (
                f"operands name {r['_unknown_operands']}, which datasets/statistics.csv does not have: "
                "fix the id or add the statistic"
            ),
            frozenset({"operands"}),
        ),
        Rule(
            "relation-operands",
            "operands",
            _arity_ok() & ~pl.col("_operand_repeated").fill_null(False),
            _arity_message,
            frozenset({"operands", "relation", "statistic_id"}),
        ),
        Rule(
            "relation-unit",
            "statistic_id",
            _unit_ok(),
            _unit_message,
            frozenset({"operands", "relation", "statistic_id"}),
        ),
        Rule(
            "relation-repeated",
            "operands",
            pl.col(REPEAT_OF).is_null(),
            _repeat_message,
            # The condition reads only the derived column; these are what enrich compared.
            frozenset({"relation_id", "relation", "statistic_id", "operands"}),
            # It compares rows: a repeat is one only beside the row it repeats.
            whole_table=True,
        ),
        formula_injection("note"),
    ]
