"""Typed exceptions of the library; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

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
