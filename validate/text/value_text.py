"""Reads a claim's value_text ("more than 29,269", "nearly a quarter") as (qualifier, value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from validate.text.normalise import normalise

# Longest phrases first: "no more than" must win over "more than".
_QUALIFIERS: list[tuple[str, str]] = sorted(
    [
        ("more than", "more_than"),
        ("over", "more_than"),
        ("upwards of", "more_than"),
        ("in excess of", "more_than"),
        ("at least", "at_least"),
        ("no fewer than", "at_least"),
        ("no less than", "at_least"),
        ("a minimum of", "at_least"),
        ("nearly", "nearly"),
        ("almost", "nearly"),
        ("close to", "nearly"),
        ("just under", "nearly"),
        ("approximately", "approximately"),
        ("about", "approximately"),
        ("around", "approximately"),
        ("roughly", "approximately"),
        ("some", "approximately"),
        ("an estimated", "approximately"),
        ("estimated", "approximately"),
        ("fewer than", "fewer_than"),
        ("less than", "fewer_than"),
        ("under", "fewer_than"),
        ("at most", "at_most"),
        ("no more than", "at_most"),
        ("up to", "at_most"),
    ],
    key=lambda pair: -len(pair[0]),
)

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "a hundred": 100,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Shares said in words, in percent.
_SHARES = {
    "all": 100,
    "none": 0,
    "half": 50,
    "a half": 50,
    "one half": 50,
    "a quarter": 25,
    "one quarter": 25,
    "one in four": 25,
    "three quarters": 75,
    "a fifth": 20,
    "one fifth": 20,
    "a tenth": 10,
    "one tenth": 10,
    "one in ten": 10,
    "two in ten": 20,
}
# Vague shares: the only bound they imply.
_MAJORITY = {"the majority", "a majority", "the vast majority", "a vast majority", "most"}
# "tens of thousands": order_of_magnitude, the lower bound of the magnitude.
_MAGNITUDES = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
    "tens of millions": 10_000_000,
    "hundreds of millions": 100_000_000,
    "billions": 1_000_000_000,
}

_NUMBER = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
# "(N)early" and "(T)hese": editors' bracketed changes to a quoted word.
_EDITORIAL = re.compile(r"[(\[]([a-z])[)\]]")


@dataclass(frozen=True)
class ParsedValue:
    qualifier: str
    value: float
    # What the words say the value is measured in: "percent", "usd" or "count" (a bare number,
    # which a percent or usd statistic may also state when the unit is in the quote's other words).
    kind: str
    # Half of this is the rounding an exact value admits ("2.4 million": step 100,000).
    step: float


class ValueTextError(ValueError):
    """value_text does not read as a qualifier and a value."""


def parse_value_text(text: str) -> ParsedValue:
    """Read value_text as its qualifier, value, kind and rounding step."""
    # Trailing punctuation is the sentence's; a leading "." may be a decimal point (".5%").
    s = _EDITORIAL.sub(r"\1", normalise(text).lower()).lstrip(" ,;:").rstrip(" .,;:")
    if not s:
        raise ValueTextError("it is empty")
    if s in _MAGNITUDES:
        n = _MAGNITUDES[s]
        return ParsedValue("order_of_magnitude", float(n), "count", float(n))
    if s in _MAJORITY:
        return ParsedValue("more_than", 50.0, "percent", 1.0)
    qualifier = "exact"
    for phrase, name in _QUALIFIERS:
        if s.startswith(phrase + " "):
            qualifier, s = name, s[len(phrase) :].strip()
            break
    if s in _SHARES:
        return ParsedValue(qualifier, float(_SHARES[s]), "percent", 1.0)
    if s.startswith("all ") and qualifier == "exact":
        s = s[4:]  # "all three times": three, all of them
    value, kind, step = _read_amount(s)
    return ParsedValue(qualifier, value, kind, step)


def _read_amount(s: str) -> tuple[float, str, float]:
    kind = "count"
    if s.startswith("$"):
        kind, s = "usd", s[1:].strip()
    for suffix in ("%", " percent", " per cent", "percent"):
        if s.endswith(suffix):
            kind, s = "percent", s[: -len(suffix)].strip()
            break
    for suffix in (" dollars", " usd"):
        if s.endswith(suffix):
            kind, s = "usd", s[: -len(suffix)].strip()
            break
    scale = 1
    for word, factor in _SCALES.items():
        if s.endswith(" " + word):
            scale, s = factor, s[: -len(word) - 1].strip()
            break
    m = _NUMBER.fullmatch(s)
    if m:
        digits = m.group("num").replace(",", "")
        try:
            number = Decimal(digits)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ValueTextError(f"{s!r} is not a number") from exc
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)
        step = float(Decimal(1).scaleb(exponent)) * scale
        return float(number * scale), kind, step
    words = _read_words(s)
    if words is None:
        raise ValueTextError(
            f"{s!r} is not a number this reader knows (digits such as 29,269 or 2.4 million, "
            "number words such as four or twenty-three, shares such as a quarter or all, "
            "magnitudes such as tens of thousands)"
        )
    return float(words * scale), kind, float(scale)


def _read_words(s: str) -> int | None:
    if s in _SMALL:
        return _SMALL[s]
    tens, _, unit = s.partition("-")
    if unit and tens in _SMALL and unit in _SMALL and _SMALL[tens] >= 20 and _SMALL[unit] < 10:
        return _SMALL[tens] + _SMALL[unit]
    return None


_QUALIFIER_ALTERNATION = "|".join(re.escape(phrase) for phrase, _ in _QUALIFIERS)
# The common shapes, read by polars without a Python call per row: an optional qualifier phrase,
# digits with optional thousands separators and decimals, an optional percent or scale word.
SIMPLE_PATTERN = (
    rf"^(?:(?P<qual>{_QUALIFIER_ALTERNATION}) )?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>%| percent| million| billion)?$"
)
QUALIFIER_BY_PHRASE = dict(_QUALIFIERS)
SCALE_BY_SUFFIX = {" million": 1_000_000, " billion": 1_000_000_000}
