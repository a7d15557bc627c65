"""Hostile pull requests, links and special files: no link of a dataset root is followed, no FIFO
blocks, no device is read, and the package holds only the regular files the descriptor names."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import CLAIMS, locations

from validate.errors import InvalidData, UsageError
from validate.paths import Layout
from validate.publishing.build import build
from validate.publishing.package import write_package
from validate.reading.files import FileRefused, read_inside, read_regular
from validate.rules.changed_since import changed_rows
from validate.rules.check import check

SECRET = "token=hunter2-do-not-publish"


def _planted_git_config(root: Path) -> None:
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[remote]\n{SECRET}\n", encoding="utf-8")


def test_a_resource_linked_to_git_config_is_a_finding_and_never_packaged(make_root: MakeRoot) -> None:
    root = make_root()
    _planted_git_config(root)
    os.symlink("../.git/config", root / "datasets" / "extra.csv")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "extra", "path": "datasets/extra.csv"})
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = check(root)
    assert ("datapackage.json", None, None, "package-error") in locations(report)
    assert all(SECRET not in f.message for f in report)
    with pytest.raises(InvalidData):
        build(root)
    # Even asked directly, the package writer refuses the link rather than copy what it points at.
    out = root.parent / "out.zip"
    with pytest.raises(UsageError, match="is a link"):
        write_package(Layout(root), out)


def test_a_table_linked_inside_the_root_is_not_read(make_root: MakeRoot) -> None:
    root = make_root()
    (root / CLAIMS).rename(root / "claims-copy.csv")
    os.symlink("../claims-copy.csv", root / CLAIMS)
    assert (CLAIMS, None, None, "source-error") in locations(check(root))


def test_a_schema_that_is_a_link_is_a_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    schema = root / "schema" / "claims.schema.json"
    schema.rename(root / "claims.schema.json")
    os.symlink("../claims.schema.json", schema)
    assert ("schema/claims.schema.json", None, None, "schema-error") in locations(check(root))


def test_a_seed_linked_to_another_seed_is_refused(make_root: MakeRoot) -> None:
    root = make_root()
    seeds = sorted(p.name for p in (root / "seeds").iterdir())
    (root / "seeds" / seeds[0]).rename(root / "seeds" / "real.txt")
    os.symlink("real.txt", root / "seeds" / seeds[0])
    checks = {f.check for f in check(root)}
    assert "file-outside-seeds" in checks


def test_a_csv_linked_to_a_device_or_a_fifo_is_refused_by_every_reader(make_root: MakeRoot) -> None:
    root = make_root()
    (root / CLAIMS).unlink()
    os.symlink("/dev/zero", root / CLAIMS)
    assert (CLAIMS, None, None, "source-error") in locations(check(root))
    with pytest.raises(FileRefused, match="is a link"):
        read_regular(root / CLAIMS, 2)
    (root / CLAIMS).unlink()
    os.mkfifo(root / CLAIMS)
    assert (CLAIMS, None, None, "source-error") in locations(check(root))
    with pytest.raises(FileRefused, match="FIFO"):
        read_regular(root / CLAIMS, 2)


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize("special", ["fifo", "device-link"])
def test_changed_since_reads_through_the_same_guard(make_root: MakeRoot, special: str) -> None:
    root = make_root()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    (root / CLAIMS).unlink()
    if special == "fifo":
        os.mkfifo(root / CLAIMS)  # would block a plain open() until someone writes
    else:
        os.symlink("/dev/zero", root / CLAIMS)  # would grow memory without end
    assert changed_rows(root, "HEAD")[CLAIMS] == set()


def test_build_refuses_a_build_link_inside_the_root(make_root: MakeRoot) -> None:
    root = make_root()
    (root / "elsewhere").mkdir()
    os.symlink("elsewhere", root / "build")
    with pytest.raises(UsageError, match="is a link"):
        build(root)
    assert list((root / "elsewhere").iterdir()) == []


def test_read_inside_refuses_a_link_at_any_step(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.csv").write_text("x\n", encoding="utf-8")
    os.symlink("real", tmp_path / "datasets")
    with pytest.raises(FileRefused, match="datasets/, which is a link"):
        read_inside(tmp_path, "datasets/a.csv")
    with pytest.raises(FileRefused, match="plain relative path"):
        read_inside(tmp_path, "real/../real/a.csv")
    assert read_inside(tmp_path, "real/a.csv") == b"x\n"


def test_the_zip_holds_only_regular_files_named_by_the_descriptor(make_root: MakeRoot) -> None:
    root = make_root()
    stray = root / "datasets" / "stray.csv"
    stray.write_text("a\n1\n", encoding="utf-8")  # named by nothing: a finding, and never packed
    assert [f.check for f in check(root)] == ["stray-file"]
    with pytest.raises(InvalidData):
        build(root)
    stray.unlink()
    result = build(root)
    names = zipfile.ZipFile(result.package).namelist()
    assert "datasets/stray.csv" not in names
    assert all(not n.startswith(".git") for n in names)
