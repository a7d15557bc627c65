"""`claims diff REF`: the claims a change adds, changes and removes, and the agreement it moves."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from marko.ext.gfm import gfm
from roots import CLAIMS, STATISTICS, add_row, read_rows, set_cell, write_rows

from validate.cli import main
from validate.contributing import diff as diff_module
from validate.contributing.add import add_claim, add_source
from validate.contributing.diff import Diff, agreement_text, diff, render
from validate.contributing.exclude import exclude
from validate.errors import UsageError
from validate.paths import Layout
from validate.publishing.database import DEFAULT_APPROXIMATELY_TOLERANCE, write_database


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True, capture_output=True
    )


@pytest.fixture
def committed(make_root: Callable[..., Path]) -> Path:
    root = make_root()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    return root


def test_nothing_changed(committed: Path) -> None:
    d = diff(committed, "HEAD")
    assert (d.added, d.removed, d.changed, d.statistics) == ([], [], [], [])
    assert "No claim" in render(d)


def test_added_changed_and_removed_claims_with_the_agreement_they_move(committed: Path) -> None:
    rows = read_rows(committed / CLAIMS)
    header = rows[0]
    removed = rows[-1]  # blog-declined-1234
    write_rows(committed / CLAIMS, rows[:-1])
    set_cell(committed, CLAIMS, 2, "note", "Checked again.")
    add_row(
        committed, CLAIMS, claim_id="blog-1234-again", source_id="blog-post", statistic_id="detainers-declined-2019",
        quote="The sheriff's office declined 1,234 requests that year", value_text="1,234", value="1234",
        qualifier="exact", counted_as="requests", meaning="same",
    )  # fmt: skip
    d = diff(committed, "HEAD")
    assert [r["claim_id"] for r in d.added] == ["blog-1234-again"]
    assert [r["claim_id"] for r in d.removed] == [removed[header.index("claim_id")]]
    assert [(r["claim_id"], cols) for r, cols in d.changed] == [("county-declined-1234", ["note"])]
    assert d.standing["blog-1234-again"]  # built and judged
    text = render(d)
    assert "| `added` | `blog-1234-again` |" in text and "`changed: note`" in text and "| `removed` |" in text


def test_a_statistic_whose_verdict_changes_is_listed(committed: Path) -> None:
    rows = read_rows(committed / CLAIMS)
    write_rows(committed / CLAIMS, [rows[0], *rows[2:]])  # the county's own 1,234: the consensus is gone
    d = diff(committed, "HEAD")
    assert "detainers-declined-2019" in [s for s, _, _ in d.statistics]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nosuchref", "'nosuchref' is not a commit, a branch or a tag of the git repository at "),
        ("", "the ref is empty: give a branch, a tag or a commit, such as origin/main"),
        ("--output=OUT", "'--output=OUT' begins with '-', which no git ref does"),
        ("-h", "'-h' begins with '-', which no git ref does"),
    ],
)
def test_a_bad_ref_is_named_with_how_to_fix_it(
    committed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str, message: str
) -> None:
    out = tmp_path / "written-by-git"
    ref = ref.replace("OUT", str(out))
    message = message.replace("OUT", str(out))
    assert main(["diff", "--root", str(committed), "--", ref]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"claims diff: {message}")
    assert "fatal" not in captured.err and captured.out == ""
    assert not out.exists()


def test_an_unknown_ref_says_how_to_reach_a_remote_branch(committed: Path) -> None:
    with pytest.raises(UsageError) as refused:
        diff(committed, "origin/mian")
    assert "origin/main" in str(refused.value) and "git fetch" in str(refused.value)


def test_a_root_that_is_no_folder_or_in_no_repository_is_said_so(
    make_root: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a dataset root\n", encoding="utf-8")
    assert main(["diff", "HEAD", "--root", str(a_file)]) == 2
    assert capsys.readouterr().err == (
        f"claims diff: {a_file} is not a folder: give the root of a dataset (the folder with datasets/ and seeds/)\n"
    )
    outside = make_root()  # under pytest's tmp_path: in no repository
    assert main(["diff", "HEAD", "--root", str(outside)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"claims diff: {outside} is not in a git repository") and "fatal" not in err


def _views(root: Path, db: Path) -> tuple[dict[str, str], dict[str, tuple[object, ...]]]:
    """Each claim's label (claim_fidelity) and each statistic's agreement row, from the database."""
    write_database(Layout(root), db, approximately_tolerance=DEFAULT_APPROXIMATELY_TOLERANCE)
    with duckdb.connect(str(db), read_only=True) as con:
        labels = dict(con.execute("SELECT claim_id, label FROM claim_fidelity").fetchall())
        rows = con.execute(
            "SELECT statistic_id, verdict, consensus_low, consensus_high, n_reframed, n_hedge_dropped"
            " FROM statistic_agreement"
        )
        return labels, {r[0]: r[1:] for r in rows.fetchall()}


def test_a_dropped_hedge_and_a_reframed_count_show_the_views_fidelity(
    make_root: Callable[..., Path], tmp_path: Path
) -> None:
    """A pull request drops a claim's hedge and adds a claim that counts people, not detainers:
    the diff lists each with the label claim_fidelity gives it, and exactly the statistics whose
    agreement row changed, as the views of both sides say."""
    root = make_root()
    # Primary readings, so that the views judge fidelity: "about 2.4 million", and 1,234 in 2019.
    primary = {"primary_source": "ICE", "primary_qualifier": "approximately", "primary_value": "2400000"}
    for column, value in {**primary, "primary_period_start": "2017-06", "primary_period_end": "2017-06"}.items():
        set_cell(root, STATISTICS, 3, column, value)
    for column, value in {"primary_value": "1234", "primary_qualifier": "exact", "primary_period_start": "2019",
                          "primary_period_end": "2019"}.items():  # fmt: skip
        set_cell(root, STATISTICS, 2, column, value)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    before = _views(root, tmp_path / "before.duckdb")
    # The hedge dropped: "About 2.4 million" becomes "2.4 million", exact.
    for column, value in {"value_text": "2.4 million", "qualifier": "exact"}.items():
        set_cell(root, CLAIMS, 3, column, value)
    article = tmp_path / "people-2019.txt"
    article.write_text("The county let 1,234 people go in 2019 instead of holding them for ICE.\n", encoding="utf-8")
    add_source(root, article, title="People let go", publisher="The Paper", kind="news", published="2020")
    add_claim(
        root, source_id="people-2019", statistic_id="detainers-declined-2019", claim_id="paper-people-1234",
        quote="The county let 1,234 people go in 2019", value_text="1,234", counted_as="people",
        period_start="2019", period_end="2019", meaning="differs", extra={"period_basis": "stated", "differs_in": "entity"},
    )  # fmt: skip
    exclude(root, "people-2019", "2019", "date")
    after = _views(root, tmp_path / "after.duckdb")
    d = diff(root, "HEAD")
    assert [r["claim_id"] for r in d.added] == ["paper-people-1234"]
    assert [(r["claim_id"], cols) for r, cols in d.changed] == [("county-docket-2-4m", ["qualifier", "value_text"])]
    labels = after[0]
    assert (labels["county-docket-2-4m"], labels["paper-people-1234"]) == ("hedge_dropped", "reframed")
    assert d.standing["county-docket-2-4m"] == "hedge_dropped" and d.standing["paper-people-1234"] == "reframed"
    moved = sorted(s for s in set(before[1]) | set(after[1]) if before[1].get(s) != after[1].get(s))
    assert moved and [s for s, _, _ in d.statistics] == moved
    # The reframing moves neither verdict nor consensus (they count the statistic's own meaning):
    # the counts of departures say it.
    [(_, was, now)] = [s for s in d.statistics if s[0] == "detainers-declined-2019"]
    assert (was, now) == ("consistent [1233.5, 1234.5]; 1 reframed", "consistent [1233.5, 1234.5]; 2 reframed")
    text = render(d)
    assert "| `hedge_dropped` |" in text and "| `reframed` |" in text
    for statistic in moved:
        assert f"| `{statistic}` |" in text


def test_the_diff_escapes_markup_from_the_pull_request() -> None:
    """A value_text from a stranger's pull request cannot open HTML or a link in the job summary."""
    d = Diff("main", added=[{"claim_id": "x", "value_text": "<img src=x onerror=alert(1)> [a](javascript:x) |"}])
    html = str(gfm.convert(render(d)))  # as GitHub renders the job summary
    assert "<img" not in html and "<a " not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_claims_csv_that_is_a_link_is_refused_not_read(committed: Path, tmp_path: Path) -> None:
    """The diff reads claims.csv as the check does: a link out of the root is never followed."""
    secret = tmp_path / "secret.csv"
    secret.write_text("claim_id,source_id\nSECRET-outside-the-dataset,token\n", encoding="utf-8")
    (committed / CLAIMS).unlink()
    (committed / CLAIMS).symlink_to(secret)
    with pytest.raises(UsageError) as refused:
        diff(committed, "HEAD")
    assert "datasets/claims.csv" in str(refused.value) and "SECRET" not in str(refused.value)


