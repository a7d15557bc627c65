"""Writes the DuckDB database of a valid dataset root: its tables, derived columns and agreement views."""

from __future__ import annotations

import bisect
import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from validate.paths import TABLES, Layout, read_sql
from validate.publishing.connection import connect
from validate.reading.csv_file import read_table
from validate.reading.seeds import confine
from validate.reading.table_schema import TableSchema, load_schema
from validate.text.dates import first_day, last_day
from validate.text.normalise import normalise
from validate.text.value_text import parse_value_text

DATABASE_FILE = "claims.duckdb"
DEFAULT_APPROXIMATELY_TOLERANCE = 0.10
# Tables that are not CSVs of the package, then the views, in the order they depend on each other.
EXTRA_TABLES = ("source_texts", "settings")
VIEWS = ("claim_intervals", "statistic_agreement", "claim_conflicts", "source_summary")

SQL_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT"}
_DERIVED_TYPES = {"Float64": "DOUBLE", "Int64": "BIGINT", "Date": "DATE"}
_NOT_NULL_DERIVED = {"value_step"}  # every value_text has a step; a quote or a period may have no place
# How the schemas spell a reduced-precision ISO date (YYYY, YYYY-MM or YYYY-MM-DD). Such a column
# stays text, as written, and gains DATE columns for the first and last day it covers.
REDUCED_DATE_PATTERN = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


def database_path(layout: Layout) -> Path:
    """Where the build puts the database of `layout`'s root."""
    return layout.build / DATABASE_FILE


def date_bounds(field: str) -> list[tuple[str, str]]:
    """The DATE columns derived from a reduced-precision date column: (name, 'first' or 'last')."""
    # A period's start only bounds it from below and its end from above: period_start gives
    # period_from, period_end gives period_to. A lone date (published) gets both.
    for suffix, bound, which in (("_start", "_from", "first"), ("_end", "_to", "last")):
        if field.endswith(suffix):
            return [(field[: -len(suffix)] + bound, which)]
    return [(field + "_from", "first"), (field + "_to", "last")]


def write_database(
    layout: Layout, path: Path, *, approximately_tolerance: float, inputs_digest: str = ""
) -> dict[str, int]:
    """Write the database of the (already validated) root to `path`; return the rows of each table."""
    schemas = {name: load_schema(layout.schema(name)) for name in TABLES}
    frames = {
        name: read_table(layout.csv(name), layout.rel(layout.csv(name)), name, schemas[name]).frame for name in TABLES
    }
    texts = _source_texts(layout, frames["sources"])
    frames["sources"] = _with_dates(frames["sources"], schemas["sources"])
    frames["statistics"] = _with_dates(frames["statistics"], schemas["statistics"])
    frames["claims"] = _with_dates(_with_claim_columns(frames["claims"], texts), schemas["claims"])

    rows: dict[str, int] = {}
    # Written in the 1.4 storage format so the `duckdb` command-line client (PyPI's duckdb-cli is
    # still 1.5) and older Python clients open it as it is.
    con = connect(
        path,
        read_only=False,
        storage_compatibility_version=STORAGE_VERSION,
        # DuckDB writes some bytes of its blocks from memory it never cleared (duckdb/duckdb#23382):
        # the slack of DICT_FSST string segments and ALP padding here; with other compressions, ZSTD
        # padding or the next-block slot of the last overflow-string block. They held whatever the
        # allocator had last kept there (scraps of other strings), different at every build. With
        # the allocator flushed after every bulk deallocation, freed memory goes back to the system
        # and comes back zeroed, and so do those bytes. That is what DuckDB 2.0 does, not what it
        # promises: the byte-identity test in tests/test_build.py is what checks it.
        # (Given at connect time: the restricted settings lock the configuration once open.)
        allocator_bulk_deallocation_flush_threshold="0B",
    )
    try:
        for name in TABLES:
            con.execute(create_table_sql(name, schemas[name], frames[name]))
            _insert(con, name, schemas[name], frames[name])
            rows[name] = frames[name].height
        for name in EXTRA_TABLES:
            con.execute(read_sql(name))
        text_frame = pl.DataFrame(
            {"source_id": list(texts), "text": list(texts.values())}, schema={"source_id": pl.String, "text": pl.String}
        )
        con.register("_staged", text_frame)
        con.execute("INSERT INTO source_texts SELECT source_id, text FROM _staged")
        con.unregister("_staged")
        rows["source_texts"] = text_frame.height
        con.execute("INSERT INTO settings VALUES (?, ?)", [approximately_tolerance, inputs_digest])
        for name in VIEWS:
            con.execute(read_sql(name))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    fix_database_identifier(path)
    return rows


