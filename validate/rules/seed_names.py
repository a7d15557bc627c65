"""Seed names every contributor can check out: portable on Windows and macOS, not too long, and
no two that differ only in case (or Unicode form), which those systems take for one file."""

from __future__ import annotations

from validate.findings import Cap, Finding
from validate.reading.csv_file import Table
from validate.reading.seeds import name_key, name_problem


def seed_name_findings(sources: Table, cap: Cap | None = None) -> list[Finding]:
    """A finding for each `file` value of sources.csv that names a seed badly."""
    if "file" not in sources.frame.columns:
        return []
    rows = sources.rows if isinstance(sources.rows, list) else sources.rows.to_list()
    lines = sources.lines if isinstance(sources.lines, list) else sources.lines.to_list()
    out: list[Finding] = []
    first: dict[str, str] = {}
    for row, line, value in zip(rows, lines, sources.frame.get_column("file").to_list(), strict=True):
        if value is None:
            continue
        problem = name_problem(value)
        key = name_key(value)
        if problem is None and first.setdefault(key, value) != value:
            problem = (
                "file-name-not-portable",
                f"differs from {first[key]!r}, named in an earlier row, only in case or Unicode form: "
                "Windows and macOS would check the two out as one file",
            )
        if problem is None or (cap is not None and not cap.admit(sources.file, problem[0], row)):
            continue
        code, what = problem
        shown = value if len(value) <= 80 else value[:79] + "…"
        out.append(
            Finding(
                file=sources.file,
                row=row,
                column="file",
                check=code,
                line=line,
                col=sources.positions.get("file"),
                message=f"file {shown!r} {what}: rename the seed (letters, digits, '-', '_' and '.' are safe "
                "everywhere) and its file cell with it",
            )
        )
    return out
