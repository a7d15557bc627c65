"""Pandera sees only the rows that break some rule: the findings must be those of validating every row."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from rules.test_rules import CASES, same_findings_with

import validate
from validate.rules import pandera_run, schema_rules
from validate.rules.rule import Rule

MakeRoot = Callable[..., Path]


def _every_row(frame: pl.DataFrame, rules: list[Rule], done: pl.DataFrame | None = None, *_: object) -> pl.DataFrame:
    """What screen() returns with no screening: every row, whole-table results alongside."""
    whole = [r.passes.fill_null(True).alias(pandera_run._result(i)) for i, r in enumerate(rules) if r.whole_table]
    return frame.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(pandera_run._ROW), *whole)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES if not c.bug])
def test_screening_gives_the_findings_of_every_row(
    case: object, make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    same_findings_with(case, make_root, monkeypatch, pandera_run, "screen", _every_row)  # type: ignore[arg-type]


def test_screen_keeps_only_rows_that_break_a_rule() -> None:
    frame = pl.DataFrame({"a": ["x", None, "y", "x"]})
    rules = [
        Rule("constraint-error", "a", pl.col("a").is_not_null(), lambda r: "empty"),
        Rule("unique-error", "a", pl.col("a").is_first_distinct(), lambda r: "again", whole_table=True),
    ]
    suspects = pandera_run.screen(frame, rules)
    assert suspects.get_column(pandera_run._ROW).to_list() == [1, 3]
    # The duplicate is judged over the whole table, where its first occurrence (row 0) is.
    assert suspects.get_column(pandera_run._result(1)).to_list() == [True, False]


def test_a_whole_table_rule_judged_on_the_subset_would_lose_its_finding(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why whole_table exists: the duplicate's first occurrence breaks no rule, so it is not among
    the rows Pandera sees, and there the duplicate would look like a first occurrence."""
    root = make_root("primary-key")
    assert [(f.row, f.check) for f in validate.check(root)] == [(7, "primary-key")]
    original = schema_rules.schema_rules

    def row_scoped(schema: object) -> list[Rule]:
        return [replace(r, whole_table=False) for r in original(schema)]  # type: ignore[arg-type]

    # validate.check is also the function the package exports: patch the module itself.
    monkeypatch.setattr(importlib.import_module("validate.rules.check"), "schema_rules", row_scoped)
    assert [(f.row, f.check) for f in validate.check(root)] == []


def test_screen_with_no_rules_keeps_no_row() -> None:
    suspects = pandera_run.screen(pl.DataFrame({"a": ["x", "y"]}), [])
    assert suspects.height == 0
    assert pandera_run._ROW in suspects.columns


def test_results_worked_out_early_screen_as_the_rest() -> None:
    """The rules that need no derived column are worked out beside the enrichment; the rows
    screened with their results are the rows screened without."""
    frame = pl.DataFrame({"a": ["x", None, "y", "x"], "_derived": [1, 2, 3, 4]})
    rules = [
        Rule("constraint-error", "a", pl.col("a").is_not_null(), lambda r: "empty"),
        Rule("unique-error", "a", pl.col("a").is_first_distinct(), lambda r: "again", whole_table=True),
        Rule("constraint-error", "a", pl.col("_derived") != 3, lambda r: "three"),
    ]
    early = pandera_run.early_rules(frame.drop("_derived"), rules)
    assert early == [0, 1]
    done = pandera_run.results(frame.drop("_derived"), rules, early)
    assert pandera_run.screen(frame, rules, done).equals(pandera_run.screen(frame, rules))
    assert pandera_run.screen(frame, rules).get_column(pandera_run._ROW).to_list() == [1, 2, 3]


def test_a_suspect_record_reads_its_row_and_converts_only_the_columns_read() -> None:
    frame = pl.DataFrame({"a": ["x", None, "z"], "b": [1, 2, 3], "c": ["p", "q", "r"]})
    cells = pandera_run._Cells(frame)
    record = pandera_run._Record(cells, 2)
    assert record["a"] == "z" and record.get("b") == 3
    assert record.get("missing") is None  # a message's row.get of a column the frame lacks
    with pytest.raises(KeyError):
        record["missing"]
    assert list(record) == ["a", "b", "c"] and len(record) == 3
    assert pandera_run._Record(cells, 1).get("a") is None
    assert set(cells._lists) == {"a", "b"}  # column c never read, never converted