STORAGE_VERSION = "v1.4.0"

# The three 4 KiB headers at the start of a DuckDB file (Storage::FILE_HEADER_SIZE), each an 8-byte
# checksum of the rest. The main header holds the "DUCK" magic at 8, then the storage version, flags,
# library version and source id, 8 bytes of encryption metadata and, at 124, a 16-byte database
# identifier that DuckDB draws at random for storage version 1.4 and later. It is only a salt for
# an encrypted file's key and a tag that ties a .wal file to its database; the database header
# written when the file was made keeps a stale copy of it in its unused bytes.
_HEADER_SIZE = 4096
_HEADERS = (0, _HEADER_SIZE, 2 * _HEADER_SIZE)
_IDENTIFIER = 124
_IDENTIFIER_SIZE = 16
_CHECKSUM_FACTOR = 0xBF58476D1CE4E5B9
_WORD = struct.Struct("<Q")


def duckdb_checksum(data: bytes | bytearray) -> int:
    """DuckDB's checksum of a block (src/common/checksum.cpp), for data a multiple of 8 bytes long."""
    result = 5381
    for (word,) in _WORD.iter_unpack(data):
        result ^= (word * _CHECKSUM_FACTOR) & 0xFFFF_FFFF_FFFF_FFFF
    return result


def fix_database_identifier(path: Path) -> bool:
    """Replace the random identifier in the headers of the DuckDB file at `path` by one derived from the rest.

    The file is then what DuckDB would have written had its random generator drawn that identifier:
    a hash of everything else in the file, so two builds of the same data get the same one and two
    different databases different ones (so a .wal still names the one database it belongs to).
    Anything unexpected (not an unencrypted DuckDB file, a checksum computed otherwise) leaves the
    file as DuckDB wrote it; returns whether the identifier was replaced.
    """
    with path.open("r+b") as f:
        head = bytearray(f.read(len(_HEADERS) * _HEADER_SIZE))
        if len(head) < len(_HEADERS) * _HEADER_SIZE or head[8:12] != b"DUCK" or any(head[20:52]):  # flags: encryption
            return False
        for start in _HEADERS:
            if _WORD.unpack_from(head, start)[0] != duckdb_checksum(head[start + 8 : start + _HEADER_SIZE]):
                return False
        old = bytes(head[_IDENTIFIER : _IDENTIFIER + _IDENTIFIER_SIZE])
        if not any(old):
            return False
        places = [
            s + _IDENTIFIER for s in _HEADERS if head[s + _IDENTIFIER : s + _IDENTIFIER + _IDENTIFIER_SIZE] == old
        ]
        digest = hashlib.sha256()
        for at in places:
            head[at : at + _IDENTIFIER_SIZE] = bytes(_IDENTIFIER_SIZE)
        for start in _HEADERS:
            digest.update(head[start + 8 : start + _HEADER_SIZE])
        while chunk := f.read(1 << 20):
            digest.update(chunk)
        new = digest.digest()[:_IDENTIFIER_SIZE]
        for at in places:
            head[at : at + _IDENTIFIER_SIZE] = new
        for start in _HEADERS:
            _WORD.pack_into(head, start, duckdb_checksum(head[start + 8 : start + _HEADER_SIZE]))
        f.seek(0)
        f.write(head)
    return True


def quote_ident(name: str) -> str:
    """`name` as a DuckDB identifier, whatever characters a schema gives it."""
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(name: str, schema: TableSchema, frame: pl.DataFrame) -> str:
    """CREATE TABLE for one CSV: the schema's fields with their SQL types, then the derived columns."""
    lines = []
    for f in schema.fields:
        null = " NOT NULL" if f.constraints.required else ""
        lines.append(f"{quote_ident(f.name)} {SQL_TYPES[f.type]}{null}")
    for column in frame.columns[len(schema.fields) :]:
        null = " NOT NULL" if column in _NOT_NULL_DERIVED else ""
        lines.append(f"{quote_ident(column)} {_DERIVED_TYPES[str(frame.schema[column])]}{null}")
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote_ident, schema.primary_key))})")
    for fk in schema.foreign_keys:
        lines.append(
            f"FOREIGN KEY ({', '.join(map(quote_ident, fk.fields))}) "
            f"REFERENCES {quote_ident(fk.reference.resource)} ({', '.join(map(quote_ident, fk.reference.fields))})"
        )
    return f"CREATE TABLE {quote_ident(name)} (\n    " + ",\n    ".join(lines) + "\n)"


