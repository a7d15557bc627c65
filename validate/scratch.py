"""Scratch folders inside build/ (a build's outputs before they are moved in, a trial copy of the
root): named after the process that made them, so that the next run removes those whose process is
gone. A SIGKILL gives a run no chance to clean up after itself."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_folder(build: Path, kind: str) -> Iterator[Path]:
    """A new folder build/.<kind>-<pid>-<random> (the abandoned ones of that kind removed first),
    removed on the way out, a SIGTERM's way out too."""
    with _terminate_cleanly():
        remove_abandoned(build, kind)
        folder = Path(tempfile.mkdtemp(prefix=f".{kind}-{os.getpid()}-", dir=build))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(build: Path, kind: str) -> None:
    """Remove the scratch folders of `kind` whose process no longer exists."""
    for folder in build.glob(f".{kind}-*-*"):
        pid = folder.name[len(kind) + 2 :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: not ours to judge
    return True


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a scratch folder exists, a SIGTERM exits through Python's cleanup instead of at once
    (only the main thread may set a signal's handler; elsewhere the default stays)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
