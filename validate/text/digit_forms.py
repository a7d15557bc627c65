"""The digits of a quote as its source prints them, before normalising.

A quote is matched after NFKC, which folds a superscript into a digit (675² reads 6752), a
fraction into digits and a slash (½ reads 1⁄2) and a fullwidth digit into an ASCII one. The
contract holds that a quote whose digits differ from the source's before that folding is not
verbatim: a footnote mark after 675 must not let a claim of 6752 pass.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from validate.text.quote_locator import QuoteLocator

# Every character that NFKC folds into text holding an ASCII digit is a number (Nd, No) or a
# symbol (So: ㏠ reads 1日) in the Unicode of Python 3.11 (every code point was tried): a text
# without one of those but 0-9 keeps its digits through normalising. A pattern for polars.
MAY_FOLD_TO_DIGIT = r"[\p{Nd}\p{No}\p{So}--0-9]"


@cache
def _is_digit_form(ch: str) -> bool:
    """Whether `ch` is a digit 0-9, or a character that normalising folds into one."""
    return "0" <= ch <= "9" or any("0" <= c <= "9" for c in unicodedata.normalize("NFKC", ch))


def digit_forms(text: str) -> str:
    """The characters of `text` that are digits or are read as digits once normalised, in order."""
    return "".join(ch for ch in text if _is_digit_form(ch))


def changed_digits(source: QuoteLocator, original: str, quote_norm: str, quote: str, reach: int = 12) -> str | None:
    """Where the normalised quote is found in the source's `original` text (mapped by `source`),
    if the digits the source prints there are not the quote's (`quote` as written): the source's
    text around the first that differs. None if they are the same or the quote is not found."""
    place = source.find(quote_norm)
    if place is None:
        return None
    start, end = place
    printed = [at for at in range(start, end) if _is_digit_form(original[at])]
    written = digit_forms(quote)
    if "".join(original[at] for at in printed) == written:
        return None
    first = next((i for i, at in enumerate(printed) if i >= len(written) or original[at] != written[i]), None)
    at = printed[first] if first is not None else (printed[-1] if printed else start)
    return original[max(start, at - reach) : min(end, at + reach + 1)]
