"""The docs show live output that is current (`claims docs` regenerates it), and they hold together."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from roots import REPO, live_root

from validate.errors import UsageError
from validate.paths import Layout
from validate.publishing import docs
from validate.publishing.build import build
from validate.publishing.query import query, render_rows
from validate.rules.registry import CODES
from validate.text.value_text import PREPOSITION_AFTER

# Every test here reads the live dataset: the docs show its results (see tests/roots.py live_root).
pytestmark = pytest.mark.live

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
EXAMPLES = [
    (path.name, sql)
    for path in DOCS
    for sql in re.findall(r"```sql\n(.*?)\n```\n\n?```text\n", path.read_text(encoding="utf-8"), re.S)
]


def _copy_of_repository(target: Path) -> Path:
    """The live dataset with the docs that show its results: these tests are marked `live`."""
    root = live_root(target / "repo")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "README.md", root)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy_of_repository(tmp_path_factory.mktemp("docs"))
    build(root)
    return root


def test_the_docs_are_current(built: Path) -> None:
    stale = docs.regenerate(built)
    names = sorted(Layout(built).rel(p) for p in stale)
    assert names == [], f"{', '.join(names)} show out-of-date output: run `claims docs` and commit the result"


def test_a_wrong_answer_and_an_empty_block_are_regenerated(built: Path) -> None:
    doc = built / "docs" / "scratch.md"
    doc.write_text(
        "```sql\nSELECT 1 AS one\n```\n\n```text\nwrong\n```\n\n<!-- claims docs: rules -->\n<!-- /claims docs -->\n",
        encoding="utf-8",
    )
    try:
        new = docs.regenerate(built)[doc]
    finally:
        doc.unlink()
    assert "```text\none\n---\n  1\n(1 row)\n```" in new
    assert all(f"`{code}`" in new for code in CODES)


def test_an_empty_answer_block_is_filled_and_the_text_after_it_kept(built: Path) -> None:
    # A new question is written with an empty ```text block: its answer used to run on to the next
    # block's end, and the headings and prose between them were lost.
    doc = built / "docs" / "scratch.md"
    doc.write_text(
        "```sql\nSELECT 1 AS one\n```\n```text\n```\n\n## Next question\n\nProse.\n\n"
        "```sql\nSELECT 2 AS two\n```\n```text\nwrong\n```\n",
        encoding="utf-8",
    )
    try:
        new = docs.regenerate(built)[doc]
    finally:
        doc.unlink()
    assert new == (
        "```sql\nSELECT 1 AS one\n```\n```text\none\n---\n  1\n(1 row)\n```\n\n## Next question\n\nProse.\n\n"
        "```sql\nSELECT 2 AS two\n```\n```text\ntwo\n---\n  2\n(1 row)\n```\n"
    )


def test_an_unknown_generator_is_a_usage_error(built: Path) -> None:
    doc = built / "docs" / "scratch.md"
    doc.write_text("<!-- claims docs: nothing-such -->\n<!-- /claims docs -->\n", encoding="utf-8")
    try:
        with pytest.raises(UsageError, match="no generator named 'nothing-such'"):
            docs.regenerate(built)
    finally:
        doc.unlink()


def test_the_cli_reference_shows_every_command(built: Path) -> None:
    reference = docs.cli_reference(Layout(built))
    from validate import cli

    commands = [name for name, _ in docs._subcommands(cli.parser())]
    assert {"check", "build", "sql", "add-source", "add-claim", "candidates"} <= set(commands)
    for name in commands:
        assert f"### claims {name}\n" in reference
        assert f"usage: claims {name}" in reference


def test_the_rules_table_has_one_row_per_code() -> None:
    table = docs.rules_table(Layout(REPO))
    assert [line.split("`")[1] for line in table.splitlines()[2:]] == sorted(CODES)


def test_the_prepositions_table_has_each_qualifier_word_with_every_word_before_it() -> None:
    rows = docs.prepositions(Layout(REPO)).splitlines()[2:]
    listed = {row.split("`")[1]: set(row.split("|")[2].strip().split(", ")) for row in rows}
    assert listed == PREPOSITION_AFTER


def test_every_sql_example_has_an_answer() -> None:
    assert len(EXAMPLES) >= 4


def _number(cell: str) -> object:
    try:
        return round(float(cell), 6)
    except ValueError:
        return cell


@pytest.mark.parametrize(("doc", "sql"), EXAMPLES, ids=[f"{d}-{i}" for i, (d, _) in enumerate(EXAMPLES)])
def test_the_duckdb_shell_gives_the_same_rows(built: Path, doc: str, sql: str) -> None:
    client = Path(sys.executable).parent / "duckdb"
    if not client.exists():
        pytest.fail("the duckdb command-line client is not installed (pip install -e .)")
    done = subprocess.run(
        [str(client), "-readonly", "-csv", "-nullvalue", "", str(built / "build" / "claims.duckdb"), "-c", sql],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = [[_number(c) for c in row] for row in csv.reader(io.StringIO(done.stdout))]
    columns, rows = query(built, sql, build_if_stale=False)
    ours = [[_number(c) for c in row] for row in csv.reader(io.StringIO(render_rows(columns, rows, "csv")))]
    assert got == ours


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_links_between_docs_resolve_and_nothing_points_outside(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (path.parent / target).resolve().is_relative_to(REPO), target
        assert (path.parent / target).exists(), f"{path.name} links to {target}, which does not exist"
    assert "../shared" not in text and "DATA-MODEL" not in text


def test_the_readme_is_for_readers() -> None:
    assert len((REPO / "README.md").read_bytes()) <= 12_500


def test_the_map_of_the_code_names_every_module() -> None:
    """docs/how-it-works.md is where a newcomer looks for a module: a new one is added to it."""
    text = (REPO / "docs" / "how-it-works.md").read_text(encoding="utf-8")
    modules = [
        p
        for folder in ("validate", "benchmarks")
        for p in sorted((REPO / folder).rglob("*.py"))
        if p.name not in {"__init__.py", "__main__.py"} and ".venv" not in p.parts
    ]
    missing = [str(p.relative_to(REPO)) for p in modules if f"`{p.name}`" not in text and f"{p.stem}.py" not in text]
    assert missing == [], f"docs/how-it-works.md does not name {', '.join(missing)}: add each to its row"


@pytest.mark.timeout(600)
def test_the_python_api_doc_runs_as_written(tmp_path: Path) -> None:
    """docs/python-api.md's blocks, in order, in one process inside a git checkout of the frozen
    five articles' ledger: every call it shows works as shown."""
    from roots import real_root

    root = real_root(tmp_path / "root")
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, capture_output=True)
    (root / "build").mkdir(exist_ok=True)
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "docs/python-api.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    done = subprocess.run(
        [sys.executable, "-c", "\n".join(blocks)], cwd=root, capture_output=True, text=True, timeout=540
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[0] == "True 0"
    assert "which claim 'new-article-county-detainers-declined-2019' states" in done.stdout
