"""The no-bound reason against the value reader: words it reads as a value state a bound."""

from __future__ import annotations

import pytest

from validate.rules.exclusion_reasons import bounded_reading


@pytest.mark.parametrize("words", ["many", "several", "a myriad of", "a number of", "multiple", "a few", "Many"])
def test_words_that_imply_no_interval_have_no_reading(words: str) -> None:
    assert bounded_reading(words) is None


@pytest.mark.parametrize(
    ("words", "reading"),
    [
        ("Dozens", "'Dozens' reads as order_of_magnitude 12"),
        ("hundreds of", "'hundreds' reads as order_of_magnitude 100"),
        ("2017", "'2017' reads as exact 2017"),
        ("many of the 40", "'40' reads as exact 40"),  # the first phrase that states a bound
    ],
)
def test_words_the_value_reader_reads_state_a_bound(words: str, reading: str) -> None:
    assert bounded_reading(words) == reading


def test_words_longer_than_the_reader_reads_are_left_to_the_length_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile schema may drop text's maxLength: megabytes of 'many' with reason no-bound took
    37 s to read, and ten million digits raised decimal.Overflow. Such a text is not read."""
    import polars as pl

    from validate.rules import exclusion_reasons

    read: list[str] = []
    monkeypatch.setattr(exclusion_reasons, "bounded_reading", lambda t: read.append(t) or None)
    rows = pl.DataFrame({"reason": ["no-bound", "no-bound"], "text": ["many " * 100_000, "Dozens"]})
    assert exclusion_reasons._passes(rows.to_struct("r")).to_list() == [True, True]
    assert read == ["Dozens"]
