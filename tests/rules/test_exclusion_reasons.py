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
