"""`build` and `query` on a copy of the repository's dataset: what is written, how, and what it says."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pytest
from roots import STATISTICS, build_root, real_root, set_cell, tree_digest

from validate import check
from validate.errors import InvalidData, UsageError
from validate.findings import Report
from validate.paths import Layout
from validate.publishing import build as build_module
from validate.publishing.build import BuildResult, build
from validate.publishing.database import database_path
from validate.publishing.query import is_stale, query, render_rows
from validate.publishing.stamp import read_stamp
from validate.reading.table_schema import load_schema

IDENTIFIER = slice(124, 140)  # the database identifier in the main header of a DuckDB file


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(real_root(tmp_path_factory.mktemp("repo") / "root"))


def dump(path: Path) -> str:
    """Everything a reader of the database can see, in a fixed order: DDL, then every row."""
    with duckdb.connect(str(path), read_only=True) as con:
        out = [r[0] for r in con.execute("SELECT sql FROM duckdb_tables() ORDER BY table_name").fetchall()]
        out += [
            r[0] for r in con.execute("SELECT sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name").fetchall()
        ]
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
        names += [
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name"
            ).fetchall()
        ]
        for name in names:
            out.append(f"-- {name}")
            out += [repr(r) for r in con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()]
    return "\n".join(out)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_the_database_and_the_package(built: BuildResult) -> None:
    root = built.database.parent.parent
    assert built.database == root / "build" / "claims.duckdb"
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert built.package == root / "build" / f"{package['name']}-{package['version']}.zip"
    # Nothing else is left in build/: the scratch folder is gone.
    expected = [built.database.name, built.database.name + ".stamp", built.package.name, "site"]
    assert sorted(p.name for p in (root / "build").iterdir()) == sorted(expected)


@pytest.mark.parametrize("statistic_id", ["oig-jurisdictions-declined-detainers", "oig-detainers-declined"])
def test_the_audit_figures_are_cited_by_three_sources_that_agree(built: BuildResult, statistic_id: str) -> None:
    _, found = query(
        built.database.parent.parent,
        "SELECT n_sources, verdict FROM statistic_agreement WHERE statistic_id = ?",
        params=[statistic_id],
        build_if_stale=False,
    )
    assert found == [(3, "consistent")]


def test_sql_types_and_keys_come_from_the_schemas(built: BuildResult) -> None:
    root = built.database.parent.parent
    with duckdb.connect(str(built.database), read_only=True) as con:
        for table in ("sources", "statistics", "claims"):
            schema = load_schema(Layout(root).schema(table))
            types = dict(
                con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
                ).fetchall()
            )
            expected = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT"}
            assert {f.name: types[f.name] for f in schema.fields} == {f.name: expected[f.type] for f in schema.fields}
            keys = con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() "
                "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
                [table],
            ).fetchall()
            assert keys == [(schema.primary_key,)]
        derived = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name IN ('sources', 'claims') AND column_name IN ('published_from', 'published_to', 'period_from', 'period_to', "
            "'value_step', 'quote_start', 'quote_end') ORDER BY table_name, column_name"
        ).fetchall()
    assert derived == [
        ("claims", "period_from", "DATE"),
        ("claims", "period_to", "DATE"),
        ("claims", "quote_end", "BIGINT"),
        ("claims", "quote_start", "BIGINT"),
        ("claims", "value_step", "DOUBLE"),
        ("sources", "published_from", "DATE"),
        ("sources", "published_to", "DATE"),
    ]


def test_every_quote_has_its_place_in_the_source_text(built: BuildResult) -> None:
    _, found = query(
        built.database.parent.parent,
        "SELECT count(*) FROM claims WHERE quote_start IS NULL OR quote_end <= quote_start",
        build_if_stale=False,
    )
    assert found == [(0,)]


def test_two_builds_give_byte_identical_files(tmp_path: Path) -> None:
    root = real_root(tmp_path / "root")
    first = build(root)
    zip_digest, db_digest, first_dump = digest(first.package), digest(first.database), dump(first.database)
    identifier = first.database.read_bytes()[IDENTIFIER]
    second = build(root)
    assert digest(second.package) == zip_digest
    assert digest(second.database) == db_digest
    assert dump(second.database) == first_dump
    # The identifier DuckDB would draw at random is a hash of the rest of the file: other data, another one.
    other = build(root, approximately_tolerance=0.05)
    assert other.database.read_bytes()[IDENTIFIER] not in (identifier, bytes(16))


def test_the_database_opens_in_the_duckdb_client(built: BuildResult) -> None:
    client = Path(sys.executable).parent / "duckdb"
    if not client.is_file():  # pragma: no cover - installed with the package
        pytest.fail("the duckdb command-line client is not installed (pip install -e .)")
    # Every table and view read whole, every column of every row, in Python and in the client that
    # PyPI's duckdb-cli brings (an older DuckDB); each block read is checked against its checksum.
    with duckdb.connect(str(built.database), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY ALL").fetchall()]
        names += [
            r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL").fetchall()
        ]
        sql = [f'SELECT count(*), sum(length(COLUMNS(*)::VARCHAR)) FROM "{name}"' for name in names]
        expected = [",".join("" if v is None else str(v) for v in con.execute(q).fetchall()[0]) for q in sql]
    done = subprocess.run(
        [str(client), "-readonly", "-csv", "-noheader", "-nullvalue", "", str(built.database), "-c", ";\n".join(sql)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected


def test_the_package_is_sorted_with_fixed_times(built: BuildResult) -> None:
    with zipfile.ZipFile(built.package) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {"datapackage.json", "datasets/claims.csv", "schema/claims.schema.json"} <= set(names)
        assert any(n.startswith("seeds/") for n in names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_extracted_package_validates_with_frictionless(built: BuildResult, tmp_path: Path) -> None:
    with zipfile.ZipFile(built.package) as archive:
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_query_cannot_change_the_database(built: BuildResult) -> None:
    root = built.database.parent.parent
    with pytest.raises(UsageError, match="read-only"):
        query(root, "CREATE TABLE scratch (a INTEGER)", build_if_stale=False)
    with pytest.raises(UsageError):
        query(root, "COPY (SELECT 1) TO 'out.csv'", build_if_stale=False)
    _, tables = query(root, "SELECT table_name FROM duckdb_tables() ORDER BY ALL", build_if_stale=False)
    assert tables == [
        ("claims",),
        ("exclusions",),
        ("relations",),
        ("settings",),
        ("source_texts",),
        ("sources",),
        ("statistics",),
    ]


def test_query_reports_bad_sql_as_a_usage_error(built: BuildResult) -> None:
    with pytest.raises(UsageError, match="the query failed"):
        query(built.database.parent.parent, "SELECT * FROM no_such_view", build_if_stale=False)


def test_query_builds_when_missing_or_stale(tmp_path: Path) -> None:
    root = real_root(tmp_path / "root")
    layout = Layout(root)
    with pytest.raises(UsageError, match="claims build"):
        query(root, "SELECT 1", build_if_stale=False)
    assert query(root, "SELECT 1 AS one") == (["one"], [(1,)])
    assert database_path(layout).is_file()
    assert not is_stale(layout)
    # An input edited after the build: make the database older rather than the input newer, so
    # that the rebuild below is certainly newer than every input.
    built_at = database_path(layout).stat().st_mtime_ns
    earlier = Layout(root).csv("claims").stat().st_mtime_ns - 10**9
    os.utime(database_path(layout), ns=(earlier, earlier))
    assert is_stale(layout)
    query(root, "SELECT 1")
    assert database_path(layout).stat().st_mtime_ns > built_at
    assert not is_stale(layout)


def test_build_refuses_invalid_data_and_writes_nothing(tmp_path: Path) -> None:
    root = real_root(tmp_path / "root")
    claims = Layout(root).csv("claims")
    claims.write_text(claims.read_text(encoding="utf-8").replace(",more_than,", ",roughly,", 1), encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        build(root)
    report = raised.value.report
    assert isinstance(report, Report)
    assert ("qualifier", "constraint-error") in {(f.column, f.check) for f in report}
    assert not (root / "build").exists()


def test_build_writes_nothing_through_a_build_link_leading_out(tmp_path: Path) -> None:
    root = real_root(tmp_path / "root")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UsageError, match="is a link"):
        build(root)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("inside", [True, False], ids=["to-a-csv-of-the-root", "outside-the-root"])
def test_build_writes_nothing_through_a_stamp_link(tmp_path: Path, inside: bool) -> None:
    """A pull request can commit build/claims.duckdb.stamp (git add -f) as a link: the build
    replaced the file it pointed at with the stamp, the dataset's claims.csv among others."""
    root = real_root(tmp_path / "root")
    target = root / "datasets" / "claims.csv" if inside else tmp_path / "victim.txt"
    if not inside:
        target.write_text("kept\n", encoding="utf-8")
    before = target.read_bytes()
    (root / "build").mkdir()
    stamp = root / "build" / "claims.duckdb.stamp"
    stamp.symlink_to(os.path.relpath(target, stamp.parent))
    built = build(root)
    assert target.read_bytes() == before
    assert not stamp.is_symlink() and json.loads(stamp.read_text(encoding="utf-8"))["signature"]
    assert built.database.is_file() and not is_stale(Layout(root))


