"""`build(root)`: check the dataset, then write build/claims.duckdb, the data package zip and the site, all three or none (see `_swap_in`)."""

from __future__ import annotations

import hashlib
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from validate.errors import InvalidData, UsageError
from validate.paths import Layout, given_root
from validate.publishing.database import DATABASE_FILE, DEFAULT_APPROXIMATELY_TOLERANCE, write_database
from validate.publishing.package import package_file_name, write_package
from validate.publishing.site import SITE_FOLDER, write_site
from validate.publishing.stamp import inputs_digest, read_stamp, stamp_path, wal_path, write_stamp
from validate.rules.check import check
from validate.scratch import scratch_folder


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    database: Path
    package: Path
    rows: dict[str, int]  # rows per table of the database
    members: list[str]  # entries of the package zip
    site: Path | None = None  # the readers' site folder


def build(root: Path | str, *, approximately_tolerance: float = DEFAULT_APPROXIMATELY_TOLERANCE) -> BuildResult:
    """Check the dataset at `root`; if it is valid, write its database and package into `root`/build/."""
    # At most 1 (100 %): a value is at most 1e300, so its interval stays a number (1e308 made
    # claim_intervals' ends infinite, which JSON writes as null, an open end).
    if not (isinstance(approximately_tolerance, int | float) and math.isfinite(approximately_tolerance)) or not (
        0 <= approximately_tolerance <= 1
    ):
        raise UsageError(
            "approximately_tolerance must be a share of the value from 0 to 1 (0.10 is 10 %), "
            f"not {approximately_tolerance!r}"
        )
    layout = Layout(given_root(root))
    refused = build_folder_refusal(layout)
    if refused is not None:
        raise UsageError(refused)
    # Of the inputs as they are before the check reads them: a file changed during the build
    # leaves a database whose digest is not the inputs', which the next query rebuilds.
    digest = inputs_digest(layout)
    report = check(layout.root)
    if not report.valid:
        raise InvalidData(report)
    zip_name = package_file_name(layout)
    _make_build_folder(layout)
    database, package, site = layout.build / DATABASE_FILE, layout.build / zip_name, layout.build / SITE_FOLDER
    # The zip this toolkit wrote last, by its signed stamp: read before anything is replaced.
    previous = read_stamp(database)
    # Every output is written in a scratch folder inside build/ first, the stamp too (it signs the
    # database by its identity on disk, which a rename in one file system keeps). Only when all
    # were written is any moved in (_swap_in): a failure before leaves build/ as it was.
    with scratch_folder(layout.build, "build") as scratch:
        tolerance = float(approximately_tolerance)
        rows = write_database(layout, scratch / DATABASE_FILE, approximately_tolerance=tolerance, inputs_digest=digest)
        members = write_package(layout, scratch / zip_name)
        write_site(scratch / DATABASE_FILE, scratch / SITE_FOLDER)
        package_sha256 = _sha256(scratch / zip_name)
        write_stamp(scratch / DATABASE_FILE, digest, tolerance, zip_name, package_sha256)
        stamp = stamp_path(database)
        # The stamp last: until it is in, the new database has none that verifies (the old stamp
        # signs the old file), so a query builds anew rather than trust it.
        _swap_in(
            [
                (zip_name, package, False),
                (SITE_FOLDER, site, True),
                (DATABASE_FILE, database, False),
                (stamp.name, stamp, False),
            ],
            scratch,
            layout,
        )
        if previous is not None:
            _remove_old_package(layout, previous, zip_name)
    return BuildResult(database=database, package=package, rows=rows, members=members, site=site)


