"""The quote searches come back one row per claim, in the claims' order, whatever order they run in."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import validate.rules.claims as claim_rules
from validate.kernels import cells as cell_kernels
from validate.text.normalise import normalise

CLAIMS = pl.DataFrame(
    {
        "source_id": ["s1", "s2", "s1", "s9", None],
        "_quote_norm": ["about 12 cities", "no such words", "12 cities", "x", "y"],
        "_value_text_norm": ["12", "12", "13", None, None],
        "_counted_as_norm": [None, None, "cities", None, None],
    }
)
TEXTS = pl.DataFrame({"source_id": ["s1", "s2"], "_text": ["It was about 12 cities in all.", "Other words."]})
# quote found, value_text found, counted_as found, whether the closest passage was searched for
# (a quote not found), source known
EXPECTED = [
    (True, True, None, False, True),
    (False, False, None, True, True),
    (True, False, True, False, True),
    (None, None, None, False, False),
    (None, None, None, False, None),
]


def _answers(found: pl.DataFrame) -> list[tuple[object, ...]]:
    return found.select(
        "_quote_found",
        "_value_text_found",
        "_counted_as_found",
        pl.col("_closest_score").is_not_null(),
        "_source_known",
    ).rows()


def test_each_claim_gets_its_own_answers() -> None:
    assert _answers(claim_rules._text_found(CLAIMS, TEXTS, True)) == EXPECTED


def test_the_same_answers_from_the_polars_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the C extension is not built, polars does the searches."""
    monkeypatch.setattr(cell_kernels, "_cells", None)
    assert _answers(claim_rules._text_found(CLAIMS, TEXTS, True)) == EXPECTED


def test_the_claims_order_whatever_order_the_sources_come_in() -> None:
    """The searches visit the claims by source; the answers still come back in the claims' order."""
    many = pl.concat([CLAIMS] * 50)
    assert _answers(claim_rules._text_found(many, TEXTS.reverse(), True)) == EXPECTED * 50


def test_no_source_known_or_unknown_without_the_sources() -> None:
    """Without sources.csv's source_id column, no claim's source is found unknown (the schema
    rules report the column)."""
    none = claim_rules._text_found(CLAIMS, TEXTS.clear(), False)
    assert none.get_column("_source_known").to_list() == [None] * 5


def test_a_source_without_a_readable_text_is_still_known() -> None:
    """A source whose seed could not be read has a null _text: its claims' source_id is known,
    and their quotes get no answer (the seed's own finding says why)."""
    texts = pl.DataFrame({"source_id": ["s1", "s2"], "_text": ["It was about 12 cities in all.", None]})
    found = claim_rules._text_found(CLAIMS, texts, True)
    assert _answers(found)[1] == (None, False, None, False, True)


_CELL = st.one_of(
    st.none(),
    st.text(st.sampled_from("ab 1,\t\n\u00a0\u2019\u201c\u201d\u2014é"), max_size=12),
    st.just("x" * (claim_rules.MAX_QUOTE + 1)),
    st.just("a  " * 700),  # too long, and not plain: left unnormalised all the same
)


@pytest.mark.parametrize("extension", [True, False], ids=["extension", "polars"])
@settings(max_examples=60, deadline=None)
@given(cells=st.lists(_CELL, max_size=30), cut=st.integers(0, 30))
def test_normalised_cells_are_normalise_of_each_cell_that_fits(
    extension: bool, cells: list[str | None], cut: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if not extension:
            patch.setattr(cell_kernels, "_cells", None)
        _normalised_as_reference(cells, cut)


def _normalised_as_reference(cells: list[str | None], cut: int) -> None:
    column = pl.Series("quote", cells, dtype=pl.String)
    if 0 < cut < len(cells):  # two chunks, as the fast reader gives
        column = pl.concat([column.slice(0, cut), column.slice(cut)], rechunk=False)
    frame = cell_kernels.profile_columns(column.to_frame(), ["quote"])
    expected = [None if c is None or len(c) > claim_rules.MAX_QUOTE else normalise(c) for c in cells]
    got = claim_rules._normalised(frame, "quote")
    assert got.name == "_quote_norm" and got.to_list() == expected
