"""Reading value_text as (qualifier, value), and the one normalisation quotes are matched under."""

from __future__ import annotations

import re
import tracemalloc
import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validate.kernels import cells as cell_kernels
from validate.rules.claims import _parse_table
from validate.text.normalise import normalise, normalise_series_nfkc, unchanged_by_normalise
from validate.text.value_text import ValueTextError, parse_value_text, plain_number

# (value_text, qualifier, value, kind)
READS = [
    # digits, separators, decimals
    ("675", "exact", 675, "count"),
    ("29,269", "exact", 29_269, "count"),
    ("1,234,567", "exact", 1_234_567, "count"),
    ("1,234.5", "exact", 1_234.5, "count"),
    ("0", "exact", 0, "count"),
    ("29,269.", "exact", 29_269, "count"),  # sentence punctuation around it is not part of it
    # scale words
    ("2.4 million", "exact", 2_400_000, "count"),
    ("2.4\u00a0million", "exact", 2_400_000, "count"),
    ("2.4 Million", "exact", 2_400_000, "count"),
    ("1.5 billion", "exact", 1_500_000_000, "count"),
    ("10 thousand", "exact", 10_000, "count"),
    ("two million", "exact", 2_000_000, "count"),
    # percent
    ("70%", "exact", 70, "percent"),
    ("1.4 percent", "exact", 1.4, "percent"),
    ("12 per cent", "exact", 12, "percent"),
    ("0.5%", "exact", 0.5, "percent"),
    # money
    ("$5 million", "exact", 5_000_000, "usd"),
    ("10 dollars", "exact", 10, "usd"),
    # number words
    ("four", "exact", 4, "count"),
    ("Four", "exact", 4, "count"),
    ("twenty-three", "exact", 23, "count"),
    ("a dozen", "exact", 12, "count"),
    ("half a dozen", "exact", 6, "count"),  # six, not the share "half"
    ("about a half-dozen", "approximately", 6, "count"),
    ("a half dozen", "exact", 6, "count"),
    # a share of a scale; a number and a half
    ("half a million", "exact", 500_000, "count"),
    ("nearly half a million", "nearly", 500_000, "count"),
    ("a half-million", "exact", 500_000, "count"),
    ("half-a-million", "exact", 500_000, "count"),
    ("a quarter million", "exact", 250_000, "count"),
    ("more than a quarter of a million", "more_than", 250_000, "count"),
    ("three-quarters of a million", "exact", 750_000, "count"),
    ("$half a billion", "exact", 500_000_000, "usd"),
    ("one and a half million", "exact", 1_500_000, "count"),
    ("two and a half million", "exact", 2_500_000, "count"),
    ("a million and a half", "exact", 1_500_000, "count"),
    ("a dozen and a half", "exact", 18, "count"),  # half of a dozen, not of one
    ("ten and a half percent", "exact", 10.5, "percent"),
    # a quantity word before a scale or a magnitude: an order of magnitude
    ("several thousand", "order_of_magnitude", 1_000, "count"),
    ("a few hundred", "order_of_magnitude", 100, "count"),
    ("a few hundred thousand", "order_of_magnitude", 100_000, "count"),
    ("several dozen", "order_of_magnitude", 12, "count"),
    ("many thousands", "order_of_magnitude", 1_000, "count"),
    ("many hundreds of thousands", "order_of_magnitude", 100_000, "count"),
    ("all three", "exact", 3, "count"),
    # shares, in percent
    ("a quarter", "exact", 25, "percent"),
    ("one in four", "exact", 25, "percent"),
    ("three quarters", "exact", 75, "percent"),
    ("two-thirds", "exact", 200 / 3, "percent"),  # hyphenated, as often written
    ("one-half", "exact", 50, "percent"),
    ("half", "exact", 50, "percent"),
    ("all", "exact", 100, "percent"),
    ("none", "exact", 0, "percent"),
    ("nearly a quarter", "nearly", 25, "percent"),
    ("almost all", "nearly", 100, "percent"),
    ("over half", "more_than", 50, "percent"),
    ("the majority", "more_than", 50, "percent"),
    # magnitudes
    ("tens of thousands", "order_of_magnitude", 10_000, "count"),
    ("Tens of thousands", "order_of_magnitude", 10_000, "count"),
    ("hundreds of thousands", "order_of_magnitude", 100_000, "count"),
    ("thousands", "order_of_magnitude", 1_000, "count"),
    ("millions", "order_of_magnitude", 1_000_000, "count"),
    # qualifier words
    ("more than 29,269", "more_than", 29_269, "count"),
    ("More than 29,269", "more_than", 29_269, "count"),
    ("over 2.4 million", "more_than", 2_400_000, "count"),
    ("upwards of 2,000", "more_than", 2_000, "count"),
    ("in excess of 9%", "more_than", 9, "percent"),
    ("at least 5", "at_least", 5, "count"),
    ("no fewer than 7", "at_least", 7, "count"),
    ("nearly 30,000", "nearly", 30_000, "count"),
    ("(N)early 30,000", "nearly", 30_000, "count"),  # an editor's bracketed capital
    ("almost 40%", "nearly", 40, "percent"),
    ("just under 1,000", "nearly", 1_000, "count"),
    ("approximately 675", "approximately", 675, "count"),
    ("about 2.4 million", "approximately", 2_400_000, "count"),
    ("roughly 1,000", "approximately", 1_000, "count"),
    ("some 1,000", "approximately", 1_000, "count"),
    ("an estimated 11 million", "approximately", 11_000_000, "count"),
    ("fewer than 10", "fewer_than", 10, "count"),
    ("less than 1 percent", "fewer_than", 1, "percent"),
    ("under 5%", "fewer_than", 5, "percent"),
    ("at most 3", "at_most", 3, "count"),
    ("no more than 3", "at_most", 3, "count"),  # not "more than": the longest phrase wins
    ("not more than 3", "at_most", 3, "count"),
    ("not fewer than 3", "at_least", 3, "count"),
    ("not less than 3%", "at_least", 3, "percent"),
    ("up to 12", "at_most", 12, "count"),
    # forms real articles use (issue 17)
    ("every single", "exact", 100, "percent"),
    ("every single one", "exact", 100, "percent"),
    ("each", "exact", 100, "percent"),
    ("none of", "exact", 0, "percent"),
    ("half of", "exact", 50, "percent"),
    ("a third", "exact", 100 / 3, "percent"),
    ("two thirds", "exact", 200 / 3, "percent"),
    ("one in three", "exact", 100 / 3, "percent"),
    ("9 in 10", "exact", 90, "percent"),
    ("most of", "more_than", 50, "percent"),
    ("dozens", "order_of_magnitude", 12, "count"),
    ("nearly 700", "nearly", 700, "count"),
    ("more than 29,000", "more_than", 29_000, "count"),
    ("2.37 million", "exact", 2_370_000, "count"),
    ("approximately 2.37 million", "approximately", 2_370_000, "count"),
    ("a million", "exact", 1_000_000, "count"),
    ("two hundred thousand", "exact", 200_000, "count"),  # two scale words
    ("a hundred million", "exact", 100_000_000, "count"),
    ("seventy per cent", "exact", 70, "percent"),
    ("$2.4bn", "exact", 2_400_000_000, "usd"),  # the press's scale letters
    ("more than 700k", "more_than", 700_000, "count"),
    ("5M", "exact", 5_000_000, "count"),
]