def _insert(con: duckdb.DuckDBPyConnection, name: str, schema: TableSchema, frame: pl.DataFrame) -> None:
    # The frame is registered, not spelled into SQL; DuckDB casts the validated strings itself.
    columns = [
        quote_ident(f.name) if f.type == "string" else f"CAST({quote_ident(f.name)} AS {SQL_TYPES[f.type]})"
        for f in schema.fields
    ]
    columns += [quote_ident(c) for c in frame.columns[len(schema.fields) :]]
    con.register("_staged", frame)
    try:
        con.execute(f"INSERT INTO {quote_ident(name)} SELECT {', '.join(columns)} FROM _staged")
    finally:
        con.unregister("_staged")


def _with_dates(frame: pl.DataFrame, schema: TableSchema) -> pl.DataFrame:
    exprs = []
    for f in schema.fields:
        if f.constraints.pattern == REDUCED_DATE_PATTERN:
            col = pl.col(f.name)
            for column, which in date_bounds(f.name):
                exprs.append((first_day(col) if which == "first" else last_day(col)).alias(column))
    return frame.with_columns(exprs)


def _source_texts(layout: Layout, sources: pl.DataFrame) -> dict[str, str]:
    """Each source's archived text, decoded and otherwise as archived."""
    texts: dict[str, str] = {}
    for source_id, file in sources.select("source_id", "file").iter_rows():
        path = confine(layout.seeds, file)
        if path is None:  # pragma: no cover - the check reports such a file before a build
            raise ValueError(f"seeds file {file!r} is outside seeds/")
        texts[source_id] = path.read_bytes().decode("utf-8")
    return texts


def _with_claim_columns(claims: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    steps = {t: parse_value_text(t).step for t in claims.get_column("value_text").unique().to_list()}
    locators = {source_id: QuoteLocator(text) for source_id, text in texts.items()}
    starts: list[int | None] = []
    ends: list[int | None] = []
    for source_id, quote in claims.select("source_id", "quote").iter_rows():
        span = locators[source_id].find(normalise(quote))
        starts.append(span[0] if span else None)
        ends.append(span[1] if span else None)
    return claims.with_columns(
        pl.col("value_text").replace_strict(steps, return_dtype=pl.Float64).alias("value_step"),
        pl.Series("quote_start", starts, dtype=pl.Int64),
        pl.Series("quote_end", ends, dtype=pl.Int64),
    )


# The normalisation with a map back to the original text. NFKC can merge characters (e and a
# combining accent) or split one (the ligature "fi"), and whitespace runs shrink to one space,
# so a position in the normalised text is mapped through pieces: stretches of it that each
# come from one stretch of the original.

_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_ASCII_SPACE = re.compile(r"[\t-\r ]+")
_BREAK = re.compile(r"[\t-\r ]{2,}")
_WS, _LINEAR, _BLOCK = 0, 1, 2


@dataclass(frozen=True)
class _Piece:
    norm_start: int
    orig_start: int
    orig_end: int
    # One normalised character per original character, in order; otherwise each normalised
    # character of the piece stands for the whole original stretch.
    linear: bool


class QuoteLocator:
    """A source text normalised as the contract says, able to find a quote's span in the original."""

    def __init__(self, original: str) -> None:
        parts: list[str] = []
        pieces: list[_Piece] = []
        n = 0
        space: tuple[int, int] | None = None  # the whitespace run not yet written
        for kind, a, b, out in _tokens(original):
            if kind == _WS:
                space = (space[0], b) if space else (a, b)
                continue
            if space and n:  # leading whitespace is trimmed, inner runs become one space
                parts.append(" ")
                pieces.append(_Piece(n, space[0], space[1], False))
                n += 1
            space = None  # trailing whitespace is trimmed: it is never written
            parts.append(out)
            pieces.append(_Piece(n, a, b, kind == _LINEAR))
            n += len(out)
        self.text = "".join(parts)
        if self.text != normalise(original):  # pragma: no cover - a bug here, not in the data
            raise RuntimeError("the offset map of a source text disagrees with the contract's normalisation")
        self._pieces = pieces
        self._starts = [p.norm_start for p in pieces]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Start (included) and end (excluded) in the original text of the first match of normalised `quote`."""
        if not quote:
            return None
        i = self.text.find(quote)
        if i < 0:
            return None
        return self._original(i)[0], self._original(i + len(quote) - 1)[1]

    def _original(self, k: int) -> tuple[int, int]:
        p = self._pieces[bisect.bisect_right(self._starts, k) - 1]
        if p.linear:
            at = p.orig_start + k - p.norm_start
            return at, at + 1
        return p.orig_start, p.orig_end


def _tokens(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(kind, original start, original end, normalised text) of whitespace and non-whitespace stretches."""
    # Runs of two or more ASCII spaces (paragraph breaks) split the text into regions. Most
    # regions map one character to one (a curly quote, a dash, a lone non-breaking space each
    # become one character), so one piece covers each; only the others are read piece by piece.
    pos = 0
    for m in _BREAK.finditer(text):
        yield from _region_tokens(text, pos, m.start())
        yield _WS, m.start(), m.end(), " "
        pos = m.end()
    yield from _region_tokens(text, pos, len(text))


def _region_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, str]]:
    if start == end:
        return
    same = _one_to_one(text[start:end])
    if same is not None:
        yield _LINEAR, start, end, same
        return
    pos = start
    # A boundary before an ASCII character is safe for NFKC: it never composes with what precedes
    # it and is never reordered. So each non-ASCII run is normalised with the ASCII character
    # before it (e + U+0301 is é), and the ASCII text between runs is left as it is.
    for m in _NON_ASCII.finditer(text, start, end):
        yield from _ascii_tokens(text, pos, m.start())
        yield from _non_ascii_tokens(m.group(), m.start())
        pos = m.end()
    yield from _ascii_tokens(text, pos, end)


