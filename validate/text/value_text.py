"""Reads a claim's value_text ("more than 29,269", "nearly a quarter") as (qualifier, value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from math import prod

from validate.text.normalise import normalise
from validate.text.unseen import UNSEEN

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
        ("not more than", "at_most"),
        ("not fewer than", "at_least"),
        ("not less than", "at_least"),
        ("up to", "at_most"),
    ],
    key=lambda pair: -len(pair[0]),
)

# Qualifier words that are also prepositions, each with the words after which it is taken as one:
# "worried about 700 jobs" speaks of 700 jobs, and may speak of about 700. After these words
# either reading is accepted (value_text `700`, exact, or `about 700`, approximately); after any
# other ("was about 700", "issued over 700"), the word is a hedge that value_text must hold. The
# lists hold words whose use before a number is mostly the preposition's: nouns and adjectives
# mostly, since a verb that takes an object takes a hedged number too ("wrote about 700 letters",
# "fought over 700 fires"), and one that takes a clause too ("I think about 700 were released").
# A word missing here leaves a contributor the hedge's reading, or a pull request that adds it,
# which a reviewer reads; a word wrongly here would pass a dropped hedge.
_PREPOSITION_AFTER = {
    "about": """worried worry worries worrying concerned concern concerns anxious nervous upset
        curious care cares cared caring talk talks talked talking joke joked joking argue argues
        argued arguing debate debates questions story stories news""",
    "over": """fight fights battle battles dispute disputes clash clashes feud row rows control
        authority jurisdiction power worries concern concerns outrage anger""",
    "around": """centered centred revolve revolves revolved revolving""",
}
PREPOSITION_AFTER: dict[str, frozenset[str]] = {p: frozenset(w.split()) for p, w in _PREPOSITION_AFTER.items()}
# The word before a qualifier word, as the check reads it: the last word (ASCII letters) of the
# text before it, which ends in a space.
LAST_WORD = r"(?:^|[^A-Za-z0-9_])([A-Za-z]+) $"
# Characters read before a qualifier word: the longest listed word, its space, and the character
# before it, which tells a listed word from the end of a longer one ("unworried").
_PREPOSITION_REACH = max(len(w) for words in PREPOSITION_AFTER.values() for w in words) + 2


def preposition_after(text: str, at: int, word: str) -> str | None:
    """The word of `text` before qualifier `word` (which begins at `at`, after a space) that may
    make it a preposition ("worried" of "Residents are worried about"), or None. Only the few
    characters before `at` are read, however long the text: a seed's every number is asked."""
    last = re.search(LAST_WORD, text[max(0, at - _PREPOSITION_REACH) : at])
    return last.group(1) if last and last.group(1).lower() in PREPOSITION_AFTER.get(word.lower(), ()) else None


