"""A claim that records the same words of a source as an earlier claim (validate.rules.claim_repeats)."""

from __future__ import annotations

import polars as pl
from conftest import MakeRoot
from roots import CLAIMS, add_row, locations, read_rows

import validate
from validate.rules.claim_repeats import repeat_of
from validate.rules.columns import QUOTE_NORM, VALUE_TEXT_NORM


def _frame(rows: list[tuple[str, str | None, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["claim_id", "source_id", QUOTE_NORM, VALUE_TEXT_NORM], orient="row")


def test_each_repeat_names_the_first_claim_of_its_words() -> None:
    frame = _frame(
        [
            ("a", "s", "700 were held", "700"),
            ("b", "s", "700 were held, 800 released", "800"),
            ("c", "s", "700 were held", "700"),  # a of source s again
            ("d", "t", "700 were held", "700"),  # another source: another citation
            ("e", "s", "700 were held, 800 released", "700"),  # the same quote, another number
            ("f", "s", "700 were held", "700"),  # a again, not c
            ("g", None, "700 were held", "700"),  # an empty key cell is another rule's finding
            ("h", None, "700 were held", "700"),
        ]
    )
    assert repeat_of(frame).to_list() == [None, None, "a", None, None, "a", None, None]


def test_no_repeat_reads_nothing_past_the_hashes() -> None:
    assert repeat_of(_frame([("a", "s", "q", "v"), ("b", "s", "q", "w")])).null_count() == 2


def test_a_claim_added_twice_is_refused_naming_the_first(make_root: MakeRoot) -> None:
    root = make_root()
    rows = read_rows(root / CLAIMS)
    twin = dict(zip(rows[0], rows[3], strict=True)) | {"claim_id": "again", "statistic_id": "docket-2017-06"}
    row = add_row(root, CLAIMS, **twin)
    report = validate.check(root)
    assert (CLAIMS, row, "quote", "claim-repeated") in locations(report)
    [finding] = [f for f in report if f.check == "claim-repeated"]
    assert "claim 'again' records the same words of source 'county-report' as claim 'county-released-quarter'" in (
        finding.message
    )
