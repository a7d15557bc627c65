"""add-source, add-claim and --changed-since, as a contributor uses them."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import CLAIMS, STATISTICS, nest_folders, read_rows, set_cell

from validate import check
from validate.cli import main
from validate.contributing.add import add_claim, add_source
from validate.contributing.candidates import candidates
from validate.contributing.exclude import exclude
from validate.errors import InvalidData, UsageError
from validate.rules.changed_since import changed_rows, only_changed

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


def test_add_source_then_claims_checks_clean(real_copy: Path, tmp_path: Path) -> None:
    row = add_source(
        real_copy, _article(tmp_path), title="Costs rose", publisher="The Paper", kind="news", published="2019-05"
    )
    assert row["source_id"] == "paper-2019"
    assert (real_copy / "seeds" / "paper-2019.txt").read_text(encoding="utf-8") == ARTICLE
    claim = add_claim(
        real_copy, source_id="paper-2019", statistic_id="paper-detainers-ignored-2019",
        quote="nearly 4,000 detainers were ignored in 2019", value_text="nearly 4,000", counted_as="detainers were ignored", meaning="same",
        period_start="2019", period_end="2019", description="Detainers ignored in 2019, per The Paper", unit="count",
    )  # fmt: skip
    assert (claim["value"], claim["qualifier"]) == ("4000", "nearly")
    share = add_claim(
        real_copy, source_id="paper-2019", statistic_id="paper-violent-share-2019", quote="About 12% were for violent crimes.",
        value_text="About 12%", counted_as="were for violent crimes", meaning="same", description="Share of those for violent crimes", unit="percent",
    )  # fmt: skip
    assert (share["value"], share["qualifier"]) == ("12", "approximately")
    # The year is a period, not a statistic: recorded as such, every number is accounted for.
    assert [f.check for f in check(real_copy)] == ["number-not-accounted"]
    exclude(real_copy, "paper-2019", "2019", "date", note="period of the 4,000")
    assert list(check(real_copy)) == []


@pytest.mark.parametrize("name", ["../escape.txt", "/tmp/abs.txt", "sub/../../x.txt", "000_d431b536791c3a81.txt"])
def test_add_source_refuses_names_that_leave_seeds_or_exist(real_copy: Path, tmp_path: Path, name: str) -> None:
    before = _tree(real_copy)
    with pytest.raises(UsageError):
        add_source(real_copy, _article(tmp_path), title="T", publisher="P", kind="news", name=name)
    assert _tree(real_copy) == before


def test_add_source_refuses_non_utf8(real_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 4,000".encode("latin-1"))
    before = _tree(real_copy)
    with pytest.raises(UsageError, match="not UTF-8"):
        add_source(real_copy, path, title="T", publisher="P", kind="news")
    assert _tree(real_copy) == before


def test_add_source_refuses_a_bad_row_and_writes_nothing(real_copy: Path, tmp_path: Path) -> None:
    before = _tree(real_copy)
    with pytest.raises(InvalidData) as caught:
        add_source(real_copy, _article(tmp_path), title="T", publisher="P", kind="newspaper")
    assert [(f.file, f.row, f.column, f.check) for f in caught.value.report] == [
        ("datasets/sources.csv", None, "kind", "constraint-error")  # the new row: not in the file yet
    ]
    assert _tree(real_copy) == before


def test_add_claim_refuses_a_quote_not_in_the_source(real_copy: Path) -> None:
    before = _tree(real_copy)
    with pytest.raises(InvalidData) as caught:
        add_claim(
            real_copy, source_id="western-journal-ice-counter-terrorism", statistic_id="oig-detainers-declined",
            quote="refused to honor more than 29,296 ICE immigration detainer requests", value_text="more than 29,296",
            counted_as="ICE immigration detainer requests",
            meaning="same",
        )  # fmt: skip
    found = [(f.row, f.column, f.check) for f in caught.value.report]
    # The row is not in claims.csv yet: the finding names no row number that does not exist.
    assert found == [(None, "quote", "quote-not-in-source")]
    assert caught.value.report.findings[0].message.startswith("the new row: ")
    assert "more than 29,269" in caught.value.report.findings[0].message
    assert _tree(real_copy) == before


def test_cli_add_claim_refusal_exits_1(real_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([
        "add-claim", "--root", str(real_copy), "--source", "western-journal-ice-counter-terrorism",
        "--statistic", "oig-detainers-declined", "--quote", "x 5", "--value-text", "5", "--counted-as", "x", "--meaning", "same",
    ])  # fmt: skip
    assert code == 1
    assert "quote-not-in-source" in capsys.readouterr().err


def test_add_claim_without_meaning_shows_what_the_statistic_counts(
    real_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether the quote's words mean what the statistic counts is the contributor's judgement:
    asked for with the description to judge by, never assumed."""
    before = _tree(real_copy)
    code = main([
        "add-claim", "--root", str(real_copy), "--source", "western-journal-ice-counter-terrorism",
        "--statistic", "oig-detainers-declined", "--quote", "x 5", "--value-text", "5", "--counted-as", "people",
    ])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    header, *rows = read_rows(real_copy / "datasets/statistics.csv")
    [description] = [r[header.index("description")] for r in rows if r[0] == "oig-detainers-declined"]
    assert "'people' means what 'oig-detainers-declined' counts" in err
    assert description[:60] in err
    assert "--meaning same, or --meaning differs with --differs-in" in err
    assert _tree(real_copy) == before


