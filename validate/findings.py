"""The one finding model every check reports with, and the report that collects them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from validate.rules.registry import known

# Keys of a finding in the public JSON output, in order.
PUBLIC_KEYS = ("file", "row", "column", "check", "message")
# Findings kept per file and check code; the rest are counted in one more-findings finding. Each
# finding costs memory (some 2 KB) and a reader's attention: a pull request of a million broken
# rows must not make the check hold a million of them, and a thousand of one kind says enough.
DEFAULT_MAX_FINDINGS = 1000
MORE_FINDINGS = known("more-findings")


class Finding(BaseModel):
    """One thing wrong with the data: where it is, which rule it breaks, how to fix it."""

    model_config = ConfigDict(frozen=True)

    file: str
    row: int | None = None  # Frictionless numbering: the header is row 1
    column: str | None = None
    check: str  # kebab-case code, frictionless's where one fits
    message: str
    # Physical line where the row starts, for editor and CI annotations; rows with quoted
    # newlines span several lines, so it can differ from `row`. Not part of the JSON output.
    line: int | None = Field(default=None, exclude=True)
    # 1-based position of the column in the table, for annotations (GitHub wants a number).
    col: int | None = Field(default=None, exclude=True)

    @field_validator("file", "column", "message")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        # A file name that is not UTF-8 (a pull request can commit one) reaches Python as lone
        # surrogates, which no UTF-8 output can hold: they are shown as \udcXX escapes instead.
        if value is None or value.isascii():
            return value
        return value.encode("utf-8", "backslashreplace").decode("utf-8")

    def public(self) -> dict[str, object]:
        return self.model_dump(include=set(PUBLIC_KEYS))

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row or 0, self.column or "", self.check)


class Report(BaseModel):
    """All findings of one run, in a stable order."""

    findings: list[Finding] = Field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.findings

    def __iter__(self) -> Iterator[Finding]:  # type: ignore[override]
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def sorted(self) -> Report:
        return Report(findings=sorted(self.findings, key=Finding.sort_key))

    def public(self) -> list[dict[str, object]]:
        return [f.public() for f in self.findings]


class Scope(Protocol):
    """Which rows' findings a run reports at all (--changed-since: the pull request's rows)."""

    def rows(self, file: str, check: str) -> set[int] | None:
        """The rows of `file` whose `check` findings are reported; None: every row's."""
        ...


class Cap:
    """At most `limit` findings per file and check code (None: no limit), the rest counted.
    Readers ask admit() before they make a finding, so the ones past the cap cost nothing.
    With a `scope`, findings outside it are neither kept nor counted: the cap and the count of
    what it hides are of the findings reported, so old rows' findings cannot hide new ones."""

    def __init__(self, limit: int | None = DEFAULT_MAX_FINDINGS, scope: Scope | None = None) -> None:
        if limit is not None and limit < 1:
            raise ValueError("the cap on findings is 1 or more (None for no cap)")
        self.limit = limit
        self.scope = scope
        self._kept: Counter[tuple[str, str]] = Counter()
        self._dropped: Counter[tuple[str, str]] = Counter()
        self._held: dict[str, tuple[set[int], frozenset[str]]] = {}

    def hold(self, file: str, row: int, keep: frozenset[str]) -> None:
        """Report of `row` of `file` only the findings whose code is in `keep`, neither keeping
        nor counting the rest. A row longer than its header has its cells in the wrong columns
        past a comma that split one: one unquoted comma gave twelve findings of cells that were
        right, as well as the one that says what is wrong; so may a row whose quoting breaks."""
        self._held.setdefault(file, (set(), keep))[0].add(row)

    def rows(self, file: str, check: str) -> set[int] | None:
        """The rows of `file` whose `check` findings count; None: every row's."""
        return None if self.scope is None else self.scope.rows(file, check)

    def held(self, file: str, check: str) -> set[int]:
        """The rows of `file` whose `check` findings are held back (see hold)."""
        held = self._held.get(file)
        return held[0] if held is not None and check not in held[1] else set()

    def outside(self, file: str, check: str, row: int | None) -> bool:
        """Whether a finding at `row` (None: of no row, or not known) is out of the scope, or
        of a row held back (hold)."""
        if row is None:
            return False
        if row in self.held(file, check):
            return True
        if self.scope is None:
            return False
        rows = self.scope.rows(file, check)
        return rows is not None and row not in rows

    def admit(self, file: str, check: str, row: int | None = None) -> bool:
        """Whether one more finding of `check` in `file` (at `row`, when the caller knows it) is
        kept; if not, it is counted, unless it is out of the scope."""
        if self.outside(file, check, row):
            return False
        key = (file, check)
        if self.limit is None or self._kept[key] < self.limit:
            self._kept[key] += 1
            return True
        self._dropped[key] += 1
        return False

    def admit_many(self, file: str, check: str, count: int, row: int | None = None) -> int:
        """How many of `count` more findings of `check` in `file` (all at `row`, when the caller
        knows it) are kept; the rest are counted, unless out of the scope."""
        if self.outside(file, check, row):
            return 0
        key = (file, check)
        room = count if self.limit is None else max(0, min(count, self.limit - self._kept[key]))
        self._kept[key] += room
        self._dropped[key] += count - room
        return room

    def count_dropped(self, file: str, check: str, count: int) -> None:
        """Count `count` findings of `check` in `file` that were never made."""
        self._dropped[(file, check)] += count

    def report(self, findings: Iterable[Finding]) -> Report:
        """The findings sorted, each file and code cut to the cap, and one more-findings finding
        per file and code that had more (counting those never made)."""
        dropped = Counter(self._dropped)
        kept: list[Finding] = []
        seen: Counter[tuple[str, str]] = Counter()
        for f in sorted(findings, key=Finding.sort_key):
            if self.outside(f.file, f.check, f.row):
                continue  # not reported: not counted either
            key = (f.file, f.check)
            seen[key] += 1
            if self.limit is not None and seen[key] > self.limit:
                dropped[key] += 1
            else:
                kept.append(f)
        kept += [self._summary(file, check, n) for (file, check), n in dropped.items() if n]
        return Report(findings=kept).sorted()

    def _summary(self, file: str, check: str, count: int) -> Finding:
        return Finding(
            file=file,
            check=MORE_FINDINGS,
            message=f"{count} more {check} finding{'s' if count != 1 else ''} in {file} are not shown "
            f"(the first {self.limit} are): fix those and check again, or raise the cap with --max-findings",
        )
