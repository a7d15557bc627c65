"""Renders a report as text for people, JSON for programs, or GitHub workflow annotations."""

from __future__ import annotations

import json
import re
from itertools import groupby

from validate.findings import Finding, Report

FORMATS = ("text", "json", "github", "markdown")


# Characters that could start a line, move the cursor or send a terminal escape, or reorder what
# is shown (bidirectional controls): C0 and C1 controls, DEL, the Unicode line and paragraph
# separators and the bidi embeddings, overrides and isolates. Data never prints them as they are.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # a regex set's contents
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def visible(text: str) -> str:
    """`text` with every control character written as an escape (\\n, \\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape_char, text)


def json_safe(text: str) -> str:
    """JSON text with every control character that json.dumps(ensure_ascii=False) leaves as it is
    (C1 controls such as CSI, the line separators, bidi controls) written as a \\u escape: the
    same JSON value, and nothing a terminal acts on. A raw newline is json.dumps' own layout (in
    a string it is already \\n), so it stays."""
    return _UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}", text)


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch)
    if named:
        return named
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt`; ends with a newline. In text, markdown and github formats no
    character from the data can start a line, a heading, markup or a terminal escape."""
    if fmt == "json":
        return json.dumps(report.public(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_annotation(f) + "\n" for f in report)
    if fmt == "markdown":
        return _markdown(report)
    return _text(report)


def _text(report: Report) -> str:
    if report.valid:
        return "valid: no findings\n"
    out: list[str] = []
    for file, group in groupby(report, key=lambda f: f.file):
        items = list(group)
        out.append(f"{visible(file)}: {len(items)} finding{'s' if len(items) != 1 else ''}")
        for f in items:
            where = ", ".join(
                p for p in (f"row {f.row}" if f.row else "", f"column {visible(f.column)}" if f.column else "") if p
            )
            out.append(f"  {where or 'file'}: [{visible(f.check)}] {visible(f.message)}")
        out.append("")
    files = len({f.file for f in report})
    out.append(
        f"invalid: {len(report)} finding{'s' if len(report) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    )
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    # Every control character made visible first (GitHub would turn an escaped CR or LF back into
    # one in the annotation, and the runner's log is a terminal's), then GitHub's own escaping.
    return visible(text).replace("%", "%25")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding) -> str:
    props = [f"file={_escape_property(f.file)}"]
    line = f.line if f.line is not None else f.row
    if line is not None:
        props.append(f"line={line}")
    if f.col is not None:
        props.append(f"col={f.col}")
    title = f"{f.check} ({f.column})" if f.column else f.check
    props.append(f"title={_escape_property(title)}")
    return f"::error {','.join(props)}::{_escape_data(f.message)}"


def _markdown(report: Report) -> str:
    """A table for a CI job summary."""
    if report.valid:
        return "### claims check: valid\n\nNo findings.\n"
    lines = [
        f"### claims check: {len(report)} finding{'s' if len(report) != 1 else ''}",
        "",
        "| file | row | column | check | message |",
        "|---|---|---|---|---|",
    ]
    for f in report:
        cells = [md_cell(f.file), str(f.row or ""), md_cell(f.column or ""), md_cell(f.check), md_cell(f.message)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_BACKTICKS = re.compile("`+")


def md_cell(text: str) -> str:
    """A cell of a GitHub Markdown table holding `text` from the data: one inline code span, so
    GitHub shows every character as it is (after visible()) and makes nothing of them: no
    markup, no HTML, no autolink (https://..., www...., user@host), no @mention, no #123
    reference, all of which GitHub leaves alone inside code. The fence is one backtick longer
    than any run in the text; a space pads a text that starts or ends with a backtick or a
    space (Markdown takes one off each side); a | is written \\| (the table takes the backslash
    off before the span is read, also inside code)."""
    text = visible(text)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.strip(" ") and (text[0] in "` " or text[-1] in "` ") else ""
    escaped = text.replace("|", "\\|")
    return f"{fence}{pad}{escaped}{pad}{fence}"
