"""Every path the toolkit uses, derived from one dataset root: given, or found by find_root()."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from validate.errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
SQL_DIR = PACKAGE_DIR / "publishing" / "sql"
# The orders of the lists the site cuts short, which its pages also show as queries.
SITE_SQL_DIR = PACKAGE_DIR / "publishing" / "site" / "sql"
# The queries the contributing commands put to a database they build (standing.py).
CONTRIBUTING_SQL_DIR = PACKAGE_DIR / "contributing" / "sql"


def find_root(start: Path | None = None) -> Path:
    """The dataset root a command works on when none is given: the nearest folder, from `start`
    (the working directory) up, with datapackage.json and datasets/, as git finds its repository.
    There is no fallback: run outside any dataset, `claims check` once checked the repository it
    was installed from and said "valid", about data the user had not asked for."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "datapackage.json").is_file() and (folder / "datasets").is_dir():
            return folder
    raise UsageError(
        f"no dataset root in {here} or above it (a folder with datapackage.json and datasets/): "
        "run the command inside one, or give its path"
    )


def read_sql(name: str, folder: Path = SQL_DIR, *, one_line: bool = False) -> str:
    """The statement of `<folder>/<name>.sql`; with `one_line`, without its comment lines and
    with its white space collapsed, as a page shows a query to copy (its SQL holds no string
    literal whose spaces this would change)."""
    sql = (folder / f"{name}.sql").read_text(encoding="utf-8")
    if not one_line:
        return sql
    return " ".join(" ".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).split())


# The tables of the contract, in dependency order (claims refer to sources and statistics,
# relations to statistics, exclusions to sources).
TABLES: tuple[str, ...] = ("sources", "statistics", "claims", "relations", "exclusions")


def given_root(root: Path | str) -> Path:
    """A dataset root the user named: refused, the same words for every command, unless a folder."""
    path = Path(root)
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder: give the root of a dataset (the folder with datasets/ and seeds/)")
    # Neither of the two things find_root looks for: a wrong path, not a dataset with findings
    # (six "missing" findings told a user who named the wrong folder that their data was invalid).
    # One that lacks only one of them is a dataset with a finding to fix.
    if not (os.path.lexists(path / "datapackage.json") or os.path.lexists(path / "datasets")):
        raise UsageError(
            f"{path} is not a dataset root (it has neither datapackage.json nor datasets/): "
            "give the folder with datapackage.json, datasets/ and seeds/"
        )
    return path


@dataclass(frozen=True)
class Layout:
    """Where each part of a dataset root lives."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def datasets(self) -> Path:
        return self.root / "datasets"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def datapackage(self) -> Path:
        return self.root / "datapackage.json"

    @property
    def gitattributes(self) -> Path:
        return self.root / ".gitattributes"

    def csv(self, table: str) -> Path:
        return self.datasets / f"{table}.csv"

    def schema(self, table: str) -> Path:
        return self.schema_dir / f"{table}.schema.json"

    def rel(self, path: Path) -> str:
        """The path as findings show it: relative to the root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
