"""The quote searches come back one row per claim, in the claims' order, whatever order they run in."""

from __future__ import annotations

import polars as pl
import pytest

import validate.claim_rules as claim_rules
from validate import cell_scan

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


def test_the_same_answers_from_the_polars_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the C extension is not built, polars does the searches."""
    monkeypatch.setattr(cell_scan, "_cells", None)
    assert claim_rules._text_found(CLAIMS, TEXTS).rows() == EXPECTED


def test_the_claims_order_whatever_order_the_sources_come_in() -> None:
    """The searches visit the claims by source; the answers still come back in the claims' order."""
    many = pl.concat([CLAIMS] * 50)
    assert claim_rules._text_found(many, TEXTS.reverse()).rows() == EXPECTED * 50
