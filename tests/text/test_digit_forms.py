"""A quote's digits are the source's as printed: normalising may fold other characters into digits."""

from __future__ import annotations

import pytest

from validate.text.digit_forms import changed_digits, digit_forms
from validate.text.normalise import normalise
from validate.text.quote_locator import QuoteLocator


@pytest.mark.parametrize(
    ("source", "quote", "shown"),
    [
        (
            "The audit identified 675\u00b2 jurisdictions.",
            "identified 6752 jurisdictions",
            "entified 675\u00b2 jurisdictio",
        ),
        ("It held 67\u00bd tons.", "held 671\u20442 tons", "held 67\u00bd tons"),
        (
            "Jails declined \uff16\uff17\uff15 requests.",
            "declined 675 requests",
            "declined \uff16\uff17\uff15 requests",
        ),
        ("Open \u33e0 March.", "Open 1\u65e5 March", "Open \u33e0 March"),
    ],
)
def test_a_quote_whose_digits_normalising_folded_is_shown_where_the_source_prints_them(
    source: str, quote: str, shown: str
) -> None:
    assert normalise(quote) in normalise(source)  # it matches, but only once folded
    assert changed_digits(QuoteLocator(source), source, normalise(quote), quote) == shown


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        (
            "The audit identified 675 jurisdictions\u00b2.",
            "identified 675 jurisdictions",
        ),  # the mark is outside the quote
        ("The audit identified 675\u00b2 jurisdictions.", "identified 675\u00b2 jurisdictions"),  # quoted as printed
        ("Temperatures reached 30\u00b0 in 2019.", "reached 30\u00b0 in 2019"),  # a symbol that folds into no digit
    ],
)
def test_a_quote_that_prints_the_source_s_digits_passes(source: str, quote: str) -> None:
    assert changed_digits(QuoteLocator(source), source, normalise(quote), quote) is None


def test_digit_forms_keeps_digits_and_what_folds_into_them() -> None:
    assert digit_forms("a1\u00b2\u00bd\uff13\u00b0b") == "1\u00b2\u00bd\uff13"
