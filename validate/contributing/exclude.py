"""`exclude`: record that a number-like phrase of a source is deliberately not a claim, with its reason."""

from __future__ import annotations

import csv
import io
from bisect import bisect_left, bisect_right
from pathlib import Path

import polars as pl

from validate.contributing.add import appended, appended_rows, commit, new_findings
from validate.errors import InvalidData, UsageError
from validate.paths import Layout, given_root
from validate.reading.files import FileRefused, read_regular
from validate.reading.seeds import read_seed
from validate.reading.table_schema import columns_to_write
from validate.rules.claimed_spans import first_stating
from validate.rules.contract import EXCLUSION_REASONS
from validate.rules.coverage import covered_spans, missing_phrases
from validate.text.closest import did_you_mean
from validate.text.normalise import normalise
from validate.text.number_phrases import find_phrases, occurrences, phrases_within


def _source_text(layout: Layout, source_id: str) -> str:
    """The normalised text of the source's seed."""
    rows = _dict_rows(layout, "sources")
    if rows is None:
        raise UsageError("datasets/sources.csv is missing: run claims check")
    files = {r.get("source_id") or "": r.get("file") or "" for r in rows}
    if source_id not in files:
        raise UsageError(f"no source {source_id!r} in datasets/sources.csv{did_you_mean(source_id, sorted(files))}")
    try:
        return normalise(read_seed(layout.seeds, files[source_id]).decode("utf-8"))
    except (FileRefused, UnicodeDecodeError) as exc:
        raise UsageError(f"the text of source {source_id!r} cannot be read ({exc}): run claims check") from exc


def _unaccounted_occurrences(
    layout: Layout, claims: pl.DataFrame, source_id: str, source_text: str, needle: str, found: list[int]
) -> tuple[list[int], str]:
    """Of the whole-word occurrences of `needle` (starting at `found`), those (numbered from 1)
    whose span holds the core of a number-like phrase nothing accounts for yet: those an
    exclusion of `needle` would account for (the coverage rule's test, so "three hours" holds the
    unaccounted "three"). And, when there are none, an unaccounted phrase whose core an
    occurrence holds only in part, if any."""
    from validate.contributing.statistics_search import _read

    exclusions = _read(layout, "exclusions") if layout.csv("exclusions").is_file() else None
    spans = covered_spans(source_text, source_id, claims, exclusions)
    phrases, _ = missing_phrases(source_text, spans)
    # The phrases are in order and do not overlap, so their cores' starts and ends both rise: the
    # cores an occurrence may hold or cut are found by bisection, not by reading every phrase for
    # each occurrence ("2019" stands thousands of times in a seed of thousands of numbers).
    starts, ends = [p.core_start for p in phrases], [p.core_end for p in phrases]
    size, held, cut = len(needle), [], ""
    for n, at in enumerate(found, start=1):
        # The first core that starts at or after the occurrence ends first of those.
        i = bisect_left(starts, at)
        if i < len(phrases) and ends[i] <= at + size:
            held.append(n)
        elif not cut:
            # The first core that ends past the occurrence's start: the first it may cut.
            j = bisect_right(ends, at)
            cut = phrases[j].text if j < len(phrases) and starts[j] < at + size else ""
    return held, "" if held else cut


def _claims(layout: Layout) -> pl.DataFrame:
    """claims.csv as the contributors' commands read it."""
    from validate.contributing.statistics_search import _read

    return _read(layout, "claims")


def _claimed_in(claims: pl.DataFrame, source_id: str, source_text: str, start: int, end: int) -> tuple[str, str] | None:
    """The first number-like phrase whose core lies in text[start:end] (what an exclusion of
    that span accounts for) and that one of the `claims` of the source already states, with that
    claim's id."""
    held = phrases_within(source_text, start, end)
    if not held:
        return None
    if "claim_id" not in claims.columns:
        return None  # claims check reports the missing column
    mine = claims.filter(claims.get_column("source_id") == source_id)
    stating: tuple[object, int] | None = first_stating(
        source_text,
        mine.select("claim_id", "quote", "value_text").iter_rows(),
        [(p.core_start, p.core_end) for p in held],
    )
    if stating is None:
        return None
    claim_id, i = stating
    return held[i].text, str(claim_id)


# A refusal says what accounts for each of the first few occurrences ("2019" may stand hundreds
# of times in a text).
_ACCOUNTS_SHOWN = 5


def _accounted_by(claims: pl.DataFrame, source_id: str, source_text: str, n: int, start: int, end: int) -> str:
    """What accounts for occurrence `n` (at text[start:end]), one of those no exclusion could:
    the claim that states its number, or else an exclusion."""
    claimed = _claimed_in(claims, source_id, source_text, start, end)
    if claimed is None:
        return f"occurrence {n} is excluded already (datasets/exclusions.csv)"
    phrase, claim_id = claimed
    return f"occurrence {n} holds {phrase!r}, which claim {claim_id!r} states"


