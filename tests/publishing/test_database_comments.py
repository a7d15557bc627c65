"""The built database says what its tables, columns and views mean, for a reader who has only the file.

A stranger opening build/claims.duckdb in the DuckDB shell (as the README suggests) found
duckdb_views() with a NULL comment on every view: what claim_fidelity's labels mean was written
only in the repository's .sql files.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from conftest import MakeRoot

from validate.paths import Layout, read_sql
from validate.publishing.build import build
from validate.publishing.database import (
    EXTRA_TABLES,
    VIEWS,
    column_comments,
    database_path,
    sql_string,
    view_comment,
)
from validate.reading.table_schema import load_schema


def comments(path: Path) -> dict[str, str | None]:
    with duckdb.connect(str(path), read_only=True) as con:
        found = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
        found |= dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
        found |= {
            f"{t}.{c}": comment
            for t, c, comment in con.execute("SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()
        }
    return found


def test_every_table_column_and_view_carries_its_meaning(make_root: MakeRoot) -> None:
    root = make_root()
    build(root)
    found = comments(database_path(Layout(root)))
    claims = load_schema(root / "schema" / "claims.schema.json")
    assert found["claims"] == json.loads((root / "schema" / "claims.schema.json").read_text())["description"]
    assert found["claims.value_text"] == claims.field("value_text").description
    for name in (*VIEWS, *EXTRA_TABLES):
        assert found[name] == view_comment(read_sql(name)), name
        assert str(found[name]).startswith(f"{name}: "), name
    assert "hedge_dropped" in str(found["claim_fidelity"])


def test_every_column_of_every_table_and_view_says_what_it_means(make_root: MakeRoot) -> None:
    # DESCRIBE claim_fidelity showed NULL for all 91 columns of the views, and for the 17 columns
    # the build adds to the tables (claims.value_step, quote_start, period_from, ...).
    root = make_root()
    build(root)
    with duckdb.connect(str(database_path(Layout(root))), read_only=True) as con:
        missing = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
        ).fetchall()
        found = dict(
            con.execute(
                "SELECT table_name || '.' || column_name, comment FROM duckdb_columns() WHERE NOT internal"
            ).fetchall()
        )
    assert missing == [], (
        "add an entry '-- column: what it means' to the leading comment of validate/publishing/sql/<view>.sql "
        "(a table's added column: its description in validate/publishing/derived.py)"
    )
    assert str(found["claims.value_step"]).startswith("Added by the build: the unit of the last stated digit")
    assert str(found["claims.period_from"]).startswith("Added by the build: the first day that period_start covers")
    assert found["claim_fidelity.label"] == column_comments(read_sql("claim_fidelity"))["label"]
    # A column passed through from a table means what it means there, read from its schema.
    claims = load_schema(root / "schema" / "claims.schema.json")
    assert found["claim_fidelity.meaning"] == f"As in claims: {claims.field('meaning').description}"
    # An entry runs to the next entry of a column, past prose that begins with a word and a colon.
    assert "claim_fidelity: for value" in str(found["claim_conflicts.reason"])
    assert "named one by one" not in str(found["claim_intervals.inside_quotation_marks"])
    assert str(found["statistic_agreement.primary_high_inclusive"]).startswith(
        "primary_low, primary_high (+ _inclusive)"
    )


def test_column_comments_reads_each_entry_to_the_next() -> None:
    sql = (
        "-- v: what the view is.\n--\n"
        "-- a_low, a_high (+ _inclusive), b: the bounds\n--   and more of them\n"
        "-- c:\n--   x   one code\n--   y   another\n"
        "-- Prose that names no column: d, e.\n"
        "--\n-- after the gap\nCREATE VIEW v AS SELECT 1 AS f -- f: not this\n"
    )
    found = column_comments(sql)
    assert set(found) == {"v", "a_low", "a_high", "a_low_inclusive", "a_high_inclusive", "b", "c"}
    assert found["a_high_inclusive"] == "a_low, a_high (+ _inclusive), b: the bounds\n  and more of them"
    assert found["c"] == "c:\n  x   one code\n  y   another\nProse that names no column: d, e."


def test_a_line_of_prose_that_begins_like_an_entry_continues_the_one_before() -> None:
    sql = "-- reason: why, by\n-- claim_fidelity: for value, the one outside\n-- other: its own\nCREATE VIEW v AS SELECT 1\n"
    found = column_comments(sql, ["reason", "other"])
    assert found == {"reason": "reason: why, by\nclaim_fidelity: for value, the one outside", "other": "other: its own"}


def test_a_hostile_description_is_a_comment_and_nothing_else(make_root: MakeRoot) -> None:
    root = make_root()
    path = root / "schema" / "claims.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    hostile = "It's'; DROP TABLE claims; -- \x00 and \\' too"
    schema["fields"][0]["description"] = hostile
    path.write_text(json.dumps(schema), encoding="utf-8")
    build(root)
    found = comments(database_path(Layout(root)))
    assert found["claims.claim_id"] == hostile.replace("\x00", "")
    assert "claims" in found  # the table is still there


def test_view_comment_reads_the_leading_block_only() -> None:
    assert view_comment("-- v: what it is.\n--\n--   detail\nCREATE VIEW v AS SELECT 1 -- not this\n") == (
        "v: what it is.\n\n  detail"
    )
    assert sql_string("a'b") == "'a''b'"
