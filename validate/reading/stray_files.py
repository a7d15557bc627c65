"""datasets/ and schema/ hold the tables' CSVs and schemas, and nothing else.

The check reads only the files the data package names, so anything else there (a link to
/etc/passwd, a folder, a stray CSV) was never read, but it was never reported either: it sat in
the repository, and a reader of the pull request could take it for data. Each folder is listed
without following a link; the finding names the first few entries and counts the rest, so a
folder of a million files is one finding.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from validate.findings import Finding
from validate.paths import TABLES, Layout
from validate.rules.registry import known

_CODE = known("stray-file")
_NAMED = 5  # entries a finding names; it counts the rest
_REPORTED_ELSEWHERE = {".gitattributes"}  # the git-attributes check reports it


def stray_file_findings(layout: Layout) -> list[Finding]:
    """One finding for each of datasets/ and schema/ that holds an entry no table's file is."""
    out = []
    expected = {
        layout.datasets: {layout.csv(t).name for t in TABLES},
        layout.schema_dir: {layout.schema(t).name for t in TABLES},
    }
    for folder, names in expected.items():
        if folder.is_symlink() or not folder.is_dir():
            continue  # the tables' own findings say so
        stray, count = _stray(folder, names | _REPORTED_ELSEWHERE)
        if count:
            shown = ", ".join(stray) + (f" and {count - len(stray)} more" if count > len(stray) else "")
            out.append(
                Finding(
                    file=layout.rel(folder),
                    check=_CODE,
                    message=f"{layout.rel(folder)}/ holds {count} {'entry' if count == 1 else 'entries'} that no table "
                    f"of the data package is: {shown}. Nothing there but "
                    f"{', '.join(sorted(names))} is read (and no link is followed): remove {'it' if count == 1 else 'them'}",
                )
            )
    return out


def _stray(folder: Path, names: set[str]) -> tuple[list[str], int]:
    """The first few entries of `folder` not in `names`, each with what it is, and their count."""
    shown: list[str] = []
    count = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in names:  # a table's own file: its reader reports one not regular
                    continue
                count += 1
                if len(shown) < _NAMED:
                    shown.append(f"{entry.name} ({_kind(entry)})")
    except OSError:
        pass  # an unreadable folder: its tables' findings say so
    return sorted(shown), count


def _kind(entry: os.DirEntry[str]) -> str:
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a file" if stat.S_ISREG(mode) else "not a regular file"