def _swap_in(outputs: list[tuple[str, Path, bool]], scratch: Path, layout: Layout) -> None:
    """Move each output (name in `scratch`, target in build/, whether a folder) to its target, all
    or none: every target is first checked to be replaceable, and if a move fails all the moves
    before it are undone, so build/ holds the old outputs, all of them.

    Each file is moved in with one rename over the old one (kept by a hard link for the undoing): a
    reader sees the old file or the new one. The site, a folder, is two renames (old one out, new
    one in): between them there is no site. The moves are renames in one folder, done one after the
    other with nothing else between them; a process killed between two leaves some new outputs
    beside some old ones (there is no renaming three names at once). That is safe for queries: the
    stamp goes in last, and until it does the new database has no stamp that verifies, so `claims
    sql` builds anew; a `claims build` again makes all three agree."""
    for name, target, folder in outputs:
        if folder or not (scratch / name).exists():
            continue
        # A folder where a file goes is not moved away (it may hold anything): the reader removes it.
        if target.is_dir() and not target.is_symlink():
            raise UsageError(f"{layout.rel(target)} cannot be replaced (it is a folder): remove it, and build again")
    # A database log in build/ is never ours (every database is closed when written): DuckDB
    # would replay it into the new database (stamp.wal_path). Removed, a link itself and not what
    # it points at; a folder there is the reader's to remove.
    wal = wal_path(layout.build / DATABASE_FILE)
    if wal.is_dir() and not wal.is_symlink():
        raise UsageError(f"{layout.rel(wal)} is a folder where DuckDB looks for a database's log: remove it")
    if os.path.lexists(wal):
        os.unlink(wal)
    kept = scratch / ".old"
    kept.mkdir()
    done: list[tuple[Path, Path | None, bool]] = []  # target, its old self kept (or None), the new one in
    target = layout.build
    try:
        for name, target, folder in outputs:
            new = scratch / name
            if not new.exists():
                continue  # no stamp (no key to sign it with): the old one no longer verifies
            old: Path | None = None
            if target.is_symlink() or target.exists():
                old = kept / name
                if not folder and stat.S_ISREG(target.lstat().st_mode):
                    try:
                        os.link(target, old)  # kept, and the target is replaced in one rename
                    except OSError:
                        os.replace(target, old)  # no hard links here: moved out, then the new one in
                else:
                    os.replace(target, old)
            done.append((target, old, False))
            os.replace(new, target)
            done[-1] = (target, old, True)
    except OSError as exc:
        kept_all = _undo(done, scratch)
        state = (
            "build/ holds the outputs of the build before" if kept_all else "build/ holds a mix of old and new outputs"
        )
        raise UsageError(
            f"{layout.rel(target)} cannot be replaced ({exc.strerror}): {state}; remove it, and build again"
        ) from exc


def _undo(done: list[tuple[Path, Path | None, bool]], scratch: Path) -> bool:
    """Put back the old outputs `_swap_in` replaced, the last first; the new ones go to `scratch`,
    removed with it. Whether every one was put back."""
    kept_all = True
    undone = scratch / ".new"
    undone.mkdir(exist_ok=True)
    for i, (target, old, placed) in enumerate(reversed(done)):
        try:
            if placed:
                os.replace(target, undone / str(i))
            if old is not None:
                os.replace(old, target)
        except OSError:
            kept_all = False  # the rest are still put back; the message says to build again
    return kept_all


def _remove_old_package(layout: Layout, previous: dict[str, object], zip_name: str) -> None:
    """Remove the zip the build before wrote when this one wrote another name (a new version):
    only the file the stamp names, when it is a plain file of build/ whose bytes are still those
    the stamp records; anything else in build/ is the reader's."""
    name, sha = previous.get("package"), previous.get("package_sha256")
    if not isinstance(name, str) or name == zip_name or not name.endswith(".zip") or Path(name).name != name:
        return
    path = layout.build / name
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return
        if _sha256(path) == sha:
            path.unlink()
    except OSError:
        return  # left where it is: only a file the build no longer needs


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def build_folder_refusal(layout: Layout) -> str | None:
    """Why build/ cannot be used, or None. build/ is ignored by git, but a link named build is
    not (the ignore rule matches folders only), so a pull request could point it anywhere, at a
    database of its own making among others: a link is refused wherever it leads."""
    if layout.build.is_symlink():
        return f"{layout.rel(layout.build)} is a link, and no link of a dataset root is followed: remove it (build/ is made anew)"
    if layout.build.exists() and not layout.build.is_dir():
        return f"{layout.rel(layout.build)} is not a folder: remove it (build/ is made anew)"
    return None


def _make_build_folder(layout: Layout) -> None:
    """build/ as a real folder inside the root."""
    refused = build_folder_refusal(layout)
    if refused is not None:
        raise UsageError(refused)
    layout.build.mkdir(exist_ok=True)
