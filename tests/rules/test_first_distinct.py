"""first_distinct() is polars' is_first_distinct(), with or without the hash shortcut."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validate.rules.schema_rules import first_distinct

_KEYS = st.lists(st.none() | st.sampled_from(["a", "b", "c", "ab", ""]) | st.text(max_size=3), max_size=30)


def _both(frame: pl.DataFrame, key: pl.Expr) -> tuple[list[bool], list[bool]]:
    got = frame.select(first_distinct(key).alias("k")).to_series().to_list()
    return got, frame.select(key.is_first_distinct().alias("k")).to_series().to_list()


@settings(max_examples=200, deadline=None)
@given(a=_KEYS, b=_KEYS)
def test_first_distinct_is_is_first_distinct(a: list[str | None], b: list[str | None]) -> None:
    n = min(len(a), len(b))
    frame = pl.DataFrame({"a": a[:n], "b": b[:n]}, schema={"a": pl.String, "b": pl.String})
    got, expected = _both(frame, pl.col("a"))
    assert got == expected
    got, expected = _both(frame, pl.struct("a", "b"))
    assert got == expected


def test_keys_that_share_a_hash_are_still_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if every key collided: the shortcut must not be taken, and distinct keys still pass.
    monkeypatch.setattr(pl.Series, "hash", lambda self, *a, **k: pl.Series([0] * self.len(), dtype=pl.UInt64))
    frame = pl.DataFrame({"a": ["x", "y", "x", "z"]})
    assert _both(frame, pl.col("a")) == ([True, True, False, True], [True, True, False, True])
    unique = pl.DataFrame({"a": ["x", "y", "z"]})
    assert _both(unique, pl.col("a"))[0] == [True, True, True]
