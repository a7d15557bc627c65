"""The statistics of a dataset as a contributor searches them: by words, by value, by period.

Each statistic's profile holds its description, unit, the intervals of its primary reading (the
primary_* columns, where the dataset has them) and of its claims, their periods, and the words
its claims count (`counted_as`). `score` compares a number read in an article with a profile; a
`claims candidates` suggestion and `claims statistics` both rank with it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz

from validate.errors import UsageError
from validate.paths import Layout, given_root
from validate.reading.csv_file import read_table
from validate.reading.seeds import leads_outside
from validate.reading.table_schema import schema_for_command
from validate.text.closest import did_you_mean
from validate.text.value_text import ValueTextError, parse_value_text, plain_number

# The contract's default share of the value an "approximately" claim spans each way.
APPROXIMATELY = 0.10
Interval = tuple[float, float]
Period = tuple[str, str]
# Weights of the three parts of a score: the value decides, the words and the period rank
# the statistics that share a value ("40 case files" against "40 raids").
WEIGHTS = {"value": 0.5, "words": 0.3, "period": 0.2}


def interval(value: float, qualifier: str, step: float = 1.0) -> Interval:
    """The interval a (qualifier, value) stands for, as the contract's table says."""
    if qualifier == "exact":
        return value - step / 2, value + step / 2
    if qualifier == "approximately":
        return value * (1 - APPROXIMATELY), value * (1 + APPROXIMATELY)
    if qualifier == "nearly":
        return value * (1 - APPROXIMATELY), value
    if qualifier in ("more_than", "at_least"):
        return value, math.inf
    if qualifier in ("fewer_than", "at_most"):
        return 0.0, value
    if qualifier == "order_of_magnitude":
        return value, 10 * value
    return value, value


def period_bounds(start: str | None, end: str | None) -> Period | None:
    """A reduced-precision period as first and last day (ISO strings compare as dates do)."""
    if not start or not end:
        return None
    first = start + ("-01-01" if len(start) == 4 else "-01" if len(start) == 7 else "")
    last = end + ("-12-31" if len(end) == 4 else "-31" if len(end) == 7 else "")
    return first, last


@dataclass
class Profile:
    """What a contributor compares a number with: one statistic, its readings and its claims."""

    statistic_id: str
    description: str
    unit: str
    # (interval, stated value, whose: "primary" or a claim_id)
    intervals: list[tuple[Interval, float, str]] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    counted_as: list[str] = field(default_factory=list)
    attributed_to: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """How well a number (and its sentence and period) fits one statistic, and why."""

    statistic_id: str
    score: float
    reason: str


def _kind_fits(kind: str, unit: str) -> bool:
    if kind == "percent":
        return unit in ("percent", "percent_change")
    if kind == "usd":
        return unit == "usd"
    return True  # a bare number may state any unit ("40" of "all 40 files", "70" of "70 percent")


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _value_score(iv: Interval, value: float, profile: Profile) -> tuple[float, str]:
    """1 for the same stated value with overlapping intervals; less as the stated values part
    (an open interval, "more than 50 percent", overlaps much and proves little)."""
    if profile.unit == "percent":
        iv = (max(iv[0], 0.0), min(iv[1], 100.0))
        if iv[0] > iv[1]:
            return 0.0, ""
    best, why = 0.0, ""
    for other, stated, whose in profile.intervals:
        if profile.unit == "percent":
            other = (max(other[0], 0.0), min(other[1], 100.0))
        closeness = (
            1.0
            if value == stated
            else (min(value, stated) / max(value, stated)) ** 2
            if value > 0 and stated > 0
            else 0.0
        )
        overlaps = _overlap(iv, other)
        got = (closeness if overlaps else closeness / 2) * specificity(stated)
        if got > best:
            who = "the primary reading" if whose == "primary" else f"claim {whose}"
            best = got
            why = f"{'overlaps' if overlaps else 'misses'} {who} ({plain_number(stated)})"
    return best, why


@lru_cache(maxsize=1 << 16)
def specificity(value: float) -> float:
    """How much a shared value says: "29,269" or "2.37 million" names one statistic, "3", "10",
    "all" (100) or "most" (50) are shared by many. By the value's significant digits: one gives
    0.2, two 0.6, three or more 1, so that for a round number the words decide."""
    digits = f"{abs(value):.6g}".replace(".", "").replace("-", "").lstrip("0").rstrip("0")
    if "e" in digits:
        digits = digits.split("e")[0]
    return min(1.0, 0.4 * max(1, len(digits)) - 0.2)


def score(
    value: float | None,
    qualifier: str | None,
    step: float,
    kind: str,
    words: str,
    period: Period | None,
    profile: Profile,
) -> Match:
    """The score (0 to 1) of one number of an article against one statistic, with its reason."""
    reasons = []
    value_part = 0.0
    if value is not None and qualifier is not None:
        if not _kind_fits(kind, profile.unit):
            reasons.append(f"a {kind} value, the statistic is in {profile.unit}")
        else:
            value_part, why = _value_score(interval(value, qualifier, step), value, profile)
            if why:
                reasons.append(f"value: {why}")
    text_part = 0.0
    if words:
        # Each distinct text once: a statistic's claims mostly count the same words, and each
        # number of `claims candidates` was compared with every claim's (the best is alike).
        texts = dict.fromkeys([profile.description, *profile.counted_as])
        scored = [(fuzz.token_set_ratio(words, t, processor=str.lower) / 100, t) for t in texts if t]
        if scored:
            text_part, best = max(scored)
            reasons.append(f"words: {text_part:.0%} like {best[:60]!r}")
    period_part = 0.5  # unknown on either side: neither for nor against
    if period is not None and profile.periods:
        if any(_overlap(period, p) for p in profile.periods):  # type: ignore[arg-type]
            period_part = 1.0
            reasons.append("period overlaps")
        else:
            period_part = 0.0
            reasons.append("period differs")
    total = WEIGHTS["value"] * value_part + WEIGHTS["words"] * text_part + WEIGHTS["period"] * period_part
    if value is not None and not _kind_fits(kind, profile.unit):
        total /= 2  # a percentage is no count and no sum of money, whatever the words say
    return Match(profile.statistic_id, round(total, 3), "; ".join(reasons) or "no evidence either way")


