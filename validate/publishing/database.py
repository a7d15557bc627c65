"""Writes the DuckDB database of a valid dataset root: its tables, derived columns and agreement views."""

from __future__ import annotations

import hashlib
import re
import struct
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path

import duckdb
import polars as pl

from validate.errors import UsageError
from validate.paths import TABLES, Layout, read_sql
from validate.publishing.connection import connect
from validate.publishing.derived import date_columns, derived_columns, derived_descriptions
from validate.reading.csv_file import read_table
from validate.reading.files import FileRefused
from validate.reading.seeds import read_seed
from validate.reading.table_schema import TableSchema, load_schema
from validate.text.dates import first_day, last_day
from validate.text.normalise import normalise
from validate.text.quote_locator import QuoteLocator
from validate.text.value_text import parse_value_text

DATABASE_FILE = "claims.duckdb"
DEFAULT_APPROXIMATELY_TOLERANCE = 0.10
# Tables that are not CSVs of the package, the macros the views share, then the views, in the
# order they depend on each other.
EXTRA_TABLES = ("source_texts", "settings")
MACROS = "interval_macros"
VIEWS = (
    "claim_intervals",
    "primary_intervals",
    "claim_fidelity",
    "statistic_agreement",
    "claim_conflicts",
    "relation_checks",
    "source_summary",
)

SQL_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT"}
_DERIVED_TYPES = {"Float64": "DOUBLE", "Int64": "BIGINT", "Date": "DATE", "Boolean": "BOOLEAN"}
_NOT_NULL_DERIVED = {"value_step"}  # every value_text has a step; a quote or a period may have no place


def database_path(layout: Layout) -> Path:
    """Where the build puts the database of `layout`'s root."""
    return layout.build / DATABASE_FILE


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
    frames["statistics"] = _with_dates(_with_primary_step(frames["statistics"]), schemas["statistics"])
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
        # promises: the byte-identity test in tests/publishing/test_build.py is what checks it.
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
        con.execute(read_sql(MACROS))
        for name in VIEWS:
            con.execute(read_sql(name))
        _describe(con, schemas)
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


def sql_string(text: str) -> str:
    """`text` as a DuckDB string literal: its quotes doubled (nothing else is special in one) and
    any NUL, which a literal cannot hold, left out."""
    return "'" + text.replace("\x00", "").replace("'", "''") + "'"