def test_cli_add_claim_unknown_source_says_did_you_mean(real_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([
        "add-claim", "--root", str(real_copy), "--source", "western-journal-ice-counter-terorism",
        "--statistic", "oig-detainers-declined", "--quote", "x 5", "--value-text", "5", "--counted-as", "x", "--meaning", "same",
    ])  # fmt: skip
    assert code == 2
    assert "did you mean 'western-journal-ice-counter-terrorism'?" in capsys.readouterr().err


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_changed_since_reports_only_changed_rows(real_copy: Path) -> None:
    stats = real_copy / "datasets" / "statistics.csv"
    old = stats.read_text(encoding="utf-8").split("\n")
    old[1] = old[1].replace(",count,", ",tally,", 1)  # an old fault, committed before the change
    stats.write_text("\n".join(old), encoding="utf-8")
    _git(real_copy, "init", "-q")
    _git(real_copy, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(real_copy, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    claims = real_copy / "datasets" / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",exact,", ",roughly,", 1)  # row 3 changed: an enum fault
    claims.write_text("\n".join(lines), encoding="utf-8")
    assert changed_rows(real_copy, "HEAD")["datasets/claims.csv"] == {3}
    report = check(real_copy)
    assert ("datasets/statistics.csv", 2, "unit", "constraint-error") in [
        (f.file, f.row, f.column, f.check) for f in report
    ]
    assert [(f.file, f.row, f.column, f.check) for f in only_changed(report, changed_rows(real_copy, "HEAD"))] == [
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


def test_changed_since_reports_what_a_deletion_breaks_elsewhere(real_copy: Path) -> None:
    """Deleting a statistic changes no remaining row, yet breaks the claims and relations that name it."""
    _commit_all(real_copy)
    _without_line(real_copy / "datasets" / "statistics.csv", "syrian-refugees-2016-not-muslim,")
    changed = changed_rows(real_copy, "HEAD")
    assert changed["datasets/claims.csv"] == set()
    kept = [(f.file, f.column, f.check) for f in only_changed(check(real_copy), changed)]
    assert kept and set(kept) == {
        ("datasets/claims.csv", "statistic_id", "foreign-key"),
        ("datasets/relations.csv", "statistic_id", "foreign-key"),
    }


def test_changed_since_reports_a_statistic_left_uncited(real_copy: Path) -> None:
    _commit_all(real_copy)
    _without_line(real_copy / "datasets" / "claims.csv", "wj-california-denied-11,")
    kept = [(f.file, f.column, f.check) for f in only_changed(check(real_copy), changed_rows(real_copy, "HEAD"))]
    # The claim's number is no longer accounted for either: both are the deletion's doing.
    assert kept == [
        ("datasets/statistics.csv", "statistic_id", "statistic-not-cited"),
        ("seeds/001_a6d68199c0f72259.txt", None, "number-not-accounted"),
    ]


def test_changed_since_keeps_line_ends_mixed_in_a_file(real_copy: Path) -> None:
    # csv reads the records alike whatever ends the lines: no row changes, but the file does
    # (its header now ends with \r\n, its rows with \n).
    _commit_all(real_copy)
    claims = real_copy / "datasets" / "claims.csv"
    claims.write_bytes(claims.read_bytes().replace(b"\n", b"\r\n", 1))
    kept = [(f.file, f.check) for f in only_changed(check(real_copy), changed_rows(real_copy, "HEAD"))]
    assert ("datasets/claims.csv", "line-ending") in kept


def test_changed_since_checks_the_claims_of_a_changed_seed(real_copy: Path) -> None:
    # A seed edited and its hash updated: the sources row changed, and the quotes of its
    # untouched claims no longer occur in it.
    _commit_all(real_copy)
    seed = real_copy / "seeds" / "000_d431b536791c3a81.txt"  # the source of blog-jurisdictions-675
    old_digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes().replace(b"675", b"676"))
    sources = real_copy / "datasets" / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(old_digest, hashlib.sha256(seed.read_bytes()).hexdigest()),
        encoding="utf-8",
    )
    kept = {(f.file, f.check) for f in only_changed(check(real_copy), changed_rows(real_copy, "HEAD"))}
    assert ("datasets/claims.csv", "quote-not-in-source") in kept


def test_changed_since_checks_the_claims_of_a_changed_statistic(real_copy: Path) -> None:
    # A unit changed: the untouched claims that cite the statistic now state the wrong kind.
    _commit_all(real_copy)
    stats = real_copy / "datasets" / "statistics.csv"
    lines = stats.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if ",percent," in line)
    lines[at] = lines[at].replace(",percent,", ",count,", 1)
    stats.write_text("\n".join(lines), encoding="utf-8")
    report = check(real_copy)
    assert any(f.file == "datasets/claims.csv" for f in report)
    kept = only_changed(report, changed_rows(real_copy, "HEAD"))
    assert {f.check for f in kept if f.file == "datasets/claims.csv"} == {
        f.check for f in report if f.file == "datasets/claims.csv"
    }


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "no-such-ref"])
def test_changed_since_refuses_bad_refs(real_copy: Path, ref: str) -> None:
    _git(real_copy, "init", "-q")
    with pytest.raises(UsageError):
        changed_rows(real_copy, ref)


