"""`claims edit-claim`: checked as add-claim is, the ids it is given and the value its words state."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import replace_seed

from validate import check
from validate.contributing.claims_edit import edit_claim
from validate.errors import InvalidData, UsageError


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    ("column", "typo", "closest"),
    [("statistic_id", "docket-2017-6", "docket-2017-06"), ("source_id", "county-reprot", "county-report")],
)
def test_an_unknown_id_is_refused_with_the_closest(
    make_root: Callable[..., Path], column: str, typo: str, closest: str
) -> None:
    root = make_root()
    before = _tree(root)
    with pytest.raises(UsageError, match=f"did you mean '{closest}'"):
        edit_claim(root, "county-docket-2-4m", {column: typo})
    assert _tree(root) == before


def test_new_words_give_the_claim_their_value_and_qualifier(make_root: Callable[..., Path]) -> None:
    """ "About 2.4 million" edited to "2.4 million" states an exact value, as add-claim would read it
    (in a source that says "Exactly" where the fixture's says "About": value_text holds any
    qualifier the source says before it)."""
    root = make_root()
    seed = root / "seeds" / "county-report.txt"
    replace_seed(root, "county-report.txt", seed.read_bytes().replace(b"About 2.4", b"Exactly 2.4"))
    quote = "Exactly 2.4 million people were on ICE's docket as of June 2017"
    edited = edit_claim(root, "county-docket-2-4m", {"quote": quote, "value_text": "2.4 million"})
    assert (edited["value"], edited["qualifier"]) == ("2400000", "exact")
    assert list(check(root)) == []


def test_words_the_reader_cannot_read_are_refused_and_the_row_kept(make_root: Callable[..., Path]) -> None:
    root = make_root()
    before = _tree(root)
    with pytest.raises(InvalidData) as caught:
        edit_claim(root, "county-docket-2-4m", {"value_text": "About 2.4 millions"})
    assert "value-text-unparsed" in {f.check for f in caught.value.report}
    assert _tree(root) == before
