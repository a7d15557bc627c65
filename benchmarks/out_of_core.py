"""An experiment for data that outgrows memory: the heaviest rules (keys and quote-in-source) as
DuckDB SQL under a hard memory limit, spilling to disk.

    python benchmarks/out_of_core.py ROOT [--memory-limit 300MB]

ROOT is a dataset root, e.g. one written by `python benchmarks/synth.py`. The SQL is in
out_of_core.sql. DuckDB has no NFKC, so the normalisation there is an approximation (NFC,
straight quotes, hyphens, single spaces): the experiment measures cost, and `claims check`
stays the reference for findings.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from validate.paths import Layout

SQL = Path(__file__).with_suffix(".sql")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--memory-limit", default="300MB")
    args = parser.parse_args()
    layout = Layout(args.root)
    with tempfile.TemporaryDirectory() as spill, duckdb.connect() as con:
        # Settings of ours, not data: nothing from the dataset is put into SQL text.
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
        con.execute(f"SET temp_directory = '{spill}'")
        start = time.perf_counter()
        con.read_csv(str(layout.csv("claims")), all_varchar=True, header=True).create_view("claims")
        con.read_csv(str(layout.csv("sources")), all_varchar=True, header=True).create_view("sources")
        macro, texts, count = (part.strip() for part in SQL.read_text(encoding="utf-8").split(";\n") if part.strip())
        con.execute(macro)
        con.execute(texts, [str(layout.seeds / "*"), str(layout.seeds)])
        result = con.execute(count).fetchone()
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory_limit={args.memory_limit} seconds={elapsed:.2f} peak_rss_mib={peak:.0f} (unknown_source, quote_not_found, duplicate_ids)={result}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
