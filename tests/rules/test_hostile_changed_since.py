"""Hostile pull requests, --changed-since: the cap on findings per file and code is of the pull
request's own findings, so older rows' findings of the same code (committed before, more than
the cap) cannot hide a new row's finding behind a more-findings count."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import CLAIMS, read_rows, set_cell, write_rows

from validate import cli
from validate.findings import MORE_FINDINGS

GIT = ("-c", "user.email=t@t", "-c", "user.name=t")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *GIT, *args], check=True, capture_output=True)


def _check_changed(root: Path, capsys: pytest.CaptureFixture[str], cap: int) -> list[dict[str, object]]:
    status = cli.main(["check", str(root), "--format", "json", "--changed-since", "HEAD", "--max-findings", str(cap)])
    assert status == cli.EXIT_INVALID
    return json.loads(capsys.readouterr().out)


def _commit_base(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")


def test_a_rules_finding_in_the_pull_request_is_shown_past_older_ones(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    for row in (2, 3, 4):  # old faults, more than the cap of 2, all before the new row in order
        set_cell(root, CLAIMS, row, "note", f"=old fault {row}")
    _commit_base(root)
    last = len(read_rows(root / CLAIMS))
    set_cell(root, CLAIMS, last, "note", "=HYPERLINK(1)")  # the pull request's one bad cell
    findings = _check_changed(root, capsys, 2)
    assert [(f["file"], f["row"], f["check"]) for f in findings] == [(CLAIMS, last, "formula-injection")]


def test_a_readers_finding_in_the_pull_request_is_shown_past_older_ones(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    rows = read_rows(root / CLAIMS)
    for row in rows[1:4]:
        row.append("stray")  # old extra cells, more than the cap of 2
    write_rows(root / CLAIMS, rows)
    _commit_base(root)
    rows[-1] = [*rows[-1], "stray"]
    write_rows(root / CLAIMS, rows)
    findings = _check_changed(root, capsys, 2)
    assert [(f["file"], f["row"], f["check"]) for f in findings] == [(CLAIMS, len(rows), "extra-cell")]


def test_more_findings_counts_only_the_pull_requests_hidden_findings(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 2, "note", "=old fault")
    _commit_base(root)
    total = len(read_rows(root / CLAIMS))
    for row in range(3, total + 1):  # every other row is the pull request's, one past the cap
        set_cell(root, CLAIMS, row, "note", f"=new fault {row}")
    findings = _check_changed(root, capsys, total - 3)
    shown = [f["row"] for f in findings if f["check"] == "formula-injection"]
    assert shown == list(range(3, total))
    [more] = [str(f["message"]) for f in findings if f["check"] == MORE_FINDINGS]
    assert more.startswith(f"1 more formula-injection finding in {CLAIMS}")