def _read(layout: Layout, table: str) -> pl.DataFrame:
    path = layout.csv(table)
    for p in (path, layout.schema(table)):
        if leads_outside(layout.root, p):
            raise UsageError(f"{layout.rel(p)} is a link that leads outside the dataset root: run claims check")
    if not path.is_file():
        raise UsageError(f"{layout.rel(path)} is missing: run claims check")
    return read_table(path, layout.rel(path), table, schema_for_command(layout, table)).frame


def _col(frame: pl.DataFrame, name: str) -> list[str | None]:
    """A column's cells as text (nulls for a column the dataset does not have yet)."""
    if name not in frame.columns:
        return [None] * frame.height
    return [None if v is None else str(v) for v in frame.get_column(name).to_list()]


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def profiles(root: Path | str) -> list[Profile]:
    """A profile of every statistic of the dataset at `root`."""
    layout = Layout(given_root(root))
    return profiles_of(_read(layout, "statistics"), _read(layout, "claims"))


def profiles_of(stats: pl.DataFrame, claims: pl.DataFrame) -> list[Profile]:
    """A profile of every statistic of `stats`, with what `claims` say of it (a benchmark leaves
    a source's own claims out, as a new article's would not be there yet)."""
    out: dict[str, Profile] = {}
    for sid, desc, unit, pvalue, pqual, pstart, pend in zip(
        *(
            _col(stats, c)
            for c in (
                "statistic_id",
                "description",
                "unit",
                "primary_value",
                "primary_qualifier",
                "primary_period_start",
                "primary_period_end",
            )
        ),
        strict=True,
    ):
        if not sid:
            continue
        profile = out.setdefault(sid, Profile(sid, desc or "", unit or "count"))
        value = _number(pvalue)
        if value is not None:
            profile.intervals.append((interval(value, pqual or "exact", _step(pvalue or "")), value, "primary"))
        bounds = period_bounds(pstart, pend)
        if bounds:
            profile.periods.append(bounds)
    for cid, sid, value_text, value, qualifier, start, end, counted, attributed in zip(
        *(
            _col(claims, c)
            for c in (
                "claim_id",
                "statistic_id",
                "value_text",
                "value",
                "qualifier",
                "period_start",
                "period_end",
                "counted_as",
                "attributed_to",
            )
        ),
        strict=True,
    ):
        cited = out.get(sid or "")
        if cited is None:
            continue
        number = _number(value)
        if number is not None and qualifier:
            step = _step(value_text or "")
            cited.intervals.append((interval(number, qualifier, step), number, cid or "?"))
        bounds = period_bounds(start, end)
        if bounds:
            cited.periods.append(bounds)
        if counted:
            cited.counted_as.append(counted)
        if attributed:
            cited.attributed_to.append(attributed)
    return list(out.values())


def _step(text: str) -> float:
    """Half a unit of the last stated digit of a primary value, as for an exact claim."""
    try:
        return parse_value_text(text).step
    except ValueTextError:
        return 1.0


def search(root: Path | str, words: str = "", value_text: str | None = None, limit: int = 10) -> list[Match]:
    """Statistics ranked by their fit to `words` and to the value `value_text` reads as. Words
    that are one slug ("oig-detainers-declined") name a statistic: it comes first; a slug that is
    nearly an id is refused, with that id, as the other commands refuse an unknown id."""
    if limit < 1:
        raise UsageError(f"a limit of {limit} lists nothing: give 1 or more")
    value = qualifier = None
    step, kind = 1.0, "count"
    if value_text:
        try:
            parsed = parse_value_text(value_text)
        except ValueTextError as exc:
            raise UsageError(f"--value {value_text!r}: {exc}") from exc
        value, qualifier, step, kind = parsed.value, parsed.qualifier, parsed.step, parsed.kind
    every = profiles(root)
    named = _named_id(words.strip(), [p.statistic_id for p in every])
    found = [score(value, qualifier, step, kind, words, None, p) for p in every]
    if not words and value is None:
        found = [Match(m.statistic_id, 0.0, "") for m in found]
    ranked = sorted(found, key=lambda m: (-m.score, m.statistic_id))
    if named is not None:
        ranked = [Match(named, 1.0, "its statistic_id"), *(m for m in ranked if m.statistic_id != named)]
    return ranked[:limit]


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def _named_id(words: str, known: list[str]) -> str | None:
    """The statistic_id the words are, if they are one; a slug that is no id is refused."""
    if not _SLUG.fullmatch(words):
        return None
    if words in known:
        return words
    hint = did_you_mean(words, sorted(known))
    if hint:
        raise UsageError(
            f"no statistic_id {words!r} in datasets/statistics.csv{hint} "
            "(to search by words, separate them with spaces)"
        )
    return None
