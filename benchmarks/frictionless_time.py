"""Times `frictionless validate` of a data package in this process, and prints the seconds and
whether the package is valid.

    python benchmarks/frictionless_time.py DATAPACKAGE_JSON

Why a process of its own: measured inside the benchmark, after a few million-claim checks,
Frictionless ran some 14 % slower than in a fresh process (7.35 s against 6.42 s at 100,000
claims), which flattered the check's speed-up. Only the validation is timed, not Python's start
or Frictionless' import.
"""

from __future__ import annotations

import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    import frictionless

    start = time.perf_counter()
    report = frictionless.validate(argv[0], limit_errors=10**9)
    print(f"{time.perf_counter() - start:.6f}", "valid" if report.valid else "invalid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
