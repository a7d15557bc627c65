"""Times `claims check` against DuckDB's bare CSV count (the floor) and `frictionless validate`.

    python benchmarks/bench.py --rows 1000000 [--sources 10000] [--broken 0.01] [--repeat 3] [--phases]

Every timing is a median of repeated runs in this one process, on data generated once, taken
round by round (floor, check, and with --broken the same rows unbroken, once each per round), so
the ratios compare like with like on a shared, noisy machine. Peak memory is the maximum resident
set of a separate `python -m validate check` process. `frictionless validate` is timed in a
fresh process of its own on the same data (about 70 s at a million claims); --frictionless-rows
times it on fewer claims of the same generator, scaled linearly, for a quicker estimate (the
RESULT line then says frictionless_rows=).

With --phases, the kernels and the costliest steps of the check are timed inside it (each
function's calls summed, median over the rounds; steps in threads overlap, so they need not add
up to the check) and printed with the check less each phase over the floor, which is what the
ratio would be without it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
from synth import generate

from validate import check
from validate.paths import TABLES, Layout

PEAK_RSS = Path(__file__).with_name("peak_rss.py")
FRICTIONLESS_TIME = Path(__file__).with_name("frictionless_time.py")
# What --phases times: (module, function, phase), each function patched in the module that calls
# it (a name imported with `from` is looked up there).
PHASES = (
    ("pyarrow.csv", "read_csv", "Arrow's CSV parse"),
    ("validate.reading.csv_file", "file_facts", "the file's lines, \\r and UTF-8"),
    ("validate.reading.csv_file", "quotes_enclose_cells", "the file's quotes (each encloses a cell)"),
    ("validate.reading.csv_file", "holds_newline", "newlines in cells (each column chunk)"),
    ("validate.kernels.cells", "groups", "distinct values numbered"),
    ("validate.reading.seeds", "normalise_series_nfkc", "the seeds normalised"),
    ("validate.kernels.cells", "_profile", "per-cell profile"),
    ("validate.rules.claims", "contains", "quote searches"),
    ("validate.rules.claims", "locate", "quote searches"),
    ("validate.rules.coverage", "locate", "quote searches"),
    ("validate.rules.claims", "enrich", "claims enrichment"),
    ("validate.rules.exclusions", "enrich", "exclusions enrichment"),
    ("validate.rules.coverage", "proposed_spans", "the coverage rule's regex pass"),
    ("validate.rules.check", "_coverage", "the coverage rule"),
)


def median_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` runs, and the last run's result."""
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


