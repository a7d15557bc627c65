"""The progress bar: only for a person at a terminal, only once a run has lasted a while."""

from __future__ import annotations

import pytest

from validate import progress
from validate.progress import Phases, wanted


class _Terminal:
    """Stands in for sys.stderr: a terminal that keeps what is written to it."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_a_bar_only_for_text_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress.sys, "stderr", _Terminal())
    monkeypatch.delenv("CI", raising=False)
    assert wanted("text")
    assert not wanted("json")
    assert not wanted("github")
    assert not wanted("markdown")
    monkeypatch.setenv("CI", "true")
    assert not wanted("text")


def test_no_bar_when_stderr_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: False, raising=False)
    assert not wanted("text")


def test_a_short_run_shows_no_bar() -> None:
    with Phases(3, enabled=True) as phases:
        phases.step("reading claims.csv")
        phases.step("checking claims.csv")
        assert phases._bar is None


def test_a_long_run_shows_its_phase(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(progress.sys, "stderr", terminal)
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    with Phases(3, enabled=True) as phases:
        phases.step("reading claims.csv")
        assert phases._bar is not None
        phases.step("checking 1000000 rows of claims.csv")
    assert "checking 1000000 rows of claims.csv" in "".join(terminal.written)


def test_disabled_phases_never_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    with Phases(3, enabled=False) as phases:
        phases.step("reading claims.csv")
        assert phases._bar is None
    assert phases.done == 1
