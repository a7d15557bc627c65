"""The benchmark scripts keep the promises the README makes of them."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from validate import check
from validate.synth import generate

REPO = Path(__file__).resolve().parent.parent


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
        rf"speedup_frictionless={number} peak_mb=\d+ clean_s={number} broken_over_clean={number}",
        last,
    ), last
