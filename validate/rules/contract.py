"""The constraints the contract fixes, declared once, whatever a pull request's schema says.

A schema arrives in the same pull request as the rows it describes: loosening a pattern, a type
or a required flag there would let rows through that the contract refuses (a formula-like id, a
value that is not a number). So each column the contract names keeps its type, required flag,
pattern, enum and lengths as declared here, and a schema that relaxes one of them, for a column
it declares, is a schema-error. A column the schema leaves out is reported elsewhere (the rules
that need it); a column the contract does not name is the schema's own to describe.
"""

from __future__ import annotations

from dataclasses import dataclass

from validate.findings import Finding
from validate.reading.table_schema import SchemaField, TableSchema
from validate.text.dates import SCHEMA_PATTERN

SLUG = "[a-z0-9][a-z0-9-]{0,63}"
SHA256 = "[0-9a-f]{64}"
# No white space and no control character, each written out: `\s` is one set in the check's
# regex engine (Rust's) and a larger one in Frictionless's (Python's), which also holds
# \x1c-\x1f, so a URL holding one checked valid and failed `frictionless validate`.
# No invisible or bidirectional formatting character either (zero-width spaces and joiners, the
# marks, embeddings, overrides and isolates, the BOM): RFC 3987 forbids the bidi ones in an
# address, and https://a.example/\u202e/vog.shd.gio.www//:sptth showed as another site's. The
# rest of Unicode's default-ignorable code points too (the soft hyphen, the Hangul fillers, the
# variation selectors, the tag characters): https://www.dhs.gov\xad.example.net/ reads as dhs.gov.
URL = "https?://[^\\x00-\\x20\\x7f-\\xa0\\xad\\u034f\\u061c\\u115f\\u1160\\u1680\\u17b4\\u17b5\\u180b-\\u180f\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u3000\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8\\U000e0000-\\U000e0fff]+"
# An ISO 8601 duration of years, months, weeks and days (PnYnMnWnD), at least one part.
DURATION = "P(?:[0-9]{1,6}Y(?:[0-9]{1,6}M)?(?:[0-9]{1,6}W)?(?:[0-9]{1,6}D)?|[0-9]{1,6}M(?:[0-9]{1,6}W)?(?:[0-9]{1,6}D)?|[0-9]{1,6}W(?:[0-9]{1,6}D)?|[0-9]{1,6}D)"
QUALIFIERS = (
    "exact",
    "approximately",
    "nearly",
    "more_than",
    "at_least",
    "fewer_than",
    "at_most",
    "order_of_magnitude",
)
# Why a number of a source is no claim (exclusions.reason).
EXCLUSION_REASONS = ("furniture", "age", "enumeration", "date", "duration", "no-bound", "not-a-statistic")
KINDS = ("news", "opinion", "blog", "aggregator", "government-report", "press-release", "other")


# The longest quote the contract allows, in characters.
MAX_QUOTE = 2000


@dataclass(frozen=True)
class Column:
    """What the contract fixes about one column; None leaves that property to the schema."""

    type: str = "string"
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None


def _req(**fixed: object) -> Column:
    return Column(required=True, **fixed)  # type: ignore[arg-type]


# Per table, the columns of the contract (version 2). The unit enum is left open: the contract
# says to extend it when a real statistic needs it.
# Every text a page shows has a longest length, which a schema may shorten and never lift: a
# title of 200,000 characters cited 100 times wrote a statistic page of 77 MB.
CONTRACT: dict[str, dict[str, Column]] = {
    "sources": {
        "source_id": _req(pattern=SLUG),
        "file": _req(),
        "sha256": _req(pattern=SHA256),
        "title": _req(max_length=500),
        "publisher": _req(max_length=200),
        "author": Column(max_length=200),
        "published": Column(pattern=SCHEMA_PATTERN),
        "url": Column(pattern=URL, max_length=2000),
        "kind": _req(enum=KINDS),
        "note": Column(max_length=2000),
    },
    "statistics": {
        "statistic_id": _req(pattern=SLUG),
        "description": _req(max_length=1000),
        "unit": _req(),
        "primary_source": Column(max_length=500),
        "primary_value": Column(type="number"),
        "primary_qualifier": Column(enum=QUALIFIERS),
        "primary_period_start": Column(pattern=SCHEMA_PATTERN),
        "primary_period_end": Column(pattern=SCHEMA_PATTERN),
        "primary_locator": Column(max_length=500),
        "primary_url": Column(pattern=URL, max_length=2000),
        "primary_claim_id": Column(),
        "note": Column(max_length=2000),
    },
    "claims": {
        "claim_id": _req(pattern=SLUG),
        "source_id": _req(),
        "statistic_id": _req(),
        "quote": _req(min_length=1, max_length=MAX_QUOTE),
        "value_text": _req(max_length=200),
        "value": _req(type="number"),
        "qualifier": _req(enum=QUALIFIERS),
        "period_start": Column(pattern=SCHEMA_PATTERN),
        "period_end": Column(pattern=SCHEMA_PATTERN),
        "period_basis": Column(enum=("stated", "relative", "context")),
        # At most six digits a part: a length the database holds in months or days (BIGINT).
        "duration": Column(pattern=DURATION),
        "attributed_to": Column(max_length=500),
        "attribution": Column(enum=("explicit", "inferred")),
        "via": Column(max_length=500),
        "counted_as": _req(max_length=500),
        "meaning": _req(enum=("same", "differs")),
        "differs_in": Column(max_length=100),
        "note": Column(max_length=2000),
    },
    "relations": {
        "relation_id": _req(pattern=SLUG),
        "relation": _req(enum=("part_of", "share", "sum")),
        "statistic_id": _req(),
        "operands": _req(max_length=2000),
        "note": Column(max_length=2000),
    },
    "exclusions": {
        "source_id": _req(),
        "text": _req(max_length=200),
        "occurrence": _req(type="integer"),
        "reason": _req(enum=EXCLUSION_REASONS),
        "note": Column(max_length=2000),
    },
}
# Each table's primary key, as the contract names it (exclusions has none).
PRIMARY_KEYS: dict[str, list[str]] = {
    "sources": ["source_id"],
    "statistics": ["statistic_id"],
    "claims": ["claim_id"],
    "relations": ["relation_id"],
}
# The contract's foreign keys: (table, column, the table it names, its column). The check's
# relation rules enforce exactly these, and the database is built with the schema's keys, so a
# schema declares these and no others: a key the check does not enforce would stop the build.
FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("claims", "source_id", "sources", "source_id"),
    ("claims", "statistic_id", "statistics", "statistic_id"),
    ("relations", "statistic_id", "statistics", "statistic_id"),
    ("exclusions", "source_id", "sources", "source_id"),
)
# The contract's one missing value: an empty cell. Any other would make cells disappear from
# every rule ("=cmd" as a missing value would hide a formula from the formula rule).
MISSING_VALUES = [""]


