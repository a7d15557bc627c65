"""Reads a Frictionless Table Schema (the part of the spec this project uses) into typed objects."""

from __future__ import annotations

import re

# Python's own parse of a pattern, the one Frictionless runs (sre_parse and sre_constants until
# 3.11, deprecated names since; typeshed has stubs for the old names only).
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parser  # type: ignore[import-not-found]
import warnings
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from validate.errors import UsageError
from validate.kernels.cells import FORMULA_START
from validate.paths import Layout
from validate.reading.json_file import JsonFileError, read_json


class _Model(BaseModel):
    # Only the properties declared here: any other is refused. Table Schema has properties that
    # change how a cell is read (a field's groupChar, decimalChar, bareNumber or missingValues, a
    # format such as email) or add a constraint (exclusiveMinimum, uniqueKeys) that the check does
    # not apply: a pull request's "groupChar": "0" passed the check and had every reader of the
    # published package take 2370000 for 237, and "format": "email" failed Frictionless where the
    # check passed. Strict: "required": "yes" or "minimum": "5" would be read here as true and 5,
    # while Frictionless (and so whoever validates the published package) refuses them or reads
    # them otherwise; JSON's types are taken as they are (an integer still serves as a number).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class Constraints(_Model):
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    # Lengths a column of characters can have: a 400-digit maxLength is no rule polars can run.
    min_length: int | None = Field(default=None, alias="minLength", ge=0, le=2**62)
    max_length: int | None = Field(default=None, alias="maxLength", ge=0, le=2**62)
    minimum: float | None = Field(default=None, allow_inf_nan=False)
    maximum: float | None = Field(default=None, allow_inf_nan=False)
    # An empty enum allows no value at all: every row would be refused with nothing to choose.
    enum: list[str] | None = Field(default=None, min_length=1)


class SchemaField(_Model):
    name: str = Field(min_length=1)
    type: Literal["string", "number", "integer"] = "string"
    # Only the default format: the others (email, uri, uuid, binary) are rules the check does not run.
    format: Literal["default"] = "default"
    # What describes a field and changes nothing of how its cells are read.
    title: str = ""
    description: str = ""
    example: Any = None
    rdf_type: str | None = Field(default=None, alias="rdfType")
    constraints: Constraints = Constraints()


class Reference(_Model):
    resource: str
    fields: list[str]


class ForeignKey(_Model):
    fields: list[str]
    reference: Reference


class TableSchema(_Model):
    fields: list[SchemaField] = Field(min_length=1)
    primary_key: list[str] = Field(default_factory=list, alias="primaryKey")
    foreign_keys: list[ForeignKey] = Field(default_factory=list, alias="foreignKeys")
    missing_values: list[str] = Field(default_factory=lambda: [""], alias="missingValues")
    # What describes a schema and changes nothing of how its table is read.
    name: str | None = None
    title: str = ""
    description: str = ""
    profile: str | None = Field(default=None, alias="$schema")

    @field_validator("primary_key")
    @classmethod
    def _key_columns_once(cls, keys: list[str]) -> list[str]:
        if len(set(keys)) != len(keys):
            raise ValueError("names a column more than once: list each key column once")
        return keys

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> SchemaField:
        return next(f for f in self.fields if f.name == name)


class SchemaFileError(Exception):
    """A schema file that cannot be read or does not describe a table schema."""


def schema_for_command(layout: Layout, table: str) -> TableSchema:
    """The schema of `table` for a command other than the check: one that cannot be read (a link,
    a file that is no table schema, a field the check refuses) refuses the command with the
    reason, as claims check reports it, where it was an internal error."""
    path = layout.schema(table)
    try:
        return load_schema(path)
    except SchemaFileError as exc:
        raise UsageError(f"{layout.rel(path)}: {exc}: restore it from the repository's schema/ folder") from exc


def columns_to_write(layout: Layout, table: str) -> list[str]:
    """The columns of `table` for a command that writes rows of it (see schema_for_command)."""
    return schema_for_command(layout, table).names


def load_schema(path: Path, depth: int = 2) -> TableSchema:
    """Read and check one Table Schema file (schema/<table>.schema.json: `depth` parts inside the
    root, none of which may be a link)."""
    try:
        data = read_json(path, depth)
    except JsonFileError as exc:
        raise SchemaFileError(f"the schema file: {exc}" if not exc.missing else "the schema file is missing") from exc
    try:
        schema = TableSchema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "extra_forbidden":
            raise SchemaFileError(
                f"not a table schema this toolkit can use: {where}: a property the check does not read, which "
                "could have the published package read otherwise than the check read it (or refused where "
                "the check passed): remove it"
            ) from exc
        raise SchemaFileError(f"not a table schema this toolkit can use: {where}: {first['msg']}") from exc
    names = schema.names
    if len(set(names)) != len(names):
        raise SchemaFileError("two fields share a name")
    if len({name.lower() for name in names}) != len(names):
        # The database's column names ignore case: NOTE and note would be one column.
        raise SchemaFileError("two fields share a name but for its case (the database's names ignore case)")
    for name in names:
        if not name.isprintable():
            # A control character (a NUL, a line break) in a column name breaks the CSV reader
            # and every message that names the column.
            raise SchemaFileError(f"field {name!r}: a field name may not hold control or invisible characters")
        if re.match(FORMULA_START, name):
            # The header row is data a spreadsheet opens too (the zip, claims sql --format csv):
            # the formula rule of every cell holds for the names the schema adds.
            raise SchemaFileError(
                f"field {name!r}: a field name may not begin like a spreadsheet formula (=, +, -, @, a tab or a CR)"
            )
        if name.startswith("_"):
            # The check adds columns of its own beside the table's, all named with a leading "_".
            raise SchemaFileError(f"field {name!r}: a field name may not begin with '_' (the check's own columns do)")
    for f in schema.fields:
        problem = None if f.constraints.pattern is None else _pattern_problem(f.constraints.pattern)
        if problem is not None:
            raise SchemaFileError(f"field {f.name!r}: pattern {f.constraints.pattern!r} {problem}")
    for key in [*schema.primary_key, *(k for fk in schema.foreign_keys for k in fk.fields)]:
        if key not in names:
            raise SchemaFileError(f"key field {key!r} is not a field of the schema")
    # What Frictionless's own reading refuses (an `example` the field's type does not hold, a
    # `jsonSchema` constraint on a string): CI's `frictionless validate` would fail where the
    # check passed. Asked last, of a schema that holds no address (its foreign keys are checked).
    from frictionless import Schema  # here: it costs its import only where a schema is read

    try:
        errors = list(Schema.metadata_validate(data))
    except Exception as exc:  # a schema Frictionless cannot even read: no reading of its to rely on
        raise SchemaFileError(f"not a table schema Frictionless reads ({type(exc).__name__})") from exc
    if errors:
        raise SchemaFileError(f"not a table schema Frictionless reads: {errors[0].message}")
    return schema


