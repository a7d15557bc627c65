"""`claims diff REF`: the claims a change adds, changes and removes, and the agreement it moves."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import CLAIMS, add_row, read_rows, set_cell, write_rows

from validate.cli import main
from validate.contributing.diff import diff, render
from validate.errors import UsageError


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True, capture_output=True
    )


@pytest.fixture
def committed(make_root: Callable[..., Path]) -> Path:
    root = make_root()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    return root


def test_nothing_changed(committed: Path) -> None:
    d = diff(committed, "HEAD")
    assert (d.added, d.removed, d.changed, d.statistics) == ([], [], [], [])
    assert "No claim" in render(d)


def test_added_changed_and_removed_claims_with_the_agreement_they_move(committed: Path) -> None:
    rows = read_rows(committed / CLAIMS)
    header = rows[0]
    removed = rows[-1]  # blog-declined-1234
    write_rows(committed / CLAIMS, rows[:-1])
    set_cell(committed, CLAIMS, 2, "note", "Checked again.")
    add_row(
        committed, CLAIMS, claim_id="blog-1234-again", source_id="blog-post", statistic_id="detainers-declined-2019",
        quote="The sheriff's office declined 1,234 requests that year", value_text="1,234", value="1234",
        qualifier="exact", counted_as="requests", meaning="same",
    )  # fmt: skip
    d = diff(committed, "HEAD")
    assert [r["claim_id"] for r in d.added] == ["blog-1234-again"]
    assert [r["claim_id"] for r in d.removed] == [removed[header.index("claim_id")]]
    assert [(r["claim_id"], cols) for r, cols in d.changed] == [("county-declined-1234", ["note"])]
    assert d.standing["blog-1234-again"]  # built and judged
    text = render(d)
    assert "| `added` | `blog-1234-again` |" in text and "`changed: note`" in text and "| `removed` |" in text


def test_a_statistic_whose_verdict_changes_is_listed(committed: Path) -> None:
    rows = read_rows(committed / CLAIMS)
    write_rows(committed / CLAIMS, [rows[0], *rows[2:]])  # the county's own 1,234: the consensus is gone
    d = diff(committed, "HEAD")
    assert "detainers-declined-2019" in [s for s, _, _ in d.statistics]


def test_a_bad_ref_is_a_usage_error(committed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError):
        diff(committed, "--output=/tmp/x")
    assert main(["diff", "no-such-ref", "--root", str(committed)]) == 2
    assert "git" in capsys.readouterr().err
