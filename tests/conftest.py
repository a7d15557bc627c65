"""Shared fixtures: `make_root` builds a fresh dataset root in tmp_path for each call."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest
from roots import REPO, build_root

MakeRoot = Callable[..., Path]


@pytest.fixture
def make_root(tmp_path: Path) -> MakeRoot:
    """`make_root()` is a copy of the base fixture with the real schemas; `make_root("fault")` adds an overlay."""
    numbers = count()

    def make(fault: str | None = None) -> Path:
        return build_root(tmp_path / f"root{next(numbers)}", fault)

    return make


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository's dataset root: schemas, datasets, seeds and datapackage.json."""
    root = tmp_path / "repo"
    for part in ("datasets", "schema", "seeds"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "datapackage.json", root / "datapackage.json")
    return root
