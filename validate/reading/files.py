"""The one guarded way to read a file of a dataset root: no link followed, only regular files,
never blocking on a FIFO or reading a device, and no file larger than the toolkit reads.

Everything in a root may come from a pull request: a CSV that is a link to ../.git/config (whose
credentials a build would publish), to /dev/zero (memory without end) or a FIFO (a read that
never returns). The check, --changed-since, the build and the contributing commands all read
through here, so the same limits hold everywhere.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

# The largest file read whole: far above any real table or archived text (the synthetic million
# claims is a 234 MB CSV), far below what would exhaust a runner's memory several times over.
# One byte under 2 GiB: a text of 2 GiB would not fit the signed 32-bit length of the Arrow
# string view that the C kernels read (validate/kernels/_cells.c refuses a negative one).
MAX_FILE_BYTES = (1 << 31) - 1
# Not waiting for a FIFO's writer; not following a link at the last step; bytes as they are.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a link",
}


class FileRefused(Exception):
    """A file of the root that is not read, and why, in words for a finding ("is a link ...")."""

    def __init__(
        self,
        reason: str,
        missing: bool = False,
        *,
        not_file: bool = False,
        too_large: bool = False,
        unreadable: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing
        self.not_file = not_file  # a folder, FIFO, device or socket
        self.too_large = too_large
        self.unreadable = unreadable  # permission refused


def kind(mode: int) -> str:
    """What a file of this mode is, in words."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def link_on_way(path: Path, depth: int) -> Path | None:
    """The first of `path` and its `depth - 1` nearest parents that is a link, or None: the
    parts of the path that a dataset root holds (datasets/claims.csv is depth 2)."""
    parts = [path, *path.parents][:depth]
    for part in reversed(parts):
        try:
            if stat.S_ISLNK(os.lstat(part).st_mode):
                return part
        except OSError:
            return None  # missing: the open that follows says so
    return None


def refusal(path: Path, depth: int, limit: int = MAX_FILE_BYTES) -> FileRefused | None:
    """Why `path` (with `depth` parts inside the root) is not read, or None when it is a regular
    file of at most `limit` bytes reached through no link."""
    link = link_on_way(path, depth)
    if link is not None:
        what = "is a link" if link == path else f"is inside {link.name}/, which is a link"
        return FileRefused(f"{what}, and no link of a dataset root is followed: commit the file itself")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return FileRefused("is missing", missing=True)
    except OSError as exc:
        return FileRefused(f"cannot be read ({exc.strerror})", unreadable=isinstance(exc, PermissionError))
    if not stat.S_ISREG(info.st_mode):
        return FileRefused(f"is {kind(info.st_mode)}, not a regular file: commit the file itself", not_file=True)
    if info.st_size > limit:
        return FileRefused(_too_large(info.st_size, limit), too_large=True)
    return None


def read_regular(path: Path, depth: int, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` (with `depth` parts inside the root), or FileRefused: a link on the
    way, anything but a regular file, or more than `limit` bytes (also when it grows meanwhile)."""
    refused = refusal(path, depth, limit)
    if refused is not None:
        raise refused
    return read_file(path, limit)


def read_file(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `path`, whose parents the caller has already proved are no
    links (the seeds' walk does, once for all of them), or FileRefused: the file itself a link,
    anything but a regular file, or more than `limit` bytes (also when it grows meanwhile)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise FileRefused("is a link, and no link of a dataset root is followed: commit the file itself") from exc
        raise FileRefused(
            f"cannot be read ({exc.strerror})",
            missing=isinstance(exc, FileNotFoundError),
            unreadable=isinstance(exc, PermissionError),
        ) from exc
    try:
        # Asked of what was opened: it may have been swapped for something else since a check.
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"is {kind(info.st_mode)}, not a regular file: commit the file itself", not_file=True)
        if info.st_size > limit:
            raise FileRefused(_too_large(info.st_size, limit), too_large=True)
        # One byte more than fstat saw: a regular file returns fewer only at its end, so one read
        # is the whole file (at 10,000 seeds, 0.11 s where stat, open() and read() took 0.2 s).
        data = os.read(fd, info.st_size + 1)
        if len(data) == info.st_size:
            return data
        # It changed since fstat (or passed os.read's 2 GB per call): read on, never past the cap.
        parts = [data]
        size = len(data)
        while part := os.read(fd, max(1, min(limit + 1 - size, 1 << 24))):
            parts.append(part)
            size += len(part)
            if size > limit:
                raise FileRefused(f"is more than the {limit:,} bytes a file of a dataset may hold", too_large=True)
        return b"".join(parts)
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return f"is {size:,} bytes, more than the {limit:,} a file of a dataset may hold"


def read_inside(root: Path, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file `rel` (a plain relative path, forward slashes) names in `root`,
    with every step below the root refused if it is a link: the package's members."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).as_posix() != rel or any(p in ("..", ".", "") for p in parts) or rel[0] == "/":
        raise FileRefused("is not a plain relative path inside the dataset root")
    return read_regular(root.joinpath(*parts), len(parts), limit)