# --- did-you-mean, near copies, edit and remove ------------------------------------------------


def test_a_new_statistic_one_typo_from_an_existing_one_is_refused(real_copy: Path) -> None:
    before = _tree(real_copy)
    with pytest.raises(UsageError, match="nearly the id of 'oig-detainers-declined'"):
        add_claim(
            real_copy, source_id="western-journal-ice-counter-terrorism", statistic_id="oig-detainer-declined",
            quote="approximately 675 jurisdictions", value_text="approximately 675", counted_as="jurisdictions", meaning="same",
            description="A duplicate by mistake", unit="count",
        )  # fmt: skip
    assert _tree(real_copy) == before


def test_an_unknown_statistic_without_description_says_did_you_mean(real_copy: Path) -> None:
    with pytest.raises(UsageError, match="did you mean 'oig-detainers-declined'"):
        add_claim(
            real_copy, source_id="western-journal-ice-counter-terrorism", statistic_id="oig-detainers-declinde",
            quote="approximately 675 jurisdictions", value_text="approximately 675", counted_as="jurisdictions", meaning="same",
        )  # fmt: skip


def test_edit_claim_is_checked_and_keeps_other_rows(real_copy: Path) -> None:
    from validate.contributing.claims_edit import edit_claim, list_claims

    first = list_claims(real_copy)[0]
    with pytest.raises(InvalidData) as caught:
        edit_claim(real_copy, first["claim_id"], {"qualifier": "roughly"})
    assert next((f.row, f.column, f.check) for f in caught.value.report) == (2, "qualifier", "constraint-error")
    edit_claim(real_copy, first["claim_id"], {"note": "Edited."})
    assert list_claims(real_copy)[0]["note"] == "Edited."
    assert list(check(real_copy)) == []