@pytest.mark.parametrize(("text", "qualifier", "value", "kind"), READS, ids=[r[0] for r in READS])
def test_parse_value_text(text: str, qualifier: str, value: float, kind: str) -> None:
    parsed = parse_value_text(text)
    assert (parsed.qualifier, parsed.kind) == (qualifier, kind)
    assert parsed.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("675", 1),
        ("2.4 million", 100_000),
        ("2.40 million", 10_000),
        ("1,234.5", 0.1),
        ("two million", 1_000_000),
        ("two hundred thousand", 100_000),
        ("half a million", 500_000),  # its share is its precision: [250,000, 750,000]
        ("three quarters of a million", 250_000),
        ("two and a half million", 500_000),
        ("a dozen and a half", 6),
    ],
)
def test_exact_value_step_is_its_last_stated_digit(text: str, step: float) -> None:
    assert parse_value_text(text).step == pytest.approx(step)


@pytest.mark.parametrize("text", [".5%", ".5 percent"])
def test_leading_decimal_point_is_kept(text: str) -> None:
    """Only trailing punctuation belongs to the sentence: ".5%" is half a percent."""
    assert parse_value_text(text).value == pytest.approx(0.5)


UNREADABLE = [
    "",
    "   ",
    "a lot",
    "released detainees",
    "1 234",
    "5,00",
    "1e3",
    "twenty three",
    "four thirds",
    "-5%",
    "many",
    "several",
    "several thousand million billion",
    "2.5 and a half",  # half of a tenth: write the digits
    "one and a half and a half",
    "half a",
    # more scale words than the readers take (a hostile row: two dozen trillions overflowed a float)
    "two" + " trillion" * 20,
    "2 trillion trillion trillion",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_value_text_raises(text: str) -> None:
    with pytest.raises(ValueTextError):
        parse_value_text(text)


def test_an_unreadable_form_says_what_to_do() -> None:
    with pytest.raises(ValueTextError, match="claims exclude --reason no-bound"):
        parse_value_text("several")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2_370_000.0, "2370000"),
        (1.4, "1.4"),
        (100 / 3, "33.3333333333"),
        (1e21, "1000000000000000000000"),
        (0.5, "0.5"),
    ],
)
def test_plain_number_never_uses_exponents(value: float, text: str) -> None:
    assert plain_number(value) == text


