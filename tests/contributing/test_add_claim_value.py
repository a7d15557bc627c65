"""add-claim with a value_text the value reader cannot read: one finding, on the value_text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from roots import replace_seed, tree_digest

from validate.contributing.add import add_claim
from validate.errors import InvalidData

MakeRoot = Callable[..., Path]
QUOTE = "It got 1e6 requests, and every single file was read."


@pytest.fixture
def root(make_root: MakeRoot) -> Path:
    root = make_root()
    seed = (root / "seeds" / "blog-post.txt").read_text(encoding="utf-8")
    replace_seed(root, "blog-post.txt", (seed + QUOTE + "\n").encode("utf-8"))
    return root


def _refused(root: Path, value_text: str, **given: str) -> list[tuple[str | None, str, str]]:
    with pytest.raises(InvalidData) as caught:
        add_claim(root, source_id="blog-post", statistic_id="detainers-declined-2019", quote=QUOTE,
                  value_text=value_text, counted_as="requests", meaning="same", **given)  # fmt: skip
    return [(f.column, f.check, f.message) for f in caught.value.report]


@pytest.mark.parametrize("value_text", ["every single file", "1e6"])
def test_an_unreadable_value_text_is_one_finding_that_says_where_value_and_qualifier_come_from(
    root: Path, value_text: str
) -> None:
    [(column, code, message)] = _refused(root, value_text)
    assert (column, code) == ("value_text", "value-text-unparsed")
    assert message.endswith(
        "(add-claim reads value and qualifier from these words, so they cannot be set either: they follow once the "
        "words read; --value and --qualifier would set them otherwise)"
    )


def test_only_the_cell_not_given_is_said_to_come_from_the_words(root: Path) -> None:
    [(column, code, message)] = _refused(root, "1e6", value="1000000")
    assert (column, code) == ("value_text", "value-text-unparsed")
    assert message.endswith("--qualifier would set it otherwise)")


def test_with_both_cells_given_the_finding_is_the_checks_own(root: Path) -> None:
    [(column, code, message)] = _refused(root, "1e6", value="1000000", qualifier="exact")
    assert (column, code) == ("value_text", "value-text-unparsed")
    assert "add-claim reads" not in message


def test_other_findings_of_the_row_are_kept(root: Path) -> None:
    before = tree_digest(root / "datasets")
    with pytest.raises(InvalidData) as caught:
        add_claim(root, source_id="blog-post", statistic_id="detainers-declined-2019", quote=QUOTE,
                  value_text="1e6", counted_as="detainers", meaning="same")  # fmt: skip
    assert [(f.column, f.check) for f in caught.value.report] == [
        ("counted_as", "counted-as-not-in-quote"),
        ("value_text", "value-text-unparsed"),
    ]
    assert tree_digest(root / "datasets") == before  # nothing written
