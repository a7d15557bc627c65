"""Hostile pull requests, `claims docs`: it reads and rewrites the root's own README.md and
docs/*.md only, says which in escaped names, and a document it cannot read is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from validate import cli
from validate.errors import UsageError
from validate.publishing import docs

STALE = "x\n<!-- claims docs: rules -->\nold\n<!-- /claims docs -->\n"


def test_a_docs_folder_that_is_a_link_is_refused_and_nothing_outside_is_written(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text(STALE, encoding="utf-8")
    root = tmp_path / "root"
    (root / "datasets").mkdir(parents=True)
    (root / "docs").symlink_to(outside)
    with pytest.raises(UsageError, match="docs is a link"):
        docs.update_docs(root)
    assert (outside / "x.md").read_text(encoding="utf-8") == STALE
    assert cli.main(["docs", "--root", str(root), "--check"]) == cli.EXIT_USAGE


def test_a_document_that_is_not_utf8_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "datasets").mkdir()  # a dataset root, if an empty one
    (tmp_path / "docs" / "a.md").write_bytes(b"\xff\xfe")
    with pytest.raises(UsageError, match=r"docs/a\.md is not UTF-8 text \(byte 0\)"):
        docs.update_docs(tmp_path, write_changes=False)


def test_the_names_of_stale_documents_are_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "datasets").mkdir()  # a dataset root, if an empty one
    name = "\x1b[31mRED\x1b]0;title\x07.md"
    (tmp_path / "docs" / name).write_text(STALE, encoding="utf-8")
    assert cli.main(["docs", "--root", str(tmp_path), "--check"]) == cli.EXIT_INVALID
    assert cli.main(["docs", "--root", str(tmp_path)]) == cli.EXIT_VALID
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b[31mRED" in err and "\\x1b[31mRED" in out
    assert "| code | scope |" in (tmp_path / "docs" / name).read_text(encoding="utf-8")