def test_remove_claim_that_leaves_a_number_unaccounted_is_refused(real_copy: Path) -> None:
    from validate.contributing.claims_edit import list_claims, remove_claim

    before = _tree(real_copy)
    last = list_claims(real_copy)[-1]["claim_id"]
    with pytest.raises(InvalidData) as caught:
        remove_claim(real_copy, last)
    assert "number-not-accounted" in {f.check for f in caught.value.report}
    assert _tree(real_copy) == before


def test_remove_claim_findings_name_rows_as_the_file_has_them(make_root: Callable[..., Path]) -> None:
    """Removing row 2 moves the rows below it up in the trial copy: the fault already in row 4 is
    found at row 3 there, and is known for the old fault it is only if mapped back to row 4."""
    from roots import locations, set_cell

    from validate.contributing.claims_edit import remove_claim

    root = make_root()
    set_cell(root, "datasets/claims.csv", 4, "note", "=SUM(A1)")  # a fault the removal does not touch
    with pytest.raises(InvalidData) as caught:
        remove_claim(root, "county-declined-1234")
    assert locations(caught.value.report) == [("seeds/county-report.txt", None, None, "number-not-accounted")]


def test_exclude_picks_the_one_occurrence_left_and_refuses_ambiguity(make_root: Callable[..., Path]) -> None:
    root = make_root()
    rows = (root / "datasets" / "exclusions.csv").read_text(encoding="utf-8").split("\n")
    (root / "datasets" / "exclusions.csv").write_text(
        "\n".join(r for r in rows if not r.startswith("county-report,2019,")), encoding="utf-8"
    )
    with pytest.raises(UsageError, match="--occurrence N"):
        exclude(root, "county-report", "2019", "date")
    added = exclude(root, "county-report", "2019", "date", every=True)
    assert [r["occurrence"] for r in added] == ["1", "2"]
    assert list(check(root)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("county-report", "2019", "boring"), "is not one of"),
        (("county-repor", "2019", "date"), "did you mean 'county-report'"),
        (("county-report", "sheriff", "date"), "no number-like phrase"),
        (("county-report", "2016", "date"), "not in the text"),
    ],
)
def test_exclude_refuses_with_a_clear_message(
    make_root: Callable[..., Path], args: tuple[str, str, str], message: str
) -> None:
    root = make_root()
    before = _tree(root)
    with pytest.raises(UsageError, match=message):
        exclude(root, *args)
    assert _tree(root) == before


# --- the command line ---------------------------------------------------------------------------


