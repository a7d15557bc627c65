"""The site's numbers, intervals, periods and codes said in words, so no meaning rests on colour alone."""

from __future__ import annotations

import decimal
import math
from typing import Any

from validate.publishing.database import DURATION
from validate.rules.contract import QUALIFIERS as CONTRACT_QUALIFIERS

VERDICTS = {
    # Not "one source only": a statistic two sources cite, one of them giving the number another
    # meaning, has one voice (a reader saw "One source only" beside "2 in 2 sources").
    "single_source": "Too few voices to compare",
    "consistent": "Consistent",
    "value_conflict": "Values conflict",
    "period_conflict": "Periods conflict",
}
# As validate/publishing/sql/statistic_agreement.sql judges: the "voices" are the primary reading and
# each source whose citations count the same thing; the values compared are those of the citations
# that also keep the producer's hedge, the periods those of all of them. A citation that counts
# something else is judged on its own (its fidelity) and not here.
VERDICT_HELP = {
    "single_source": (
        "fewer than two voices to compare: the producer's reading is one voice, and each source whose "
        "citations count the same thing is another"
    ),
    "consistent": (
        "the producer's reading, where there is one, and the citations that count the same thing and keep "
        "its hedge share a value, and no two periods stated by the reading or by the citations that count the "
        "same thing differ (where one period or none is stated, there is nothing to differ)"
    ),
    "value_conflict": (
        "the producer's reading, where there is one, and the citations that count the same thing and keep its hedge "
        "have no value in common"
    ),
    "period_conflict": (
        "the producer's reading, where there is one, and the citations that count the same thing, whether or not "
        "they keep its hedge, state periods that are not one"
    ),
}
LABELS = {
    "faithful": "Faithful",
    "rounded": "Rounded",
    "period_dropped": "Period dropped",
    "hedge_dropped": "Hedge dropped",
    "period_changed": "Period changed",
    "reframed": "Reframed",
    "outside": "Outside the primary reading",
    "unverified": "Unverified (no primary reading)",
}
# The labels of a citation that departs from the primary reading, the most serious first (as
# claim_fidelity ranks them).
DEPARTURES = ("outside", "reframed", "period_changed", "hedge_dropped", "period_dropped", "rounded")


def departures(counts: list[tuple[str, int]]) -> str:
    """How a statistic's citations depart from it, in words ("1 reframed, 2 hedge dropped")."""
    return ", ".join(f"{n} {LABELS[code].lower()}" for code, n in counts)


LABEL_HELP = {
    "faithful": (
        "its value lies within the primary reading, with the producer's period and meaning, and it keeps the "
        "producer's hedge or changes it without dropping it (see its hedge)"
    ),
    "rounded": "a rounding of the primary value",
    "period_dropped": "leaves out the period the primary reading is of",
    "hedge_dropped": "the producer hedges the number and this citation does not",
    "period_changed": "gives the number another period",
    "reframed": "says the number counts something else",
    "outside": "the value lies outside the primary reading",
    "unverified": "the statistic has no primary reading to judge against",
}
REASONS = {
    "value": "their values cannot both hold",
    "period": "they state different periods",
    "meaning": "one counts something else",
    "qualifier": "they hedge the number differently",
}
# How a citation gives the number another meaning (claims.differs_in), as a conflict of meaning
# says it: "one counts something else" was said of a tense or a status too.
DIFFERS_IN = {
    "entity": "counts something else",
    "status": "gives those counted another status (custody for supervision)",
    "scope": "counts a wider or narrower population",
    "tense": "speaks of it in another tense (ongoing for past)",
    "time": "puts it in another period, in words",
}


def conflict_reason(conflict: Any) -> str:
    """Why two citations disagree, in words; for a conflict of meaning, how the citation that
    gives the number another meaning gives it (its differs_in), each named by its number."""
    if conflict.get("reason") != "meaning":
        return REASONS.get(str(conflict.get("reason")), str(conflict.get("reason")))
    said = []
    for side in ("b", "a"):
        claim = conflict.get(side) or {}
        kinds = [k for k in str(claim.get("differs_in") or "").split(";") if k]
        if claim.get("meaning") == "differs" and kinds:
            ways = " and ".join(DIFFERS_IN.get(k, k) for k in kinds)
            said.append(f"citation {claim.get('number')} {ways}" if claim.get("number") is not None else f"one {ways}")
    return "; ".join(said) or REASONS["meaning"]


