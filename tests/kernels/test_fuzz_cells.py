"""benchmarks/fuzz_cells.py catches a read past a buffer: an off-by-one planted in a copy of
_cells.c fails the run with AddressSanitizer's report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from roots import REPO, needs_c_compiler

pytestmark = needs_c_compiler

SOURCE = REPO / "validate" / "kernels" / "_cells.c"
# The check that every view lies inside its data buffer, one byte too lenient.
GOOD = "(Py_ssize_t)offset + len > c->data[index].len)"


def _fuzz(source: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(REPO / "benchmarks" / "fuzz_cells.py"), "--seconds", "1", "--source", str(source)]
    return subprocess.run(command, capture_output=True, text=True, timeout=240)


def test_an_off_by_one_planted_in_the_bounds_check_is_caught(tmp_path: Path) -> None:
    text = SOURCE.read_text()
    assert text.count(GOOD) == 1
    planted = tmp_path / "_cells.c"
    planted.write_text(text.replace(GOOD, GOOD.replace(".len)", ".len + 1)")))
    done = _fuzz(planted)
    assert done.returncode == 1
    assert "AddressSanitizer: heap-buffer-overflow" in done.stderr
    assert "fuzz_cells: FAILED" in done.stderr


def test_a_source_that_does_not_build_is_a_clear_failure(tmp_path: Path) -> None:
    broken = tmp_path / "_cells.c"
    broken.write_text("this is not C\n")
    done = _fuzz(broken)
    assert done.returncode == 1
    assert "could not build" in done.stderr
    assert "Traceback" not in done.stderr
