"""Hostile pull requests, output: no character from the data can start a line, a heading, markup
or a terminal escape in the text, markdown or github formats (nor in `claims sql`'s table)."""

from __future__ import annotations

import re

import pytest
from conftest import MakeRoot
from roots import CLAIMS

from validate.findings import Finding, Report
from validate.publishing.query import render_rows
from validate.render import render
from validate.rules.check import check

HOSTILE = "x\r\n## Owned\x1b]0;title\x07\x1b[2J\u202e\u2028<img src=https://t.example/p.gif>|[a](javascript:1)`"


def _lines_from_data(out: str) -> list[str]:
    """Lines whose start came from the data rather than the renderer."""
    return [
        line for line in out.splitlines() if "Owned" in line and not line.startswith(("  ", "|", "::error", "a.csv"))
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_no_control_character_from_the_data_reaches_the_output(fmt: str) -> None:
    finding = Finding(file=f"a.csv{HOSTILE}", row=2, column=HOSTILE, check="c", message=f"m {HOSTILE}", line=2)
    out = render(Report(findings=[finding]), fmt)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", out)
    assert _lines_from_data(out) == []
    # The data's line breaks are shown, not made: as many lines as for a harmless finding.
    plain = Finding(file="a.csv", row=2, column="x", check="c", message="m", line=2)
    assert len(out.splitlines()) == len(render(Report(findings=[plain]), fmt).splitlines())


def test_markdown_holds_no_html_or_markup_from_the_data() -> None:
    finding = Finding(file="a.csv", row=2, column="c", check="c", message=HOSTILE)
    out = render(Report(findings=[finding]), "markdown")
    row = out.splitlines()[-1]
    assert "<img" not in row and "&lt;img" in row
    assert "\\[a\\]\\(javascript:1\\)" in row
    assert row.count(" | ") == 4  # the data's | is escaped: five cells, as the header says


def test_a_header_label_with_a_cr_cannot_write_a_heading(make_root: MakeRoot) -> None:
    root = make_root()
    data = (root / CLAIMS).read_bytes()
    (root / CLAIMS).write_bytes(b'"note\r## Summary hijacked",' + data)
    out = render(check(root), "markdown")
    assert not any(line.startswith("#") and "hijacked" in line for line in out.splitlines())
    assert "hijacked" in out


def test_the_sql_table_shows_control_characters_escaped() -> None:
    out = render_rows(["a\x1b[2J"], [("x\x1b[31m\r\n#y",)], "table")
    assert "\x1b" not in out and "\r" not in out
    assert "x\\x1b[31m\\r\\n#y" in out
