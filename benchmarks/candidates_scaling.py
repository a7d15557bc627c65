"""How `claims candidates` scales on hostile source texts: time at N and 4N characters, and the ratio.

    python benchmarks/candidates_scaling.py [--chars 5000] [--repeat 3]

Each kind of text is one a pull request could archive as a seed: one very long line with no
sentence end, thousands of digits in one run, many number words, long runs of punctuation, and
numbers spread through one unended sentence. For each, find_candidates (what the command runs
per source: sentences, number phrases, the reading and proposals of each phrase, the ranking
against the statistics) is timed at N and at 4N characters in this one process, a median of
`repeat` runs each; linear work gives a ratio near 4, quadratic near 16. The output's size in
characters (the candidates as `claims candidates --format json` writes them) is given beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict

from validate.contributing.candidates import Candidate, find_candidates
from validate.contributing.statistics_search import Profile, profiles
from validate.paths import REPO_ROOT as REPO


def _repeat_to(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


# Each maker gives a text of about `chars` characters.
TEXTS: dict[str, Callable[[int], str]] = {
    "long line, no sentence end": lambda n: _repeat_to("the county declined detainers and held people ", n),
    "one run of digits": lambda n: "In total " + "7" * n + " requests",
    "digit groups": lambda n: _repeat_to("1,234,567 ", n),
    "number words": lambda n: _repeat_to("forty-two thousand three hundred and six ", n),
    "punctuation runs": lambda n: _repeat_to(".,;:!?-()[]\"'", n),
    "numbers in one sentence": lambda n: _repeat_to("about 1,234 requests, some 56 percent, ", n),
    "dotted numbers": lambda n: _repeat_to("1.2.3.4.5.6.7.8.9.", n),
    # Each hedge's word before it is read for a preposition ("worried about"): a few characters, not the text.
    "hedges after a word": lambda n: _repeat_to("worried about 7 ", n),
}


def timed(text: str, stats: list[Profile], repeat: int) -> tuple[float, list[Candidate]]:
    """Median wall time of `repeat` runs, and the last run's candidates."""
    times = []
    result: list[Candidate] = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(text, stats)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def output_chars(found: list[Candidate]) -> int:
    return len(json.dumps([asdict(c) for c in found], ensure_ascii=False))


def run(text: str, stats: list[Profile] | None) -> list[Candidate]:
    return find_candidates(text, [], "s", stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=5_000, help="N: the smaller text's length")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    stats = profiles(REPO)  # the ledger's statistics: each phrase is ranked against them
    worst = 0.0
    print(f"{'text':28} {'N s':>8} {'4N s':>8} {'ratio':>6} {'out N':>9} {'out 4N':>9} {'out ratio':>9}")
    for name, make in TEXTS.items():
        small, large = make(args.chars), make(4 * args.chars)
        t_small, found_small = timed(small, stats, args.repeat)
        t_large, found_large = timed(large, stats, args.repeat)
        o_small, o_large = output_chars(found_small), output_chars(found_large)
        ratio = t_large / t_small if t_small > 0 else float("nan")
        worst = max(worst, ratio)
        out_ratio = o_large / o_small if o_small else float("nan")
        print(
            f"{name:28} {t_small:8.3f} {t_large:8.3f} {ratio:6.1f} {o_small:9} {o_large:9} {out_ratio:9.1f}", flush=True
        )
    print(f"RESULT chars={args.chars} worst_time_ratio={worst:.1f} (linear: 4, quadratic: 16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
