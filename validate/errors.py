"""Typed exceptions of the library; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from validate.findings import Report


class ClaimsError(Exception):
    """Base of every error the toolkit raises on purpose."""


class UsageError(ClaimsError):
    """The command was asked for something it cannot do (a missing root, a bad option)."""


class InvalidData(ClaimsError):
    """The dataset has findings, so a step that needs valid data cannot go on."""

    def __init__(self, report: Report) -> None:
        super().__init__("the dataset is not valid")
        self.report = report


# Python reads a command-line argument that is not UTF-8 with each undecodable byte as a lone
# surrogate (U+DC80 to U+DCFF, PEP 383): a str no UTF-8 file, database or query can hold, which
# failed deep inside a write or a parser (UnicodeEncodeError, TypeError) instead of as a usage
# error. claims sql refuses its query with these too.
_SURROGATE = re.compile("[\ud800-\udfff]")


def not_utf8(value: str) -> str | None:
    """None for text UTF-8 can hold; else what is wrong with it, in words ("the byte 0xff")."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    point = ord(found.group())
    # A surrogate from an undecodable byte stands for it (surrogateescape); any other came from code.
    return f"the byte 0x{point - 0xDC00:02x}" if 0xDC80 <= point <= 0xDCFF else f"the lone surrogate U+{point:04X}"


def require_utf8(what: str, value: str) -> None:
    """Refuse `value` (given as `what`, e.g. "--via" or "the query") unless it is UTF-8 text."""
    wrong = not_utf8(value)
    if wrong is not None:
        raise UsageError(
            f"{what} is not valid UTF-8 (it holds {wrong}): give it as UTF-8 text "
            "(text in another encoding, such as Latin-1, converts with iconv -t UTF-8)"
        )


def require_all_utf8(given: Iterable[tuple[str, str | None]]) -> None:
    """require_utf8() for each (what, value) pair whose value is a str."""
    for what, value in given:
        if isinstance(value, str):
            require_utf8(what, value)
