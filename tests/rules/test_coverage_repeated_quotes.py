"""The coverage rule on quotes that stand in many places, overlapping ones included: a hostile
seed of "1 1 1 ... 1" and claims quoting "1", "1 1", "1 1 1", ... made the rule state one span per
claim and place (200,000 places and 100 claims: 34 s and 3.5 GB). The places are now read as
runs and each span is stated once; these tests bound the spans by the text's size and check
they answer the rule's question as every place, found one by one, would."""

from __future__ import annotations

import random

import polars as pl
import pytest
from conftest import MakeRoot
from roots import CLAIMS, add_row, locations, read_rows, replace_seed

from validate import check
from validate.rules import claimed_spans as claimed_spans_module
from validate.rules.claimed_spans import Covered, claimed_spans, inside_none
from validate.rules.context import readable_texts
from validate.rules.coverage import _claimed
from validate.text.quote_places import QuotePlaces

Spans = set[tuple[int, int]]


def _every_place(text: str, quote: str) -> list[int]:
    """Each place of `quote` in `text`, overlapping ones included, found one by one."""
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _reference(text: str, pairs: list[tuple[str, str]]) -> Spans:
    """The spans the pairs (quote, value_text: normalised, the value in its quote) state."""
    return {
        (at + quote.find(value), at + quote.find(value) + len(value))
        for quote, value in pairs
        for at in _every_place(text, quote)
    }


def _outermost(spans: Spans) -> Spans:
    """The spans no other holds: those the rule's question (does a span hold this number?) needs."""
    frame = pl.DataFrame(
        [("s", a, b) for a, b in spans],
        schema={"source_id": pl.String, "start": pl.Int64, "end": pl.Int64},
        orient="row",
    )
    return set(inside_none(frame).select("start", "end").iter_rows())


def _ones(count: int, between: str = " ") -> str:
    return between.join(["1"] * count)


def _claimed_frame(text: str, pairs: list[tuple[str, str]]) -> pl.DataFrame:
    """_claimed's spans of claims of one source, given as the check gives them (enriched, ASCII)."""
    rows = [("s", q, v, text.find(q), q.find(v)) for q, v in pairs]
    claims = pl.DataFrame(
        rows, schema=["source_id", "_quote_norm", "_value_text_norm", "_quote_at", "_value_text_at"], orient="row"
    )
    sources = pl.DataFrame({"source_id": ["s"], "_text": [text]})
    spans, unlocated = _claimed(claims, readable_texts(sources))
    assert unlocated == set()
    return spans


def test_quotes_standing_everywhere_state_each_span_once() -> None:
    """Twenty quotes "1", "1 1", ... with the value_text "1", each standing some 2,000 times in
    a seed of 2,000 "1"s: one span a "1", not one a claim and place (some 40,000 before)."""
    text = _ones(2000)
    pairs = [(_ones(i + 1), "1") for i in range(20)]
    spans = _claimed_frame(text, pairs)
    assert spans.height == 2000
    assert set(spans.select("start", "end").iter_rows()) == _reference(text, pairs)
    assert len(claimed_spans(text, pairs)) == 2000


def test_value_texts_of_many_lengths_keep_the_outermost_spans() -> None:
    """Forty value texts "1", "11", ... in quotes one "1" longer, each standing at nearly every
    place of 3,000 "1"s: some 120,000 spans, all but one a place inside a longer one. The spans
    no other holds are kept (at most one a character), which answer the rule alike."""
    text = _ones(3000, "")
    pairs = [(_ones(i + 2, ""), _ones(i + 1, "")) for i in range(40)]
    spans = _claimed_frame(text, pairs)
    assert spans.height <= len(text) + 1
    assert set(spans.select("start", "end").iter_rows()) == _outermost(_reference(text, pairs))
    assert len(claimed_spans(text, pairs)) <= len(text) + 1


@pytest.mark.parametrize("seed", range(60))
def test_runs_are_every_place(seed: int) -> None:
    """A quote's runs are exactly its places, on texts that repeat, in part, with some period:
    overlapping places ("1 1" in "1 1 1"), places a period apart that do not overlap, and
    stretches broken off by another word."""
    rng = random.Random(seed)
    unit = "".join(rng.choice("1 a") for _ in range(rng.randint(1, 4)))
    text = "".join(
        unit * rng.randint(1, 30) + rng.choice(["", "x", "1", " 1", unit[:-1]]) for _ in range(rng.randint(1, 8))
    )
    # One text's searches share the stretches they compared: met again in any order, joined.
    searched = QuotePlaces(text)
    for _ in range(20):
        a = rng.randrange(len(text))
        quote = text[a : a + rng.randint(1, 3 * len(unit) + 3)]
        places = [at + k * step for at, step, count in searched.runs(quote) for k in range(count)]
        assert places == _every_place(text, quote), (text, quote)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("outermost", [False, True])
def test_spans_answer_as_every_place_would(seed: int, outermost: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """On repetitive texts with random quotes and value texts: every span, stated once (or, made to
    keep the outermost only, those no other holds); and Covered answers alike for every span of
    the text either way."""
    if outermost:
        monkeypatch.setattr(claimed_spans_module, "_EXACT_SPANS", -(10**9))
    rng = random.Random(seed)
    unit = rng.choice(["1 ", "12 ", "1 a ", "11", "1 2 1 "])
    text = (unit * rng.randint(5, 40) + rng.choice(["", "3", "1 1"])) * rng.randint(1, 3)
    pairs = []
    for _ in range(rng.randint(1, 25)):
        a = rng.randrange(len(text))
        quote = text[a : a + rng.randint(1, 12)].strip()
        b = rng.randrange(len(quote) + 1)
        value = quote[b : b + rng.randint(1, 6)].strip()
        if quote and any(c.isdigit() for c in value):
            pairs.append((quote, value))
    if not pairs:
        return
    expected = _reference(text, pairs)
    got = set(claimed_spans(text, pairs))
    assert got == (_outermost(expected) if outermost else expected)
    mine, theirs = Covered(sorted(got)), Covered(sorted(expected))
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 8) + 1):
            assert mine.contains(start, end) == theirs.contains(start, end)


def test_the_check_reports_only_the_number_no_claim_states(make_root: MakeRoot) -> None:
    """End to end, on a seed with 2,000 "1"s quoted by twenty claims: the one number outside
    them is the only finding."""
    root = make_root()
    seed = root / "seeds" / "blog-post.txt"
    # First in the text: a quote "1" must first stand whole, not inside the "1,234" further on.
    replace_seed(root, "blog-post.txt", f"They counted {_ones(2000)}; and 25 more.\n".encode() + seed.read_bytes())
    header, first = read_rows(root / CLAIMS)[:2]
    model = dict(zip(header, first, strict=True))
    for i in range(20):
        add_row(
            root,
            CLAIMS,
            **{
                **model,
                "claim_id": f"ones-{i}",
                "source_id": "blog-post",
                "quote": _ones(i + 1),
                "value_text": "1",
                "value": "1",
                "qualifier": "exact",
                "counted_as": "1",
                "note": "",
            },
        )
    report = check(root)
    assert locations(report) == [("seeds/blog-post.txt", None, None, "number-not-accounted")]
    assert report.findings[0].message.startswith("'25'")
