"""A contribution from start to finish keeps the project green (issue 17, item 1).

A copy of the repository (its tracked files, as `git ls-files` lists them) gets a new source
through `claims add-source`, a claim for each number that `claims candidates` matches with an
existing statistic (its first suggestion), an exclusion for every other number, and `claims docs`;
then `claims check` and the tests that pin the docs, run in the copy against the copy, pass. A
test that pinned the live dataset's counts would fail here, since the copy's counts have grown.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from roots import REPO

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


def _copy(dest: Path) -> Path:
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], check=True, capture_output=True).stdout.decode(
        "utf-8"
    )
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted in the working tree but not yet in git's index
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / name)
    return dest


def _claims(root: Path, *args: str) -> str:
    """A command run as `claims` runs it (in this process: each new one would import again)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--root", str(root)])
    assert code == 0, f"claims {' '.join(args)} failed ({code}):\n{out.getvalue()}\n{err.getvalue()}"
    return out.getvalue()


def test_a_new_source_added_through_the_commands_keeps_check_and_docs_tests_green(tmp_path: Path) -> None:
    root = _copy(tmp_path / "repo")
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
                "--quote", c["sentence"], "--value-text", c["value_text"], "--counted-as", c["counted_as"],
                *(period if c["period_start"] else []))  # fmt: skip
    assert claimed == EXPECTED
    assert json.loads(_claims(root, "candidates", "detainers-in-short", "--format", "json")) == []
    _claims(root, "docs")
    _claims(root, "check")
    # The copy's own docs tests, run on the copy (tests/roots.py finds the repository from its own path).
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/publishing/test_docs.py"],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
