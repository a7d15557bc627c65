"""An experiment for data that outgrows memory: the heaviest rules (keys and quote-in-source) as
DuckDB SQL under a hard memory limit, spilling to disk.

    python benchmarks/out_of_core.py ROOT [--memory-limit 300MB]

ROOT is a dataset root, e.g. one written by `python -m validate.synth`. DuckDB has no NFKC, so
the normalisation here is an approximation (NFC, straight quotes, hyphens, single spaces): the
experiment measures cost, `claims check` stays the reference for findings.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from validate.paths import Layout

NORMALISE = (
    "trim(regexp_replace(replace(replace(replace(replace(replace(replace(nfc_normalize({x}),"
    " '\u2018', ''''), '\u2019', ''''), '\u201c', '\"'), '\u201d', '\"'), '\u2013', '-'), '\u2014', '-'),"
    " '[\\s\u00a0]+', ' ', 'g'))"
)


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
        texts = con.sql(
            "SELECT s.source_id, " + NORMALISE.format(x="t.content") + " AS text"
            " FROM sources s JOIN read_text(?) t ON t.filename = ? || '/' || s.file",
            params=[str(layout.seeds / "*"), str(layout.seeds)],
        ).pl()
        con.register("texts", texts)
        sql = (
            "SELECT count(*) FILTER (WHERE t.text IS NULL) AS unknown_source,"
            " count(*) FILTER (WHERE t.text IS NOT NULL AND NOT contains(t.text, "
            + NORMALISE.format(x="c.quote")
            + ")) AS quote_not_found,"
            " count(*) - count(DISTINCT c.claim_id) AS duplicate_ids FROM claims c LEFT JOIN texts t USING (source_id)"
        )
        result = con.execute(sql).fetchone()
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory_limit={args.memory_limit} seconds={elapsed:.2f} peak_rss_mib={peak:.0f} (unknown_source, quote_not_found, duplicate_ids)={result}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