@pytest.mark.parametrize("what", ["build-is-a-file", "database-is-a-folder", "stamp-is-a-folder"])
def test_build_over_something_odd_is_a_usage_error(tmp_path: Path, what: str) -> None:
    root = real_root(tmp_path / "root")
    if what == "build-is-a-file":
        (root / "build").write_text("not a folder", encoding="utf-8")
    elif what == "stamp-is-a-folder":  # was an internal error (IsADirectoryError)
        (root / "build" / "claims.duckdb.stamp").mkdir(parents=True)
        with pytest.raises(UsageError, match=r"build/claims\.duckdb\.stamp cannot be replaced .*remove it"):
            build(root)
        return
    else:
        (root / "build" / "claims.duckdb").mkdir(parents=True)
    with pytest.raises(UsageError, match="remove it"):
        build(root)
    if what == "build-is-a-file":
        assert (root / "build").read_text(encoding="utf-8") == "not a folder"
    else:
        assert (root / "build" / "claims.duckdb").is_dir()
        assert not list((root / "build").glob("*.zip"))


@pytest.mark.parametrize("fails", ["zip-is-a-folder", "site-moved-in", "stamp-moved-in"])
def test_a_failed_build_changes_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str) -> None:
    """Of the three outputs and the stamp, none changes unless all do: a zip that could not be
    written left the new database beside the old site and stamp."""
    root = build_root(tmp_path / "root")
    first = build(root)
    set_cell(root, STATISTICS, 2, "description", "A description changed after the first build.")
    if fails == "zip-is-a-folder":
        first.package.unlink()
        (first.package / "kept").mkdir(parents=True)
    else:
        target = root / "build" / ("site" if fails == "site-moved-in" else "claims.duckdb.stamp")
        real_replace, failed = os.replace, []

        def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
            # The new one moved in fails, once: putting the old one back is a rename to it too.
            if Path(dst) == target and not failed:
                failed.append(src)
                raise PermissionError(13, "Permission denied")
            real_replace(src, dst)

        monkeypatch.setattr(build_module.os, "replace", replace)
    before = tree_digest(root / "build")
    with pytest.raises(UsageError, match=r"cannot be replaced .*remove it, and build again") as raised:
        build(root)
    monkeypatch.undo()
    assert "Traceback" not in str(raised.value)
    assert tree_digest(root / "build") == before  # no scratch folder left either
    assert read_stamp(first.database) is not None  # the old stamp still signs the old database


