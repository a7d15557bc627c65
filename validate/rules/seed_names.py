"""Seed names every contributor can check out: portable on Windows and macOS, not too long, no two
that differ only in case (or Unicode form), which those systems take for one file, and no name
both a file and a folder; compared part by part, so the folders in a name are held to it too."""

from __future__ import annotations

from dataclasses import dataclass, field

from validate.findings import Cap, Finding
from validate.reading.csv_file import Table
from validate.reading.seeds import name_key, name_problem


@dataclass
class _Name:
    """A file or folder some row names, as the first row to name it spells it."""

    spelled: str
    is_file: bool
    # The names below it, if a folder, by name_key.
    below: dict[str, _Name] = field(default_factory=dict)


class _Names:
    """The seeds' names so far, a tree by name_key of each part, so that a name is compared part by
    part with the earlier ones: `X/y.txt` after `x` makes a folder X where Windows and macOS have
    the file x. Each part is visited once (joining each folder's whole path would be quadratic in
    a deep name)."""

    def __init__(self) -> None:
        self.top: dict[str, _Name] = {}

    def clash(self, value: str) -> str | None:
        """What is wrong with naming `value` after the earlier names (None if nothing); `value` is
        added unless it clashes."""
        parts = value.split("/")
        level = self.top
        for at, part in enumerate(parts):
            is_file = at == len(parts) - 1
            key = name_key(part)
            known = level.get(key)
            if known is None:
                known = level[key] = _Name(part, is_file)
            elif known.spelled != part:
                earlier = "/".join([*parts[:at], known.spelled])
                return (
                    f"differs from {earlier!r}, named in an earlier row, only in case or Unicode form"
                    if is_file and known.is_file
                    else f"names {'/'.join(parts[: at + 1])!r}, which differs from {earlier!r}, named in an "
                    "earlier row, only in case or Unicode form"
                ) + ": Windows and macOS take the two for one name"
            if known.is_file != is_file:
                what = "a folder" if known.is_file else "a file"
                return (
                    f"names {'/'.join(parts[: at + 1])!r} as {what}, which an earlier row names as "
                    f"{'a file' if known.is_file else 'a folder'}: no file system holds both"
                )
            level = known.below
        return None


def seed_name_findings(sources: Table, cap: Cap | None = None) -> list[Finding]:
    """A finding for each `file` value of sources.csv that names a seed badly."""
    if "file" not in sources.frame.columns:
        return []
    rows = sources.rows if isinstance(sources.rows, list) else sources.rows.to_list()
    lines = sources.lines if isinstance(sources.lines, list) else sources.lines.to_list()
    out: list[Finding] = []
    named = _Names()
    for row, line, value in zip(rows, lines, sources.frame.get_column("file").to_list(), strict=True):
        if value is None:
            continue
        problem = name_problem(value)
        if problem is None:
            clash = named.clash(value)
            if clash is not None:
                problem = "file-name-not-portable", clash
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
