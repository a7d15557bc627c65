"""Hostile pull requests, output: no character from the data can start a line, a heading, markup
or a terminal escape in the text, markdown or github formats (nor in `claims sql`'s table)."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from conftest import MakeRoot
from roots import CLAIMS, EXCLUSIONS, SOURCES, STATISTICS, read_rows, set_cell, write_rows

from validate.cli import main
from validate.findings import Finding, Report
from validate.publishing.query import render_rows
from validate.render import render, visible
from validate.rules.check import check

HOSTILE = "x\r\n## Owned\x1b]0;title\x07\x1b[2J\u202e\u061c\u2028<img src=https://t.example/p.gif>|[a](javascript:1)`"


def _lines_from_data(out: str) -> list[str]:
    """Lines whose start came from the data rather than the renderer."""
    return [
        line for line in out.splitlines() if "Owned" in line and not line.startswith(("  ", "|", "::error", "a.csv"))
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_no_control_character_from_the_data_reaches_the_output(fmt: str) -> None:
    finding = Finding(file=f"a.csv{HOSTILE}", row=2, column=HOSTILE, check="c", message=f"m {HOSTILE}", line=2)
    out = render(Report(findings=[finding]), fmt)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u202a-\u202e\u2066-\u2069]", out)
    assert _lines_from_data(out) == []
    # The data's line breaks are shown, not made: as many lines as for a harmless finding.
    plain = Finding(file="a.csv", row=2, column="x", check="c", message="m", line=2)
    assert len(out.splitlines()) == len(render(Report(findings=[plain]), fmt).splitlines())


def _gfm(markdown: str) -> str:
    """HTML of GitHub Flavored Markdown (tables, autolinks of URLs, www. and e-mail addresses)."""
    from marko.ext.gfm import gfm

    return str(gfm.convert(markdown))


def _cells(html: str) -> list[str]:
    """The text of each code span, HTML's escapes undone: what a reader of the summary sees."""
    return [htmllib.unescape(c) for c in re.findall(r"<code>(.*?)</code>", html, re.S)]


def test_markdown_holds_no_html_or_markup_from_the_data() -> None:
    finding = Finding(file="a.csv", row=2, column="c", check="c", message=HOSTILE)
    out = render(Report(findings=[finding]), "markdown")
    html = _gfm(out)
    assert "<img" not in html and "<a " not in html and "<h2" not in html
    assert html.count("<td>") == 5  # the data's | is escaped: five cells, as the header says
    assert _cells(html)[-1] == visible(HOSTILE)  # shown character for character


# Text GitHub would make a link, a mention or an issue reference of.
LIVE = [
    "https://evil.example/x?a=1&b=2",
    "http://evil.example",
    "www.evil.example/path",
    "user@example.com",
    "mailto:user@example.com",
    "@someone",
    "@org/team",
    "#123",
    "GH-123",
    "owner/repo#123",
]
AWKWARD = ["`", "``a``", " lead and trail ", "a|b", "a\\|b", "ends with \\", "&amp; &#64;", "  ", "*x* _y_ ~z~"]


@pytest.mark.parametrize("text", LIVE + AWKWARD)
def test_markdown_shows_data_as_it_is_and_links_nothing(text: str) -> None:
    finding = Finding(file=f"datasets/{text}.csv", row=2, column=text, check="c", message=f"m {text} m")
    html = _gfm(render(Report(findings=[finding]), "markdown"))
    assert "<a " not in html and "<em>" not in html and "<del>" not in html
    assert html.count("<td>") == 5
    assert _cells(html) == [f"datasets/{text}.csv", text, "c", f"m {text} m"]
    # Outside the code spans, none of it: GitHub's mentions and references skip code.
    assert text.strip() == "" or text.strip() not in re.sub(r"<code>.*?</code>", "", html, flags=re.S)


def test_the_same_text_outside_a_code_span_would_be_linked() -> None:
    # The renderer these tests read with does make links: so the tests above can fail.
    html = _gfm("| a |\n|---|\n| see https://evil.example/x, www.evil.example and user@example.com |\n")
    assert html.count("<a ") == 3


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


