"""Every rule of the contract, one fault at a time: the exact findings each fault produces.

Each case names one fault. Most are files in tests/fixtures/faults/<name>/ laid over the base
fixture, with the exact findings in the folder's expected.csv, or, in a folder named after its
code without one, findings of that code alone (a case here only when it needs more:
a part of the message, a known bug); faults that cannot be stored as files (a missing file, a folder where a file belongs, a
non-UTF-8 byte, a symlink out of seeds/, a seed longer than a fixture should be) are made at run
time on the temporary copy. Rows are numbered as in Frictionless: the header is row 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from roots import (
    CLAIMS,
    EXCLUSIONS,
    EXPECTED,
    FAULTS,
    FIXTURES,
    REPO,
    SCHEMA,
    SOURCES,
    STATISTICS,
    TESTS,
    Location,
    add_row,
    get_cell,
    locations,
    read_rows,
    replace_seed,
    sentences_of_their_own,
    set_cell,
    tree_digest,
    write_rows,
)

import validate
from validate.paths import TABLES
from validate.reading import csv_file
from validate.reading.table_schema import load_schema
from validate.rules import claims as claim_rules
from validate.rules import exclusions as exclusion_rules
from validate.rules import relations as relation_rules
from validate.rules import sources as source_rules
from validate.rules import statistics as statistic_rules
from validate.rules.claims_per_statistic import MAX_CLAIMS_PER_STATISTIC
from validate.rules.registry import CODES
from validate.rules.rule import Rule
from validate.rules.schema_rules import schema_rules
from validate.text import cuts

# --- faults made at run time ---------------------------------------------------------------

LONG_PASSAGE = "The report counted tens of thousands of released detainees over three years. " + " ".join(
    f"Sentence {i} of the long account adds one more detail." for i in range(50)
)


def _missing_claims(root: Path) -> None:
    (root / CLAIMS).unlink()


def _claims_is_a_folder(root: Path) -> None:
    (root / CLAIMS).unlink()
    (root / CLAIMS).mkdir()


def _claims_is_a_fifo(root: Path) -> None:
    # Reading would block until something writes to the FIFO.
    (root / CLAIMS).unlink()
    os.mkfifo(root / CLAIMS)


def _stray_files(root: Path) -> None:
    # Never read, but never reported either: a link to a system file beside the tables, and a
    # folder and a file beside the schemas.
    (root / "datasets" / "passwd.csv").symlink_to("/etc/passwd")
    (root / "schema" / "old").mkdir()
    (root / "schema" / "extra.schema.json").write_text("{}", encoding="utf-8")


def _bad_byte_in_claims(root: Path) -> None:
    path = root / CLAIMS
    data = path.read_bytes()
    assert data.count(b"The blog calls") == 1
    path.write_bytes(data.replace(b"The blog calls", b"The blog \xff calls"))  # row 7, physical line 8


def _mixed_line_ends(root: Path) -> None:
    # \r\n after each record as Windows saves it (the quoted two-line note keeps its \n), but
    # row 4 ends with \n: one file, two kinds of line end.
    path = root / CLAIMS
    buf = io.StringIO()
    for number, row in enumerate(read_rows(path), start=1):
        csv.writer(buf, lineterminator="\n" if number == 4 else "\r\n").writerow(row)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _bare_cr_line_end(root: Path) -> None:
    path = root / CLAIMS
    data = path.read_bytes()
    end = b"the sheriff\xe2\x80\x99s office,explicit,,Arrests,same,,\n"
    assert data.count(end) == 1
    path.write_bytes(data.replace(end, end[:-1] + b"\r"))  # row 5 ends with a bare \r


def _text_after_closing_quote(root: Path) -> None:
    # Every reader but DuckDB's takes row 6's quote for the words it had: only the quoting is wrong.
    path = root / CLAIMS
    data = path.read_bytes()
    quote = b",The report counted tens of thousands of released detainees over three years.,"
    assert data.count(quote) == 1
    path.write_bytes(
        data.replace(quote, b',"The report counted tens of thousands" of released detainees over three years.,')
    )


def _quote_never_closed(root: Path) -> None:
    # Row 7's counted_as opens a quote that runs to the end of the file.
    path = root / CLAIMS
    data = path.read_bytes()
    assert data.count(b",requests,differs,") == 1
    path.write_bytes(data.replace(b",requests,differs,", b',"requests,differs,'))


def _fullwidth_digits_in_seed(root: Path) -> None:
    # The county report prints １,２３４ in fullwidth digits; claims row 2 still quotes ASCII 1,234,
    # which matches only once normalising has folded the source's digits.
    data = (root / "seeds/county-report.txt").read_bytes()
    assert data.count(b"1,234") == 1
    replace_seed(root, "county-report.txt", data.replace(b"1,234", "\uff11,\uff12\uff13\uff14".encode()))


def _seeds_converted_on_checkout(root: Path) -> None:
    # The repository's lines, and one more that has git check the seeds out with CRLF line ends.
    (root / ".gitattributes").write_text("seeds/** -text\ndatasets/*.csv -text\nseeds/*.txt text eol=crlf\n")


def _one_text_archived_twice(root: Path) -> None:
    # The county report's bytes again, as another outlet's: one text would count as two sources.
    rows = read_rows(root / SOURCES)
    header, first = rows[0], rows[1]
    shutil.copyfile(root / "seeds" / first[header.index("file")], root / "seeds" / "copy.txt")
    add_row(root, SOURCES, source_id="copy", file="copy.txt", sha256=first[header.index("sha256")],
            title="Copy", publisher="Other", kind="news")  # fmt: skip


def _bad_byte_in_seed(root: Path) -> None:
    data = (root / "seeds/blog-post.txt").read_bytes()
    assert "\u2019".encode() in data
    replace_seed(root, "blog-post.txt", data.replace("\u2019".encode(), b"\x92"))  # cp1252 apostrophe


def _quote_too_long(root: Path) -> None:
    assert len(LONG_PASSAGE) > 2000
    seed = (root / "seeds/blog-post.txt").read_bytes()
    replace_seed(root, "blog-post.txt", seed + (LONG_PASSAGE + "\n").encode())
    set_cell(root, CLAIMS, 6, "quote", LONG_PASSAGE)  # still in the source, still holds value_text


def _claim_without_ids(root: Path) -> None:
    set_cell(root, CLAIMS, 3, "source_id", "")
    set_cell(root, CLAIMS, 3, "statistic_id", "")


def _extra_source(root: Path, file: str, sha256: str = "0" * 64) -> None:
    add_row(
        root,
        SOURCES,
        source_id="extra-source",
        file=file,
        sha256=sha256,
        title="Extra",
        publisher="Nobody",
        kind="other",
    )


def _symlink_out_of_seeds(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_bytes(b"A text outside the dataset root.\n")
    os.symlink(outside, root / "seeds/link.txt")
    _extra_source(root, "link.txt", hashlib.sha256(outside.read_bytes()).hexdigest())


def _link_to_a_listed_seed(root: Path) -> None:
    # A second name for a seed: a link inside seeds/ (other spellings of one name are refused).
    os.symlink("county-report.txt", root / "seeds/again.txt")
    # Its hash is another's (a link is never read): the same bytes' hash twice is a unique-error.
    _extra_source(root, "again.txt", hashlib.sha256(b"another text").hexdigest())


def _unlisted_link_out_of_seeds(root: Path) -> None:
    # Listed by no source: still no text to add a source for, but a link to remove.
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_bytes(b"A text outside the dataset root.\n")
    os.symlink(outside, root / "seeds/link.txt")


def _fullwidth_value_text(root: Path) -> None:
    # Fullwidth digits: NFKC makes them 1,234, so the value_text is still found in its quote.
    set_cell(root, CLAIMS, 2, "value_text", "\uff11,\uff12\uff13\uff14")


def _formula_file_name(root: Path) -> None:
    (root / "seeds/=2+5.txt").write_bytes(b"A text.\n")
    _extra_source(root, "=2+5.txt", hashlib.sha256(b"A text.\n").hexdigest())


def _spelled(file: str) -> Callable[[Path], None]:
    """A new seed x.txt, listed under another spelling of its name."""

    def make(root: Path) -> None:
        (root / "seeds/x.txt").write_bytes(b"A text.\n")
        _extra_source(root, file, hashlib.sha256(b"A text.\n").hexdigest())

    return make


def _folder_in_seeds(root: Path) -> None:
    (root / "seeds/folder").mkdir()
    _extra_source(root, "folder")


def _fifo_in_seeds(root: Path) -> None:
    # A pull request cannot commit a FIFO, but a local root can hold one: reading must not block.
    os.mkfifo(root / "seeds/pipe")
    _extra_source(root, "pipe")


def _link_loop_in_seeds(root: Path) -> None:
    (root / "seeds/loop").symlink_to("loop")
    _extra_source(root, "loop")


def _schema_file_missing(root: Path) -> None:
    (root / "schema/statistics.schema.json").unlink()


def _schema_deeply_nested(root: Path) -> None:
    # json's decoder recurses per level: this exhausts Python's stack (a RecursionError).
    (root / "schema/claims.schema.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _schema_is_a_fifo(root: Path) -> None:
    (root / "schema/claims.schema.json").unlink()
    os.mkfifo(root / "schema/claims.schema.json")


def _schema_field_named_like_a_derived_column(root: Path) -> None:
    # The check's own columns begin with "_" (_text, _unit, ...): a field of that name clashed.
    path = root / "schema/claims.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "_text", "type": "string"})
    path.write_text(json.dumps(schema), encoding="utf-8")


def _schema_constraint(field: str, **constraint: object) -> Callable[[Path], None]:
    """claims' schema with one more constraint on `field`."""

    def make(root: Path) -> None:
        path = root / "schema/claims.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        for f in schema["fields"]:
            if f["name"] == field:
                f.setdefault("constraints", {}).update(constraint)
        path.write_text(json.dumps(schema), encoding="utf-8")  # json writes NaN, and reads it back

    return make