# Escapes whose sets differ between the two engines (Python's \s holds \x1c-\x1f, its \w and \b
# follow str.isalnum, Rust's follow Unicode's word properties), and inline flags (case folding
# differs at the edges): a pattern with one is refused, with the characters to write instead.
# Also Rust's word boundaries \< and \> (literal < and > in Python), and a quantifier followed by
# + (possessive in Python 3.11, a repeat of the repeat in Rust: a*+a takes "aa" in Rust only).
_NOT_PORTABLE = re.compile(r"\\[dDsSwWbB<>]|\(\?[aiLmsux-]|(?:(?<!\\)[*+?]|\})\+")


def _pattern_problem(pattern: str) -> str | None:
    """Why a schema's pattern is refused, or None. The rules run it in polars (Rust's regex);
    CI's `frictionless validate` runs it in Python's re as `^pattern$`: it must compile in both
    and mean the same in both, or a cell could check valid and fail there."""
    try:
        pl.select(pl.lit("").str.contains(f"^(?:{pattern})$"))
    except pl.exceptions.PolarsError:
        return "is not a regular expression"
    try:
        with warnings.catch_warnings():
            # "Possible nested set" and the like: [[:alpha:]] is a class in Rust, a set of
            # characters then a "]" in Python.
            warnings.simplefilter("error")
            re.compile(f"^{pattern}$")
    except (re.error, Warning) as exc:
        return (
            f"is read otherwise or not at all by Frictionless (Python's re: {exc}): write it in the syntax both share"
        )
    size = _positions(sre_parser.parse(pattern))
    if size > MAX_PATTERN_POSITIONS:
        return (
            f"has {size} positions once its counted repeats are written out ([0-9]{{64}} is 64), more than the "
            f"{MAX_PATTERN_POSITIONS} a pattern may have: the check's cost on every cell grows with it; write a shorter one"
        )
    bare = _unescaped_backslashes(pattern)
    if _class_holds_bracket(bare):
        return (
            "has a '[' inside a character class, a nested class in the check (Rust's regex) and a "
            "character in Frictionless (Python's re): escape it as \\[ or write the classes apart"
        )
    odd = _NOT_PORTABLE.search(bare)
    if odd is not None:
        return (
            f"uses {odd.group()!r}, which the check (Rust's regex) and Frictionless (Python's re) read "
            "differently: write the characters out ([0-9] for \\d, [ \\t\\n\\r] for \\s, [A-Za-z0-9_] for \\w) "
            "and the cases too ([Aa] for (?i)a)"
        )
    return None


# How large a pattern may be, in positions once its counted repeats are written out (the states
# of the automaton Rust's regex runs, whose cost per character grows with them): [ab]*a[ab]{300}
# took 1 s per MB of cells, 16 such alternatives 74 s on 1,000 claims. The repository's largest
# pattern (relations' operands) has 129.
MAX_PATTERN_POSITIONS = 200


def _positions(items: Any) -> int:
    """The size of a parsed pattern with each counted repeat written out: a{3} is 3, a{2,} and a* 3 and 1
    (the repeat once more than its least), a group or alternative the sum of its parts, any other
    item (a character, a class, an anchor) 1."""
    total = 0
    for op, av in items:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            least, most, body = av
            total += _positions(body) * (least + 1 if most == sre_constants.MAXREPEAT else most)
        elif op is sre_constants.SUBPATTERN:
            total += _positions(av[3])
        elif op is sre_constants.BRANCH:
            total += sum(_positions(branch) for branch in av[1])
        elif op is sre_constants.ATOMIC_GROUP:
            total += _positions(av)
        else:
            total += 1
    return total


def _class_holds_bracket(pattern: str) -> bool:
    """Whether an unescaped '[' stands inside a character class (Python warns only of one at the
    class's start: [^[~]] is "not ~" in Rust, "not [ or ~, then ]" in Python)."""
    inside, i = False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if not inside and ch == "[":
            inside = True
            i += 1
            # A ] first (after an optional ^) is a member, not the end.
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                i += 1
            continue
        if inside and ch == "[":
            return True
        if inside and ch == "]":
            inside = False
        i += 1
    return False


def _unescaped_backslashes(pattern: str) -> str:
    """`pattern` with each escaped backslash (\\\\) blanked, so that \\\\d is not read as \\d."""
    return pattern.replace("\\\\", "  ")
