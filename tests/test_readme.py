"""The README's SQL answers are the real answers, in `claims sql` and in the duckdb client."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from validate.publishing.build import build
from validate.publishing.query import query, render_rows

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Questions in SQL", 1)[1].split("\n## ", 1)[0]
EXAMPLES = re.findall(r"```sql\n(.*?)\n```\n\n```text\n(.*?)\n```", SECTION, re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readme") / "repo"
    for part in ("datasets", "schema", "seeds"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "datapackage.json", root)
    build(root)
    return root


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("sql", "shown"), EXAMPLES, ids=[f"q{i}" for i in range(len(EXAMPLES))])
def test_readme_answer_is_real(built: Path, sql: str, shown: str) -> None:
    columns, rows = query(built, sql, build_if_stale=False)
    assert render_rows(columns, rows, "table").rstrip() == shown.rstrip()


def _number(cell: str) -> object:
    try:
        return round(float(cell), 6)
    except ValueError:
        return cell


@pytest.mark.parametrize(("sql", "shown"), EXAMPLES, ids=[f"q{i}" for i in range(len(EXAMPLES))])
def test_duckdb_client_gives_the_same_rows(built: Path, sql: str, shown: str) -> None:
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