def exclude(
    root: Path | str,
    source_id: str,
    text: str,
    reason: str,
    *,
    occurrence: int | None = None,
    every: bool = False,
    note: str | None = None,
) -> list[dict[str, str | None]]:
    """Append exclusions.csv rows for `text` in the source: the given occurrence, or the one
    occurrence nothing accounts for yet, or (`every`) each of them; refuse with findings."""
    layout = Layout(given_root(root))
    if reason not in EXCLUSION_REASONS:
        raise UsageError(f"reason {reason!r} is not one of {', '.join(EXCLUSION_REASONS)}")
    source_text = _source_text(layout, source_id)
    needle = normalise(text)
    if not find_phrases(needle):
        raise UsageError(f"{text!r} holds no number-like phrase (see docs/contributing.md): nothing to exclude")
    found = occurrences(source_text, needle)
    if not found:
        raise UsageError(
            f"{text!r} is not in the text of {source_id!r} as a whole word: copy it as the source has it "
            "(case included), or as claims candidates shows it"
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            raise UsageError(
                f"{text!r} occurs {len(found)} time(s) in {source_id!r}: --occurrence must be 1 to {len(found)}"
            )
        # A number is claimed or excluded, never both: the occurrence the contributor names must
        # not hold a number a claim already states (the occurrences found below never do).
        claimed = _claimed_in(
            _claims(layout), source_id, source_text, found[occurrence - 1], found[occurrence - 1] + len(needle)
        )
        if claimed is not None:
            phrase, claim_id = claimed
            raise UsageError(
                f"occurrence {occurrence} of {text!r} in {source_id!r} holds {phrase!r}, which claim {claim_id!r} "
                "already states: a number is claimed or excluded, not both. Choose another --occurrence "
                f"(claims candidates {source_id} lists the numbers nothing accounts for yet), or remove the claim first"
            )
        chosen = [occurrence]
    else:
        claims = _claims(layout)  # read once: what accounts for each occurrence, and by which claim
        open_, cut = _unaccounted_occurrences(layout, claims, source_id, source_text, needle, found)
        if cut:
            raise UsageError(
                f"{text!r} holds only part of the number-like phrase {cut!r} of {source_id!r}: "
                "an exclusion accounts for a number only whole; give words that contain all of it"
            )
        if not open_:
            accounts = "; ".join(
                _accounted_by(claims, source_id, source_text, n, at, at + len(needle))
                for n, at in enumerate(found[:_ACCOUNTS_SHOWN], start=1)
            )
            more = f"; and {len(found) - _ACCOUNTS_SHOWN} more" if len(found) > _ACCOUNTS_SHOWN else ""
            raise UsageError(
                f"no occurrence of {text!r} in {source_id!r} holds a number that is not yet claimed or excluded "
                f"({accounts}{more}): nothing to exclude (claims candidates {source_id} lists the numbers "
                "nothing accounts for yet)"
            )
        if len(open_) > 1 and not every:
            shown = ", ".join(
                f"{n}: {source_text[max(0, found[n - 1] - 30) : found[n - 1] + len(needle) + 30]!r}" for n in open_
            )
            raise UsageError(
                f"{len(open_)} occurrences of {text!r} in {source_id!r} hold a number not yet accounted for ({shown}): "
                "choose one with --occurrence N, or exclude them all with --all"
            )
        chosen = open_
    existing = {(r[0], r[1], r[2]) for r in _rows(layout) if len(r) >= 3}
    rows: list[dict[str, str | None]] = []
    for n in chosen:
        if (source_id, needle, str(n)) in existing:
            raise UsageError(f"occurrence {n} of {needle!r} in {source_id!r} is already excluded")
        rows.append({"source_id": source_id, "text": needle, "occurrence": str(n), "reason": reason, "note": note})
    path = layout.csv("exclusions")
    columns = columns_to_write(layout, "exclusions")
    replaced = {"datasets/exclusions.csv": appended(path, columns, rows)}
    report = new_findings(layout, replaced, {"datasets/exclusions.csv": appended_rows(path)})
    if not report.valid:
        raise InvalidData(report)
    commit(layout, replaced)
    return rows


def _rows(layout: Layout) -> list[list[str]]:
    rows = _dict_rows(layout, "exclusions")
    return [[r.get(c) or "" for c in ("source_id", "text", "occurrence")] for r in rows or []]


def _dict_rows(layout: Layout, table: str) -> list[dict[str, str]] | None:
    """The rows of a table by column name, read as the check reads it (None if it is missing):
    through a link, a sources.csv outside the root was read and its ids offered as did-you-mean."""
    path = layout.csv(table)
    try:
        data = read_regular(path, 2)
    except FileRefused as exc:
        if exc.missing:
            return None
        raise UsageError(f"{layout.rel(path)} {exc}: claims check says how to fix it") from exc
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")))
