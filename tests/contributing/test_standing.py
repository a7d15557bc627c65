"""add-claim and edit-claim tell the contributor how the views judge the claim just written:
its fidelity label and the claims it disagrees with (validate.claim_standing)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import validate
from validate.cli import main
from validate.contributing.standing import SHOWN_CONFLICTS, Conflict
from validate.errors import UsageError
from validate.paths import Layout
from validate.publishing.database import DEFAULT_APPROXIMATELY_TOLERANCE, write_database

ARTICLE = "A reporter wrote that ICE had 675 jurisdictions on a list.\n"
STATISTIC = "oig-jurisdictions-declined-detainers"


def _add_source(root: Path, tmp_path: Path) -> None:
    article = tmp_path / "reporter.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    validate.add_source(root, article, title="T", publisher="P", kind="news", published="2020")


def _views(root: Path, tmp_path: Path, claim_id: str) -> tuple[tuple[str, ...], set[tuple[str, str, str]]]:
    """The claim's fidelity row and its conflicts, read from the views directly."""
    db = tmp_path / "views.duckdb"
    write_database(Layout(root), db, approximately_tolerance=DEFAULT_APPROXIMATELY_TOLERANCE)
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT label, value_fidelity, qualifier_fidelity, period_fidelity FROM claim_fidelity WHERE claim_id = ?",
            [claim_id],
        ).fetchone()
        pairs = con.execute(
            "SELECT claim_a, claim_b, reason, charged FROM claim_conflicts WHERE ? IN (claim_a, claim_b)", [claim_id]
        ).fetchall()
    assert row is not None
    seen = set()
    for a, b, reason, charged in pairs:
        other = b if a == claim_id else a
        departs = {"claim_b": "this" if b == claim_id else "other"}.get(charged, charged)
        seen.add((other, reason, departs))
    return tuple(row), seen


def test_add_claim_prints_the_claims_label_and_its_disagreements(
    real_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_source(real_copy, tmp_path)
    capsys.readouterr()
    code = main(["add-claim", "--root", str(real_copy), "--source", "reporter", "--statistic", STATISTIC,
                 "--quote", "ICE had 675 jurisdictions on a list", "--value-text", "675",
                 "--counted-as", "jurisdictions on a list", "--meaning", "same"])  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    claim_id = "reporter-" + STATISTIC
    fidelity, conflicts = _views(real_copy, tmp_path, claim_id)
    # The producer hedges ("approximately 675"): a bare 675 drops the hedge, as the views say.
    assert fidelity[0] == "hedge_dropped"
    assert out[1] == (
        f"its standing: {fidelity[0]} (value {fidelity[1]}, qualifier {fidelity[2]}, period {fidelity[3]})"
    )
    assert conflicts and any(d == "this" for _, _, d in conflicts)
    listed = {(line.split()[2], line.split()[4].rstrip(":")) for line in out[2:]}
    assert listed == {(other, reason) for other, reason, _ in conflicts}
    assert f"disagrees with {sorted(conflicts)[0][0]} in " in out[2]


def test_edit_claim_prints_the_standing_it_leaves(
    real_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_id = validate.list_claims(real_copy)[0]["claim_id"]
    fidelity, _ = _views(real_copy, tmp_path, claim_id)
    assert main(["edit-claim", "--root", str(real_copy), claim_id, "--note", "Read again."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"changed claim {claim_id}: note")
    assert out[1].startswith(f"its standing: {fidelity[0]} (value {fidelity[1]},")


def test_the_standing_is_the_views_and_build_is_left_alone(real_copy: Path, tmp_path: Path) -> None:
    _add_source(real_copy, tmp_path)
    claim = validate.add_claim(real_copy, source_id="reporter", statistic_id=STATISTIC,
                               quote="ICE had 675 jurisdictions on a list", value_text="675",
                               counted_as="jurisdictions on a list", meaning="same")  # fmt: skip
    before = sorted(p.name for p in (real_copy / "build").iterdir()) if (real_copy / "build").is_dir() else []
    standing = validate.claim_standing(real_copy, claim["claim_id"])
    fidelity, conflicts = _views(real_copy, tmp_path, claim["claim_id"])
    assert (standing.label, standing.value_fidelity, standing.qualifier_fidelity, standing.period_fidelity) == fidelity
    assert {(c.other, c.reason, c.departs) for c in standing.conflicts} == conflicts
    assert standing.more_conflicts == max(0, len(conflicts) - SHOWN_CONFLICTS)
    after = sorted(p.name for p in (real_copy / "build").iterdir()) if (real_copy / "build").is_dir() else []
    assert after == before


def test_an_unknown_claim_is_a_usage_error(real_copy: Path) -> None:
    with pytest.raises(UsageError, match=r"^no claim 'no-such-claim' in datasets/claims.csv$"):
        validate.claim_standing(real_copy, "no-such-claim")


def test_more_disagreements_than_shown_are_counted() -> None:
    many = [Conflict(f"c{i:02d}", "value", "this") for i in range(SHOWN_CONFLICTS)]
    standing = validate.contributing.standing.Standing("x", "outside", "outside", "kept", "kept", many, 5)
    lines = standing.describe()
    assert len(lines) == 1 + SHOWN_CONFLICTS + 1
    assert lines[-1] == "  and in 5 more pairs (claims sql lists claim_conflicts)"


def test_a_dataset_that_does_not_build_leaves_the_claim_written_and_unjudged(
    real_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_id = validate.list_claims(real_copy)[0]["claim_id"]

    def fails(*_: object) -> None:
        raise duckdb.ConversionException("an older row the build cannot take")

    monkeypatch.setattr("validate.contributing.standing.write_database", fails)
    assert main(["edit-claim", "--root", str(real_copy), claim_id, "--note", "Read again."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"changed claim {claim_id}: note",
        "its standing: not judged, the dataset does not build (claims check says why)",
    ]
    assert validate.list_claims(real_copy)[0]["note"] == "Read again."