def test_a_third_in_plain_notation_passes_the_value_check() -> None:
    """The value column of "a third" as candidates write it reads as equal to the parse."""
    assert abs(float(plain_number(parse_value_text("a third").value)) - 100 / 3) <= 1e-9 * 100 / 3


def test_parse_error_says_what_is_readable() -> None:
    with pytest.raises(ValueTextError, match="tens of thousands"):
        parse_value_text("a great many")


def test_vectorised_reading_agrees_with_parse_value_text() -> None:
    """claim_rules reads common shapes in polars and the rest in Python: both must read alike."""
    texts = [r[0] for r in READS] + UNREADABLE[2:]
    table = {row["value_text"]: row for row in _parse_table(pl.Series(texts)).iter_rows(named=True)}
    for text in texts:
        row = table[text]
        try:
            p = parse_value_text(text)
        except ValueTextError:
            assert row["_parse_error"] is not None, text
            continue
        assert row["_parse_error"] is None, text
        assert (row["_parsed_qualifier"], row["_parsed_kind"]) == (p.qualifier, p.kind), text
        assert row["_parsed_value"] == pytest.approx(p.value), text


# --- normalise -------------------------------------------------------------------------------

NORMALISED = [
    # plain text is left alone
    ("The audit identified 675 jurisdictions.", "The audit identified 675 jurisdictions."),
    ("", ""),
    # NFKC
    ("\ufb01nal", "final"),
    ("\uff11\uff12\uff13", "123"),
    ("\u216b", "XII"),
    ("\u2026", "..."),
    ("e\u0301", "\u00e9"),
    # curly quotes and apostrophes
    ("ICE\u2019s docket", "ICE's docket"),
    ("\u2018a\u2019 \u201ab\u201b", "'a' 'b'"),
    ("\u201csanctuary\u201d \u201ecity\u201f", '"sanctuary" "city"'),
    # en and em dashes, and only those
    ("2014\u20132017", "2014-2017"),
    ("in 2019\u2014more", "in 2019-more"),
    ("\u2012", "\u2012"),
    # runs of Unicode White_Space, NBSP included, become one space
    ("2.4\u00a0million", "2.4 million"),
    ("a \u2003\u3000 b", "a b"),
    ("a\u1680b\u202fc\u205fd", "a b c d"),
    ("a\u0085b\u2028c\u2029d", "a b c d"),
    ("a\t\n\r\x0b\x0cb", "a b"),
    ("a  b", "a b"),
    ("x\u2009\u2013\u2009y", "x - y"),
    # trimmed
    ("  x  ", "x"),
    ("\u00a0x\u00a0\n", "x"),
    ("   ", ""),
    # not White_Space, so kept: zero width space, U+001C, Mongolian vowel separator
    ("a\u200bb", "a\u200bb"),
    ("a\x1cb", "a\x1cb"),
    ("a\u180eb", "a\u180eb"),
    # ... also beside other White_Space, which still collapses around them
    ("a\x1c\u1680\u1680b", "a\x1c b"),
    ("\u2028x\x1f\u3000\t", "x\x1f"),
]


