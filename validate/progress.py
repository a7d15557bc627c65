"""A progress bar for long runs on a terminal: phases and rows, never in CI logs or JSON output."""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# Short runs stay silent: the bar appears only once a run has taken this long.
SHOW_AFTER_S = 2.0


class Phases:
    """Reports named phases; draws them as a bar on stderr once the run has lasted a while."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.monotonic()
        self.done = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def step(self, name: str) -> None:
        """Mark the start of phase `name`."""
        self.done += 1
        if not self.enabled:
            return
        if self._bar is None and time.monotonic() - self.start >= SHOW_AFTER_S:
            # Imported here: most runs end before a bar is due.
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("claims check"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total} {task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(name, total=self.total, completed=self.done - 1)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.done - 1, description=name)

    def __enter__(self) -> Phases:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()


def wanted(fmt: str) -> bool:
    """A bar only for a person at a terminal: not in CI, not when output is for a program."""
    return fmt == "text" and sys.stderr.isatty() and not os.environ.get("CI")
