"""Hostile pull requests, --changed-since: the cap on findings per file and code is of the pull
request's own findings, so older rows' findings of the same code (committed before, more than
the cap) cannot hide a new row's finding behind a more-findings count; and a finding whose cause
the pull request changed (a schema, a seed, a source or statistic that untouched rows read) is
reported, however the files are saved, so that the merged data checks as the pull request did."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import (
    CLAIMS,
    EXCLUSIONS,
    RELATIONS,
    SOURCES,
    STATISTICS,
    Location,
    locations,
    read_rows,
    replace_seed,
    set_cell,
    write_rows,
)

from validate import check, cli
from validate.findings import MORE_FINDINGS
from validate.rules.changed_since import changed_rows

GIT = ("-c", "user.email=t@t", "-c", "user.name=t")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *GIT, *args], check=True, capture_output=True)


def _check_changed(root: Path, capsys: pytest.CaptureFixture[str], cap: int) -> list[dict[str, object]]:
    status = cli.main(
        ["check", "--root", str(root), "--format", "json", "--changed-since", "HEAD", "--max-findings", str(cap)]
    )
    assert status == cli.EXIT_INVALID
    return json.loads(capsys.readouterr().out)


def _commit_base(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")


def test_a_rules_finding_in_the_pull_request_is_shown_past_older_ones(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    for row in (2, 3, 4):  # old faults, more than the cap of 2, all before the new row in order
        set_cell(root, CLAIMS, row, "note", f"=old fault {row}")
    _commit_base(root)
    last = len(read_rows(root / CLAIMS))
    set_cell(root, CLAIMS, last, "note", "=HYPERLINK(1)")  # the pull request's one bad cell
    findings = _check_changed(root, capsys, 2)
    assert [(f["file"], f["row"], f["check"]) for f in findings] == [(CLAIMS, last, "formula-injection")]


def test_a_readers_finding_in_the_pull_request_is_shown_past_older_ones(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    rows = read_rows(root / CLAIMS)
    for row in rows[1:4]:
        row.append("stray")  # old extra cells, more than the cap of 2
    write_rows(root / CLAIMS, rows)
    _commit_base(root)
    rows[-1] = [*rows[-1], "stray"]
    write_rows(root / CLAIMS, rows)
    findings = _check_changed(root, capsys, 2)
    assert [(f["file"], f["row"], f["check"]) for f in findings] == [(CLAIMS, len(rows), "extra-cell")]


def test_more_findings_counts_only_the_pull_requests_hidden_findings(
    make_root: MakeRoot, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 2, "note", "=old fault")
    _commit_base(root)
    total = len(read_rows(root / CLAIMS))
    for row in range(3, total + 1):  # every other row is the pull request's, one past the cap
        set_cell(root, CLAIMS, row, "note", f"=new fault {row}")
    findings = _check_changed(root, capsys, total - 3)
    shown = [f["row"] for f in findings if f["check"] == "formula-injection"]
    assert shown == list(range(3, total))
    [more] = [str(f["message"]) for f in findings if f["check"] == MORE_FINDINGS]
    assert more.startswith(f"1 more formula-injection finding in {CLAIMS}")


# --- a finding whose cause the pull request changed --------------------------------------------
# The base fixture checks valid, so whatever the merged data's check finds is the pull request's
# doing: the gate must report all of it, or a pull request passes that main then fails.


def _gate_and_full(root: Path) -> tuple[list[Location], list[Location]]:
    """The findings of the pull request's gate (--changed-since the base commit) and of the check."""
    gate = locations(check(root, max_findings=None, changed_since="HEAD"))
    return gate, locations(check(root, max_findings=None))


def _bom(root: Path, table: str) -> None:
    path = root / table
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def test_a_bom_hides_no_claim_of_a_changed_statistic(make_root: MakeRoot) -> None:
    # The BOM once went into the first header cell ("\ufeffstatistic_id"): no id was read from
    # the changed row, so the claims citing it were not marked.
    root = make_root()
    _commit_base(root)
    set_cell(root, STATISTICS, 2, "unit", "percent")  # detainers-declined-2019: its claim says 1234
    _bom(root, STATISTICS)
    gate, full = _gate_and_full(root)
    assert (CLAIMS, 2, "value", "percent-out-of-range") in full
    assert gate == full


