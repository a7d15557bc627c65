"""Candidates rendered for a contributor: text to read, claims.csv rows to finish, JSON with everything."""

from __future__ import annotations

import csv
import io
import json
import shlex
from dataclasses import asdict
from pathlib import Path

from validate.contributing.add import new_claim_id
from validate.contributing.candidates import Candidate, Candidates
from validate.contributing.claims_edit import list_claims
from validate.paths import Layout
from validate.reading.table_schema import columns_to_write
from validate.render import visible
from validate.rules.contract import MAX_QUOTE
from validate.text.value_text import plain_number

# A cell may not begin like a spreadsheet formula (the contract): a quote that would is cut
# to its first word instead, which is still a verbatim part of the sentence.
_FORMULA_START = "=+-@\t\r "


def _quote(c: Candidate) -> str:
    """The candidate's sentence as a quote: at most MAX_QUOTE characters around the value,
    never beginning like a formula."""
    text = c.sentence
    if len(text) > MAX_QUOTE:
        at = max(0, text.find(c.value_text))
        start = max(0, at - MAX_QUOTE // 2)
        text = text[start : start + MAX_QUOTE]
    return text.lstrip(_FORMULA_START)


def _plain(text: str) -> str:
    """A cell of words from the seed, never beginning like a formula: its start cut off (what is
    left still stands in the quote), as the check would refuse it anyway."""
    return text.lstrip(_FORMULA_START)


def exclude_command(c: Candidate) -> str:
    """The `claims exclude` command that records the candidate as no statistic."""
    reason = c.exclude_reason or "REASON"
    return f"claims exclude {c.source_id} {shlex.quote(c.words)} --occurrence {c.occurrence} --reason {reason}"


def candidate_rows(root: Path, found: list[Candidate]) -> tuple[str, list[str]]:
    """claims.csv rows (its own columns, by name) for the candidates that read as a value and
    look like a statistic, with the best suggestion as statistic_id; and, for the others, the
    exclude command to run. Values in plain notation (2370000, never 2.37e+06)."""
    columns = columns_to_write(Layout(Path(root)), "claims")
    taken = {r.get("claim_id", "") for r in list_claims(root)}
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    skipped = []
    for c in found:
        if c.value is None or c.exclude_reason:
            skipped.append(f"not a claim row, {c.value_text!r} of {c.source_id}: {exclude_command(c)}")
            continue
        statistic = c.suggestions[0].statistic_id if c.suggestions else ""
        claim_id = new_claim_id(c.source_id, statistic or "candidate", taken)
        taken.add(claim_id)
        quote = _quote(c)
        w.writerow(
            {
                "claim_id": claim_id,
                "source_id": c.source_id,
                "statistic_id": statistic,
                "quote": quote,
                "value_text": _plain(c.value_text),
                "value": plain_number(c.value),
                "qualifier": c.qualifier or "",
                "period_start": c.period_start,
                "period_end": c.period_end,
                # Dates read from the quote's own sentence are stated there.
                "period_basis": "stated" if c.period_start else "",
                "attributed_to": _plain(c.attributed_to),
                "attribution": "explicit" if c.attributed_to else "",
                "counted_as": _plain(c.counted_as) if c.counted_as and c.counted_as in quote else "",
                # A judgement no reader can make for the contributor: left empty, so the check
                # refuses the row until it says 'same' or 'differs' (a default 'same' passed every
                # reframing unexamined, the drift the column exists to show).
                "meaning": "",
                "note": c.note,
            }
        )
    return out.getvalue(), skipped


def candidates_json(found: list[Candidate]) -> str:
    """Every candidate with all its fields and suggestions, as JSON."""
    return json.dumps([asdict(c) for c in found], indent=2, ensure_ascii=False) + "\n"


def candidates_text(found: list[Candidate], top: int) -> str:
    """Candidates for a person to read: the number, its sentence, proposals and ranked statistics."""
    lines = []
    for c in found:
        reading = f"{c.qualifier} {plain_number(c.value)}" if c.value is not None else c.note
        period = f", period {c.period_start} to {c.period_end}" if c.period_start else ""
        lines.append(f"{c.source_id}: {c.value_text!r} ({reading}{period})")
        lines.append(f"    {c.sentence}")
        if c.note and c.value is not None:
            lines.append(f"    note: {c.note}")
        counted = f"counted_as {c.counted_as!r} ({c.counted_as_reason})" if c.counted_as else ""
        proposed = [p for p in (counted, f"attributed_to {c.attributed_to!r}" if c.attributed_to else "") if p]
        if proposed:
            lines.append(f"    proposed: {'; '.join(proposed)}")
        for i, m in enumerate(c.suggestions[:top], start=1):
            lines.append(f"    {i}. {m.statistic_id} (score {m.score:.2f}: {m.reason})")
        lines.append(f"    {'not a statistic' if c.exclude_reason else 'or, if it is none'}: {exclude_command(c)}")
    lines.append(f"{len(found)} candidate{'s' if len(found) != 1 else ''}")
    # A seed's text and the tables are a pull request's: no control character of theirs reaches
    # the terminal as it is (an escape sequence could retitle it, or write to its clipboard).
    return "\n".join(visible(line) for line in lines) + "\n"


def candidates_left(found: Candidates, limit: int | None) -> list[str]:
    """A line for each source with numbers past the cap: how many, and how to list them all."""
    return [
        visible(
            f"{more} more numbers of {sid} past the first {limit}: account for these first, "
            f"or list them all with: claims candidates {shlex.quote(sid)} --max-numbers 0"
        )
        for sid, more in sorted(found.more.items())
    ]