def test_agreement_is_in_words_and_plain_numbers(committed: Path) -> None:
    rows = read_rows(committed / CLAIMS)
    write_rows(committed / CLAIMS, [r for r in rows if r[0] != "county-docket-2-4m"])
    d = diff(committed, "HEAD")
    assert ("docket-2017-06", "single_source [2160000, 2640000]", "no claims") in d.statistics
    assert "| `docket-2017-06` | `single_source [2160000, 2640000]` | `no claims` |" in render(d)


@pytest.mark.parametrize(
    ("agreement", "text"),
    [
        ((None, None, None, None, None), "no claims"),
        (("value_conflict", None, None, None, None), "value_conflict, no consensus"),
        (("consistent", 2133000.0, 2607000.0, True, True), "consistent [2133000, 2607000]"),
        (("consistent", 29269.0, None, False, None), "consistent, more than 29269"),
        (("consistent", 29269.0, None, True, None), "consistent, at least 29269"),
        (("single_source", None, 50.0, None, False), "single_source, less than 50"),
        (("consistent", 0.5, 1e-7, False, True), "consistent (0.5, 0.0000001]"),
        (("consistent", 1234.0, 1234.0, True, True, 1, 0), "consistent [1234, 1234]; 1 reframed"),
        (("value_conflict", None, None, None, None, 2, 3), "value_conflict, no consensus; 2 reframed; 3 hedge dropped"),
        (("single_source", None, None, None, None, 0, 1), "single_source, no consensus; 1 hedge dropped"),
    ],
)
def test_agreement_text(agreement: tuple[Any, ...], text: str) -> None:
    assert agreement_text(*agreement) == text


