"""The repository's .gitattributes keeps git from changing the data's bytes on checkout.

Seeds are archived bytes whose SHA-256 sources.csv records, and the CSVs are checked as bytes.
A pull request that gives seeds/ an attribute such as `text eol=crlf` (in the root's
.gitattributes, or in a .gitattributes of its own inside seeds/ or datasets/) has git store one
text and check out another: the recorded hashes can then be those of the converted bytes, the
check passes on every clone, and the archive no longer holds what was recorded. So the root's
file may only say what keeps files as they are, and no folder of the data may hold one.
"""

from __future__ import annotations

import os
import re

from validate.findings import Finding
from validate.paths import Layout
from validate.reading.files import FileRefused, read_regular
from validate.rules.registry import known

_CODE = known("git-attributes")
# Attributes that never change a file's bytes on checkout: unset text conversion, binary (which
# is -diff -merge -text), export-ignore (git archive only), GitHub's linguist display hints.
_KEEPS_BYTES = ("-text", "binary", "-diff", "-merge", "export-ignore", "-export-ignore")
_HINT_PREFIXES = ("linguist-", "-linguist-", "!linguist-")
# The lines that must be there: the seeds and the CSVs never converted.
REQUIRED = ("seeds/** -text", "datasets/*.csv -text")
# The largest .gitattributes read: far above any real one.
_MAX_BYTES = 1 << 20
# As git reads the file: lines end at "\n" only, words are parted by spaces, tabs and CRs, and a
# NUL ends the file. Python's str.splitlines() and str.split() also break at "\x0b", "\x0c",
# "\x1c" to "\x1e", "\x85", U+2028 and U+2029, so a line git applies could hide from this check
# inside another line's words; a line holding any such character is reported instead.
_GIT_BLANKS = re.compile(r"[ \t\r]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def git_attributes_findings(layout: Layout) -> list[Finding]:
    """A finding for each line of the root's .gitattributes that sets an attribute which may
    change bytes on checkout, for each required line it lacks (in a git repository), and for a
    .gitattributes inside datasets/, schema/ or seeds/ (every hidden file in seeds/, as deep as
    it lies, is also a seed-without-source: seeds/ holds only the sources' texts)."""
    out: list[Finding] = []
    for folder in (layout.datasets, layout.schema_dir, layout.seeds):
        inner = folder / ".gitattributes"
        if os.path.lexists(inner):
            out.append(
                Finding(
                    file=layout.rel(inner),
                    check=_CODE,
                    message=f"{layout.rel(inner)} would give git its own rules for the data's bytes: remove it "
                    "(the repository's .gitattributes keeps them as they are)",
                )
            )
    path = layout.gitattributes
    try:
        data = read_regular(path, 1, _MAX_BYTES)
    except FileRefused as exc:
        if exc.missing and (layout.root / ".git").exists():
            out.append(
                _finding(None, f".gitattributes is missing: add it with the lines {' and '.join(map(repr, REQUIRED))}")
            )
        elif not exc.missing:
            out.append(_finding(None, f".gitattributes {exc.reason}"))
        return out
    lines = [" ".join(_GIT_BLANKS.split(line)).strip() for line in data.decode("utf-8", errors="replace").split("\n")]
    for number, text in enumerate(lines, start=1):
        if control := _CONTROL.search(text):
            out.append(
                _finding(
                    number,
                    f"line {number} holds the control character {control.group()!r}, which git and this check "
                    "read differently: remove it",
                )
            )
            continue
        if not text or text.startswith("#"):
            continue
        if text.startswith("[attr]"):
            out.append(_finding(number, f"line {number} defines a macro attribute ({text[:60]!r}): remove it"))
            continue
        attributes = text.split(" ")[1:]
        changing = [a for a in attributes if a not in _KEEPS_BYTES and not a.startswith(_HINT_PREFIXES)]
        if changing:
            out.append(
                _finding(
                    number,
                    f"line {number} ({text[:80]!r}) sets {', '.join(map(repr, changing[:3]))}, which can have git "
                    "change files' bytes on checkout: remove it (seeds and CSVs are archived as bytes; a line "
                    "here may only unset text, or mark files binary)",
                )
            )
    present = set(lines)
    for required in REQUIRED:
        if required not in present:
            out.append(
                _finding(
                    None,
                    f".gitattributes lacks the line {required!r}, which keeps git from converting those files: add it",
                )
            )
    return out


def _finding(line: int | None, message: str) -> Finding:
    return Finding(file=".gitattributes", check=_CODE, line=line, message=message)