# claim_conflicts.charged: which citation of the pair departs from the statistic's reading
# ('claim_b' is named by its number: see charged()).
CHARGED = {
    "both": "both, or no reading tells which",
    "neither": "neither: both stand with the reading, or differ only in a hedge no reading settles",
}
# The contract's qualifier codes, read aloud.
QUALIFIERS = {code: code.replace("_", " ") for code in CONTRACT_QUALIFIERS}
UNITS = {"count": "count", "percent": "percent", "percent_change": "percent change", "usd": "US dollars"}


def number(value: Any, unit: str | None = None) -> str:
    """A value as a reader writes it: thousands separated, no float noise, with its unit's sign."""
    if value is None:
        return "none"
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == round(v) and abs(v) < 1e15:
        text = f"{v:,.0f}"
    elif abs(v) >= 1e-6:
        text = f"{v:,.6f}".rstrip("0").rstrip(".")
    elif abs(v) >= 1e-12:
        # Six decimals showed 0.0000001 as 0: a value this small is written out whole.
        text = format(decimal.Decimal(repr(v)), "f")
    else:
        text = f"{v:.6g}"
    if unit in ("percent", "percent_change"):
        return f"{text} %"
    if unit == "usd":
        return f"${text}"
    return text


def interval(low: Any, high: Any, low_inclusive: Any, high_inclusive: Any, unit: str | None = None) -> str:
    """An interval in words: 'at least 10,000 and less than 100,000', 'more than 29,269'."""
    if low is None and high is None:
        return "any value"
    if low is not None and high is not None and low == high:
        return f"exactly {number(low, unit)}"
    parts = []
    if low is not None:
        parts.append(f"{'at least' if low_inclusive else 'more than'} {number(low, unit)}")
    if high is not None:
        parts.append(f"{'at most' if high_inclusive else 'less than'} {number(high, unit)}")
    return " and ".join(parts)


def period(start: Any, end: Any) -> str:
    """A stated period: '2014-01 to 2017-05', '2017-06' for a point in time, or that none is stated."""
    if not start and not end:
        return "no period stated"
    if start == end or not end:
        return str(start)
    if not start:
        return str(end)
    return f"{start} to {end}"


_DURATION_UNITS = ("year", "month", "week", "day")


def duration(code: Any) -> str:
    """An ISO 8601 duration in words ('P3Y' is '3 years'); any other form as it is written."""
    text = str(code)
    found = DURATION.fullmatch(text)
    if found is None or not any(found.groups()):
        return text
    parts = [
        f"{int(n):,} {unit}{'' if int(n) == 1 else 's'}"
        for n, unit in zip(found.groups(), _DURATION_UNITS, strict=True)
        if n
    ]
    return " and ".join(parts)


def verdict(code: Any) -> str:
    """A statistic's verdict in words."""
    return VERDICTS.get(str(code), str(code)) if code is not None else "Not cited"


# How much of a statistic's description a page's title or a hover shows: it says what the
# statistic counts; the page itself gives it whole.
CLIPPED = 80


def clipped(text: str) -> str:
    """`text` cut to CLIPPED characters, an ellipsis for the rest."""
    return text if len(text) <= CLIPPED else text[: CLIPPED - 1] + "…"


def label(code: Any) -> str:
    """A citation's fidelity label in words."""
    return LABELS.get(str(code), str(code).replace("_", " ").capitalize())


def charged(conflict: Any) -> str:
    """Which citation of a disagreeing pair departs from the statistic's reading, in words: the
    one charged is named by its number, since the statistic page and the index list the pair in
    different orders ("the second" blamed the faithful one on the statistic page)."""
    code = conflict["charged"]
    number = conflict["b"].get("number")  # content.gather gives every conflict its claims' rows
    if code == "claim_b" and number is not None:
        return f"citation {number}"
    return CHARGED.get(str(code), str(code))


RELATIONS = {"part_of": "part of", "share": "the share of", "sum": "the sum of"}


def relation(code: Any) -> str:
    """A relation's kind as the words before its operands ("part of", "the share of", "the sum of")."""
    return RELATIONS.get(str(code), str(code).replace("_", " "))


# relation_checks.reason: what cannot fit in an inconsistent relation.
RELATION_REASONS = {"value": "the numbers", "period": "the periods", "value;period": "the numbers and the periods"}


def relation_outcome(verdict: Any, reason: Any) -> str:
    """A relation check's verdict, with what does not fit where it is inconsistent
    ("inconsistent: the periods")."""
    text = str(verdict)
    return f"{text}: {RELATION_REASONS.get(str(reason), str(reason))}" if reason else text
