"""Renders a report as text for people, JSON for programs, or GitHub workflow annotations."""

from __future__ import annotations

import json
from itertools import groupby

from validate.findings import Finding, Report

FORMATS = ("text", "json", "github", "markdown")


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt`; ends with a newline."""
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
        out.append(f"{file}: {len(items)} finding{'s' if len(items) != 1 else ''}")
        for f in items:
            where = ", ".join(
                p for p in (f"row {f.row}" if f.row else "", f"column {f.column}" if f.column else "") if p
            )
            out.append(f"  {where or 'file'}: [{f.check}] {f.message}")
        out.append("")
    files = len({f.file for f in report})
    out.append(
        f"invalid: {len(report)} finding{'s' if len(report) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    )
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: %, CR and LF in the message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        cells = [f.file, str(f.row or ""), f.column or "", f"`{f.check}`", f.message]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
