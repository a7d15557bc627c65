"""Hostile values and names in `claims sql`: an answer Python cannot hold as it is (a huge or a
month-long interval, an infinite date) is written as DuckDB writes it, in every format, never an
internal error; a query that is not UTF-8 is a usage error; and JSON, which holds one value per
name, refuses two columns of one name instead of dropping one."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from roots import build_root

from validate import cli
from validate.errors import UsageError
from validate.publishing.build import build
from validate.publishing.query import query, render_rows


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = build_root(tmp_path_factory.mktemp("sql-values") / "root")
    build(folder)
    return folder


def _sql(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["sql", "--root", str(root), *args])
    out, err = capsys.readouterr()
    return status, out, err


# Each value as DuckDB writes it (SELECT CAST(... AS VARCHAR)).
@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ("SELECT INTERVAL 100000000 YEAR AS v", "100000000 years"),  # OverflowError: past a C int
        ("SELECT to_days(2147483647) AS v", "2147483647 days"),  # OverflowError: past timedelta's days
        ("SELECT INTERVAL '1000000000 days' AS v", "1000000000 days"),
        ("SELECT INTERVAL 1 MONTH AS v", "1 month"),  # was timedelta(days=30)
        ("SELECT 'infinity'::DATE AS v", "infinity"),  # was 9999-12-31
        ("SELECT '-infinity'::DATE AS v", "-infinity"),  # was 0001-01-01
        ("SELECT 'infinity'::TIMESTAMP AS v", "infinity"),
        ("SELECT '-infinity'::TIMESTAMPTZ AS v", "-infinity"),
        ("SELECT 'infinity'::TIMESTAMP_NS AS v", "infinity"),
        ("SELECT DATE '10000-01-01' AS v", "10000-01-01"),
        ("SELECT DATE '0000-01-01' AS v", "0001-01-01 (BC)"),
        ("SELECT TIME '24:00:00' AS v", "24:00:00"),
        ("SELECT union_value(k := INTERVAL 100000000 YEAR) AS v", "100000000 years"),
        ("SELECT [INTERVAL 100000000 YEAR] AS v", "[100000000 years]"),
        ("SELECT {'a': to_days(2147483647)} AS v", "{'a': 2147483647 days}"),
        ("SELECT ['infinity'::DATE] AS v", "[infinity]"),  # was [9999-12-31]
        ("SELECT {'t': '-infinity'::TIMESTAMP} AS v", "{'t': -infinity}"),
        # NaN and infinity inside a nested value were written null
        ("SELECT [1.5, 'nan'::DOUBLE, 'inf'::DOUBLE] AS v", "[1.5, nan, inf]"),
        ("SELECT {'a': '-inf'::FLOAT} AS v", "{'a': -inf}"),
        ("SELECT [[1.0], ['nan'::DOUBLE]] AS v", "[[1.0], [nan]]"),
        ("SELECT MAP {'k': 'nan'::DOUBLE} AS v", "{k=nan}"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_value_python_cannot_hold_is_written_as_duckdb_writes_it(
    root: Path, sql: str, written: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _sql(root, capsys, "--format", fmt, sql)
    assert (status, err) == (cli.EXIT_VALID, "")
    if fmt == "json":
        assert json.loads(out) == [{"v": written}]
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(out))) == [["v"], [written]]
    else:
        assert out.splitlines()[2] == written


def test_only_the_column_that_needs_it_is_text(root: Path) -> None:
    # Finite dates stay dates, in order; a column with an infinite one is text throughout.
    sql = (
        "SELECT x, DATE '2020-01-01' + x::INTEGER AS d, "
        "CASE WHEN x = 1 THEN 'infinity'::DATE ELSE DATE '2020-01-01' END AS e "
        "FROM range(3) t(x) ORDER BY x DESC"
    )
    columns, rows = query(root, sql, build_if_stale=False)
    assert columns == ["x", "d", "e"]
    assert [r[0] for r in rows] == [2, 1, 0]
    assert [r[1].isoformat() for r in rows] == ["2020-01-03", "2020-01-02", "2020-01-01"]
    assert [r[2] for r in rows] == ["2020-01-01", "infinity", "2020-01-01"]


def test_a_query_that_is_not_utf8_is_a_usage_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A command-line byte that is not UTF-8 reaches Python as a lone surrogate (PEP 383).
    status, out, err = _sql(root, capsys, "SELECT '\udcff'")
    assert (status, out) == (cli.EXIT_USAGE, "")
    assert "the query is not valid UTF-8 (it holds the byte 0xff)" in err
    assert "internal error" not in err
    with pytest.raises(UsageError, match="parameter 1 is not valid UTF-8"):
        query(root, "SELECT ?", params=["\ud800"], build_if_stale=False)


def test_two_columns_of_one_name_are_refused_in_json(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _sql(root, capsys, "--format", "json", "SELECT 1 a, 2 a")
    assert (status, out) == (cli.EXIT_USAGE, "")
    assert "2 columns are named 'a'" in err and "name them apart with AS" in err
    # Also when there are no rows: the refusal does not depend on the data.
    status, out, err = _sql(root, capsys, "--format", "json", "SELECT 1 a, 2 a WHERE false")
    assert (status, out) == (cli.EXIT_USAGE, "")


def test_a_table_and_csv_show_both_columns_under_the_names_given(root: Path) -> None:
    columns, rows = query(root, "SELECT 1 a, 2 a", build_if_stale=False)
    assert (columns, rows) == (["a", "a"], [(1, 2)])
    assert render_rows(columns, rows, "csv") == "a,a\n1,2\n"
    assert render_rows(columns, rows, "table").splitlines()[0] == "a  a"
    # Names that differ only in case are two keys in JSON.
    columns, rows = query(root, 'SELECT 1 a, 2 "A"', build_if_stale=False)
    assert json.loads(render_rows(columns, rows, "json")) == [{"a": 1, "A": 2}]


def test_a_nested_column_of_finite_numbers_stays_numbers(root: Path) -> None:
    # Only a column that holds a NaN or an infinity somewhere becomes text, and only that one.
    _, rows = query(
        root,
        "SELECT [x * 1.5] AS a, [CASE WHEN x = 1 THEN 'nan'::DOUBLE ELSE x END] AS b FROM range(2) t(x)",
        build_if_stale=False,
    )
    assert [r[0] for r in rows] == [[0.0], [1.5]]
    assert [r[1] for r in rows] == ["[0.0]", "[nan]"]
