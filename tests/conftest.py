"""Shared fixtures: `make_root` builds a fresh dataset root in tmp_path for each call."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest
from roots import build_root, real_root

MakeRoot = Callable[..., Path]


@pytest.fixture
def make_root(tmp_path: Path) -> MakeRoot:
    """`make_root()` is a copy of the base fixture with the real schemas; `make_root("fault")` adds an overlay."""
    numbers = count()

    def make(fault: str | None = None) -> Path:
        return build_root(tmp_path / f"root{next(numbers)}", fault)

    return make


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    """A copy of the frozen five articles' ledger (tests/fixtures/real) with the real schemas."""
    return real_root(tmp_path / "real")
