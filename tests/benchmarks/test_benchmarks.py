"""The benchmark scripts keep the promises the README makes of them."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from roots import REPO, needs_c_kernels
from synth import generate

from validate import check
from validate.paths import TABLES, Layout


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "root", 3000, 30, 0.05)


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_out_of_core_counts_the_findings_the_check_reports(broken: Path) -> None:
    out = _run("benchmarks/out_of_core.py", str(broken))
    found = re.search(r"\(unknown_source, quote_not_found, duplicate_ids\)=\((\d+), (\d+), (\d+)\)", out)
    assert found, out
    counts = Counter(f.check for f in check(broken).findings)
    assert counts["blank-row"] > 0  # blank rows are there, and must not be counted as the others
    assert counts["foreign-key"] > 0 and counts["quote-not-in-source"] > 0 and counts["primary-key"] > 0
    expected = (counts["foreign-key"], counts["quote-not-in-source"], counts["primary-key"])
    assert tuple(int(g) for g in found.groups()) == expected


def test_bench_prints_the_result_line_the_issue_asks_for() -> None:
    out = _run("benchmarks/bench.py", "--rows", "2000", "--repeat", "1", "--broken", "0.05")
    last = out.strip().splitlines()[-1]
    number = r"\d+(?:\.\d+)?"
    assert re.fullmatch(
        rf"RESULT rows=2000 check_s={number} floor_s={number} frictionless_s={number} ratio_floor={number} "
        rf"speedup_frictionless={number} peak_mb=\d+ clean_s={number} broken_over_clean={number} "
        rf"floor_inputs_s={number} ratio_inputs={number}",
        last,
    ), last


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_inputs_floor_counts_every_table_and_reads_the_seeds(tmp_path: Path) -> None:
    layout = Layout(generate(tmp_path / "root", 500, 5, 0.0))
    records = 0
    for table in TABLES:
        if layout.csv(table).is_file():
            with open(layout.csv(table), encoding="utf-8", newline="") as f:
                records += sum(1 for _ in csv.reader(f)) - 1
    assert records > 500 and any(layout.seeds.iterdir())
    assert _bench_module().floor_inputs(layout.root) == records


def test_peak_memory_is_the_check_process_own_not_the_benchmark_process(broken: Path) -> None:
    # Linux hands a child the peak of the memory it was started in: measured from a parent that
    # holds more than the check needs, the check's peak must still be its own.
    held = b"x" * (768 << 20)  # written, so resident
    peak, seconds = _bench_module().peak_mib(broken)
    assert held[-1:] == b"x"
    assert 20 < peak < 600 and seconds > 0


def test_peak_rss_reports_the_command_own_peak() -> None:
    script = str(REPO / "benchmarks" / "peak_rss.py")
    out = _run(script, sys.executable, "-c", "data = b'x' * (300 << 20)")
    code, kib, seconds = out.split()
    assert code == "0" and float(seconds) > 0
    assert 300 << 10 < int(kib) < 600 << 10
    failing = _run(script, sys.executable, "-c", "raise SystemExit(3)")
    assert failing.split()[0] == "3"


def test_frictionless_is_timed_in_a_process_of_its_own(broken: Path, tmp_path: Path) -> None:
    # Timed inside the benchmark, after its checks, Frictionless ran slower and flattered the
    # speed-up: the benchmark's own process must never run it (here it would divide by zero).
    clean = generate(tmp_path / "clean", 300, 3)
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks'); import bench, frictionless; "
        "frictionless.validate = lambda *args, **kwargs: 1 / 0; "
        f"seconds = bench.frictionless_time(Path({str(clean)!r}), 2); assert seconds > 0, seconds"
    )
    _run("-c", code)
    script = str(REPO / "benchmarks" / "frictionless_time.py")
    assert _run(script, str(Layout(clean).datapackage)).split()[1] == "valid"
    assert _run(script, str(Layout(broken).datapackage)).split()[1] == "invalid"


@needs_c_kernels  # the kernels' phases are timed where they run
def test_phases_time_functions_that_exist_and_are_restored_after(broken: Path, tmp_path: Path) -> None:
    """Every phase names a function the check still calls (a renamed kernel would drop out of the
    breakdown silently), each is timed while the block runs, and put back after. (A file this small
    is read without Arrow, so the file's phases stay at zero here.) The coverage rule runs only where
    every claim names a listed source, so its phases are timed on a clean dataset."""
    bench = _bench_module()
    originals = {(m, n): getattr(importlib.import_module(m), n) for m, n, _ in bench.PHASES}
    with bench.timed_phases(True) as spent:
        check(broken)
    assert set(spent) == {phase for _, _, phase in bench.PHASES}
    ran = ("distinct values numbered", "the seeds normalised", "per-cell profile", "quote searches")
    assert all(spent[phase] > 0 for phase in ran), spent
    assert spent["the coverage rule"] == 0  # a claim names an unknown source: the rule does not apply
    with bench.timed_phases(True) as spent:
        check(generate(tmp_path / "clean", 3000, 30))
    coverage = ("quote searches", "the coverage rule's regex pass", "the coverage rule")
    assert all(spent[phase] > 0 for phase in coverage), spent
    assert all(getattr(importlib.import_module(m), n) is f for (m, n), f in originals.items())
