"""Property-based robustness: random and mutated inputs give findings or a clean pass, never a
traceback, and the inputs are never changed."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roots import BASE, build_root

from validate import check
from validate.cli import main

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NASTY = [
    ",",
    '"',
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\ufeff",
    "é",
    "\u00a0",
    "\u2014",
    "=",
    "-",
    "..",
    "/",
    "\\",
    " ",
    "\t",
    "\x1c",
]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _run_everywhere(root: Path) -> None:
    before = _tree(root)
    report = check(root)
    for f in report:
        assert f.check and f.message and f.file
    assert main(["check", "--root", str(root), "--format", "json"]) in (0, 1)
    assert _tree(root) == before


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(NASTY) | st.text(max_size=3)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif kind == "duplicate":
            line = draw(st.sampled_from(text.split("\n") or [""]))
            text = text[:at] + "\n" + line + text[at:]
        else:
            text = text[:at]
    return text


def _with(replace: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_root(Path(tmp) / "r")
        (root / replace).write_bytes(data)
        _run_everywhere(root)


BASE_CLAIMS = (BASE / "datasets" / "claims.csv").read_text(encoding="utf-8")
BASE_SOURCES = (BASE / "datasets" / "sources.csv").read_text(encoding="utf-8")


@SETTINGS
@given(mutated(BASE_CLAIMS))
def test_mutated_claims(text: str) -> None:
    _with("datasets/claims.csv", text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(mutated(BASE_SOURCES))
def test_mutated_sources(text: str) -> None:
    _with("datasets/sources.csv", text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_as_claims(data: bytes) -> None:
    _with("datasets/claims.csv", data)


@SETTINGS
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", errors="surrogatepass")))
def test_random_seed_text(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_root(Path(tmp) / "r")
        seed = next(p for p in sorted((root / "seeds").iterdir()) if p.is_file())
        seed.write_bytes(data)
        _run_everywhere(root)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@SETTINGS
@given(st.sampled_from(["sources", "statistics", "claims"]), st.data())
def test_mutated_schema(table: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_root(Path(tmp) / "r")
        path = root / "schema" / f"{table}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        fields = schema["fields"]
        i = data.draw(st.integers(0, len(fields) - 1))
        action = data.draw(st.sampled_from(["drop", "garble", "constraint", "whole"]))
        if action == "drop":
            del fields[i]
        elif action == "garble":
            fields[i] = data.draw(JSON)
        elif action == "constraint":
            fields[i].setdefault("constraints", {})[
                data.draw(st.sampled_from(["pattern", "enum", "maxLength", "minimum", "required", "unique"]))
            ] = data.draw(JSON)
        else:
            schema = data.draw(JSON)
        path.write_text(json.dumps(schema), encoding="utf-8")
        _run_everywhere(root)


def test_a_pattern_that_is_no_regex_is_a_schema_error() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_root(Path(tmp) / "r")
        path = root / "schema" / "claims.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["fields"][0]["constraints"]["pattern"] = "(["
        path.write_text(json.dumps(schema), encoding="utf-8")
        assert [(f.file, f.check) for f in check(root)] == [("schema/claims.schema.json", "schema-error")]
