"""ruff (lint and format) and mypy run with the tests, so a red lint fails CI like a red test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from roots import REPO

ROOT = REPO
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "validate", "tests", "benchmarks"],
        ["ruff", "format", "--check", "validate", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    args = [_tool(command[0]), *command[1:]]
    args = [
        a for a in args if a == args[0] or not a.startswith(("validate", "tests", "benchmarks")) or (ROOT / a).exists()
    ]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