@contextlib.contextmanager
def timed_phases(enabled: bool) -> Iterator[dict[str, float]]:
    """Seconds spent in each of PHASES that the code still has, while the block runs."""
    spent: dict[str, float] = {}
    lock = threading.Lock()
    patched: list[tuple[Any, str, Any]] = []

    def timer(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                took = time.perf_counter() - start
                with lock:  # calls in threads may end together
                    spent[phase] += took

        return run

    for module_name, name, phase in PHASES if enabled else ():
        module = importlib.import_module(module_name)
        if hasattr(module, name):  # a kernel that left the code has no phase
            patched.append((module, name, getattr(module, name)))
            spent[phase] = 0.0
            setattr(module, name, timer(phase, getattr(module, name)))
    try:
        yield spent
    finally:
        for module, name, original in patched:
            setattr(module, name, original)


def floor(root: Path) -> int:
    """DuckDB's bare row count of claims.csv: reading the bytes and finding the rows, no checks."""
    with duckdb.connect() as con:
        row = con.execute("SELECT count(*) FROM read_csv(?)", [str(Layout(root).csv("claims"))]).fetchone()
    assert row is not None
    return int(row[0])


def floor_inputs(root: Path) -> int:
    """DuckDB's bare row counts of every table and the bytes of every seed: all that a check
    reads, with no checks. The target is set on floor() alone; this one is printed beside it
    because the coverage rule reads every seed's text in full (docs/performance.md)."""
    layout = Layout(root)
    with duckdb.connect() as con:
        rows = 0
        for table in TABLES:
            if layout.csv(table).is_file():
                row = con.execute("SELECT count(*) FROM read_csv(?)", [str(layout.csv(table))]).fetchone()
                assert row is not None
                rows += int(row[0])
        con.execute("SELECT sum(octet_length(content)) FROM read_blob(?)", [str(layout.seeds / "**")]).fetchone()
    return rows


def peak_mib(root: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and wall time of a whole `python -m validate check` process, started from
    peak_rss.py: a process started from this one would report this one's peak if higher."""
    done = subprocess.run(
        [
            sys.executable,
            str(PEAK_RSS),
            sys.executable,
            "-m",
            "validate",
            "check",
            "--root",
            str(root),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    fields = done.stdout.split()
    if done.returncode != 0 or len(fields) != 3:
        raise SystemExit(f"peak_rss.py failed (exit status {done.returncode}): {done.stderr or done.stdout}")
    code, kib, elapsed = int(fields[0]), int(fields[1]), float(fields[2])
    if code < 0:
        raise SystemExit(f"claims check was killed by signal {-code}")
    if code not in (0, 1):
        raise SystemExit(f"claims check failed with exit status {code}")
    return kib / 1024, elapsed


def frictionless_time(root: Path, repeat: int) -> float:
    """Median seconds of `frictionless validate` of the package at `root`, each run in a fresh
    process (frictionless_time.py): inside this one, after the checks, it ran slower."""
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, str(FRICTIONLESS_TIME), str(Layout(root).datapackage)], capture_output=True, text=True
        )
        fields = done.stdout.split()
        if done.returncode != 0 or len(fields) != 2:
            raise SystemExit(
                f"frictionless_time.py failed (exit status {done.returncode}): {done.stderr or done.stdout}"
            )
        times.append(float(fields[0]))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="claims (default 100000)")
    parser.add_argument("--sources", type=int, default=None, help="sources (default rows/100)")
    parser.add_argument("--broken", type=float, default=0.0, help="share of claims broken (default 0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument(
        "--frictionless-rows",
        type=int,
        default=None,
        help="claims frictionless validates (default --rows; fewer are timed and scaled linearly, an estimate)",
    )
    parser.add_argument("--phases", action="store_true", help="time the kernels and costly steps inside the check")
    args = parser.parse_args()
    sources = args.sources or max(1, args.rows // 100)

    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp:
        root = generate(Path(tmp) / "data", args.rows, sources, args.broken)
        # Write the generated files out before timing: otherwise the kernel flushes those 300 MB
        # of dirty pages while the first timings run, and they pay for it.
        os.sync()
        size = Layout(root).csv("claims").stat().st_size / 2**20
        print(f"data: {args.rows} claims over {sources} sources, claims.csv {size:.0f} MiB, {args.broken:.1%} broken")

        clean = None
        if args.broken > 0:
            # The same rows unbroken, timed in the same rounds: on a shared machine, the ratio of
            # two runs minutes apart says more about the neighbours than about the broken rows.
            clean = generate(Path(tmp) / "clean", args.rows, sources, 0.0)
            os.sync()
        # Round by round, each timing once per round: a slow spell of the machine then slows all
        # of them alike instead of one, and the ratios between medians stay fair.
        runs: dict[str, list[float]] = {"floor": [], "inputs": [], "check": [], "clean": []}
        counted: object = None
        report: object = None
        phases: dict[str, list[float]] = {phase: [] for _, _, phase in PHASES}
        for _ in range(args.repeat):
            seconds, counted = median_time(lambda: floor(root), 1)
            runs["floor"].append(seconds)
            runs["inputs"].append(median_time(lambda: floor_inputs(root), 1)[0])
            with timed_phases(args.phases) as spent:
                seconds, report = median_time(lambda: check(root), 1)
            runs["check"].append(seconds)
            for phase, took in spent.items():
                phases[phase].append(took)
            if clean is not None:
                runs["clean"].append(median_time(lambda: check(clean), 1)[0])
        floor_s, check_s = statistics.median(runs["floor"]), statistics.median(runs["check"])
        for phase, took in phases.items():
            if took:
                less = statistics.median(c - t for c, t in zip(runs["check"], took, strict=True)) / floor_s
                print(f"phase    {phase:<52} {statistics.median(took):6.3f} s  (check less it / floor {less:.2f})")
        inputs_s = statistics.median(runs["inputs"])
        print(f"floor    DuckDB count(*)         {floor_s:8.3f} s  ({counted} rows)")
        print(f"inputs   every table and seed    {inputs_s:8.3f} s  (check / it {check_s / inputs_s:.2f})")
        findings = len(report)  # type: ignore[arg-type]
        print(f"check    validate.check()         {check_s:8.3f} s  ({findings} findings)")
        clean_s = statistics.median(runs["clean"]) if runs["clean"] else None
        if clean_s is not None:
            print(f"clean    the same rows unbroken   {clean_s:8.3f} s  (broken / clean {check_s / clean_s:.2f})")
        peak, whole = peak_mib(root)
        print(f"process  python -m validate check {whole:8.3f} s  (peak {peak:.0f} MiB, imports included)")

        f_rows = min(args.rows, args.frictionless_rows or args.rows)
        if f_rows == args.rows and args.broken == 0:
            f_root = root
        else:
            f_root = generate(Path(tmp) / "frictionless", f_rows, max(1, f_rows * sources // args.rows), args.broken)
            os.sync()
        f_s = frictionless_time(f_root, 1 if f_rows >= 50_000 else args.repeat) * args.rows / f_rows
        scaled = f" (measured at {f_rows} rows, scaled linearly)" if f_rows != args.rows else ""
        print(f"frictionless validate             {f_s:8.3f} s{scaled}")

    extra = f" frictionless_rows={f_rows}" if f_rows != args.rows else ""
    if clean_s is not None:
        extra += f" clean_s={clean_s:.3f} broken_over_clean={check_s / clean_s:.2f}"
    print(
        f"RESULT rows={args.rows} check_s={check_s:.3f} floor_s={floor_s:.3f} frictionless_s={f_s:.3f} "
        f"ratio_floor={check_s / floor_s:.2f} speedup_frictionless={f_s / check_s:.2f} peak_mb={peak:.0f}{extra} "
        f"floor_inputs_s={inputs_s:.3f} ratio_inputs={check_s / inputs_s:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
