"""Arguments that are not UTF-8: a command-line byte that is not UTF-8 reaches Python as a lone
surrogate (PEP 383), which no UTF-8 file can hold. edit-claim and remove-claim refuse it as a
usage error naming the option, before reading or writing anything."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from validate import cli
from validate.contributing.claims_edit import edit_claim, remove_claim
from validate.errors import UsageError, not_utf8

CLAIM = "county-docket-2-4m"


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    "option",
    [
        "--quote",
        "--value-text",
        "--counted-as",
        "--value",
        "--qualifier",
        "--meaning",
        "--period-start",
        "--period-end",
        "--attributed-to",
        "--note",
        "--period-basis",
        "--duration",
        "--attribution",
        "--via",
        "--differs-in",
        "--statistic",
    ],
)
def test_an_edit_claim_option_that_is_not_utf8_is_a_usage_error(
    make_root: Callable[..., Path], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_root()
    before = _tree(root)
    status = cli.main(["edit-claim", "--root", str(root), CLAIM, option, "a\udcff"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_USAGE
    assert f"{option} is not valid UTF-8 (it holds the byte 0xff)" in err
    assert "internal error" not in err
    assert _tree(root) == before


def test_a_claim_id_that_is_not_utf8_is_a_usage_error(make_root: Callable[..., Path]) -> None:
    root = make_root()
    before = _tree(root)
    with pytest.raises(UsageError, match="the claim id is not valid UTF-8"):
        edit_claim(root, CLAIM + "\udcff", {"note": "x"})
    with pytest.raises(UsageError, match="the claim id is not valid UTF-8"):
        remove_claim(root, CLAIM + "\udcff")
    assert _tree(root) == before


def test_what_is_not_utf8_is_named() -> None:
    assert not_utf8("plain, and ünïcode") is None
    assert not_utf8("a\udc80b") == "the byte 0x80"
    assert not_utf8("\ud800") == "the lone surrogate U+D800"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["add-source", "--title", "T\udcff", "--publisher", "P", "--kind", "news", "x.txt"], "--title"),
        (
            [
                *("add-claim", "--source", "county-report", "--statistic", "s"),
                *("--quote", "q\udcff", "--value-text", "1", "--counted-as", "c"),
            ],
            "--quote",
        ),
        (["exclude", "county-report", "2019", "--reason", "date", "--note", "n\udcff"], "--note"),
        (["statistics", "detainers\udcff"], "the words"),
        (["sql", "SELECT '\udcff'"], "the query"),
    ],
)
def test_every_commands_text_arguments_must_be_utf8(
    make_root: Callable[..., Path], argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """add-source, add-claim and exclude wrote their rows and failed there (UnicodeEncodeError, an
    internal error): every text argument is refused before the command runs, by its name."""
    root = make_root()
    before = _tree(root)
    status = cli.main([argv[0], "--root", str(root), *argv[1:]])
    err = capsys.readouterr().err
    assert status == cli.EXIT_USAGE, err
    assert f"{named} is not valid UTF-8 (it holds the byte 0xff)" in err
    assert _tree(root) == before


@pytest.mark.parametrize("command", ["edit", "remove"])
def test_a_claim_id_on_two_rows_is_refused_naming_both(make_root: Callable[..., Path], command: str) -> None:
    # The first of the two rows was changed, and the command said so, the other left as it was.
    from roots import CLAIMS, read_rows, write_rows

    root = make_root()
    rows = read_rows(root / CLAIMS)
    twin = next(r for r in rows if r[0] == CLAIM)
    write_rows(root / CLAIMS, [*rows, list(twin)])
    before = _tree(root)
    with pytest.raises(UsageError, match=rf"claim '{CLAIM}' is on more than one row .*\(rows 3, {len(rows) + 1}\)"):
        if command == "edit":
            edit_claim(root, CLAIM, {"note": "hello"})
        else:
            remove_claim(root, CLAIM)
    assert _tree(root) == before