def view_comment(sql: str) -> str:
    """The leading comment block of a .sql file, without its `-- ` marks: what the view or table means."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[3:] if line.startswith("-- ") else line[2:])
    return "\n".join(lines).strip()


# A column's entry in a .sql file's leading comment: its name, or several names that share one
# meaning, then a colon ("-- quote_start, quote_end: the quote's place ..."); "(+ _inclusive)"
# after a name stands for the _inclusive column of each name ending in _low or _high before it.
_NAME = r"[a-z_][a-z0-9_]*(?: \(\+ _inclusive\))?"
_ENTRY = re.compile(rf"({_NAME}(?:, {_NAME})*):(?: (.*))?")


def column_comments(sql: str, columns: Collection[str] | None = None) -> dict[str, str]:
    """What each column means, by its name, from the entries of a .sql file's leading comment:
    an entry runs from its line to the next entry or the next empty comment line. With `columns`,
    only a line naming columns of the view begins an entry: a line of prose that happens to
    begin with a word and a colon ("claim_fidelity: for value, ...") continues the one before."""
    out: dict[str, str] = {}
    names: list[str] = []
    for line in view_comment(sql).splitlines():
        entry = _ENTRY.fullmatch(line)
        named: list[str] = []
        if entry:
            for item in entry[1].split(", "):
                name, _, inclusive = item.partition(" ")
                named.append(name)
                if inclusive:  # for every bound named before it: "primary_low, primary_high (+ _inclusive)"
                    named += [f"{n}_inclusive" for n in named if n.endswith(("_low", "_high"))]
        if named and (columns is None or set(named) <= set(columns)):
            names = named
            for name in names:
                out[name] = line
        elif not line.strip():
            names = []
        elif names:
            for name in names:
                out[name] += "\n" + line
    return out


def _describe(con: duckdb.DuckDBPyConnection, schemas: dict[str, TableSchema]) -> None:
    # Each table, column and view carries its meaning, so a stranger with only claims.duckdb reads
    # it in duckdb_tables(), duckdb_columns() and duckdb_views(): from the schemas' descriptions
    # and the comment heading each view's .sql file, the one place each is written.
    for name in TABLES:
        description = str(getattr(schemas[name], "description", "") or "")
        if description:
            con.execute(f"COMMENT ON TABLE {quote_ident(name)} IS {sql_string(description)}")
        for column, description in _column_descriptions(name, schemas[name]).items():
            con.execute(f"COMMENT ON COLUMN {quote_ident(name)}.{quote_ident(column)} IS {sql_string(description)}")
    for name in EXTRA_TABLES:
        con.execute(f"COMMENT ON TABLE {quote_ident(name)} IS {sql_string(view_comment(read_sql(name)))}")
    for name in VIEWS:
        con.execute(f"COMMENT ON VIEW {quote_ident(name)} IS {sql_string(view_comment(read_sql(name)))}")
    # Each column of the views and extra tables, from its entry in the .sql file's leading comment;
    # one that passes a table's column through (claim_id, meaning) means what it means there.
    # The first table to name a column gives it: each key's own table comes before those that
    # refer to it (statistics.statistic_id, not claims.statistic_id).
    passed: dict[str, str] = {}
    for table in ("sources", "statistics", "relations", "claims"):
        for column, description in _column_descriptions(table, schemas[table]).items():
            passed.setdefault(column, f"As in {table}: {description}")
    for name in (*EXTRA_TABLES, *VIEWS):
        columns = [
            c
            for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()
        ]
        entries = passed | column_comments(read_sql(name), columns)
        for column in columns:
            if column in entries:
                con.execute(
                    f"COMMENT ON COLUMN {quote_ident(name)}.{quote_ident(column)} IS {sql_string(entries[column])}"
                )


def _column_descriptions(table: str, schema: TableSchema) -> dict[str, str]:
    """What each column of a table's CSV, and each the build adds, means."""
    return {f.name: f.description for f in schema.fields if f.description} | derived_descriptions(table, schema)


def quote_ident(name: str) -> str:
    """`name` as a DuckDB identifier, whatever characters a schema gives it."""
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(name: str, schema: TableSchema, frame: pl.DataFrame) -> str:
    """CREATE TABLE for one CSV: the schema's fields with their SQL types, then the derived columns."""
    # The check refuses a field named like a derived column; were one through, the table would
    # be built wrong rather than with a silently replaced column.
    if frame.columns[len(schema.fields) :] != derived_columns(name, schema):
        raise ValueError(f"the derived columns of {name} are not those derived.py names")
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
    return frame.with_columns(
        (first_day(pl.col(field)) if which == "first" else last_day(pl.col(field))).alias(column)
        for column, field, which in date_columns(schema)
    )


def _source_texts(layout: Layout, sources: pl.DataFrame) -> dict[str, str]:
    """Each source's archived text, decoded and otherwise as archived."""
    texts: dict[str, str] = {}
    for source_id, file in sources.select("source_id", "file").iter_rows():
        # The check refused any seed this would refuse: a refusal here is a seed changed since.
        try:
            texts[source_id] = read_seed(layout.seeds, file).decode("utf-8")
        except (FileRefused, UnicodeDecodeError) as exc:
            reason = exc.reason if isinstance(exc, FileRefused) else "is not UTF-8 text"
            raise UsageError(f"seeds/{file} {reason}: run claims check, fix what it reports, and build again") from exc
    return texts


def _with_primary_step(statistics: pl.DataFrame) -> pl.DataFrame:
    """primary_value_step: the unit of the last written digit of primary_value (1 for 40, 0.1
    for 1.4), the rounding an exact primary reading admits. The column is plain digits (the
    schema's number), so its decimals are all there is to read."""
    digits = pl.col("primary_value").str.extract(r"\.([0-9]*)$").str.len_chars().fill_null(0)
    step = pl.lit(10.0).pow(-digits.cast(pl.Float64))
    return statistics.with_columns(
        pl.when(pl.col("primary_value").is_not_null()).then(step).otherwise(None).alias("primary_value_step")
    )