def test_a_bom_hides_no_claim_of_a_changed_source(make_root: MakeRoot) -> None:
    root = make_root()
    _commit_base(root)
    seed = root / "seeds" / "county-report.txt"
    replace_seed(root, "county-report.txt", seed.read_bytes().replace(b"1,234", b"1,235"))
    _bom(root, SOURCES)
    gate, full = _gate_and_full(root)
    assert (CLAIMS, 2, "quote", "quote-not-in-source") in full
    assert gate == full


def test_a_file_saved_otherwise_changes_no_row(make_root: MakeRoot) -> None:
    # A BOM, \r\n line ends and every cell quoted: the check reads the same records, so no row
    # is the pull request's (and every row would be, were the header read with the BOM).
    root = make_root()
    _commit_base(root)
    for table in (SOURCES, STATISTICS, CLAIMS, EXCLUSIONS):
        rows = read_rows(root / table)
        text = "".join(",".join('"' + c.replace('"', '""') + '"' for c in r) + "\r\n" for r in rows)
        (root / table).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert all(rows == set() for rows in changed_rows(root, "HEAD").values())
    assert check(root, changed_since="HEAD").findings == []


def test_a_changed_seed_marks_its_exclusions(make_root: MakeRoot) -> None:
    # Its title's 2019 gone, the seed holds one 2019: the exclusion of the second is not found.
    root = make_root()
    _commit_base(root)
    seed = root / "seeds" / "county-report.txt"
    replace_seed(root, "county-report.txt", seed.read_bytes().replace(b"Report, 2019", b"Report", 1))
    gate, full = _gate_and_full(root)
    assert (EXCLUSIONS, 3, "occurrence", "exclusion-not-found") in full
    assert gate == full


def test_a_seed_checked_out_otherwise_marks_its_source(make_root: MakeRoot) -> None:
    # An eol attribute the pull request adds checks the seed out with \r\n: git diff, which
    # compares after the conversion, sees no change, but the check hashes the bytes it reads.
    root = make_root()
    _commit_base(root)
    (root / ".gitattributes").write_text("seeds/county-report.txt text eol=crlf\n", encoding="utf-8")
    (root / "seeds" / "county-report.txt").unlink()
    _git(root, "checkout", "--", "seeds/county-report.txt")
    assert b"\r\n" in (root / "seeds" / "county-report.txt").read_bytes()
    gate, full = _gate_and_full(root)
    assert (SOURCES, 2, "sha256", "sha256-mismatch") in full
    assert gate == full


def test_a_tightened_schema_marks_every_row_of_its_table(make_root: MakeRoot) -> None:
    root = make_root()
    _commit_base(root)
    path = root / "schema" / "claims.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    [note] = [f for f in schema["fields"] if f["name"] == "note"]
    note.setdefault("constraints", {})["maxLength"] = 5
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    gate, full = _gate_and_full(root)
    assert (CLAIMS, 3, "note", "constraint-error") in full
    assert gate == full


def test_a_new_name_of_another_case_marks_the_old_row_it_repeats(make_root: MakeRoot) -> None:
    # Two names Windows and macOS take for one file: the later row is reported, here the old
    # row the new one (put first) pushed down.
    root = make_root()
    _commit_base(root)
    data = (root / "seeds" / "blog-post.txt").read_bytes()
    (root / "seeds" / "County-Report.txt").write_bytes(data)
    rows = read_rows(root / SOURCES)
    new = dict(zip(rows[0], rows[2], strict=True)) | {"source_id": "county-copy", "file": "County-Report.txt"}
    write_rows(root / SOURCES, [rows[0], [new[c] for c in rows[0]], *rows[1:]])
    gate, full = _gate_and_full(root)
    assert (SOURCES, 3, "file", "file-name-not-portable") in full
    assert gate == full