def _foreign_key_to(resource: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / "schema/claims.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["foreignKeys"][0]["reference"]["resource"] = resource
        path.write_text(json.dumps(schema), encoding="utf-8")

    return make


def _descriptor_names(path: str) -> Callable[[Path], None]:
    """datapackage.json with one more resource, at `path`."""

    def make(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["resources"].append({"name": "extra", "path": path})
        (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    return make


def _schema_property(field: str | None, **properties: object) -> Callable[[Path], None]:
    """claims' schema with more properties on `field` (None: on the schema itself)."""

    def make(root: Path) -> None:
        path = root / "schema/claims.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        target = schema if field is None else next(f for f in schema["fields"] if f["name"] == field)
        target.update(properties)
        path.write_text(json.dumps(schema), encoding="utf-8")

    return make


def _descriptor_top(extra_resource: object = None, **fields: object) -> Callable[[Path], None]:
    """datapackage.json with top-level `fields` set, and `extra_resource` appended to its resources."""

    def make(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor.update(fields)
        if extra_resource is not None:
            descriptor["resources"].append(extra_resource)
        (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    return make


def _descriptor_twice(table: str) -> Callable[[Path], None]:
    """datapackage.json with the resource of `table` listed twice."""

    def make(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["resources"] += [r for r in descriptor["resources"] if r["name"] == table]
        (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    return make


def _descriptor_resource(table: str, **fields: object) -> Callable[[Path], None]:
    """datapackage.json with the resource of `table` changed (None for a key: drop it)."""

    def make(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            if resource["name"] == table:
                resource.update(fields)
        (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    return make


def _descriptor_missing(root: Path) -> None:
    (root / "datapackage.json").unlink()


def _descriptor_linked_outside(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside.json"
    outside.write_text('{"name": "secret-name", "resources": []}', encoding="utf-8")
    (root / "datapackage.json").unlink()
    (root / "datapackage.json").symlink_to(outside)


def _schema_lacks_note(root: Path) -> None:
    # The contract requires claims.note; a schema (and a CSV) without it cannot run its rules.
    path = root / "schema/claims.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "note"]
    path.write_text(json.dumps(schema), encoding="utf-8")
    rows = read_rows(root / CLAIMS)
    assert rows[0][-1] == "note"
    write_rows(root / CLAIMS, [r[:-1] for r in rows])


def _schema_key(*columns: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / "schema/claims.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["primaryKey"] = list(columns)
        path.write_text(json.dumps(schema), encoding="utf-8")

    return make


RELATIONS = "datasets/relations.csv"
Edit = tuple[str, int, str, str]


def _edits(*edits: Edit, rows: tuple[tuple[str, dict[str, str]], ...] = ()) -> Callable[[Path], None]:
    """A fault made of cell edits (table, row, column, value) and appended rows (table, cells)."""

    def make(root: Path) -> None:
        for table, row, column, value in edits:
            set_cell(root, table, row, column, value)
        for table, cells in rows:
            add_row(root, table, **cells)

    return make


def _relation(relation: str, statistic_id: str, operands: str, note: str = "") -> tuple[str, dict[str, str]]:
    cells = {
        "relation_id": "r1",
        "relation": relation,
        "statistic_id": statistic_id,
        "operands": operands,
        "note": note,
    }
    return (RELATIONS, cells)


# A complete primary reading of detainers-declined-2019 (statistics row 2), equal to the
# reading of claim county-declined-1234 (claims row 2).
_PRIMARY: tuple[Edit, ...] = (
    (STATISTICS, 2, "primary_value", "1234"),
    (STATISTICS, 2, "primary_qualifier", "exact"),
    (STATISTICS, 2, "primary_period_start", "2019"),
    (STATISTICS, 2, "primary_period_end", "2019"),
    (STATISTICS, 2, "primary_locator", "County jail report, page 2"),
)


# --- the cases ------------------------------------------------------------------------------

C, S, ST, R, E = CLAIMS, SOURCES, STATISTICS, RELATIONS, EXCLUSIONS


@dataclass(frozen=True)
class Case:
    name: str
    expected: list[Location]
    make: Callable[[Path], None] | None = None  # None: the fault is faults/<name>/
    says: str | None = None  # a part of the (single) finding's message
    bug: str | None = None
    # A folder named after its code, without expected.csv: its findings are all of that code.
    only: str | None = None


CASES = [
    # structure of the CSV files
    Case("missing-file", [(C, None, None, "missing-file")], _missing_claims),
    Case(
        "stray-file",
        [("datasets", None, None, "stray-file"), ("schema", None, None, "stray-file")],
        _stray_files,
        says="passwd.csv (a link)",
    ),
    Case("source-error", [(C, None, None, "source-error")], _claims_is_a_folder, says="not a regular file"),
    Case("source-error-fifo", [(C, None, None, "source-error")], _claims_is_a_fifo, says="not a regular file"),
    Case("encoding-error", [(C, 7, "note", "encoding-error")], _bad_byte_in_claims),
    # the contract's dialect ends lines with \n: one finding per file, at the first other line end
    Case("line-ending", [(C, 4, None, "line-ending")], _mixed_line_ends, says="where row 1 ends with a CRLF"),
    Case("line-ending-cr", [(C, 5, None, "line-ending")], _bare_cr_line_end, says="bare CR"),
    # a quote's digits are the source's as printed, before normalising folds ６ or ² into 6 or 2
    Case(
        "quote-not-in-source-fullwidth",
        [(C, 2, "quote", "quote-not-in-source")],
        _fullwidth_digits_in_seed,
        says="which it prints otherwise: 'il declined \uff11,\uff12\uff13\uff14 detaine'",
    ),
    # one archived text is one source
    Case(
        "unique-error-sha256",
        [(S, 4, "sha256", "unique-error")],
        _one_text_archived_twice,
        says="one text counted as two sources (a syndicated article is one source; name the other outlets in note)",
    ),
    # git must check the seeds and CSVs out as they were archived
    Case(
        "git-attributes",
        [(".gitattributes", None, None, "git-attributes")],
        _seeds_converted_on_checkout,
        says="line 3 ('seeds/*.txt text eol=crlf') sets 'text', 'eol=crlf'",
    ),
    # a quoted cell ends at its closing quote; the row's cells wait for its quoting to be fixed
    Case("quote-error", [(C, 6, "quote", "quote-error")], _text_after_closing_quote, says="after its closing quote"),
    Case("quote-error-unclosed", [(C, 7, "counted_as", "quote-error")], _quote_never_closed, says="never closed"),
    # a missing required cell is a missing-cell, not also an empty required value
    Case(
        "missing-cell-required",
        [(C, 6, "differs_in", "missing-cell"), (C, 6, "meaning", "missing-cell"), (C, 6, "note", "missing-cell")],
    ),
    # the schema files
    Case(
        "schema-error-missing-file",
        [("schema/statistics.schema.json", None, None, "schema-error")],
        _schema_file_missing,
    ),
    Case(
        "schema-error-nested",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_deeply_nested,
        says="nested too deeply",
    ),
    Case(
        "schema-error-fifo",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_is_a_fifo,
        says="not a regular file",
    ),
    Case(
        "schema-error-underscore",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_field_named_like_a_derived_column,
        says="may not begin with '_'",
    ),
    # a minimum every value is "below" (NaN), an enum that allows nothing
    Case(
        "schema-error-nan-minimum",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("value", minimum=float("nan")),
        says="NaN is not a JSON number",
    ),
    # a length no column can have, a number no reader holds, a key that names a column twice
    Case(
        "schema-error-huge-length",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("note", maxLength=10**200),
        says="maxLength",
    ),
    Case(
        "schema-error-huge-number",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("note", maxLength=10**400),
        says="an integer of 401 digits",
    ),
    Case(
        "schema-error-key-twice",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_key("claim_id", "claim_id"),
        says="more than once",
    ),
    Case(
        "schema-error-empty-enum",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("qualifier", enum=[]),
        says="at least 1 item",
    ),
    Case(
        "schema-error-foreign-key",
        # The key the schema declares instead, and the contract's key it no longer declares.
        [("schema/claims.schema.json", None, None, "schema-error")] * 2,
        _foreign_key_to("nowhere"),
        says="foreign key (source_id) to nowhere (source_id), which the contract does not",
    ),
    Case(
        "schema-error-foreign-key-fields",
        [("schema/claims.schema.json", None, None, "schema-error")] * 2,
        _foreign_key_to("statistics"),
        says="declares a foreign key (source_id) to statistics (source_id), which the contract does not",
    ),
    # datapackage.json: what claims build would refuse, said by the check
    Case(
        "package-error",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_names(".git/config"),
        says="holds only files under datasets/ and schema/",
    ),
    Case(
        "package-error-no-file",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_names("datasets/notes.csv"),
        says="not a file inside the dataset root",
    ),
    Case(
        "package-error-wrong-schema",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_resource("claims", schema="schema/sources.schema.json"),
        says="they must be 'datasets/claims.csv' and 'schema/claims.schema.json'",
    ),
    Case(
        "package-error-no-resource",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_resource("statistics", name="stats"),
        says="no resource named 'statistics'",
    ),
    Case(
        "package-error-remote-path",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_resource("claims", path="https://x.example/claims.csv"),
        says="never an address to fetch",
    ),
    # What Frictionless's own reading refuses, which CI's frictionless validate would fail on
    *(
        Case(
            f"package-error-frictionless-{key}",
            [("datapackage.json", None, None, "package-error")],
            _descriptor_top(**{key: value}),
            says=says,
        )
        for key, value, says in (
            ("name", "Sanctuary-Claims", "is not a data package Frictionless reads: 'Sanctuary-Claims' does not match"),
            ("created", "yesterday", 'property "created" is not valid "datetime"'),
            ("keywords", "x", "'x' is not of type 'array'"),
            ("licenses", [{"title": "x"}], 'license requires "path" or "name"'),
            ("contributors", [{"title": "x", "email": "not-an-email"}], '"contributors[].email" is not valid "email"'),
            ("missingValues", ["NA"], '"missingValues" should be set as "resource.schema.missingValues"'),
        )
    ),
    Case(
        "schema-error-frictionless-json-schema",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("note", jsonSchema={"type": "string"}),
        says="fields.17.constraints.jsonSchema: a property the check does not read",
    ),
    # Properties that change how Frictionless reads a cell, or add a rule the check does not run:
    # "groupChar": "0" had every reader of the published package take 2370000 for 237.
    *(
        Case(
            f"schema-error-property-{key}",
            [("schema/claims.schema.json", None, None, "schema-error")],
            _schema_property(field, **{key: value}),
            says=f"{where}: a property the check does not read, which could have the published package read otherwise",
        )
        for field, key, value, where in (
            ("value", "groupChar", "0", "fields.5.groupChar"),
            ("value", "decimalChar", ",", "fields.5.decimalChar"),
            ("value", "bareNumber", False, "fields.5.bareNumber"),
            ("value", "missingValues", ["", "675"], "fields.5.missingValues"),
            (None, "uniqueKeys", [["claim_id"]], "uniqueKeys"),
            (None, "fieldsMatch", "partial", "fieldsMatch"),
        )
    ),
    Case(
        "schema-error-property-format",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_property("note", format="email"),
        says="fields.17.format: Input should be 'default'",
    ),
    Case(
        "schema-error-property-exclusive-minimum",
        [("schema/claims.schema.json", None, None, "schema-error")],
        _schema_constraint("value", exclusiveMinimum=0),
        says="fields.5.constraints.exclusiveMinimum: a property the check does not read",
    ),
    Case(
        "package-error-version-line-break",
        # The pattern's $ took "2.0.0\n", and the build wrote a file name ending in a line break.
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(version="2.0.0\n"),
        says="not '2.0.0\\n'",
    ),
    Case(
        "package-error-long-name",
        # A zip name past what a file system takes stopped the build (an internal error).
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(name="x" * 300),
        says="a file name of 310 characters",
    ),
    Case(
        "package-error-file-url",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_names("file:///etc/passwd"),
        says="never an address to fetch",
    ),
    Case(
        "package-error-unchecked-resource",
        # A CSV of the root that the check never reads would be published beside the tables.
        [("datapackage.json", None, None, "package-error")],
        _descriptor_names("datasets/claims.csv"),
        says="resource named 'extra', which is not one of the dataset's tables",
    ),
    Case(
        "package-error-twice",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_twice("claims"),
        says="two resources named 'claims'",
    ),
    Case(
        "package-error-dialect",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_resource("claims", dialect={"delimiter": ";"}),
        says="has 'dialect', which would make a reader of the package read it otherwise",
    ),
    Case(
        "package-error-encoding",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_resource("sources", encoding="latin-1"),
        says="has encoding 'latin-1': it must be 'utf-8'",
    ),
    Case(
        "package-error-profile-url",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(profile="http://127.0.0.1:8765/profile.json"),
        says="it must be one of tabular-data-package, data-package",
    ),
    Case(
        "package-error-profiles-url",
        # Frictionless 5 reads "profiles" as profiles to fetch.
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(profiles=["http://127.0.0.1:9/evil-profile.json"]),
        says="has 'profiles', which a reader of the package would fetch",
    ),
    Case(
        "package-error-name-not-text",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(extra_resource={"name": ["claims"], "path": "datasets/claims.csv"}),
        says="a resource whose name is missing or not text",
    ),
    Case(
        "package-error-resource-not-an-object",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_top(extra_resource="http://127.0.0.1:8765/resource.json"),
        says="resources must be a list of objects",
    ),
    Case(
        "package-error-missing",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_missing,
        says="datapackage.json is missing",
    ),
    Case(
        "package-error-link",
        [("datapackage.json", None, None, "package-error")],
        _descriptor_linked_outside,
        says="leads outside the dataset root",
    ),
    Case(
        "schema-error-undeclared-column",
        [("schema/claims.schema.json", None, "note", "schema-error")],
        _schema_lacks_note,
    ),
    # the schemas' constraints
    Case("type-error", [(C, 3, "value", "type-error")], says="is not a number"),
    # Frictionless's number takes these; the contract's plain number does not
    Case("type-error-plus", [(C, 4, "value", "type-error")], says="without '+', exponent"),
    Case("type-error-exponent", [(C, 7, "value", "type-error")], says="without '+', exponent"),
    Case(
        "type-error-too-many-digits",
        [(ST, 2, "primary_value", "type-error")],
        _edits(
            (ST, 2, "primary_value", "9" * 400),
            (ST, 2, "primary_qualifier", "exact"),
            (ST, 2, "primary_locator", "p. 2"),
        ),
        says="more digits than a number can hold",
    ),
    Case(
        # An integer column's bound is the 64-bit one alone: a double's (1e300) is past it, and
        # its finding, worded for numbers, came beside the integer's.
        "type-error-integer-too-many-digits",
        # (the number it excluded is then excluded by none)
        [(E, 2, "occurrence", "type-error"), ("seeds/county-report.txt", None, None, "number-not-accounted")],
        _edits((E, 2, "occurrence", "9" * 5000)),
        says="beyond the integers the dataset holds",
    ),
    Case(
        "type-error-number-range",
        # 1.7e307 fits a double, but its interval of order_of_magnitude (ten times it) did not:
        # the views gave NaN and a wrong verdict.
        [(ST, 2, "primary_value", "type-error")],
        _edits(
            (ST, 2, "primary_value", "17" + "0" * 306),
            (ST, 2, "primary_qualifier", "order_of_magnitude"),
            (ST, 2, "primary_locator", "p. 2"),
        ),
        says="(at most 1e+300, so that its interval is a number too)",
    ),
    Case("constraint-error-required", [(S, 3, "title", "constraint-error")], says="is required"),
    Case("constraint-error-enum", [(S, 3, "kind", "constraint-error")], says="not one of the allowed values"),
    Case("constraint-error-pattern", [(C, 5, "claim_id", "constraint-error")], says="does not match the pattern"),
    Case("constraint-error-min-length", [(ST, 6, "description", "constraint-error")], says="shorter than 10"),
    Case(
        "constraint-error-max-length",
        [(C, 6, "quote", "constraint-error")],
        _quote_too_long,
        says="longer than the 2000",
    ),
    # an empty id is reported as required, not also as unknown (the statistic the claim cited
    # is then cited by none)
    Case(
        "constraint-error-required-ids",
        [
            (C, 3, "source_id", "constraint-error"),
            (C, 3, "statistic_id", "constraint-error"),
            (ST, 3, "statistic_id", "statistic-not-cited"),
        ],
        _claim_without_ids,
    ),
    # claims against their sources and statistics
    Case(
        "quote-not-in-source",
        [(C, 4, "quote", "quote-not-in-source")],
        says="Nearly a quarter of those held were released within a week.",
    ),
    Case("value-text-mismatch-qualifier", [(C, 2, "qualifier", "value-text-mismatch")], says="'exact'"),
    Case("formula-injection-file", [(S, 4, "file", "formula-injection")], _formula_file_name),
    # sources against seeds/
    Case("encoding-error-seed", [(S, 3, "file", "encoding-error")], _bad_byte_in_seed),
    Case("file-outside-seeds-symlink", [(S, 4, "file", "file-outside-seeds")], _symlink_out_of_seeds),
    Case(
        "file-outside-seeds-unlisted-link",
        [("seeds/link.txt", None, None, "file-outside-seeds")],
        _unlisted_link_out_of_seeds,
        says="remove it",
    ),
    # A second spelling of a seed's name: the package would hold it twice, or as a folder.
    Case(
        "file-outside-seeds-trailing-slash",
        [(S, None, "file", "seed-without-source"), (S, 4, "file", "file-outside-seeds")],
        _spelled("x.txt/"),
    ),
    Case(
        "file-outside-seeds-dot",
        [(S, None, "file", "seed-without-source"), (S, 4, "file", "file-outside-seeds")],
        _spelled("./x.txt"),
    ),
    Case("file-not-found-folder", [(S, 4, "file", "file-not-found")], _folder_in_seeds, says="not a regular file"),
    Case("file-not-found-fifo", [(S, 4, "file", "file-not-found")], _fifo_in_seeds, says="not a regular file"),
    Case("file-outside-seeds-link-loop", [(S, 4, "file", "file-outside-seeds")], _link_loop_in_seeds),
    # No link in seeds/ is followed, even to another seed: a second name for a seed is refused as
    # leading outside, one spelled the same is the schema's unique-error, and one that differs in
    # case or Unicode form is file-name-not-portable, so no rule of its own is needed for a seed
    # listed twice.
    Case("file-outside-seeds-link-to-a-seed", [(S, 4, "file", "file-outside-seeds")], _link_to_a_listed_seed),
    Case("non-ascii-digit", [(C, 2, "value_text", "non-ascii-digit")], _fullwidth_value_text),
    # contract version 2: where a period comes from, who is credited, how a meaning differs
    Case(
        "period-basis-missing",
        [(C, 2, "period_basis", "period-basis-missing")],
        _edits((C, 2, "period_basis", "")),
        says="say where the dates come from",
    ),
    Case(
        "period-basis-unused", [(C, 4, "period_basis", "period-basis-unused")], _edits((C, 4, "period_basis", "stated"))
    ),
    Case(
        "relative-period-unanchored",
        [(C, 2, "period_basis", "relative-period-unanchored")],
        _edits((C, 2, "period_basis", "relative"), (S, 2, "published", "")),
        says="set published",
    ),
    Case("attribution-missing", [(C, 3, "attribution", "attribution-missing")], _edits((C, 3, "attribution", ""))),
    Case(
        "attribution-unused", [(C, 4, "attribution", "attribution-unused")], _edits((C, 4, "attribution", "explicit"))
    ),
    Case("differs-in-missing", [(C, 7, "differs_in", "differs-in-missing")], _edits((C, 7, "differs_in", ""))),
    Case("differs-in-unused", [(C, 6, "differs_in", "differs-in-unused")], _edits((C, 6, "differs_in", "scope"))),
    Case(
        "differs-in-repeated",
        [(C, 7, "differs_in", "differs-in-repeated")],
        _edits((C, 7, "differs_in", "entity;scope;entity")),
    ),
    Case(
        "constraint-error-differs-in",
        [(C, 7, "differs_in", "constraint-error")],
        _edits((C, 7, "differs_in", "people")),
        says="does not match the pattern",
    ),
    Case(
        "constraint-error-duration",
        [(C, 6, "duration", "constraint-error")],
        _edits((C, 6, "duration", "3 years")),
        says="does not match the pattern",
    ),
    Case(
        "constraint-error-duration-empty",
        [(C, 6, "duration", "constraint-error")],
        _edits((C, 6, "duration", "P")),
        says="does not match the pattern",
    ),
    Case("formula-injection-via", [(C, 3, "via", "formula-injection")], _edits((C, 3, "via", "@the wire"))),
    # the primary reading of a statistic
    Case(
        "primary-reading-incomplete",
        [
            (ST, 2, "primary_locator", "primary-reading-incomplete"),
            (ST, 2, "primary_qualifier", "primary-reading-incomplete"),
        ],
        _edits((ST, 2, "primary_value", "1234")),
    ),
    Case(
        "primary-reading-incomplete-no-value",
        [(ST, 3, "primary_locator", "primary-reading-incomplete")],
        _edits((ST, 3, "primary_locator", "page 4")),
        says="primary_value is empty",
    ),
    Case(
        "period-incomplete-primary",
        [(ST, 2, "primary_period_end", "period-incomplete")],
        _edits(*_PRIMARY, (ST, 2, "primary_period_end", "")),
    ),
    Case(
        "period-order-primary",
        [(ST, 2, "primary_period_start", "period-order")],
        _edits(*_PRIMARY, (ST, 2, "primary_period_start", "2020")),
    ),
    Case(
        "invalid-date-primary",
        [(ST, 2, "primary_period_end", "invalid-date")],
        _edits(*_PRIMARY, (ST, 2, "primary_period_end", "2019-13")),
    ),
    Case(
        "percent-out-of-range-primary",
        [(ST, 4, "primary_value", "percent-out-of-range")],
        _edits(
            (ST, 4, "primary_value", "120"), (ST, 4, "primary_qualifier", "exact"), (ST, 4, "primary_locator", "p. 1")
        ),
    ),
    Case(
        "foreign-key-primary-claim",
        [(ST, 2, "primary_claim_id", "foreign-key")],
        _edits(*_PRIMARY, (ST, 2, "primary_claim_id", "no-such-claim")),
    ),
    Case(
        "primary-claim-mismatch",
        [(ST, 2, "primary_claim_id", "primary-claim-mismatch")],
        _edits(*_PRIMARY, (ST, 2, "primary_claim_id", "county-declined-1234"), (ST, 2, "primary_value", "1235")),
        says="value '1234' against primary_value '1235'",
    ),
    Case(
        "primary-claim-mismatch-statistic",
        [(ST, 2, "primary_claim_id", "primary-claim-mismatch")],
        _edits(*_PRIMARY, (ST, 2, "primary_claim_id", "county-docket-2-4m")),
        says="is a claim of statistic 'docket-2017-06'",
    ),
    # relations
    Case(
        "foreign-key-relation-statistic",
        [(R, 2, "statistic_id", "foreign-key")],
        _edits(rows=(_relation("part_of", "no-such-statistic", "docket-2017-06"),)),
    ),
    Case(
        "foreign-key-relation-operand",
        [(R, 2, "operands", "foreign-key")],
        _edits(rows=(_relation("sum", "docket-2017-06", "released-detainees;no-such-statistic"),)),
        says="operands name no-such-statistic",
    ),
    Case(
        "relation-operands",
        [(R, 2, "operands", "relation-operands")],
        _edits(rows=(_relation("part_of", "released-detainees", "docket-2017-06;detainers-declined-2019"),)),
        says="exactly one operand",
    ),
    Case(
        "relation-operands-share",
        [(R, 2, "operands", "relation-operands")],
        _edits(rows=(_relation("share", "released-within-week-share", "released-detainees"),)),
        says="exactly two operands",
    ),
    Case(
        "relation-operands-sum",
        [(R, 2, "operands", "relation-operands")],
        _edits(rows=(_relation("sum", "docket-2017-06", "released-detainees"),)),
        says="two or more operands",
    ),
    Case(
        "relation-operands-repeated",
        [(R, 2, "operands", "relation-operands")],
        _edits(rows=(_relation("sum", "docket-2017-06", "released-detainees;released-detainees"),)),
        says="named once",
    ),
    Case(
        "relation-operands-itself",
        [(R, 2, "operands", "relation-operands")],
        _edits(rows=(_relation("part_of", "docket-2017-06", "docket-2017-06"),)),
        says="named once",
    ),
    Case(
        "relation-unit-share",
        [(R, 2, "statistic_id", "relation-unit")],
        _edits(rows=(_relation("share", "docket-2017-06", "released-detainees;detainers-declined-2019"),)),
        says="a share is a percent",
    ),
    Case(
        "relation-unit",
        [(R, 2, "statistic_id", "relation-unit")],
        _edits(rows=(_relation("part_of", "released-within-week-share", "docket-2017-06"),)),
        says="relate statistics of the same unit",
    ),
    Case(
        "constraint-error-relation",
        [(R, 2, "relation", "constraint-error")],
        _edits(rows=(_relation("ratio", "released-within-week-share", "released-detainees;docket-2017-06"),)),
    ),
    Case(
        "formula-injection-relation",
        [(R, 2, "note", "formula-injection")],
        _edits(rows=(_relation("part_of", "released-detainees", "docket-2017-06", "=1+1"),)),
    ),
    # a quote and a value_text stand as whole words and numbers (the folders of their codes hold
    # a quote that begins inside "The", "all" inside "called", "a quarter" after "Nearly")
    Case(
        "quote-cuts-word-number",
        [(C, 5, "quote", "quote-cuts-word")],
        _edits((C, 5, "quote", "Arrests rose 150% between 2015 and 201")),
        says="ends inside '2018' where it first stands in source 'county-report': quote whole words and numbers "
        "(here 'Arrests rose 150% between 2015 and 2018')",
    ),
    Case(
        "value-text-cuts-scale-word",
        [(C, 3, "value_text", "value-text-cuts-word"), ("seeds/county-report.txt", None, None, "number-not-accounted")],
        _edits((C, 3, "value_text", "About 2.4"), (C, 3, "value", "2.4")),
        says="ends inside '2.4 million' of the quote",
    ),
    # the coverage rule and exclusions.csv
    Case("number-not-accounted", [("seeds/blog-post.txt", None, None, "number-not-accounted")], says="'over three'"),
]


def _folder_cases() -> list[Case]:
    """The faults that are files alone: tests/fixtures/faults/<name>/ with the overlay and, in
    expected.csv, the exact findings (file, row, column, check; an empty row or column is none);
    or, for a folder named after a check code with no expected.csv, findings of that code only
    (at least one): a new code is its rule, its registry entry and the file it breaks."""
    out = []
    for folder in sorted(p for p in FAULTS.iterdir() if p.is_dir()):
        expected = folder / EXPECTED
        if not expected.is_file():
            if folder.name in CODES and all(case.name != folder.name for case in CASES):
                out.append(Case(folder.name, [], only=folder.name))
            continue
        with expected.open(encoding="utf-8", newline="") as f:
            found = [
                (r["file"], int(r["row"]) if r["row"] else None, r["column"] or None, r["check"])
                for r in csv.DictReader(f)
            ]
        out.append(Case(folder.name, found))
    return out


CASES += _folder_cases()
BY_NAME = {case.name: case for case in CASES}


def _params(cases: list[Case]) -> list[object]:
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=c.bug, strict=True)] if c.bug else []) for c in cases
    ]


def _build(case: Case, make_root: Callable[..., Path]) -> Path:
    root = make_root(None if case.make else case.name)
    if case.make:
        case.make(root)
    return root


@pytest.mark.parametrize("case", _params(CASES))
def test_fault_gives_exactly_its_findings(case: Case, make_root: Callable[..., Path]) -> None:
    root = _build(case, make_root)
    before = tree_digest(root)
    report = validate.check(root)
    assert tree_digest(root) == before, "check() changed its inputs"
    if case.only is not None:
        codes = {f.check for f in report}
        assert codes == {case.only}, f"faults/{case.name}/ must break {case.only} alone: {locations(report)}"
    else:
        assert locations(report) == case.expected
    if case.says is not None:
        assert case.says in report.findings[0].message


def test_every_fault_fixture_has_a_case_and_every_case_its_fixture() -> None:
    folders = {p.name for p in FAULTS.iterdir() if p.is_dir()}
    from_files = [c.name for c in CASES if c.make is None]
    twice = sorted({n for n in from_files if from_files.count(n) > 1})
    assert twice == [], f"faults with both an expected.csv and a Case in this file (keep one): {twice}"
    without_case = sorted(folders - set(from_files))
    assert without_case == [], (
        f"fault folders with neither {EXPECTED}, nor a check code's name, nor a Case here: {without_case}"
    )
    without_folder = sorted(set(from_files) - folders)
    assert without_folder == [], f"cases with no folder tests/fixtures/faults/<name>/: {without_folder}"


def _emittable_codes() -> set[str]:
    """Every check code the validator can emit: rule codes, and codes of findings made directly."""
    codes: set[str] = set()
    for module in (source_rules, statistic_rules, claim_rules, relation_rules, exclusion_rules):
        codes |= {rule.code for rule in module.rules()}
    for name in TABLES:
        codes |= {rule.code for rule in schema_rules(load_schema(SCHEMA / f"{name}.schema.json"))}
    for path in Path(validate.__file__).parent.rglob("*.py"):
        codes |= set(re.findall(r'(?:check=|known\()"([a-z][a-z0-9-]*)"', path.read_text(encoding="utf-8")))
    return codes


def test_every_check_code_has_a_case() -> None:
    covered = {loc[3] for case in CASES for loc in case.expected} | {case.only for case in CASES if case.only}
    # Faults built at run time in the hostile-input tests (a FIFO, a flood of rows, a name that
    # Windows refuses) have their cases there.
    for path in sorted(TESTS.rglob("test_hostile_*.py")):
        text = path.read_text(encoding="utf-8").replace("MORE_FINDINGS", '"more-findings"')
        covered |= set(re.findall(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"', text)) & set(CODES)
    emittable = _emittable_codes()
    assert {"blank-header", "foreign-key", "quote-not-in-source", "formula-injection"} <= emittable  # the scan works
    missing = sorted(emittable - covered)
    assert not missing, (
        f"no fixture breaks {missing}: add tests/fixtures/faults/<code>/ holding the base files that differ "
        "(docs/rules.md, 'Adding a rule', step 3)"
    )


def test_every_emitted_code_is_registered_and_every_registered_code_is_emitted() -> None:
    emittable = _emittable_codes()
    unregistered, unused = sorted(emittable - set(CODES)), sorted(set(CODES) - emittable)
    assert not unregistered, f"{unregistered} emitted but not declared: add a CheckCode to validate/rules/registry.py"
    assert not unused, f"{unused} declared but never emitted: remove it from validate/rules/registry.py, or emit it"


def test_a_rule_with_an_unregistered_code_is_refused_where_it_is_made() -> None:
    with pytest.raises(ValueError, match="not declared"):
        Rule("no-such-code", "quote", pl.lit(True), lambda r: "")


# --- whole datasets --------------------------------------------------------------------------


def test_base_fixture_is_valid(make_root: Callable[..., Path]) -> None:
    report = validate.check(make_root())
    assert locations(report) == []
    assert report.valid


@pytest.mark.live
def test_real_repository_is_valid() -> None:
    assert [f.public() for f in validate.check(REPO)] == []


def test_utf8_bom_is_accepted(make_root: Callable[..., Path]) -> None:
    root = make_root()
    for table in (CLAIMS, SOURCES, STATISTICS):
        path = root / table
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert locations(validate.check(root)) == []


@pytest.mark.parametrize("fault", [None, "seed-without-source", "encoding-error-seed", "file-outside-seeds-symlink"])
def test_check_never_modifies_its_inputs(fault: str | None, make_root: Callable[..., Path]) -> None:
    """Checked for every fault in test_fault_gives_exactly_its_findings too; here with the fixtures themselves."""
    fixtures_before = tree_digest(FIXTURES)
    root = make_root() if fault is None else _build(BY_NAME[fault], make_root)
    before = tree_digest(root)
    validate.check(root)
    validate.check(root)
    assert tree_digest(root) == before
    assert tree_digest(FIXTURES) == fixtures_before


# --- the exact reader and the fast path agree ------------------------------------------------

# The fast path only reads CSVs: the faults of their shape, and rule faults in rows after the
# base fixture's two-line cell (where the physical line and the row number part).
FAST_PATH_CASES = {
    "encoding-error",
    "blank-label",
    "duplicate-label",
    "extra-label",
    "missing-label",
    "incorrect-label",
    "blank-row",
    "blank-row-empty-line",
    "extra-cell",
    "missing-cell",
    "missing-cell-required",
    "type-error",
    "type-error-plus",
    "type-error-exponent",
    "line-ending",
    "line-ending-cr",
    "quote-error",
    "quote-error-unclosed",
    "primary-key",
    "formula-injection",
    "value-text-unit",
    "statistic-not-cited",
}


def test_fast_path_cases_name_real_cases() -> None:
    assert not FAST_PATH_CASES - set(BY_NAME)


def _full(report: validate.Report) -> list[tuple[object, ...]]:
    return [(f.file, f.row, f.column, f.check, f.line, f.col, f.message) for f in report]


def same_findings_with(
    case: Case,
    make_root: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    value: object,
) -> None:
    """The case's findings, in full and in order, are the same with module.name set to value:
    for a path the toolkit promises gives the same answers as another (a reader, a kernel)."""
    root = _build(case, make_root)
    before = _full(validate.check(root))
    monkeypatch.setattr(module, name, value)
    assert _full(validate.check(root)) == before


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.name) for c in CASES if c.name in FAST_PATH_CASES],
)
def test_fast_csv_path_gives_the_same_findings(
    case: Case, make_root: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """csv_file promises that findings never depend on which reader ran; force the fast one."""
    same_findings_with(case, make_root, monkeypatch, csv_file, "FAST_PATH_MIN_BYTES", 0)


@pytest.mark.parametrize("fast", [False, True], ids=["exact", "fast"])
def test_carriage_return_inside_a_quoted_cell_is_content(
    fast: bool, make_root: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 7, "note", "The blog calls them requests\r\nof the sheriff's office.\r")
    if fast:
        monkeypatch.setattr(csv_file, "FAST_PATH_MIN_BYTES", 0)
    assert locations(validate.check(root)) == []


def test_bad_bytes_in_two_cells_of_a_row_name_no_column(make_root: Callable[..., Path]) -> None:
    root = make_root()
    path = root / CLAIMS
    data = path.read_bytes()
    before = b"exact,,,,,,,,requests,differs,entity,The blog calls"
    assert data.count(before) == 1
    path.write_bytes(data.replace(before, b"exact,,,,,,,\xff,requests,differs,entity,The blog \xff calls"))  # via, note
    assert locations(validate.check(root)) == [(C, 7, None, "encoding-error")]


def _bulk_claims(root: Path, n: int) -> list[list[str]]:
    """n valid claims, copies of row 7 with their own ids, each quoting a sentence of its own (a
    copy of one quote would repeat its claim), appended to claims.csv; its rows. Each thousand
    cite a copy of row 7's statistic of their own (a statistic has at most 1,000 claims)."""
    rows = read_rows(root / CLAIMS)
    template = rows[6]
    assert template[0] == "blog-declined-1234"
    sentences = sentences_of_their_own(root, "blog-post", "The {} office declined 1,234 requests.", n)
    head = rows[0]
    quote, statistic = head.index("quote"), head.index("statistic_id")
    statistics = read_rows(root / STATISTICS)
    [cited] = [r for r in statistics[1:] if r[0] == template[statistic]]
    copies = [[f"bulk-statistic-{k}", *cited[1:]] for k in range(-(-n // MAX_CLAIMS_PER_STATISTIC))]
    write_rows(root / STATISTICS, statistics + copies)
    bulk = []
    for i, sentence in enumerate(sentences):
        row = [f"bulk-{i}", *template[1:quote], sentence, *template[quote + 1 :]]
        row[statistic] = copies[i // MAX_CLAIMS_PER_STATISTIC][0]
        bulk.append(row)
    write_rows(root / CLAIMS, rows + bulk)
    return rows + bulk


def test_short_row_in_a_large_csv_is_a_missing_cell(make_root: Callable[..., Path]) -> None:
    root = make_root("missing-cell")
    _bulk_claims(root, 7000)
    assert (root / CLAIMS).stat().st_size > getattr(csv_file, "FAST_PATH_MIN_BYTES", 1 << 20)
    assert locations(validate.check(root)) == [(C, 6, "note", "missing-cell")]


def test_large_valid_csv_is_valid(make_root: Callable[..., Path]) -> None:
    root = make_root()
    _bulk_claims(root, 7000)
    assert (root / CLAIMS).stat().st_size > getattr(csv_file, "FAST_PATH_MIN_BYTES", 1 << 20)
    assert locations(validate.check(root)) == []


# --- hostile inputs: reported, quickly, never a traceback --------------------------------------


def test_50_mb_quote_cell_is_reported_within_seconds(make_root: Callable[..., Path]) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 2, "quote", get_cell(root, CLAIMS, 2, "quote") + " " + "x" * 50_000_000)
    started = time.monotonic()
    report = validate.check(root)
    elapsed = time.monotonic() - started
    assert locations(report) == [(C, 2, "quote", "constraint-error")]
    assert elapsed < 10, f"took {elapsed:.1f} s"


def test_non_utf8_claims_csv_is_reported_within_seconds(make_root: Callable[..., Path]) -> None:
    root = make_root()
    rows = _bulk_claims(root, 20_000)
    path = root / CLAIMS
    write_rows(path, rows[:7] + [[*row[:-1], "The sheriff\u2019s office"] for row in rows[7:]])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))  # as a spreadsheet on Windows saves it
    started = time.monotonic()
    report = validate.check(root)
    elapsed = time.monotonic() - started
    found = locations(report)
    assert found[0] == (C, 5, "attributed_to", "encoding-error")  # "the sheriff’s office" in row 5
    assert {loc[0] for loc in found} == {C}
    assert {loc[3] for loc in found} == {"encoding-error"}
    assert elapsed < 10, f"took {elapsed:.1f} s"


def test_long_header_labels_are_shortened(make_root: Callable[..., Path]) -> None:
    """A 1 MB unknown label, twice: each finding shows it cut like a cell value, and so does its column."""
    root = make_root("extra-label")
    rows = read_rows(root / CLAIMS)
    long = "comment " + "h" * 1_000_000
    rows[0] = [long if label == "comment" else label for label in rows[0]] + [long]
    write_rows(root / CLAIMS, rows)
    report = validate.check(root)
    assert [(loc[1], loc[3]) for loc in locations(report)] == [(1, "duplicate-label"), (1, "extra-label")]
    for finding in report:
        assert len(finding.message) < 400, finding.message[:400]  # the label (80) and the schema's column names
        assert finding.column is not None and len(finding.column) <= 80
        assert finding.column.startswith("comment hhh") and finding.column.endswith("…")
        assert "'comment hhh" in finding.message and "…'" in finding.message


def test_over_long_quote_findings_do_not_depend_on_its_characters(make_root: Callable[..., Path]) -> None:
    """Only the length rule speaks for a quote too long to be a quote, whatever its characters."""
    for padding in ("x" * 2100, "\u00e9" * 2100):
        root = make_root()
        set_cell(root, CLAIMS, 2, "quote", get_cell(root, CLAIMS, 2, "quote") + " " + padding)
        assert locations(validate.check(root)) == [(C, 2, "quote", "constraint-error")], padding[0]


# --- contract version 2: what is valid -------------------------------------------------------


def test_a_primary_reading_and_its_claim_agree(make_root: Callable[..., Path]) -> None:
    root = make_root()
    _edits(*_PRIMARY, (ST, 2, "primary_claim_id", "county-declined-1234"))(root)
    assert locations(validate.check(root)) == []


def test_a_statistic_with_a_primary_reading_need_not_be_cited(make_root: Callable[..., Path]) -> None:
    root = make_root()
    cells = {"statistic_id": "population", "description": "The population the sample was drawn from.", "unit": "count"}
    add_row(root, ST, **cells, primary_value="142", primary_qualifier="exact", primary_locator="report, page 1")
    assert locations(validate.check(root)) == []


def test_each_kind_of_relation_with_the_right_operands_is_valid(make_root: Callable[..., Path]) -> None:
    root = make_root()
    for n, (relation, statistic, operands) in enumerate(
        [
            ("part_of", "released-detainees", "docket-2017-06"),
            ("share", "released-within-week-share", "released-detainees;docket-2017-06"),
            ("sum", "docket-2017-06", "released-detainees;detainers-declined-2019"),
        ]
    ):
        add_row(root, R, relation_id=f"r{n}", relation=relation, statistic_id=statistic, operands=operands)
    assert locations(validate.check(root)) == []


def test_a_share_and_its_swapped_share_are_two_relations(make_root: Callable[..., Path]) -> None:
    """relation-repeated compares a share's operands in order (numerator;denominator): the share of
    a in b and the share of b in a are two statements, each valid."""
    root = make_root()
    for n, operands in enumerate(["released-detainees;docket-2017-06", "docket-2017-06;released-detainees"]):
        add_row(
            root, R, relation_id=f"r{n}", relation="share", statistic_id="released-within-week-share", operands=operands
        )
    assert locations(validate.check(root)) == []


def test_a_repeated_relation_names_the_first_and_a_repeated_id_is_the_key_s_finding(
    make_root: Callable[..., Path],
) -> None:
    """part_of, stated three times: the same relation_id again is primary-key's finding alone, a
    third id is relation-repeated's, naming the first id."""
    root = make_root()
    for rid in ("first", "first", "third"):
        add_row(
            root, R, relation_id=rid, relation="part_of", statistic_id="released-detainees", operands="docket-2017-06"
        )
    report = validate.check(root)
    assert locations(report) == [(R, 3, "relation_id", "primary-key"), (R, 4, "operands", "relation-repeated")]
    assert "'third' states what relation 'first' already states" in report.findings[1].message


def test_a_repeated_relation_of_an_unknown_kind_is_the_enum_s_finding_alone(make_root: Callable[..., Path]) -> None:
    """A kind outside the schema's enum, stated twice, is constraint-error's finding on each row, and
    not also relation-repeated's (whose message would show the unchecked kind)."""
    root = make_root()
    for rid in ("first", "second"):
        add_row(
            root, R, relation_id=rid, relation="product", statistic_id="released-detainees", operands="docket-2017-06"
        )
    assert locations(validate.check(root)) == [
        (R, 2, "relation", "constraint-error"),
        (R, 3, "relation", "constraint-error"),
    ]


def test_a_schema_may_describe_itself_and_its_fields(make_root: Callable[..., Path]) -> None:
    # Only what changes how a cell is read is refused: titles, examples and the like describe.
    root = make_root()
    _schema_property(
        None, name="claims", title="Claims", **{"$schema": "https://datapackage.org/profiles/2.0/tableschema.json"}
    )(root)
    _schema_property("value", title="Value", example=675, rdfType="https://schema.org/Number", format="default")(root)
    assert locations(validate.check(root)) == []


def test_cut_quotes_past_those_described_are_reported_in_fewer_words(
    make_root: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Describing a cut costs Python per claim: past DESCRIBED, a finding says less, not nothing.
    monkeypatch.setattr(cuts, "DESCRIBED", 1)
    root = make_root()
    set_cell(root, C, 2, "quote", "he county jail declined 1,234 detainer requests in 2019")
    set_cell(root, C, 5, "quote", "Arrests rose 150% between 2015 and 201")
    report = validate.check(root)
    assert locations(report) == [(C, 2, "quote", "quote-cuts-word"), (C, 5, "quote", "quote-cuts-word")]
    first, second = (f.message for f in report.findings)
    assert "begins inside 'The'" in first and "(here 'The county jail" in first
    assert "begins or ends inside a word or number where it first stands" in second and "(here" not in second


def test_a_hyphenated_fraction_is_one_number_to_both_readers(make_root: Callable[..., Path]) -> None:
    # The cut rule holds "two-thirds" one word: the number reader must propose it whole and the
    # value reader read it, or no value_text could record it.
    root = make_root()
    seed = root / "seeds" / "county-report.txt"
    replace_seed(root, "county-report.txt", seed.read_bytes().replace(b"Nearly a quarter", b"Nearly two-thirds"))
    set_cell(root, C, 4, "quote", "Nearly two-thirds of those held were released within a week.")
    set_cell(root, C, 4, "value_text", "Nearly two-thirds")
    set_cell(root, C, 4, "value", "66.6666666667")
    assert locations(validate.check(root)) == []
    set_cell(root, C, 4, "value_text", "Nearly two")
    set_cell(root, C, 4, "value", "2")
    assert (C, 4, "value_text", "value-text-cuts-word") in locations(validate.check(root))


@pytest.mark.parametrize(
    ("words", "value", "qualifier", "part", "part_value"),
    [
        ("About half a million", "500000", "approximately", "a million", "1000000"),
        ("Two and a half million", "2500000", "exact", "Two", "2"),
        ("Several thousand", "1000", "order_of_magnitude", "Several thousand", "1000"),
    ],
)
def test_a_number_of_several_words_is_recorded_whole(
    make_root: Callable[..., Path], words: str, value: str, qualifier: str, part: str, part_value: str
) -> None:
    # "half a million", "two and a half million", "several thousand": each one number, which a
    # claim records whole; "a million" of "half a million" states a number the source does not.
    root = make_root()
    seed = root / "seeds" / "county-report.txt"
    # (the seed writes a no-break space before "million")
    replace_seed(
        root, "county-report.txt", seed.read_bytes().replace("About 2.4\u00a0million".encode(), words.encode())
    )
    set_cell(root, C, 3, "quote", f"{words} people were on ICE's docket as of June 2017")
    for column, cell in (("value_text", words), ("value", value), ("qualifier", qualifier)):
        set_cell(root, C, 3, column, cell)
    assert locations(validate.check(root)) == []
    if part != words:
        set_cell(root, C, 3, "value_text", part)
        set_cell(root, C, 3, "value", part_value)
        set_cell(root, C, 3, "qualifier", "exact")
        assert (C, 3, "value_text", "value-text-cuts-word") in locations(validate.check(root))
