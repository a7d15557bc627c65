"""Reads the built database for the site: one read-only connection, every column asked for by name.

The views grow between versions of the contract (claim_fidelity, relation_checks and the primary
reading arrive with version 2). Each page asks for the columns it can show; a column or view that
this database lacks comes back as None or no rows, and the page says less instead of failing.
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

    def has(self, table: str, column: str | None = None) -> bool:
        """Whether the table or view exists (and has `column`, when one is named)."""
        columns = self._columns.get(table)
        return columns is not None and (column is None or column in columns)

    def rows(self, table: str, columns: Sequence[str], order_by: Iterable[str]) -> list[Row]:
        """Every row of `table` as {column: value}, None for a column the table lacks; [] for no table."""
        present = self._columns.get(table)
        if present is None:
            return []
        chosen = [c for c in columns if c in present]
        order = [c for c in order_by if c in present]
        if not chosen:
            return []
        # Names come from the code and the catalogue, never from the data; each is quoted all the same.
        sql = f"SELECT {', '.join(map(_ident, chosen))} FROM {_ident(table)}"
        if order:
            sql += f" ORDER BY {', '.join(map(_ident, order))}"
        out = []
        for record in self._con.execute(sql).fetchall():
            row: Row = dict.fromkeys(columns)
            row.update(zip(chosen, record, strict=True))
            out.append(row)
        return out