def test_a_new_version_removes_the_zip_the_build_before_wrote(tmp_path: Path) -> None:
    root = build_root(tmp_path / "root")
    first = build(root)
    (root / "build" / "mine.zip").write_bytes(b"the reader's own")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.9.9"
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    second = build(root)
    assert second.package != first.package and second.package.is_file()
    assert not first.package.exists()
    assert (root / "build" / "mine.zip").read_bytes() == b"the reader's own"
    # A zip of the old name whose bytes are no longer the ones the build wrote is the reader's: kept.
    second.package.write_bytes(second.package.read_bytes() + b"edited")
    descriptor["version"] = "9.9.10"
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    third = build(root)
    assert second.package.is_file() and third.package.is_file()


@pytest.mark.parametrize("path", [".git/config", "notes.txt", "seeds/../.git/config", "datasets/../.git/config"])
def test_the_package_holds_no_file_outside_datasets_and_schema(tmp_path: Path, path: str) -> None:
    root = real_root(tmp_path / "root")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: secret\n", encoding="utf-8")
    (root / "notes.txt").write_text("private\n", encoding="utf-8")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "extra", "path": path})
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    # check says so first, as a finding, and build refuses the root.
    [found] = [f for f in check(root) if f.check == "package-error"]
    assert re.search(r"holds only files|not a file inside the dataset root|not a plain relative path", found.message)
    with pytest.raises(InvalidData):
        build(root)
    assert not list(root.glob("build/*.zip"))


def test_a_deeply_nested_descriptor_is_a_finding(tmp_path: Path) -> None:
    root = real_root(tmp_path / "root")
    (root / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    [found] = [f for f in check(root) if f.check == "package-error"]
    assert "nested too deeply" in found.message
    with pytest.raises(InvalidData):
        build(root)


def test_render_rows() -> None:
    columns = ["statistic_id", "low", "open", "on"]
    found = [("a", 674.5, None, True), ("bb", 2350000.0, None, False)]
    assert render_rows(columns, found, "table") == (
        "statistic_id      low  open  on\n"
        "------------  -------  ----  -----\n"
        "a               674.5  NULL  true\n"
        "bb            2350000  NULL  false\n"
        "(2 rows)\n"
    )
    assert render_rows(columns, found, "csv") == "statistic_id,low,open,on\na,674.5,,true\nbb,2350000,,false\n"
    assert json.loads(render_rows(columns, found, "json")) == [dict(zip(columns, r, strict=True)) for r in found]
    with pytest.raises(UsageError):
        render_rows(columns, found, "xml")


_KILLED_BUILD = """
import sys, time
from pathlib import Path
import validate.publishing.build as build

def slow_site(database, site):
    print("writing", flush=True)
    time.sleep(60)
build.write_site = slow_site
build.build(Path(sys.argv[1]))
"""


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_scratch_folder_of_a_killed_build_is_removed(tmp_path: Path, how: signal.Signals) -> None:
    """A build killed while it writes leaves its scratch folder (a whole database and package) in
    build/ only when it had no chance to clean up, and the next build removes it; a scratch
    folder whose process still runs is left alone."""
    root = build_root(tmp_path / "root")
    child = subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(root)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    child.send_signal(how)
    child.wait(timeout=60)
    left = list((root / "build").glob(".build-*"))
    assert len(left) == (0 if how == signal.SIGTERM else 1)
    running = root / "build" / f".build-{os.getpid()}-running"
    running.mkdir()
    build(root)
    assert list((root / "build").glob(".build-*")) == [running]
