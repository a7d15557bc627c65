"""A contribution from start to finish keeps the project green (issue 17, item 1).

A copy of the repository (its files, tracked or new, that git does not ignore) gets a new source
through `claims add-source`, a claim for each number that `claims candidates` matches with an
existing statistic (its first suggestion), an exclusion for every other number, and `claims docs`;
then `claims check` and the tests marked `live` (those that read the repository's own dataset),
run in the copy against the copy, pass. A test that pinned the live dataset's counts would fail
here, since the copy's counts have grown; test_no_other_test_reads_the_live_dataset keeps the rest
on fixtures.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from roots import TESTS, repository_copy

from validate.cli import main

# Our own words, citing two numbers the ledger already holds (the audit's 29,269 detainers,
# rounded down as articles do, and its 675 jurisdictions), with the audit's period as dates.
ARTICLE = (
    "Detainers, in short\n\n"
    "Our own summary of the inspector general's audit: local jails declined to honor more than 29,000 "
    "detainers from January 2014 through May 2017, and 675 jurisdictions declined them.\n"
)
# The statistic each number must be matched with first.
EXPECTED = {"more than 29,000": "oig-detainers-declined", "675": "oig-jurisdictions-declined-detainers"}


def _claims(root: Path, *args: str) -> str:
    """A command run as `claims` runs it (in this process: each new one would import again)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--root", str(root)])
    assert code == 0, f"claims {' '.join(args)} failed ({code}):\n{out.getvalue()}\n{err.getvalue()}"
    return out.getvalue()


def test_a_new_source_added_through_the_commands_keeps_check_and_docs_tests_green(tmp_path: Path) -> None:
    root = repository_copy(tmp_path / "repo")
    article = tmp_path / "detainers-in-short.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _claims(root, "add-source", str(article), "--title", "Detainers, in short", "--publisher", "Test Desk",
            "--kind", "blog", "--published", "2026-01")  # fmt: skip
    found = json.loads(_claims(root, "candidates", "detainers-in-short", "--format", "json"))
    claimed = {}
    for c in found:
        if c["exclude_reason"] or not c["suggestions"]:
            _claims(root, "exclude", "detainers-in-short", c["words"], "--occurrence", str(c["occurrence"]),
                    "--reason", c["exclude_reason"] or "not-a-statistic")  # fmt: skip
            continue
        statistic = c["suggestions"][0]["statistic_id"]
        claimed[c["value_text"]] = statistic
        period = ["--period-start", c["period_start"], "--period-end", c["period_end"], "--period-basis", "stated"]
        _claims(root, "add-claim", "--source", "detainers-in-short", "--statistic", statistic,
                "--quote", c["sentence"], "--value-text", c["value_text"], "--counted-as", c["counted_as"], "--meaning", "same",
                *(period if c["period_start"] else []))  # fmt: skip
    assert claimed == EXPECTED
    assert json.loads(_claims(root, "candidates", "detainers-in-short", "--format", "json")) == []
    _claims(root, "docs")
    _claims(root, "check")
    # The copy's own tests that read the live dataset (marked `live`), run on the copy (tests/roots.py
    # finds the repository from its own path); every other test reads fixtures only.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider", "-m", "live"],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " deselected" in tests.stdout, tests.stdout[-500:]


# Where a test may name the repository's own folder: its code, docs and schemas, never its data.
_CODE = {"validate", "benchmarks", "docs", "README.md", "schema", "pyproject.toml", ".github", ".ci"}


def _live_marked(node: ast.AST) -> bool:
    return any("live" in ast.unparse(d) for d in getattr(node, "decorator_list", []))


def test_no_other_test_reads_the_live_dataset() -> None:
    """Only the tests marked `live` (run again above on a grown copy) read the repository's own
    dataset: by `live_root`, or by handing REPO to a command; everything else reads fixtures. A
    test that named REPO / "datasets" (or REPO / a variable) outside them could pin live counts."""
    offences = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "roots.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_live = any(
            isinstance(n, ast.Assign) and "pytestmark" in ast.unparse(n) and "live" in ast.unparse(n.value)
            for n in tree.body
        )
        live_spans = [
            range(n.lineno, (n.end_lineno or n.lineno) + 1)
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and _live_marked(n)
        ]
        for node in ast.walk(tree):
            if module_live or any(getattr(node, "lineno", 0) in span for span in live_spans):
                continue
            where = f"{path.relative_to(TESTS)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and ast.unparse(node.left) == "REPO":
                part = node.right.value if isinstance(node.right, ast.Constant) else None
                if not isinstance(part, str) or part.split("/")[0] not in _CODE:
                    offences.append(f"{where}: {ast.unparse(node)}")
            elif (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) not in ("str", "Path")
                and (any(ast.unparse(a) == "REPO" for a in node.args) or ast.unparse(node.func) == "live_root")
            ):
                offences.append(f"{where}: {ast.unparse(node)[:80]}")
    assert offences == [], "read the frozen tests/fixtures/real (roots.real_root) instead, or mark the test live"