# Mostly words and single spaces, as seeds are: long stretches the C pass copies 16 bytes at a
# time, broken by runs of White_Space, edge spaces, curly quotes and dashes at any position.
WORDS = st.text(
    alphabet=st.sampled_from([*"abcde", " ", " ", " ", "\n", "\t", "\u00a0", "\u2003", "\u2019", "\u2014", "é"]),
    max_size=120,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(WORDS, max_size=6))
def test_normalise_series_of_mostly_plain_words(texts: list[str]) -> None:
    assert _normalise_series(texts) == [_contract_normalise(t) for t in texts]


@pytest.mark.parametrize(("text", "expected"), NORMALISED, ids=[ascii(t) for t, _ in NORMALISED])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(("text", "_"), NORMALISED, ids=[ascii(t) for t, _ in NORMALISED])
def test_normalise_is_idempotent(text: str, _: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


# Unicode White_Space, from PropList.txt, written out here rather than imported.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _contract_normalise(text: str) -> str:
    """The contract's normalisation spelled out step by step, in its order: what normalise()
    must equal however it is sped up."""
    text = unicodedata.normalize("NFKC", text)
    for curly in "\u2018\u2019\u201a\u201b":
        text = text.replace(curly, "'")
    for curly in "\u201c\u201d\u201e\u201f":
        text = text.replace(curly, '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(f"[{WHITE_SPACE}]+", " ", text).strip(" ")


# Characters where the shortcuts could go wrong: White_Space, the separators str.split() also
# splits on, combining marks, compatibility characters that become spaces or dashes, curly quotes.
TRICKY = (
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u0301\u0308\u0327\u00a8\u00b4\u02dc\ufe4d\uff0d\u2013\u2014\u2018\u2019\u201c\u201d\ufb01\u2026\u00bd"
    "\ufe58\ufe31\ufe32\uff02\u201e"  # NFKC makes dashes of the first three, ASCII of the fourth
    "aeE1 .,'\"-"
)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=40))
def test_normalise_equals_the_contract_step_by_step(text: str) -> None:
    assert normalise(text) == _contract_normalise(text)


@pytest.mark.parametrize("text", ["1 " * 1_000_000, "1 " * 999_999 + "1"], ids=["edge space", "normal"])
def test_normalise_of_a_long_text_of_many_words_allocates_no_memory_per_word(text: str) -> None:
    """A seed of bare numbers: the check for an already normal text once kept a backtracking
    entry per word (116 MiB for these 2 MB); now a few copies of the text at most."""
    tracemalloc.start()
    try:
        normalise(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(text)


@settings(max_examples=300, deadline=None)
# Seed texts come from decoding UTF-8, so they hold no lone surrogates (nor could polars take them).
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(TRICKY) | st.characters(exclude_categories=["Cs"]), max_size=60), max_size=8
    )
)
def test_normalise_series_equals_normalise_of_each(texts: list[str]) -> None:
    expected = [_contract_normalise(t) for t in texts]
    assert _normalise_series(texts) == expected
    # Where the C extension is not built, polars does its part.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cell_kernels, "_cells", None)
        assert _normalise_series(texts) == expected


@pytest.mark.parametrize(("text", "expected"), NORMALISED, ids=[ascii(t) for t, _ in NORMALISED])
def test_normalise_series_on_the_examples(text: str, expected: str) -> None:
    assert _normalise_series([text, "a  b"]) == [expected, "a b"]


def _normalise_series(texts: list[str]) -> list[str]:
    return normalise_series_nfkc(pl.Series(texts, dtype=pl.String))[0].to_list()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY) | st.characters(max_codepoint=0x7F), max_size=30))
def test_cells_the_polars_shortcut_skips_are_already_normal(text: str) -> None:
    skipped = pl.select(unchanged_by_normalise(pl.lit(text, dtype=pl.String))).item()
    if skipped:
        assert normalise(text) == text


@pytest.mark.parametrize("text", ["a  b", " a", "a ", "a\tb", "a\nb", "caf\u00e9", "\ufb01", "a\u00a0b"])
def test_the_polars_shortcut_sends_these_to_normalise(text: str) -> None:
    assert pl.select(unchanged_by_normalise(pl.lit(text, dtype=pl.String))).item() is False
