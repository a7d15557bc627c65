"""Rules of sources.csv that a Table Schema cannot say: the file behind each row."""

from __future__ import annotations

import polars as pl

from validate.findings import Finding
from validate.reading import seeds as s
from validate.rules.cell_rules import formula_injection, real_date
from validate.rules.context import Context
from validate.rules.rule import Row, Rule, cell

TEXT_COLUMNS = ("title", "publisher", "author", "note")


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Add each row's file status and actual hash."""
    status = {v: f.status for v, f in ctx.seeds.by_value.items()}
    digest = {v: f.sha256 for v, f in ctx.seeds.by_value.items()}
    reason = {v: f.reason for v, f in ctx.seeds.by_value.items()}
    files = frame.get_column("file") if "file" in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
    return frame.with_columns(
        pl.Series("_file_status", [status.get(v) if v is not None else None for v in files], dtype=pl.String),
        pl.Series("_sha256", [digest.get(v) if v is not None else None for v in files], dtype=pl.String),
        pl.Series("_file_reason", [reason.get(v) if v is not None else None for v in files], dtype=pl.String),
    )


def _file_message(r: Row) -> str:
    status = r["_file_status"]
    if status == s.OUTSIDE:
        return (
            f"file {cell(r, 'file')} could lead outside seeds/: give a plain relative path inside seeds/ "
            "(no leading /, no '..', no './', no trailing or double '/', no backslash, no link out)"
        )
    if status == s.NOT_FOUND:
        return f"file {cell(r, 'file')} is not in seeds/: archive the text there (claims add-source) or fix the name"
    if status == s.NOT_FILE:
        return f"file {cell(r, 'file')} is not a regular file in seeds/: point at the archived text itself"
    if status == s.TOO_LARGE:
        return (
            f"file {cell(r, 'file')} {r['_file_reason']}, so it is not read: archive the source's text "
            "alone (a seed is read whole), or split it into sources of their own"
        )
    if status == s.UNREADABLE:
        return f"file {cell(r, 'file')} cannot be read (check its permissions): archive a readable copy in seeds/"
    return f"file {cell(r, 'file')} is not UTF-8 text: archive the source as UTF-8"


def rules() -> list[Rule]:
    status = pl.col("_file_status")
    needs_file = frozenset({"file"})
    out = [
        Rule("file-outside-seeds", "file", status != s.OUTSIDE, _file_message, needs_file),
        Rule(
            "file-not-found",
            "file",
            ~status.is_in([s.NOT_FOUND, s.NOT_FILE, s.UNREADABLE, s.TOO_LARGE]),
            _file_message,
            needs_file,
        ),
        Rule("encoding-error", "file", status != s.NOT_UTF8, _file_message, needs_file),
        Rule(
            "sha256-mismatch",
            "sha256",
            pl.col("_sha256").is_null()
            | (pl.col("sha256") == pl.col("_sha256"))
            | ~pl.col("sha256").str.contains(r"^[0-9a-f]{64}$"),
            lambda r: (
                f"sha256 does not match the bytes of seeds/{r['file']}: they hash to {r['_sha256']}; "
                "if the file is the right one, put that hash here (a seed itself is never edited)"
            ),
            frozenset({"sha256", "file"}),
        ),
        real_date("published"),
    ]
    # file too: it is a cell of the CSV like the others, and a spreadsheet would run it.
    out += [formula_injection(c) for c in (*TEXT_COLUMNS, "file")]
    return out


def unlisted_seeds(ctx: Context, file: str) -> list[Finding]:
    """Every file in seeds/ has a row: report the ones that have none."""
    # A row names a file by its confined path, or (when it is refused as leading outside) by its
    # value as written: either way the file has a row.
    listed = {f.key for f in ctx.seeds.by_value.values() if f.key is not None} | set(ctx.seeds.by_value)
    out = []
    for name in sorted(ctx.seeds.files - listed):
        if name not in ctx.seeds.plain and s.confine(ctx.seeds.folder, name) is None:
            # A link out (to /etc, say) is no text to add a source for: it must go.
            out.append(
                Finding(
                    file=f"seeds/{name}",
                    check="file-outside-seeds",
                    message=f"seeds/{name} is a link that leads outside seeds/, so it is not read: remove it "
                    "(a source's text is archived in seeds/ as a file of its own)",
                )
            )
            continue
        folder = ctx.seeds.folders.get(name)
        message = (
            f"seeds/{name} has no row in {file}: add one for it (claims add-source), or remove the file"
            if folder is None
            else f"seeds/{name} is a folder that {folder}, so no source's file in it is read: remove it "
            "(a source's text is archived in seeds/ as a file of its own)"
        )
        out.append(Finding(file=file, column="file", check="seed-without-source", message=message))
    return out
