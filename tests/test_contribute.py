"""add-source, add-claim and --changed-since, as a contributor uses them."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from validate import check
from validate.cli import main
from validate.contributing.add import add_claim, add_source
from validate.errors import InvalidData, UsageError
from validate.rules.changed_since import changed_rows, only_changed

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "Sanctuary costs rose: nearly 4,000 detainers were ignored in 2019, officials said. About 12% were for violent crimes.\n"


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _article(tmp_path: Path, text: str = ARTICLE, name: str = "paper-2019.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_add_source_then_claims_checks_clean(repo_copy: Path, tmp_path: Path) -> None:
    row = add_source(
        repo_copy, _article(tmp_path), title="Costs rose", publisher="The Paper", kind="news", published="2019-05"
    )
    assert row["source_id"] == "paper-2019"
    assert (repo_copy / "seeds" / "paper-2019.txt").read_text(encoding="utf-8") == ARTICLE
    claim = add_claim(
        repo_copy, source_id="paper-2019", statistic_id="paper-detainers-ignored-2019",
        quote="nearly 4,000 detainers were ignored in 2019", value_text="nearly 4,000", counted_as="detainers were ignored",
        period_start="2019", period_end="2019", description="Detainers ignored in 2019, per The Paper", unit="count",
    )  # fmt: skip
    assert (claim["value"], claim["qualifier"]) == ("4000", "nearly")
    share = add_claim(
        repo_copy, source_id="paper-2019", statistic_id="paper-violent-share-2019", quote="About 12% were for violent crimes.",
        value_text="About 12%", counted_as="were for violent crimes", description="Share of those for violent crimes", unit="percent",
    )  # fmt: skip
    assert (share["value"], share["qualifier"]) == ("12", "approximately")
    assert list(check(repo_copy)) == []


@pytest.mark.parametrize("name", ["../escape.txt", "/tmp/abs.txt", "sub/../../x.txt", "000_d431b536791c3a81.txt"])
def test_add_source_refuses_names_that_leave_seeds_or_exist(repo_copy: Path, tmp_path: Path, name: str) -> None:
    before = _tree(repo_copy)
    with pytest.raises(UsageError):
        add_source(repo_copy, _article(tmp_path), title="T", publisher="P", kind="news", name=name)
    assert _tree(repo_copy) == before


def test_add_source_refuses_non_utf8(repo_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 4,000".encode("latin-1"))
    before = _tree(repo_copy)
    with pytest.raises(UsageError, match="not UTF-8"):
        add_source(repo_copy, path, title="T", publisher="P", kind="news")
    assert _tree(repo_copy) == before


def test_add_source_refuses_a_bad_row_and_writes_nothing(repo_copy: Path, tmp_path: Path) -> None:
    before = _tree(repo_copy)
    with pytest.raises(InvalidData) as caught:
        add_source(repo_copy, _article(tmp_path), title="T", publisher="P", kind="newspaper")
    assert [(f.file, f.row, f.column, f.check) for f in caught.value.report] == [
        ("datasets/sources.csv", 7, "kind", "constraint-error")
    ]
    assert _tree(repo_copy) == before


def test_add_claim_refuses_a_quote_not_in_the_source(repo_copy: Path) -> None:
    before = _tree(repo_copy)
    with pytest.raises(InvalidData) as caught:
        add_claim(
            repo_copy, source_id="western-journal-ice-counter-terrorism", statistic_id="oig-detainers-declined",
            quote="refused to honor more than 29,296 ICE immigration detainer requests", value_text="more than 29,296",
            counted_as="ICE immigration detainer requests",
        )  # fmt: skip
    found = [(f.row, f.column, f.check) for f in caught.value.report]
    assert found == [(38, "quote", "quote-not-in-source")]
    assert "more than 29,269" in caught.value.report.findings[0].message
    assert _tree(repo_copy) == before


def test_cli_add_claim_refusal_exits_1(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([
        "add-claim", "--root", str(repo_copy), "--source", "nobody", "--statistic", "oig-detainers-declined",
        "--quote", "x 5", "--value-text", "5", "--counted-as", "x",
    ])  # fmt: skip
    assert code == 1
    assert "foreign-key" in capsys.readouterr().err


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_changed_since_reports_only_changed_rows(repo_copy: Path) -> None:
    stats = repo_copy / "datasets" / "statistics.csv"
    old = stats.read_text(encoding="utf-8").split("\n")
    old[1] = old[1].replace(",count,", ",tally,", 1)  # an old fault, committed before the change
    stats.write_text("\n".join(old), encoding="utf-8")
    _git(repo_copy, "init", "-q")
    _git(repo_copy, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(repo_copy, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    claims = repo_copy / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",exact,", ",roughly,", 1)  # row 3 changed: an enum fault
    claims.write_text("\n".join(lines), encoding="utf-8")
    assert changed_rows(repo_copy, "HEAD")["datasets/claims.csv"] == {3}
    report = check(repo_copy)
    assert ("datasets/statistics.csv", 2, "unit", "constraint-error") in [
        (f.file, f.row, f.column, f.check) for f in report
    ]
    assert [(f.file, f.row, f.column, f.check) for f in only_changed(report, changed_rows(repo_copy, "HEAD"))] == [
        ("datasets/claims.csv", 3, "qualifier", "constraint-error"),
        ("datasets/claims.csv", 3, "qualifier", "value-text-mismatch"),
    ]


def _commit_all(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")


def _without_line(path: Path, prefix: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith(prefix)]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept), encoding="utf-8")


def test_changed_since_reports_what_a_deletion_breaks_elsewhere(repo_copy: Path) -> None:
    """Deleting a statistic changes no remaining row, yet breaks the claims and relations that name it."""
    _commit_all(repo_copy)
    _without_line(repo_copy / "datasets" / "statistics.csv", "syrian-refugees-2016-not-muslim,")
    changed = changed_rows(repo_copy, "HEAD")
    assert changed["datasets/claims.csv"] == set()
    kept = [(f.file, f.column, f.check) for f in only_changed(check(repo_copy), changed)]
    assert kept and set(kept) == {
        ("datasets/claims.csv", "statistic_id", "foreign-key"),
        ("datasets/relations.csv", "statistic_id", "foreign-key"),
    }


def test_changed_since_reports_a_statistic_left_uncited(repo_copy: Path) -> None:
    _commit_all(repo_copy)
    _without_line(repo_copy / "datasets" / "claims.csv", "wj-california-denied-11,")
    kept = [(f.file, f.column, f.check) for f in only_changed(check(repo_copy), changed_rows(repo_copy, "HEAD"))]
    assert kept == [("datasets/statistics.csv", "statistic_id", "statistic-not-cited")]


def test_changed_since_keeps_line_ends_mixed_in_a_file(repo_copy: Path) -> None:
    # csv reads the records alike whatever ends the lines: no row changes, but the file does
    # (its header now ends with \r\n, its rows with \n).
    _commit_all(repo_copy)
    claims = repo_copy / "datasets" / "claims.csv"
    claims.write_bytes(claims.read_bytes().replace(b"\n", b"\r\n", 1))
    kept = [(f.file, f.check) for f in only_changed(check(repo_copy), changed_rows(repo_copy, "HEAD"))]
    assert ("datasets/claims.csv", "line-ending") in kept


def test_changed_since_checks_the_claims_of_a_changed_seed(repo_copy: Path) -> None:
    # A seed edited and its hash updated: the sources row changed, and the quotes of its
    # untouched claims no longer occur in it.
    _commit_all(repo_copy)
    seed = repo_copy / "seeds" / "000_d431b536791c3a81.txt"  # the source of blog-jurisdictions-675
    old_digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes().replace(b"675", b"676"))
    sources = repo_copy / "datasets" / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(old_digest, hashlib.sha256(seed.read_bytes()).hexdigest()),
        encoding="utf-8",
    )
    kept = {(f.file, f.check) for f in only_changed(check(repo_copy), changed_rows(repo_copy, "HEAD"))}
    assert ("datasets/claims.csv", "quote-not-in-source") in kept


def test_changed_since_checks_the_claims_of_a_changed_statistic(repo_copy: Path) -> None:
    # A unit changed: the untouched claims that cite the statistic now state the wrong kind.
    _commit_all(repo_copy)
    stats = repo_copy / "datasets" / "statistics.csv"
    lines = stats.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if ",percent," in line)
    lines[at] = lines[at].replace(",percent,", ",count,", 1)
    stats.write_text("\n".join(lines), encoding="utf-8")
    report = check(repo_copy)
    assert any(f.file == "datasets/claims.csv" for f in report)
    kept = only_changed(report, changed_rows(repo_copy, "HEAD"))
    assert {f.check for f in kept if f.file == "datasets/claims.csv"} == {
        f.check for f in report if f.file == "datasets/claims.csv"
    }


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "no-such-ref"])
def test_changed_since_refuses_bad_refs(repo_copy: Path, ref: str) -> None:
    _git(repo_copy, "init", "-q")
    with pytest.raises(UsageError):
        changed_rows(repo_copy, ref)
