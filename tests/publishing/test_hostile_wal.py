"""A database log committed with a pull request (git add -f build/claims.duckdb.wal) is never
replayed: DuckDB replays a log it finds beside a database into it, even read-only, and a build of
the same data is the same bytes, so a log made beside the attacker's own build replayed into ours
and changed every answer of `claims sql`."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import MakeRoot

from validate.errors import UsageError
from validate.publishing.build import build
from validate.publishing.connection import connect
from validate.publishing.query import query

PLANTED = "planted by the log"


def _planted_log(root: Path, tmp_path: Path) -> Path:
    """A log that changes the root's own build: made on a copy of build/claims.duckdb, kept
    unreplayed (no checkpoint at close), as an attacker makes it beside a build of the same data."""
    build(root)
    copy = tmp_path / "claims.duckdb"
    shutil.copyfile(root / "build" / "claims.duckdb", copy)
    con = duckdb.connect(str(copy))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '10GB'")
    con.execute(f"UPDATE claims SET note = '{PLANTED}'")
    con.close()
    log = tmp_path / "claims.duckdb.wal"
    assert log.is_file()
    # The log does replay into a build of the same data: the attack, as it worked.
    shutil.copyfile(log, tmp_path / "replayed.duckdb.wal")
    shutil.copyfile(root / "build" / "claims.duckdb", tmp_path / "replayed.duckdb")
    with duckdb.connect(str(tmp_path / "replayed.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT note FROM claims").fetchall() == [(PLANTED,)]
    return log


@pytest.mark.parametrize("database_kept", [False, True], ids=["fresh clone", "beside a build"])
def test_a_committed_log_is_never_replayed_into_an_answer(
    make_root: MakeRoot, tmp_path: Path, database_kept: bool
) -> None:
    root = make_root()
    log = _planted_log(root, tmp_path)
    if not database_kept:  # a fresh clone: the log alone came with the pull request
        shutil.rmtree(root / "build")
        (root / "build").mkdir()
    shutil.copyfile(log, root / "build" / "claims.duckdb.wal")
    _, rows = query(root, "SELECT DISTINCT note FROM claims ORDER BY note NULLS FIRST")
    assert (PLANTED,) not in rows
    assert not (root / "build" / "claims.duckdb.wal").exists()  # the build removed it


def test_no_connection_opens_a_database_with_a_log_beside_it(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    log = _planted_log(root, tmp_path)
    shutil.copyfile(log, root / "build" / "claims.duckdb.wal")
    with pytest.raises(UsageError, match=r"^claims.duckdb.wal lies beside claims.duckdb: a log DuckDB would replay"):
        connect(root / "build" / "claims.duckdb", read_only=True)
    with pytest.raises(UsageError, match="is missing, out of date, or was not written by this toolkit"):
        query(root, "SELECT 1", build_if_stale=False)


def test_a_log_that_is_a_link_is_removed_not_followed(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    target = tmp_path / "elsewhere.txt"
    target.write_text("not the build's\n", encoding="utf-8")
    (root / "build").mkdir()
    (root / "build" / "claims.duckdb.wal").symlink_to(target)
    build(root)
    assert not (root / "build" / "claims.duckdb.wal").is_symlink()
    assert target.read_text(encoding="utf-8") == "not the build's\n"
