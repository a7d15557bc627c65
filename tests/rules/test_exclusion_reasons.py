"""The no-bound reason against the value reader: words it reads as a value state a bound."""

from __future__ import annotations

import pytest
from conftest import MakeRoot
from roots import EXCLUSIONS, add_row, read_rows, write_rows

from validate import check
from validate.rules.contract import EXCLUSION_REASONS
from validate.rules.exclusion_reasons import bounded_reading, reasons_for


@pytest.mark.parametrize("words", ["many", "several", "a myriad of", "a number of", "multiple", "a few", "Many"])
def test_words_that_imply_no_interval_have_no_reading(words: str) -> None:
    assert bounded_reading(words) is None


@pytest.mark.parametrize(
    ("words", "reading"),
    [
        ("Dozens", "'Dozens' reads as order_of_magnitude 12"),
        ("hundreds of", "'hundreds' reads as order_of_magnitude 100"),
        ("2017", "'2017' reads as exact 2017"),
        ("many of the 40", "'40' reads as exact 40"),  # the first phrase that states a bound
    ],
)
def test_words_the_value_reader_reads_state_a_bound(words: str, reading: str) -> None:
    assert bounded_reading(words) == reading


def test_words_longer_than_the_reader_reads_are_left_to_the_length_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile schema may drop text's maxLength: megabytes of 'many' with reason no-bound took
    37 s to read, and ten million digits raised decimal.Overflow. Such a text is not read."""
    import polars as pl

    from validate.rules import exclusion_reasons

    read: list[str] = []
    monkeypatch.setattr(exclusion_reasons, "bounded_reading", lambda t: read.append(t) or None)
    rows = pl.DataFrame({"reason": ["no-bound", "no-bound"], "text": ["many " * 100_000, "Dozens"]})
    assert exclusion_reasons._passes(rows.to_struct("r")).to_list() == [True, True]
    assert read == ["Dozens"]


def test_the_refusal_names_the_rows_source_and_the_reasons_left(make_root: MakeRoot) -> None:
    """The fix is a command to run: the source's own id in it, not a placeholder, and the
    reasons it may give instead, no-bound not among them."""
    root = make_root()
    add_row(root, EXCLUSIONS, source_id="county-report", text="1,234", occurrence="1", reason="no-bound")
    [finding] = [f for f in check(root) if f.check == "no-bound-with-bound"]
    assert "Claim the number (claims candidates county-report), or give the reason it is not a statistic (one of " in (
        finding.message
    )
    assert finding.message.endswith(f"(one of {', '.join(r for r in EXCLUSION_REASONS if r != 'no-bound')})")


@pytest.mark.parametrize(("words", "no_bound"), [("1,234", False), ("2019", False), ("many", True), ("Dozens", False)])
def test_an_unaccounted_number_is_offered_no_bound_only_where_it_implies_none(words: str, no_bound: bool) -> None:
    assert ("no-bound" in reasons_for(words)) is no_bound
    assert set(reasons_for(words)) | {"no-bound"} == set(EXCLUSION_REASONS)


def test_the_coverage_finding_offers_the_reasons_its_words_allow(make_root: MakeRoot) -> None:
    root = make_root()
    remove = [r for r in read_rows(root / EXCLUSIONS) if r[1] == "2019" and r[2] == "1"]
    write_rows(root / EXCLUSIONS, [r for r in read_rows(root / EXCLUSIONS) if r not in remove])
    [finding] = [f for f in check(root) if f.check == "number-not-accounted"]
    assert "--reason REASON, a reason of: furniture, age, enumeration, date, duration, not-a-statistic)" in (
        finding.message
    )
