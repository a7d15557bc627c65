"""How often `claims candidates` ranks a claim's own statistic first, on a dataset's real claims.

    python benchmarks/candidates_ranking.py [ROOT]

For each source, its candidates are read as a new article's would be: none of its numbers is
claimed or excluded, and the statistics' profiles are built without that source's claims (they
would not exist yet). For each claim of the source, the candidate whose phrase lies inside the
claim's value_text is found, and the claim's statistic_id is looked for among its suggestions.
Prints hit@1 and hit@3 and lists every miss with what came first. A measurement, not a test:
the figures move with the data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from validate.contributing.candidates import Candidate, find_candidates
from validate.contributing.statistics_search import _read, profiles_of
from validate.paths import REPO_ROOT, Layout
from validate.reading.seeds import confine
from validate.rules.claimed_spans import claimed_spans
from validate.text.normalise import normalise


def _at(found: list[Candidate], start: int, end: int) -> Candidate | None:
    """The first candidate whose phrase begins inside the span [start, end)."""
    return next((c for c in found if start <= c.start < end), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", type=Path, default=REPO_ROOT, help="dataset root (default: this repository)")
    args = parser.parse_args()
    layout = Layout(args.root)
    sources, claims, stats = (_read(layout, t) for t in ("sources", "claims", "statistics"))
    hits1 = hits3 = total = known1 = total_known = 0
    misses: list[str] = []
    for sid, file in sources.select("source_id", "file").iter_rows():
        path = confine(layout.seeds, file or "")
        if path is None:
            continue
        raw = path.read_text(encoding="utf-8")
        text = normalise(raw)
        others = profiles_of(stats, claims.filter(pl.col("source_id") != sid))
        found = find_candidates(raw, [], sid, others, top=3)
        own = claims.filter(pl.col("source_id") == sid)
        # A statistic the other sources cite, or that has a primary reading: what an article that
        # cites a number already in the ledger can be matched with by its value.
        known = {p.statistic_id for p in others if p.intervals}
        for cid, stat, quote, value_text in own.select("claim_id", "statistic_id", "quote", "value_text").iter_rows():
            total += 1
            cited_elsewhere = stat in known
            total_known += cited_elsewhere
            spans = claimed_spans(text, [(quote, value_text)])
            candidate = next((c for s, e in spans if (c := _at(found, s, e)) is not None), None)
            ranked = [m.statistic_id for m in candidate.suggestions] if candidate else []
            hits1 += ranked[:1] == [stat]
            hits3 += stat in ranked
            known1 += cited_elsewhere and ranked[:1] == [stat]
            if ranked[:1] != [stat]:
                first = candidate.suggestions[0] if candidate and candidate.suggestions else None
                shown = f"{first.statistic_id} ({first.score:.3f}: {first.reason})" if first else "no suggestion"
                place = f"rank {ranked.index(stat) + 1}" if stat in ranked else "not in top 3"
                mark = "*" if cited_elsewhere else " "
                misses.append(f" {mark}{cid}: {value_text!r} is {stat}, {place}; first: {shown}")
    print(
        f"claims: {total}  hit@1: {hits1} ({hits1 / max(total, 1):.0%})  hit@3: {hits3} ({hits3 / max(total, 1):.0%})"
    )
    print(
        f"of which the statistic has a primary reading or another source's claim: {total_known}, "
        f"hit@1: {known1} ({known1 / max(total_known, 1):.0%})"
    )
    if misses:
        print("misses (* the statistic has a primary reading or another source's claim):")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
