"""A character a reader does not see (a word joiner, a zero-width space, a soft hyphen) beside a
number: the quote still matches the source as it holds it, but a cut or a hedge left outside is
judged as a reader sees the text. A seed's "more than\u2060 29,269" passed a claim of "29,269"
(and the build then charged the source with dropping the hedge it prints), and "2\u200b900" a
claim of "2", since the character stood between the words where the rules looked for one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import CLAIMS, add_row, append_lines, locations

from validate import Finding, check

WORD_JOINER, ZERO_WIDTH_SPACE, SOFT_HYPHEN = "\u2060", "\u200b", "\u00ad"


def _claim(
    root: Path, claim_id: str, quote: str, value_text: str, value: str, qualifier: str, counted_as: str = "requests"
) -> int:
    return add_row(
        root, CLAIMS, claim_id=claim_id, source_id="county-report", statistic_id="detainers-declined-2019",
        quote=quote, value_text=value_text, value=value, qualifier=qualifier, period_start="2019",
        period_end="2019", period_basis="stated", counted_as=counted_as, meaning="same",
    )  # fmt: skip


def _of(report: list[Finding], row: int) -> list[Finding]:
    return [f for f in report if f.file == CLAIMS and f.row == row]


@pytest.mark.parametrize("unseen", [WORD_JOINER, SOFT_HYPHEN, ZERO_WIDTH_SPACE + ZERO_WIDTH_SPACE])
def test_a_hedge_behind_an_unseen_character_is_read_as_a_reader_reads_it(make_root: MakeRoot, unseen: str) -> None:
    root = make_root()
    append_lines(root, "county-report", [f"The audit counted more than{unseen} 5,555 declined requests."])
    row = _claim(root, "hidden-hedge", "5,555 declined requests", "5,555", "5555", "exact")
    [finding] = _of(check(root), row)
    assert finding.check == "qualifier-outside-value-text"
    assert "leaves out 'more than'" in finding.message
    assert "source holds U+" in finding.message and "which shows nothing" in finding.message


def test_a_number_split_by_an_unseen_character_is_one_number(make_root: MakeRoot) -> None:
    root = make_root()
    append_lines(root, "county-report", [f"The new audit identified 7{ZERO_WIDTH_SPACE}345 requests in 2019."])
    quote_row = _claim(root, "cut-quote", "The new audit identified 7", "7", "7", "exact", "audit")
    value_row = _claim(root, "cut-value", f"identified 7{ZERO_WIDTH_SPACE}345 requests", "7", "7", "exact")
    report = check(root)
    [quote_cut] = _of(report, quote_row)
    assert quote_cut.check == "quote-cuts-word"
    assert "ends inside '7345'" in quote_cut.message and "U+200B ZERO WIDTH SPACE" in quote_cut.message
    [value_cut] = _of(report, value_row)
    assert value_cut.check == "value-text-cuts-word"
    assert "U+200B ZERO WIDTH SPACE" in value_cut.message


def test_a_claim_that_keeps_the_unseen_character_as_the_source_holds_it_passes(make_root: MakeRoot) -> None:
    root = make_root()
    append_lines(
        root, "county-report",
        [f"The audit counted more than{WORD_JOINER} 5,555 declined requests. It found 7{ZERO_WIDTH_SPACE}345 requests."],
    )  # fmt: skip
    hedge = _claim(
        root, "kept-hedge", f"more than{WORD_JOINER} 5,555 declined requests", f"more than{WORD_JOINER} 5,555", "5555",
        "more_than",
    )  # fmt: skip
    whole = _claim(
        root, "kept-number", f"It found 7{ZERO_WIDTH_SPACE}345 requests", f"7{ZERO_WIDTH_SPACE}345", "7345", "exact"
    )
    report = check(root)
    assert _of(report, hedge) == [] and _of(report, whole) == []
    # The only findings are the new numbers' coverage, none of them about the two claims.
    assert {c for *_, c in locations(report)} <= {"number-not-accounted"}


def test_an_unseen_character_away_from_the_claim_changes_nothing(make_root: MakeRoot) -> None:
    root = make_root()
    append_lines(root, "county-report", [f"Immi{SOFT_HYPHEN}gration officers counted 5,555 declined requests."])
    row = _claim(root, "plain", "officers counted 5,555 declined requests", "5,555", "5555", "exact")
    assert _of(check(root), row) == []
