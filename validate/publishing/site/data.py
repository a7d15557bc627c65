"""Reads the built database for the site: one read-only connection, each table or view read whole.

Columns are named once, by the table schemas and the views' SQL: the site takes each table or
view whole, as the database's catalogue lists it, and names only the columns a page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from validate.publishing.connection import connect as restricted_connect

Row = dict[str, Any]


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The database at `path`, read-only, with the toolkit's restricted settings."""
    return restricted_connect(path, read_only=True)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Database:
    """The tables and views of a built database, read column by name."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall():
            self._columns.setdefault(str(table), []).append(str(column))

    def columns(self, table: str) -> list[str]:
        """The columns of a table or view, in the catalogue's order."""
        try:
            return self._columns[table]
        except KeyError:
            # build writes every table and view the site reads, in the same run: a missing one is a
            # bug of the toolkit, not of the data, and must not turn into a quietly thinner page.
            raise RuntimeError(f"the database has no table or view {table!r}") from None

    def rows(self, table: str, order_by: Iterable[str]) -> list[Row]:
        """Every row of `table` as {column: value}, each column the catalogue lists for it."""
        columns = self.columns(table)
        # Names come from the catalogue, never from the data; each is quoted all the same.
        sql = f"SELECT {', '.join(map(_ident, columns))} FROM {_ident(table)}"
        order = list(order_by)
        if order:
            sql += f" ORDER BY {', '.join(map(_ident, order))}"
        return [dict(zip(columns, record, strict=True)) for record in self._con.execute(sql).fetchall()]

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[Row]:
        """The rows of `sql`, one of the site's own orders (content.py), as {column: value}."""
        cursor = self._con.execute(sql, parameters)
        columns = [str(d[0]) for d in cursor.description or ()]
        return [dict(zip(columns, record, strict=True)) for record in cursor.fetchall()]

    def first_rows(
        self, table: str, join: str, order: Sequence[str], per: str, limit: int
    ) -> tuple[list[Row], dict[Any, int]]:
        """The first `limit` rows of `table` (named k) for each value of `per`, in the order of the
        SQL expressions `order` over `join` (the site's own SQL, content.py; each expression never
        NULL, and together they tell every two rows of a `per` apart), and how many rows each value
        has in all. A view of pairs (claim_conflicts) grows as the square of a statistic's
        citations: each value keeps only its first `limit` rows as the pairs stream by (arg_min's
        bounded state), where a window numbering the rows held every pair (1.7 GB for the 3 million
        pairs of 4,000 claims of one statistic, 0.2 GB this way)."""
        columns = self.columns(table)
        row = f"struct_pack({', '.join(f'{_ident(c)} := k.{_ident(c)}' for c in columns)})"
        key = f"struct_pack({', '.join(f'o{i} := {e}' for i, e in enumerate(order))})"
        # Each row and its key made once, in the inner select; arg_min keeps the first by key.
        sql = (
            f"SELECT first.row FROM (SELECT unnest(arg_min(p, p.key, {int(limit)})) AS first FROM "
            f"(SELECT k.{_ident(per)} AS per, struct_pack(row := {row}, key := {key}) AS p "
            f"FROM {_ident(table)} AS k {join}) GROUP BY per) ORDER BY first.row.{_ident(per)}, first.key"
        )
        rows = [dict(zip(columns, r[0].values(), strict=True)) for r in self._con.execute(sql).fetchall()]
        counts = self._con.execute(f"SELECT {_ident(per)}, count(*) FROM {_ident(table)} GROUP BY ALL").fetchall()
        return rows, dict(counts)