def test_every_option_of_every_command_has_help() -> None:
    import argparse

    from validate.cli import _parser

    [sub] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [
        f"{name} {action.option_strings or action.dest}"
        for name, command in sub.choices.items()
        for action in command._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert missing == []


def test_root_is_an_option_everywhere_and_a_positional_one_is_refused_with_the_fix(
    make_root: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    assert main(["check", "--root", str(root)]) == 0
    capsys.readouterr()
    # Read as a root, `claims check .` inside datasets/ checked datasets/ and reported six
    # "missing" findings: a usage mistake that looked like invalid data.
    monkeypatch.chdir(root / "datasets")
    for command in ("check", "build"):
        assert main([command, "."]) == 2
        err = capsys.readouterr().err
        assert f"claims {command} --root ." in err and "Traceback" not in err
    assert main(["check"]) == 0  # found from inside, upward
    assert not (root / "datasets" / "build").exists()


def test_a_folder_that_is_no_dataset_root_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import validate

    (tmp_path / "empty").mkdir()
    assert main(["check", "--root", str(tmp_path / "empty")]) == 2
    assert "is not a dataset root (it has neither datapackage.json nor datasets/)" in capsys.readouterr().err
    for call in (validate.check, validate.build, validate.list_claims, validate.candidates):
        with pytest.raises(UsageError, match="is not a dataset root"):
            call(str(tmp_path / "empty"))


def test_cli_exclude_then_candidates_no_longer_lists_it(
    make_root: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    rows = (root / "datasets" / "exclusions.csv").read_text(encoding="utf-8").split("\n")
    (root / "datasets" / "exclusions.csv").write_text("\n".join(r for r in rows if ",2017," not in r), encoding="utf-8")
    assert main(["candidates", "--root", str(root)]) == 0
    assert "claims exclude county-report 2017 --occurrence 1 --reason date" in capsys.readouterr().out
    assert main(["exclude", "county-report", "2017", "--reason", "date", "--root", str(root)]) == 0
    assert main(["candidates", "--root", str(root)]) == 0
    assert capsys.readouterr().out.endswith("0 candidates\n")
    assert main(["check", "--root", str(root)]) == 0


def test_cli_statistics_ranks_by_words_and_value(
    make_root: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    assert (
        main(["statistics", "detainer", "requests", "--value", "1,234", "--root", str(root), "--format", "json"]) == 0
    )
    import json

    found = json.loads(capsys.readouterr().out)
    assert found[0]["statistic_id"] == "detainers-declined-2019"


def test_a_new_claims_id_is_cut_at_a_words_end_and_numbered_past_those_taken() -> None:
    from validate.contributing.add import new_claim_id, slug

    source, statistic = "capitol-ledger-detainer-hearing-2019", "oig-jurisdictions-declined-detainers"
    first = new_claim_id(source, statistic, set())
    # 64 characters at most, the contract's: 64 would end "...-detai", so a word less.
    assert first == "capitol-ledger-detainer-hearing-2019-oig-jurisdictions-declined"
    # Numbered, and cut again where the number needs the room (63 characters and "-2" are 65).
    second = new_claim_id(source, statistic, {first})
    assert second == "capitol-ledger-detainer-hearing-2019-oig-jurisdictions-2"
    many = {first} | {f"capitol-ledger-detainer-hearing-2019-oig-jurisdictions-{n}" for n in range(2, 10)}
    assert new_claim_id(source, statistic, many) == "capitol-ledger-detainer-hearing-2019-oig-jurisdictions-10"
    short = new_claim_id("a", "b", {"a-b"})
    assert short == "a-b-2"
    assert new_claim_id("watchdog-audit-2018", "oig-aliens-released-under-ice-supervision", set()) == (
        "watchdog-audit-2018-oig-aliens-released-under-ice-supervision"  # whole, where it fits
    )
    assert slug("a" * 70, 64) == "a" * 64  # one word longer than the limit is cut where it falls
    assert slug("Costs Rose, Again!") == "costs-rose-again"


_A_CLAIM = {
    "source_id": "western-journal-ice-counter-terrorism",
    "statistic_id": "oig-detainers-declined",
    "quote": "declined more than 29,269 detainers",
    "value_text": "more than 29,269",
    "counted_as": "detainers",
    "meaning": "same",
}


@pytest.mark.parametrize("folder", ["seeds", "datasets", "schema"])
def test_add_claim_refuses_a_linked_folder_before_copying_it(real_copy: Path, tmp_path: Path, folder: str) -> None:
    """seeds/ linked to /dev had add-claim's trial copy read a device forever; a FIFO stands in."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(real_copy / folder, elsewhere)
    os.mkfifo(elsewhere / "pipe")
    shutil.rmtree(real_copy / folder)
    (real_copy / folder).symlink_to(elsewhere, target_is_directory=True)
    before = _tree(real_copy)
    # Refused by the trial copy (seeds/), or already by the reading of a table or schema in it.
    with pytest.raises(UsageError, match=f"{folder}/?, which is a link|^{folder} is a link, and no link"):
        add_claim(real_copy, **_A_CLAIM)
    assert _tree(real_copy) == before


def test_add_claim_copies_no_fifo_of_seeds(real_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO in seeds/ is left out of the trial copy: where no hard link can be made (build/ on
    another file system, as /dev is) it was copied, and reading it waits for a writer forever.
    The check of the root reports it, so the claim is judged on its own."""
    os.mkfifo(real_copy / "seeds" / "pipe")

    def no_link(*_: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    with pytest.raises(InvalidData) as caught:
        quote = "refused to honor more than 29,296 ICE immigration detainer requests"
        add_claim(
            real_copy,
            **{**_A_CLAIM, "quote": quote, "value_text": "more than 29,296", "counted_as": "detainer requests"},
        )
    assert [(f.column, f.check) for f in caught.value.report] == [("quote", "quote-not-in-source")]


@pytest.mark.parametrize(
    "command",
    [["statistics"], ["candidates"], ["exclude", "western-journal-ice-counter-terrorism", "2017", "--reason", "date"]],
)
def test_a_schema_the_check_refuses_is_a_usage_error_for_every_command(
    real_copy: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A field named like a formula, or a schema that is no table schema, made these commands
    an internal error (exit 3)."""
    for table, text in (("statistics", '"+1"'), ("exclusions", None)):
        path = real_copy / "schema" / f"{table}.schema.json"
        if text is None:
            path.write_text('{"fields": 3}', encoding="utf-8")
        else:
            path.write_text(
                path.read_text(encoding="utf-8").replace('"name": "note"', f'"name": {text}', 1), encoding="utf-8"
            )
    assert main([*command, "--root", str(real_copy)]) == 2
    err = capsys.readouterr().err
    assert "schema/" in err and "restore it from the repository's schema/ folder" in err and "internal error" not in err


def test_claims_are_never_read_or_edited_through_a_link(real_copy: Path, tmp_path: Path) -> None:
    """claims.csv linked to a file outside the root: `claims claims` listed its rows, and
    edit-claim replaced the link with a file holding them."""
    from validate.contributing.claims_edit import edit_claim, list_claims

    outside = tmp_path / "outside.csv"
    outside.write_bytes((real_copy / CLAIMS).read_bytes())
    first = list_claims(real_copy)[0]["claim_id"]
    (real_copy / CLAIMS).unlink()
    (real_copy / CLAIMS).symlink_to(outside)
    for run in (lambda: list_claims(real_copy), lambda: edit_claim(real_copy, first, {"note": "hi"})):
        with pytest.raises(UsageError, match=r"datasets/claims\.csv"):
            run()
    assert (real_copy / CLAIMS).is_symlink()


def test_candidates_refuse_a_linked_seeds_folder(real_copy: Path, tmp_path: Path) -> None:
    """Each seed behind the link was refused in silence, and the command said "0 candidates"."""
    shutil.move(real_copy / "seeds", tmp_path / "seeds")
    (real_copy / "seeds").symlink_to(tmp_path / "seeds", target_is_directory=True)
    with pytest.raises(UsageError, match=r"^seeds is a link"):
        candidates(real_copy)


def test_exclude_reads_no_table_through_a_link(real_copy: Path, tmp_path: Path) -> None:
    """sources.csv linked to a file outside the root: exclude read it and offered its ids as
    did-you-mean, the outside file's content in the message."""
    outside = tmp_path / "outside.csv"
    outside.write_text("source_id,file\nTOPSECRET-api-key-12345,x\n", encoding="utf-8")
    (real_copy / "datasets" / "sources.csv").unlink()
    (real_copy / "datasets" / "sources.csv").symlink_to(outside)
    with pytest.raises(UsageError) as refused:
        exclude(real_copy, "TOPSECRET-api-key-1234", "5", "date")
    assert "datasets/sources.csv" in str(refused.value) and "12345" not in str(refused.value)


@pytest.mark.parametrize("command", ["add-claim", "remove-claim"])
def test_a_folder_in_seeds_past_the_path_limit_is_left_out_of_the_trial(
    real_copy: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Twenty nested folders of 250 characters: the trial copy passed the system's path limit
    and stopped with an internal error. The check names such a folder; the trial leaves it out."""
    name = "d" * 250
    nest_folders(real_copy / "seeds", name, 20, "x.txt")
    if command == "add-claim":
        c = _A_CLAIM
        args = [command, "--source", c["source_id"], "--statistic", c["statistic_id"], "--quote", c["quote"]]
        args += ["--value-text", c["value_text"], "--counted-as", c["counted_as"], "--meaning", "same"]
    else:
        from validate.contributing.claims_edit import list_claims

        args = [command, list_claims(real_copy)[0]["claim_id"]]
    status = main([*args, "--root", str(real_copy)])
    err = capsys.readouterr().err
    assert status in (0, 1) and "internal error" not in err, err[-500:]


def test_a_new_statistic_gets_its_note_and_a_note_without_one_is_refused(
    real_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_source(
        real_copy, _article(tmp_path), title="Costs rose", publisher="The Paper", kind="news", published="2019-05"
    )
    claim = ["add-claim", "--root", str(real_copy), "--source", "paper-2019", "--statistic", "paper-detainers-ignored-2019",
             "--quote", "nearly 4,000 detainers were ignored in 2019", "--value-text", "nearly 4,000",
             "--counted-as", "detainers were ignored", "--meaning", "same"]  # fmt: skip
    before = _tree(real_copy)
    assert main([*claim, "--statistic-note", "The Paper's own count."]) == 2
    assert (
        "--statistic-note describes a new statistic: give it with --description and --unit" in capsys.readouterr().err
    )
    assert _tree(real_copy) == before
    note = "The Paper's count, from the county's jail logs; no primary figure."
    assert (
        main([*claim, "--description", "Detainers ignored in 2019", "--unit", "count", "--statistic-note", note]) == 0
    )
    statistics = read_rows(real_copy / "datasets" / "statistics.csv")
    [row] = [r for r in statistics[1:] if r[0] == "paper-detainers-ignored-2019"]
    assert row[statistics[0].index("note")] == note


def test_the_meaning_question_shows_the_end_of_the_description_that_decides_it(real_copy: Path) -> None:
    # The description was cut at 200 characters, before "A count of requests, not of people.", the
    # sentence that decides whether "people" means what the statistic counts.
    claim = {
        "source_id": "western-journal-ice-counter-terrorism", "statistic_id": "oig-detainers-declined",
        "quote": "approximately 675 jurisdictions", "value_text": "approximately 675", "counted_as": "people",
    }  # fmt: skip
    with pytest.raises(UsageError) as caught:
        add_claim(real_copy, **claim)
    assert "A count of requests, not of people." in str(caught.value)
    # A description past what a message shows gives its beginning and its end.
    rows = read_rows(real_copy / STATISTICS)
    row = next(n for n, r in enumerate(rows) if r[0] == "oig-detainers-declined")  # the header is row 1
    set_cell(real_copy, STATISTICS, row + 1, "description", "Requests. " + "More words. " * 100 + "Not of people.")
    with pytest.raises(UsageError) as caught:
        add_claim(real_copy, **claim)
    assert "'Requests. More words." in str(caught.value) and " … " in str(caught.value)
    assert "Not of people.'" in str(caught.value)