# The number words the toolkit reads (number_phrases finds them in a text by these same lists).
NUMBER_WORDS = {
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
    # Half a dozen is six, not the share "half" of "a dozen" (number_phrases reads these first).
    "half a dozen": 6,
    "a half-dozen": 6,
    "a half dozen": 6,
    "a hundred": 100,
    "a thousand": 1_000,
    "a million": 1_000_000,
    "a billion": 1_000_000_000,
}
SCALE_WORDS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# A share of a scale said before it ("half a million", "a quarter of a million", "a
# half-million"): the share as numerator and denominator, which is also its precision ("half a
# million" is [250,000, 750,000], as "two million" is [1.5M, 2.5M]). Its words may be joined by
# hyphens ("half-a-million"). number_phrases reads these as one phrase (FRACTION_OF_SCALE).
FRACTION_BEFORE_SCALE = {
    "half a": (1, 2),
    "a half": (1, 2),
    "a quarter": (1, 4),
    "a quarter of a": (1, 4),
    "one quarter of a": (1, 4),
    "three quarters of a": (3, 4),
}
FRACTION_OF_SCALE = (
    f"(?:{'|'.join(sorted((f.replace(' ', '[ -]') for f in FRACTION_BEFORE_SCALE), key=len, reverse=True))})"
    f"[ -](?:{'|'.join(SCALE_WORDS)})"
)
# "two and a half million", "a million and a half", "ten and a half percent": the number and half
# of the last unit it names (of one, of a million, of a dozen).
AND_A_HALF = " and a half"
# Words that imply no bound alone but bound a scale or magnitude after them ("several thousand",
# "a few hundred", "several dozen", "many thousands"): an order of magnitude, as "thousands" is.
VAGUE_BEFORE_SCALE = ("several", "a few", "many", "numerous", "countless", "multiple")
# Scale letters the press writes straight after digits ("$2.4bn", "£5m", "700k").
SCALE_LETTERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000}
_FRACTION_OF_SCALE = re.compile(FRACTION_OF_SCALE)
_SCALED_DIGITS = re.compile(rf"(.*[0-9])({'|'.join(sorted(SCALE_LETTERS, key=len, reverse=True))})")
# Shares said in words, in percent.
_SHARES = {
    "all": 100,
    "every single": 100,  # "every single case": all of them, said with emphasis
    "every single one": 100,
    "every": 100,
    "each": 100,
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
# Fractions in words ("a third", "two fifths") and "one in three", read by _share_words.
_NUMERATORS = {"a": 1} | {word: n for word, n in NUMBER_WORDS.items() if 1 <= n <= 9}
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_IN = re.compile(r"(?P<n>[a-z]+|\d+) in (?P<d>[a-z]+|\d+)")
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
EDITORIAL = re.compile(r"[(\[]([a-z])[)\]]")


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


# The longest words the checks hand to the reader: the schemas hold value_text and an
# exclusion's text to 200 characters, and a longer cell is reported by its length rule, not read
# (a hostile schema may drop the limit: a reading of megabytes of words would then cost minutes).
MAX_READ = 200


def parse_value_text(text: str) -> ParsedValue:
    """Read value_text as its qualifier, value, kind and rounding step."""
    # Trailing punctuation is the sentence's; a leading "." may be a decimal point (".5%").
    # Read as a reader sees it: a character that shows nothing ("2\u200b900") is no part of it.
    s = EDITORIAL.sub(r"\1", UNSEEN.sub("", normalise(text)).lower()).lstrip(" ,;:").rstrip(" .,;:")
    if not s:
        raise ValueTextError("it is empty")
    n = _MAGNITUDES.get(s) or _vague_magnitude(s)
    if n is not None:
        return ParsedValue("order_of_magnitude", float(n), "count", float(n))
    if s in _MAJORITY:
        return ParsedValue("more_than", 50.0, "percent", 1.0)
    qualifier = "exact"
    for phrase, name in _QUALIFIERS:
        if s.startswith(phrase + " "):
            qualifier, s = name, s[len(phrase) :].strip()
            break
    # "half of", "none of", "all of": the share is the same with or without its "of".
    share = s[:-3] if s.endswith(" of") else s
    if share in _SHARES:
        return ParsedValue(qualifier, float(_SHARES[share]), "percent", 1.0)
    if share in _MAJORITY:
        return ParsedValue("more_than" if qualifier == "exact" else qualifier, 50.0, "percent", 1.0)
    fraction = _share_words(share)
    if fraction is not None:
        return ParsedValue(qualifier, fraction, "percent", 1.0)
    if s.startswith("all ") and qualifier == "exact":
        s = s[4:]  # "all three times": three, all of them
    value, kind, step = _read_amount(s)
    return ParsedValue(qualifier, value, kind, step)


def _vague_magnitude(s: str) -> int | None:
    """ "several thousand" 1,000, "a few hundred thousand" 100,000, "many thousands" 1,000,
    "several dozen" 12: the magnitude after a word of VAGUE_BEFORE_SCALE, or None."""
    word = next((w for w in VAGUE_BEFORE_SCALE if s.startswith(w + " ")), None)
    if word is None:
        return None
    rest = s[len(word) + 1 :]
    if rest in _MAGNITUDES:
        return _MAGNITUDES[rest]
    scales = rest.split(" ")
    if len(scales) > 2 or not all(w in SCALE_WORDS or (w == "dozen" and i == 0) for i, w in enumerate(scales)):
        return None
    return prod(12 if w == "dozen" else SCALE_WORDS[w] for w in scales)


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
    if _FRACTION_OF_SCALE.fullmatch(s):
        cut = max(s.rfind(" "), s.rfind("-"))
        numerator, denominator = FRACTION_BEFORE_SCALE[s[:cut].replace("-", " ")]
        unit = SCALE_WORDS[s[cut + 1 :]] / denominator
        return numerator * unit, kind, unit
    scale = 1
    # Up to two scale words from the end, as the number reader reads them: "two hundred thousand"
    # is two, a hundred times a thousand.
    for _ in range(2):
        scaled = next(((w, f) for w, f in SCALE_WORDS.items() if s.endswith(" " + w)), None)
        if scaled is None:
            break
        scale, s = scale * scaled[1], s[: -len(scaled[0]) - 1].strip()
    if s.endswith(AND_A_HALF):
        return _and_a_half(s[: -len(AND_A_HALF)], kind, scale)
    if scale == 1 and (lettered := _SCALED_DIGITS.fullmatch(s)):
        scale, s = SCALE_LETTERS[lettered.group(2)], lettered.group(1)
    if s == "a" and scale > 1:
        s = "one"  # "a million"
    m = _NUMBER.fullmatch(s)
    if m:
        digits = m.group("num").replace(",", "")
        try:
            number = Decimal(digits)
            exponent = number.as_tuple().exponent
            assert isinstance(exponent, int)
            step = float(Decimal(1).scaleb(exponent)) * scale
            return float(number * scale), kind, step
        except ArithmeticError as exc:  # InvalidOperation cannot be (the regex admits numbers only); Overflow can
            raise ValueTextError(f"{s[:40]!r}... is a number too large to read") from exc
    words = _read_words(s)
    if words is None:
        raise ValueTextError(
            f"{s!r} is not a number this reader knows (digits such as 29,269 or 2.4 million, "
            "number words such as four or twenty-three, shares such as a quarter, a third, all or every single, "
            "magnitudes such as tens of thousands): keep in value_text only the words that state the value and "
            "its qualifier (leave out emphasis such as just or only); words that imply no bound (many, several) "
            "are no claim: record them with claims exclude --reason no-bound"
        )
    return float(words * scale), kind, float(scale)


def _and_a_half(base: str, kind: str, scale: int) -> tuple[float, str, float]:
    """`base` and a half, times `scale`: half of the last unit `base` names ("two" one, "a
    million" a million, "a dozen" twelve), which is then the precision."""
    unreadable = ValueTextError(f"{base + AND_A_HALF!r} is not a number this reader knows: write the number in digits")
    if base.endswith(AND_A_HALF):
        raise unreadable
    value, base_kind, step = _read_amount(base)
    if base_kind != "count" or step < 1:
        raise unreadable
    half = (12 * step if base.endswith("dozen") else step) / 2
    return (value + half) * scale, kind, half * scale


def _share_words(s: str) -> float | None:
    """A fraction in words as a percentage: "a third" 33.33..., "two fifths" (or "two-fifths") 40,
    "one in three" 33.33..."""
    m = _IN.fullmatch(s)
    if m:
        n, d = _count_word(m["n"]), _count_word(m["d"])
        return None if n is None or not d or n > d else 100 * n / d
    # "two thirds" or "two-thirds"
    numerator, _, denominator = s.replace("-", " ", 1).partition(" ")
    if numerator in _NUMERATORS:
        d = _DENOMINATORS.get(denominator.removesuffix("s") if denominator != "halves" else denominator)
        if d is not None and _NUMERATORS[numerator] <= d:
            return 100 * _NUMERATORS[numerator] / d
    return None


def _count_word(word: str) -> int | None:
    return int(word) if word.isdigit() else _read_words(word)


def plain_number(value: float) -> str:
    """A value in plain notation, as the value column wants it: 2370000, never 2.37e+06; a
    fraction to ten decimals (a third is 33.3333333333), which the check reads as equal."""
    text = format(Decimal(repr(round(value, 10))).normalize(), "f")
    return text.removesuffix(".0") if "." in text and text.endswith(".0") else text


def _read_words(s: str) -> int | None:
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    tens, _, unit = s.partition("-")
    if unit and tens in NUMBER_WORDS and unit in NUMBER_WORDS and NUMBER_WORDS[tens] >= 20 and NUMBER_WORDS[unit] < 10:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
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
