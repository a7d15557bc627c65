"""`build(root)`: check the dataset, then write build/claims.duckdb, the data package zip and the site atomically."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from validate.errors import InvalidData, UsageError
from validate.paths import REPO_ROOT, Layout
from validate.publishing.database import DATABASE_FILE, DEFAULT_APPROXIMATELY_TOLERANCE, write_database
from validate.publishing.package import package_file_name, write_package
from validate.publishing.site import SITE_FOLDER, write_site
from validate.publishing.stamp import inputs_digest, stamp_path, write_stamp
from validate.rules.check import check


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    database: Path
    package: Path
    rows: dict[str, int]  # rows per table of the database
    members: list[str]  # entries of the package zip
    site: Path | None = None  # the readers' site folder


def build(
    root: Path | str = REPO_ROOT, *, approximately_tolerance: float = DEFAULT_APPROXIMATELY_TOLERANCE
) -> BuildResult:
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
    layout = Layout(Path(root))
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
    # Both files are written in a scratch folder beside their final place, then each is moved in
    # with one rename: a reader sees the old file or the new one, never half of one.
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=layout.build))
    try:
        tolerance = float(approximately_tolerance)
        rows = write_database(layout, scratch / DATABASE_FILE, approximately_tolerance=tolerance, inputs_digest=digest)
        members = write_package(layout, scratch / zip_name)
        write_site(scratch / DATABASE_FILE, scratch / SITE_FOLDER)
        database, package = layout.build / DATABASE_FILE, layout.build / zip_name
        for name, target in ((DATABASE_FILE, database), (zip_name, package)):
            try:
                os.replace(scratch / name, target)
            except OSError as exc:
                raise UsageError(
                    f"{layout.rel(target)} cannot be replaced ({exc.strerror}): remove it, and build again"
                ) from exc
        _replace_folder(scratch / SITE_FOLDER, layout.build / SITE_FOLDER, scratch, layout)
        try:
            write_stamp(database, digest, tolerance)
        except OSError as exc:  # a folder of the stamp's name, say: the database stands unsigned
            raise UsageError(
                f"{layout.rel(stamp_path(database))} cannot be replaced ({exc.strerror}): remove it, and build again"
            ) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return BuildResult(database=database, package=package, rows=rows, members=members, site=layout.build / SITE_FOLDER)


def _replace_folder(new: Path, target: Path, scratch: Path, layout: Layout) -> None:
    """Put the folder `new` at `target`: the old one is renamed into the scratch folder (removed with it),
    then the new one renamed in, so a reader never sees a half-written site."""
    try:
        if target.is_symlink() or target.exists():
            os.replace(target, scratch / (target.name + ".old"))
        os.replace(new, target)
    except OSError as exc:
        raise UsageError(
            f"{layout.rel(target)} cannot be replaced ({exc.strerror}): remove it, and build again"
        ) from exc


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