def relaxations(table: str, schema: TableSchema) -> list[tuple[str | None, str]]:
    """(column, what it relaxes) for each constraint of the contract that `schema` loosens."""
    out: list[tuple[str | None, str]] = []
    columns = CONTRACT.get(table, {})
    for f in schema.fields:
        fixed = columns.get(f.name)
        if fixed is not None:
            out += [(f.name, problem) for problem in _field_problems(f, fixed)]
    key = PRIMARY_KEYS.get(table)
    if key is not None and set(key) <= set(schema.names) and schema.primary_key != key:
        out.append((None, f"the primary key is {schema.primary_key or 'missing'}, where the contract makes it {key}"))
    declared = {(tuple(fk.fields), fk.reference.resource, tuple(fk.reference.fields)) for fk in schema.foreign_keys}
    contract = {((column,), target, (key,)) for name, column, target, key in FOREIGN_KEYS if name == table}
    for fields, target, keys in sorted(declared - contract):
        out.append(
            (
                None,
                f"it declares a foreign key ({', '.join(fields)}) to {target or 'itself'} ({', '.join(keys)}), which the "
                "contract does not: the check enforces only the contract's keys, and the database is built with the schema's",
            )
        )
    for fields, target, keys in sorted(contract - declared):
        if set(fields) <= set(schema.names):
            out.append(
                (None, f"it lacks the contract's foreign key ({', '.join(fields)}) to {target} ({', '.join(keys)})")
            )
    if schema.missing_values != MISSING_VALUES:
        out.append((None, f"missingValues is {schema.missing_values}, where the contract allows only an empty cell"))
    return out


def _field_problems(f: SchemaField, fixed: Column) -> list[str]:
    c = f.constraints
    problems: list[str] = []
    if f.type != fixed.type:
        problems.append(f"its type is {f.type!r}, where the contract makes it {fixed.type!r}")
    if fixed.required and not c.required:
        problems.append("it is not required, where the contract requires it")
    if fixed.pattern is not None and c.pattern != fixed.pattern:
        problems.append(f"its pattern is {c.pattern!r}, where the contract fixes {fixed.pattern!r}")
    if fixed.enum is not None and (c.enum is None or not set(c.enum) <= set(fixed.enum)):
        problems.append(f"its enum allows {c.enum or 'any value'}, where the contract allows only {list(fixed.enum)}")
    if fixed.min_length is not None and (c.min_length is None or c.min_length < fixed.min_length):
        problems.append(f"its minLength is {c.min_length}, where the contract fixes {fixed.min_length}")
    if fixed.max_length is not None and (c.max_length is None or c.max_length > fixed.max_length):
        problems.append(f"its maxLength is {c.max_length}, where the contract fixes {fixed.max_length}")
    return problems


def contract_findings(file: str, table: str, schema: TableSchema) -> list[Finding]:
    """A schema-error finding for each constraint of the contract that the schema relaxes."""
    return [
        Finding(
            file=file,
            column=column,
            check="schema-error",
            message=f"{f'field {column!r}: ' if column else ''}{problem}: a schema may tighten the contract, "
            "never loosen it; restore it from the repository's schema/ folder",
        )
        for column, problem in relaxations(table, schema)
    ]