_EVIL = "evil\x1b]0;PWNED\x07\x1b[2Jx\u202e"


@pytest.mark.parametrize(
    "command",
    [["statistics"], ["claims"], ["claims", "--statistic", _EVIL]],
    ids=["statistics", "claims", "claims-of-a-statistic"],
)
def test_listing_commands_show_the_datas_control_characters_escaped(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """`claims statistics` and `claims claims` read the tables without checking them first: an
    id holding an escape sequence (here one that retitles the terminal and clears it) was printed
    as it is."""
    root = make_root()
    rows = read_rows(root / CLAIMS)
    old = rows[1][rows[0].index("statistic_id")]
    set_cell(root, CLAIMS, 2, "statistic_id", _EVIL)
    statistics = read_rows(root / STATISTICS)
    for row in statistics[1:]:
        if row[0] == old:
            row[0] = _EVIL
    write_rows(root / STATISTICS, statistics)
    assert main([*command, "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert visible(_EVIL) in out
    assert not any(ch in out for ch in "\x1b\x07\u202e")


def test_an_error_keeps_its_lines_each_escaped_and_indented(capsys: pytest.CaptureFixture[str]) -> None:
    """DuckDB's messages show the query with a caret under the fault: their lines are kept
    (escaping the line breaks flattened them), the further ones indented."""
    from validate.cli import _say_error

    _say_error("sql", ValueError("Binder Error: no column\n\nLINE 1: SELECT x\x1b[2J\n               ^"))
    assert capsys.readouterr().err.split("\n") == [
        "claims sql: Binder Error: no column",
        "  ",
        "  LINE 1: SELECT x\\x1b[2J",
        "                 ^",
        "",
    ]


def test_candidates_csv_names_the_skipped_numbers_escaped(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CSV format names on standard error the numbers it gives no row (a year, say), with
    their source's id: an id's escape sequence reached the terminal there."""
    root = make_root()
    rows = read_rows(root / SOURCES)
    old = rows[1][rows[0].index("source_id")]
    rows[1][rows[0].index("source_id")] = _EVIL
    write_rows(root / SOURCES, rows)
    for table in (CLAIMS, EXCLUSIONS):  # the source's rows of other tables go: its text is new
        cells = read_rows(root / table)
        write_rows(root / table, [r for r in cells if r[cells[0].index("source_id")] != old])
    (root / "seeds" / rows[1][rows[0].index("file")]).write_bytes(b"It began in 1987.")
    assert main(["candidates", "--root", str(root), "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert visible(_EVIL) in err and not any(ch in err for ch in "\x1b\x07\u202e")


class _Terminal:
    """Standard output that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


_NOTE = "a\x1b]0;pwned\x07 b\x1b[2J c\x9b31m d\u202e"


@pytest.mark.parametrize(
    "command", [["claims", "--format", "csv"], ["sql", "SELECT note FROM claims", "--format", "csv"]]
)
def test_csv_on_a_terminal_shows_control_characters_escaped_and_into_a_pipe_as_they_are(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """CSV is for a file or a program, which get the cells as they are; printed on a terminal, a
    cell's ESC, BEL or CSI retitled and cleared it."""
    root = make_root()
    set_cell(root, CLAIMS, 2, "note", _NOTE)
    assert main([*command, "--root", str(root)]) == 0
    assert _NOTE in capsys.readouterr().out
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert main([*command, "--root", str(root)]) == 0
    assert visible(_NOTE) in terminal.text
    assert not any(ch in terminal.text for ch in "\x1b\x07\x9b\u202e")


@pytest.mark.parametrize(
    "command", [["claims", "--format", "json"], ["sql", "SELECT note FROM claims", "--format", "json"]]
)
def test_json_writes_every_control_character_as_an_escape(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """json.dumps(ensure_ascii=False) escapes C0 controls but writes C1 (CSI, \\x9b) and bidi
    controls as they are: now as \\u escapes, the same JSON."""
    import json

    root = make_root()
    set_cell(root, CLAIMS, 2, "note", _NOTE)
    assert main([*command, "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert _NOTE in [row.get("note") for row in json.loads(out)]