def test_a_schema_linked_out_of_the_root_is_not_copied_into_the_ref(
    make_root: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ref that predates a table gets today's schema of it: a schema that is a link out of
    the root is not read for it (it was copied into the ref's tree and read as a schema)."""
    root = make_root()
    schema = root / "schema" / "relations.schema.json"
    kept = schema.read_bytes()
    schema.unlink()
    (root / "datasets" / "relations.csv").unlink()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "before relations")
    secret = tmp_path / "secret.json"
    secret.write_bytes(kept.replace(b'"fields"', b'"SECRET": "outside the dataset", "fields"', 1))
    schema.symlink_to(secret)
    read: list[bytes] = []
    real = diff_module.load_schema
    monkeypatch.setattr(diff_module, "load_schema", lambda path, *a: read.append(path.read_bytes()) or real(path, *a))
    with contextlib.suppress(UsageError):  # today's side may refuse the link; the ref's must not read it
        diff(root, "HEAD")
    assert not any(b"SECRET" in data for data in read)


def test_a_ref_holding_links_is_read_without_them(committed: Path) -> None:
    """A commit of the pull request's history may hold a link (absolute, or out of the root):
    that side is read as the check reads it, without the link, never an internal error."""
    (committed / "datasets" / "claims.csv").rename(committed / "claims.kept")
    (committed / "datasets" / "claims.csv").symlink_to("/etc/passwd")
    (committed / "seeds" / "evil.txt").symlink_to("../../../../etc/passwd")
    _git(committed, "add", "-A")
    _git(committed, "commit", "-qm", "links")
    (committed / "datasets" / "claims.csv").unlink()
    (committed / "seeds" / "evil.txt").unlink()
    (committed / "claims.kept").rename(committed / "datasets" / "claims.csv")
    d = diff(committed, "HEAD")
    # HEAD's claims.csv was a link: that side has no claims, so every claim now is added.
    assert {r["claim_id"] for r in d.added} == {r[0] for r in read_rows(committed / CLAIMS)[1:]}


def test_a_statistics_relation_checks_are_shown_up_to_a_cap_and_counted(
    real_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diff_module, "_RELATION_CHECKS_SHOWN", 1)
    _, stats = diff_module._standing(real_copy, tmp_path / "db.duckdb")
    capped = [text for text in stats.values() if "more relation checks (claims sql lists relation_checks)" in text]
    assert capped
    for text in capped:
        assert text.count("; relation ") == 1