# ISO 8601 durations as the schema allows them: years, months, weeks, days.
DURATION = re.compile(r"^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?$")


def duration_length(duration: str | None) -> tuple[int | None, int | None]:
    """(months, days) of an ISO 8601 duration: months for one of years and months, days for one
    of weeks and days, neither for one that mixes them (a month has no fixed number of days)."""
    m = DURATION.match(duration or "")
    if not m or not any(m.groups()):
        return None, None
    years, months, weeks, days = (int(g) if g else 0 for g in m.groups())
    calendar = m.group(1) is not None or m.group(2) is not None
    fixed = m.group(3) is not None or m.group(4) is not None
    if calendar and fixed:
        return None, None
    return (12 * years + months, None) if calendar else (None, 7 * weeks + days)


# Double quotation marks that open, close, or do either (the straight one).
_OPENING = "\u201c\u00ab\u201e"
_CLOSING = "\u201d\u00bb"
_EITHER = '"'


def inside_quotation_marks(text: str, places: Iterable[int]) -> dict[int, bool]:
    """Whether each of `places` of `text` stands inside double quotation marks: within its
    paragraph (from the last line break), more opening marks than closing ones come before it,
    or an odd number of straight ones. One pass over the text for all places: reading each
    place's paragraph anew cost 5 s for 3,000 claims in a seed of one 2 MB paragraph."""
    out: dict[int, bool] = {}
    cursor = opened = straight = 0
    for at in sorted(set(places)):
        start = max(text.rfind("\n", cursor, at), text.rfind("\r", cursor, at)) + 1
        if start > 0:  # a line break since the last place: a new paragraph
            cursor, opened, straight = start, 0, 0
        between = text[cursor:at]
        opened += sum(between.count(c) for c in _OPENING) - sum(between.count(c) for c in _CLOSING)
        straight += between.count(_EITHER)
        cursor = at
        out[at] = opened > 0 or straight % 2 == 1
    return out


def _with_claim_columns(claims: pl.DataFrame, texts: dict[str, str]) -> pl.DataFrame:
    steps = {t: parse_value_text(t).step for t in claims.get_column("value_text").unique().to_list()}
    locators = {source_id: QuoteLocator(text) for source_id, text in texts.items()}
    spans: dict[str, list[int | None]] = {"quote_start": [], "quote_end": [], "value_start": [], "value_end": []}
    places: list[tuple[str, int] | None] = []  # each claim's value, where it was found
    for source_id, quote, value_text in claims.select("source_id", "quote", "value_text").iter_rows():
        span = locators[source_id].find(normalise(quote))
        value_span = None
        if span is not None:
            # The value is found in the passage the quote matched, mapped back the same way.
            found = QuoteLocator(texts[source_id][span[0] : span[1]]).find(normalise(value_text))
            value_span = (span[0] + found[0], span[0] + found[1]) if found else None
        for name, got in (("quote", span), ("value", value_span)):
            spans[f"{name}_start"].append(got[0] if got else None)
            spans[f"{name}_end"].append(got[1] if got else None)
        places.append((source_id, value_span[0]) if value_span else None)
    by_source: dict[str, list[int]] = defaultdict(list)
    for place in places:
        if place is not None:
            by_source[place[0]].append(place[1])
    marks = {sid: inside_quotation_marks(texts[sid], at) for sid, at in by_source.items()}
    inside = [marks[place[0]][place[1]] if place is not None else None for place in places]
    lengths = [duration_length(d) for d in claims.get_column("duration").to_list()]
    return claims.with_columns(
        pl.col("value_text").replace_strict(steps, return_dtype=pl.Float64).alias("value_step"),
        *(pl.Series(name, values, dtype=pl.Int64) for name, values in spans.items()),
        pl.Series("inside_quotation_marks", inside, dtype=pl.Boolean),
        pl.Series("duration_months", [m for m, _ in lengths], dtype=pl.Int64),
        pl.Series("duration_days", [d for _, d in lengths], dtype=pl.Int64),
    )
