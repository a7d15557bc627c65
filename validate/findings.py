"""The one finding model every check reports with, and the report that collects them."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Keys of a finding in the public JSON output, in order.
PUBLIC_KEYS = ("file", "row", "column", "check", "message")


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