def _one_to_one(region: str) -> str | None:
    """The region's normalisation if it is the region with each character replaced by one; else None."""
    out = normalise(region)
    if len(out) != len(region):
        return None
    table: dict[int, str] = {}
    for ch in set(region):
        one = _one_char(ch)
        if one is None:
            return None
        table[ord(ch)] = one
    return out if region.translate(table) == out else None


@cache
def _one_char(ch: str) -> str | None:
    nfkc = unicodedata.normalize("NFKC", ch)
    if len(nfkc) != 1:
        return None
    return _map_char(nfkc) or " "


def _ascii_tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int, int, str]]:
    pos = start
    for m in _ASCII_SPACE.finditer(text, start, end):
        a, b = m.span()
        # A single space between two other characters maps to itself: no piece needed.
        if m.group() == " " and start < a and b < end:
            continue
        if pos < a:
            yield _LINEAR, pos, a, text[pos:a]
        yield _WS, a, b, " "
        pos = b
    if pos < end:
        yield _LINEAR, pos, end, text[pos:end]


def _non_ascii_tokens(segment: str, offset: int) -> Iterator[tuple[int, int, int, str]]:
    whole = unicodedata.normalize("NFKC", segment)
    # Finest first: each character alone, then each character with the combining marks after it.
    # Where neither normalises piecewise to the same text (Hangul jamo, some Indic vowel signs),
    # the normalised run stands for the whole original run.
    for units in (list(segment), _clusters(segment)):
        each = [unicodedata.normalize("NFKC", u) for u in units]
        if "".join(each) == whole:
            pos = offset
            for unit, out in zip(units, each, strict=True):
                yield from _emit(out, pos, pos + len(unit))
                pos += len(unit)
            return
    yield from _emit(whole, offset, offset + len(segment))


def _clusters(segment: str) -> list[str]:
    out: list[str] = []
    for ch in segment:
        if out and unicodedata.combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _emit(out: str, a: int, b: int) -> Iterator[tuple[int, int, int, str]]:
    for ch in out:
        mapped = _map_char(ch)
        if not mapped:
            yield _WS, a, b, " "
        else:
            yield (_LINEAR if len(out) == 1 and b - a == 1 and len(mapped) == 1 else _BLOCK), a, b, mapped


@cache
def _map_char(ch: str) -> str:
    # The normalisation itself says what becomes of a character already in NFKC: "" for
    # whitespace (trimmed away when alone), a straight quote for a curly one, else itself.
    return normalise(ch)