def test_a_changed_statistic_marks_the_relations_that_name_it(real_copy: Path) -> None:
    # The relations' rules read the units of their statistics and operands: those of a changed
    # statistic are checked against what the pull request changed.
    _commit_base(real_copy)
    rows = read_rows(real_copy / RELATIONS)
    header = rows[0]
    operand = rows[1][header.index("operands")].split(";")[0]
    stats = read_rows(real_copy / STATISTICS)
    at = next(i for i, r in enumerate(stats) if r[0] == operand)
    set_cell(real_copy, STATISTICS, at + 1, "description", "Changed.")
    naming = {n for n, r in enumerate(rows[1:], start=2) if operand in r[header.index("operands")].split(";")}
    naming |= {n for n, r in enumerate(rows[1:], start=2) if r[header.index("statistic_id")] == operand}
    assert naming and changed_rows(real_copy, "HEAD")[RELATIONS] == naming


def _rows_marked(root: Path) -> dict[str, int]:
    return {file: len(rows) for file, rows in changed_rows(root, "HEAD").items() if rows}


def test_changed_rules_mark_every_row(make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request that adds a rule to validate/ is judged by it on every row: otherwise its
    findings in older rows showed first on the main branch, which then failed its check."""
    from validate.rules import changed_since

    root = make_root()
    (root / "validate").mkdir()
    (root / "validate" / "rules.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(changed_since, "PACKAGE_DIR", root / "validate")
    _commit_base(root)
    assert _rows_marked(root) == {}
    (root / "pyproject.toml").write_text("dependencies = ['polars>=9']\n", encoding="utf-8")
    _git(root, "add", "pyproject.toml")
    every = {file: len(read_rows(root / file)) - 1 for file in (SOURCES, STATISTICS, CLAIMS, RELATIONS, EXCLUSIONS)}
    assert _rows_marked(root) == {file: n for file, n in every.items() if n}  # a dependency changed
    _git(root, "commit", "-qm", "dependencies")
    assert _rows_marked(root) == {}
    (root / "validate" / "rules.py").write_text("RULES = 2\n", encoding="utf-8")
    every = {file: len(read_rows(root / file)) - 1 for file in (SOURCES, STATISTICS, CLAIMS, RELATIONS, EXCLUSIONS)}
    assert _rows_marked(root) == {file: n for file, n in every.items() if n}


def test_a_new_module_not_yet_added_to_git_is_a_rules_change(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git diff` lists no untracked file: a contributor's new rule module, not yet `git add`ed,
    ran in their check and was not counted as changed rules. Ignored files (the built extension,
    caches) are not code the check reads from the repository."""
    from validate.rules import changed_since

    root = make_root()
    (root / "validate").mkdir()
    (root / "validate" / "rules.py").write_text("RULES = 1\n", encoding="utf-8")
    (root / ".gitignore").write_text("*.so\n__pycache__/\n", encoding="utf-8")
    monkeypatch.setattr(changed_since, "PACKAGE_DIR", root / "validate")
    _commit_base(root)
    (root / "validate" / "_cells.so").write_bytes(b"built")
    (root / "validate" / "__pycache__").mkdir()
    (root / "validate" / "__pycache__" / "rules.pyc").write_bytes(b"cached")
    assert _rows_marked(root) == {}
    (root / "validate" / "new_rule.py").write_text("RULES = 2\n", encoding="utf-8")
    every = {file: len(read_rows(root / file)) - 1 for file in (SOURCES, STATISTICS, CLAIMS, RELATIONS, EXCLUSIONS)}
    assert _rows_marked(root) == {file: n for file, n in every.items() if n}


def test_a_validator_installed_from_elsewhere_judges_changed_rows_only(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CI's trusted gate runs the base's validator, installed outside the pull request's checkout:
    the pull request's validate/, changed or not, is data it does not run."""
    from validate.rules import changed_since

    root = make_root()
    (root / "validate").mkdir()
    (root / "validate" / "rules.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(changed_since, "PACKAGE_DIR", tmp_path / "elsewhere" / "validate")
    _commit_base(root)
    (root / "validate" / "rules.py").write_text("RULES = 2\n", encoding="utf-8")
    set_cell(root, CLAIMS, 2, "note", "changed")
    assert _rows_marked(root) == {CLAIMS: 1}
