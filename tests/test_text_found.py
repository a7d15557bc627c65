"""The DuckDB searches come back one row per claim, in the claims' order, whatever order DuckDB returns."""

from __future__ import annotations

import polars as pl
import pytest

import validate.claim_rules as claim_rules

CLAIMS = pl.DataFrame(
    {
        "source_id": ["s1", "s2", "s1", "s9", None],
        "_quote_norm": ["about 12 cities", "no such words", "12 cities", "x", "y"],
        "_value_text_norm": ["12", "12", "13", None, None],
        "_counted_as_norm": [None, None, "cities", None, None],
    }
)
TEXTS = pl.DataFrame({"source_id": ["s1", "s2"], "_text": ["It was about 12 cities in all.", "Other words."]})
EXPECTED = [
    (True, True, None, None),
    (False, False, None, "Other words."),
    (True, False, True, None),
    (None, None, None, None),
    (None, None, None, None),
]


def test_each_claim_gets_its_own_answers() -> None:
    assert claim_rules._text_found(CLAIMS, TEXTS).rows() == EXPECTED


def test_rows_come_back_in_the_claims_order_even_if_duckdb_reorders(monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB keeps a plain scan's order; were that ever to change, the guard sorts them back.
    query = claim_rules.read_sql("claim_text_found")
    monkeypatch.setattr(claim_rules, "read_sql", lambda name: f"SELECT * FROM ({query}) ORDER BY _i DESC")
    assert claim_rules._text_found(CLAIMS, TEXTS).rows() == EXPECTED
