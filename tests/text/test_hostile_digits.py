"""Hostile pull requests, numbers: whatever `check` accepts, `build` builds. Digits of other
scripts are findings with a fix hint, never an internal error; a property test generates claims
(quote, value text, value, free text) that check valid and builds them."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import MakeRoot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from roots import CLAIMS, SOURCES, build_root, locations, read_rows, set_cell, write_rows

from validate.cli import EXIT_INTERNAL, main
from validate.publishing.build import build
from validate.rules.check import check
from validate.text.value_text import ValueTextError, parse_value_text, plain_number

ARABIC_675 = "\u0666\u0667\u0665"
FULLWIDTH_675 = "\uff16\uff17\uff15"


@pytest.mark.parametrize("digits", [ARABIC_675, FULLWIDTH_675, "6\u00b2", "\U0001d7d46"])
def test_a_value_in_other_digits_is_a_type_error(make_root: MakeRoot, digits: str) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 2, "value", digits)
    report = check(root)
    assert (CLAIMS, 2, "value", "type-error") in locations(report)
    assert any("ASCII digits (0-9)" in f.message for f in report if f.column == "value")


@pytest.mark.parametrize("text", [FULLWIDTH_675, f"about {ARABIC_675}", f"more than {FULLWIDTH_675}", "1\u00b2"])
def test_a_value_text_in_other_digits_is_a_finding_not_an_internal_error(make_root: MakeRoot, text: str) -> None:
    root = make_root()
    set_cell(root, CLAIMS, 2, "value_text", text)
    assert main(["check", "--root", str(root), "--format", "json"]) != EXIT_INTERNAL
    found = [f for f in check(root) if f.check == "non-ascii-digit"]
    assert [(f.row, f.column) for f in found] == [(2, "value_text")]
    assert "type the number with the digits 0-9" in found[0].message


# Free text as a source may hold it: letters, other scripts' digits, curly quotes, dashes,
# non-breaking and wide spaces, combining marks, an emoji.
_WORDS = st.text(
    alphabet=st.sampled_from(
        [
            *"abcxyz ,.;'\"-",
            "é",
            "\u0301",
            "\u2019",
            "\u201c",
            "\u2014",
            "\u00a0",
            "\u3000",
            "ß",
            "字",
            "😀",
            "\u0666",
            "\uff16",
            "ﬁ",
        ]
    ),
    min_size=0,
    max_size=30,
)
_VALUE_TEXTS = st.one_of(
    st.integers(0, 10**9).map(lambda n: f"{n:,}"),
    st.integers(0, 10**6).map(lambda n: f"about {n:,}"),
    st.integers(0, 10**6).map(lambda n: f"more than {n:,}"),
    st.integers(1, 999).map(lambda n: f"{n / 10:g} million"),
    st.sampled_from(["four", "tens of thousands", "nearly a quarter", "every single", "twenty-three", "2.4 million"]),
    _WORDS,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=_WORDS, value_text=_VALUE_TEXTS, after=_WORDS, note=_WORDS, counted=st.sampled_from(["people", "détenus"])
)
def test_what_check_accepts_build_builds(before: str, value_text: str, after: str, note: str, counted: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_root(Path(tmp) / "root")
        quote = f"{before} {value_text} {counted} {after}".strip()
        try:
            parsed = parse_value_text(value_text)
            value, qualifier = plain_number(parsed.value), parsed.qualifier
        except ValueTextError:
            value, qualifier = "1", "exact"
        # The quote is archived in the seed of county-report, after what its other claims quote.
        seed = root / "seeds" / "county-report.txt"
        data = seed.read_bytes() + b"\n" + quote.encode("utf-8") + b"\n"
        seed.write_bytes(data)
        sources = read_rows(root / SOURCES)
        sources[1][sources[0].index("sha256")] = hashlib.sha256(data).hexdigest()
        write_rows(root / SOURCES, sources)
        claims = read_rows(root / CLAIMS)
        head = claims[0]
        cells = {
            "quote": quote,
            "value_text": value_text,
            "value": value,
            "qualifier": qualifier,
            "counted_as": counted,
            "note": note,
            "period_start": "",
            "period_end": "",
        }
        for column, cell in cells.items():
            claims[1][head.index(column)] = cell
        write_rows(root / CLAIMS, claims)
        if not check(root).valid:
            event("invalid")
            return
        event("valid, built")
        result = build(root)  # must not raise: the check said the dataset is valid
        assert result.rows["claims"] == len(claims) - 1
        shutil.rmtree(root)


def test_a_number_too_large_to_read_is_a_value_text_error() -> None:
    """Ten million digits overflowed decimal's context (decimal.Overflow, an internal error)
    where the reader is handed words without a length limit (add-claim's --value-text)."""
    with pytest.raises(ValueTextError, match="too large"):
        parse_value_text("1" * 10_000_000)
