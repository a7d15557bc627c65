"""Passages that begin or end inside a word or a number, and qualifiers left outside value_text
(validate.text.cuts): the boundary rule itself, polars' reading of it against Python's, the
words a message shows, and each qualifier phrase of the value reader."""

from __future__ import annotations

from itertools import product

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validate.text import cuts
from validate.text.cuts import SPLITS, Printed, cut_passages, described, widened
from validate.text.normalise import normalise
from validate.text.number_phrases import find_phrases
from validate.text.value_text import PREPOSITION_AFTER, QUALIFIER_BY_PHRASE, SCALE_WORDS, parse_value_text

# (text, boundary, whether it falls inside a word or number)
BOUNDARIES = [
    ("detention", 2, True),  # de|tention
    ("29,269", 2, True),  # 29|,269
    ("29,269", 3, True),  # 29,|269
    ("2.4", 1, True),
    ("2.4", 2, True),
    ("twenty-three", 6, True),  # twenty|-three
    ("Muslim-majority", 7, True),  # Muslim-|majority
    ("x_1", 1, True),  # the reader's word characters include the underscore
    ("2014-2017", 4, False),  # a hyphen between numbers joins no word
    ("COVID-19", 6, False),
    ("rose 29. 269", 8, False),  # a full stop, then a space: the sentence ends
    ("29.", 2, False),
    ("29,", 2, False),
    ("a b", 1, False),
    ("a b", 2, False),
    ("ab", 0, False),  # the text's ends cut nothing
    ("ab", 2, False),
    ("", 0, False),
    ("é1", 1, False),  # a character beyond ASCII is no word character, to the reader either
    ("x–y", 1, False),  # an en dash (normalising makes it "-") is no hyphen here
    ("$2.4", 1, True),  # the number reader's phrase holds the dollar sign
    ("70%", 2, True),  # and the percent sign
    ("US$2", 2, False),
    ("$ 5", 1, False),
    ("70 %", 2, False),
    # a number runs on past a space into a scale or percent word, or a magnitude's second part
    ("700 million", 3, True),  # 700| million
    ("700 million", 4, True),  # 700 |million
    ("two hundred thousand", 11, True),  # two hundred| thousand
    ("Seventy PER CENT", 7, True),  # any case
    ("hundreds of thousands", 8, True),
    ("tens of millions", 5, True),
    ("é hundred million", 9, True),
    ("700 millions", 3, False),  # "millions" continues no number
    ("In 2016 hundreds of", 7, False),
    ("700 of them", 3, False),
    ("60 per centimes", 2, False),
    ("Xseventy million", 8, False),  # "Xseventy" is no number word
    ("\u017fix million", 3, False),  # the long s is not an s to either engine
    # a share of a scale, a number and a half, a quantity word before a scale: one number each
    ("half a million", 4, True),  # half| a million: not the share "half"
    ("half a million", 7, True),  # half a |million: not "a million"
    ("a quarter of a million", 9, True),  # not the share "a quarter"
    ("three-quarters of a million", 14, True),
    ("out of a million", 9, False),  # "a million" after other words is one
    ("a quarter of the 700", 9, False),
    ("two and a half million", 3, True),  # not "two"
    ("a million and a half", 9, True),
    ("a dozen and a half", 7, True),
    ("700 and 800", 3, False),
    ("several thousand", 7, True),  # not the quantity word "several" alone
    ("a few hundred thousand", 5, True),
    ("many tens of thousands", 4, True),
    ("a few of them", 5, False),
    ("many people", 4, False),
    ("hundreds of thousandths", 8, False),
]


@pytest.mark.parametrize(("text", "at", "expected"), BOUNDARIES)
def test_a_boundary_cuts_a_word_or_number_exactly_as_described(text: str, at: int, expected: bool) -> None:
    assert cuts.cuts(text, at) is expected


def _byte_offsets(text: str) -> list[int]:
    """The byte offset of each character's start, and of the text's end."""
    return [len(text[:i].encode()) for i in range(len(text) + 1)]


@pytest.mark.parametrize(("text", "at", "expected"), BOUNDARIES)
def test_polars_reads_each_example_as_python_does(text: str, at: int, expected: bool) -> None:
    found = cuts.cuts_many(pl.Series([text.encode()], dtype=pl.Binary), pl.Series([_byte_offsets(text)[at]]))
    assert found.to_list() == [expected]


def _agree_at_every_boundary(text: str) -> None:
    """cuts_many reads each boundary of `text` (at every character's start) as cuts() does."""
    offsets = _byte_offsets(text)
    series = pl.Series([text.encode()] * len(offsets), dtype=pl.Binary)
    found = cuts.cuts_many(series, pl.Series(offsets, dtype=pl.Int64))
    assert found.to_list() == [cuts.cuts(text, i) for i in range(len(offsets))]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ09,.-_ é€\n", max_size=12))
def test_polars_and_python_agree_at_every_boundary_of_any_text(text: str) -> None:
    _agree_at_every_boundary(text)


# Pieces of texts where a number may run on past a space, to be put together every way.
_PIECES = [
    "700",
    "two",
    "Two",
    " ",
    "million",
    "MILLION",
    "per cent",
    "hundreds",
    "of",
    "thousands",
    "x",
    "é",
    "-",
    ".",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_polars_and_python_agree_where_a_number_may_run_on_past_a_space(text: str) -> None:
    _agree_at_every_boundary(text)


def _spaced_numbers() -> list[str]:
    """Each number the rule holds whole across a space, once for each word of each place (a
    scale word in the first place after a number word, as it stands in a text)."""
    out = []
    for digits, places in cuts._SPACED:
        firsts = [("two " + w if w in SCALE_WORDS else w) for w in places[0]] + (["700", "2.4"] if digits else [])
        rests = [" ".join(words) for words in product(*places[1:])]
        out += [f"{first} {rest}" for first in firsts for rest in rests]
    return out


@pytest.mark.parametrize("number", _spaced_numbers())
def test_every_number_held_whole_across_a_space_is_one_phrase_and_read_as_one_value(number: str) -> None:
    # A value_text the rule asks for must be one the number reader proposes and the value
    # reader reads, or no claim could record the number.
    assert [p.text for p in find_phrases(f"so {number} were")] == [number]
    parse_value_text(number)
    assert not any(cuts.cuts(number, i) for i in (0, len(number)))


def test_an_offset_that_is_null_or_off_the_text_cuts_nothing() -> None:
    text = pl.Series([b"ab", b"ab", b"ab"], dtype=pl.Binary)
    assert cuts.cuts_many(text, pl.Series([None, -1, 9], dtype=pl.Int64)).to_list() == [False, False, False]


@pytest.mark.parametrize(
    ("text", "start", "end", "how", "whole"),
    [
        ("the detention center", 6, 9, "lies inside 'detention'", "detention"),
        ("more than 29,269 people", 0, 12, "ends inside '29,269'", "more than 29,269"),
        ("so 1,700 jurisdictions", 5, 22, "begins inside '1,700'", "1,700 jurisdictions"),
        ("Muslim-majority towns", 7, 21, "begins inside 'Muslim-majority'", "Muslim-majority towns"),
        (
            "detention and attention",
            2,
            19,
            "begins inside 'detention' and ends inside 'attention'",
            "detention and attention",
        ),
    ],
)
def test_a_message_names_the_word_cut_and_the_whole_passage(
    text: str, start: int, end: int, how: str, whole: str
) -> None:
    assert described(text, start, end) == how
    assert widened(text, start, end) == whole


def test_a_word_longer_than_a_message_shows_is_marked_as_running_on() -> None:
    text = "x" * 100 + " 5"
    assert widened(text, 50, 51) == "..." + "x" * 81 + "..."


def _cut(
    text: str, quote: str, value_text: str | None = None, printed: tuple[str, str] | None = None
) -> dict[str, object]:
    """cut_passages of one claim whose quote first stands in `text`, its value_text at its first
    place in the quote; `printed`: the source's text and the quote as written, where normalising
    changed them."""
    start = text.find(quote)
    value_at = quote.encode().find(value_text.encode()) if value_text is not None else None
    frame = cut_passages(
        pl.Series([text]),
        pl.Series([quote]),
        pl.Series([len(text[:start].encode())]),
        pl.Series([value_text], dtype=pl.String),
        pl.Series([value_at], dtype=pl.Int64),
        Printed(pl.Series([printed[1]]), pl.Series([0], dtype=pl.UInt32), pl.Series([printed[0]]))
        if printed is not None
        else None,
    )
    return frame.row(0, named=True)


def test_a_quote_that_first_stands_inside_a_number_is_cut_though_it_stands_whole_later() -> None:
    # The database's offsets point to the first place: a reader following them lands in "1,700".
    found = _cut("In 2017, 1,700 jurisdictions; in 2016, 700 jurisdictions.", "700 jurisdictions")
    assert found["_quote_cuts"] is True
    assert found["_quote_cut"] == "begins inside '1,700'"
    assert found["_quote_whole"] == "1,700 jurisdictions"


def test_a_quote_cut_is_read_in_its_source_beyond_characters_of_several_bytes() -> None:
    # The bytes read around the place begin inside a character of two bytes.
    text = "é" * 301 + " the detention center held 5."
    found = _cut(text, "tention center held 5.")
    assert (found["_quote_cut"], found["_quote_whole"]) == ("begins inside 'detention'", "detention center held 5.")


def test_a_quote_that_ends_where_the_number_continues_is_cut() -> None:
    found = _cut("ICE lodged more than 29,269 detainers.", "ICE lodged more than 29,", "more than 29")
    assert found["_quote_cut"] == "ends inside '29,269'"
    # Within the quote, value_text ends where the quote does: the quote's finding says it.
    assert found["_value_text_cuts"] is False


def test_a_passage_that_leaves_a_number_s_scale_word_outside_is_cut() -> None:
    # "700" where the source says "700 million": a number it does not state.
    found = _cut("ICE counted 700 million records.", "ICE counted 700", "700")
    assert (found["_quote_cut"], found["_quote_whole"]) == ("ends inside '700 million'", "ICE counted 700 million")
    found = _cut("ICE counted 2.4 million records.", "million records.")
    assert (found["_quote_cut"], found["_quote_whole"]) == ("begins inside '2.4 million'", "2.4 million records.")
    quote = "hundreds of thousands of people"
    assert _cut(quote, quote, "hundreds")["_value_text_whole"] == "hundreds of thousands"


def test_a_value_text_inside_a_word_of_its_quote_is_cut() -> None:
    quote = "refuse to assist ICE officials with the detention of immigrants"
    found = _cut(quote, quote, "ten")
    assert (found["_value_text_cut"], found["_value_text_whole"]) == ("lies inside 'detention'", "detention")


def test_a_value_text_cut_from_a_number_is_cut() -> None:
    quote = "more than 29,269 detainers"
    assert _cut(quote, quote, "9,269")["_value_text_cut"] == "begins inside '29,269'"


def test_whole_passages_are_not_cut() -> None:
    quote = "ICE lodged more than 29,269 detainers."
    found = _cut("Reports say: " + quote + " More followed.", quote, "more than 29,269")
    assert (found["_quote_cuts"], found["_value_text_cuts"], found["_qualifier_outside"]) == (False, False, None)


def test_only_the_first_described_passages_are_described(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cuts, "DESCRIBED", 1)
    frame = cut_passages(
        pl.Series(["the detention"] * 2),
        pl.Series(["tention"] * 2),
        pl.Series([6, 6]),
        pl.Series([None, None], dtype=pl.String),
        pl.Series([None, None], dtype=pl.Int64),
    )
    assert frame.get_column("_quote_cuts").to_list() == [True, True]
    assert frame.get_column("_quote_cut").to_list() == ["begins inside 'detention'", None]


def test_a_footnote_mark_after_a_number_cuts_nothing_though_normalising_folds_it_into_the_number() -> None:
    # "675²" reads "6752" once normalised: the claim of 675 is the honest one.
    printed, quote = "The jail held 675\u00b2 people last year.", "held 675\u00b2 people"
    found = _cut(normalise(printed), normalise(quote), "675", (printed, quote))
    assert (found["_quote_cuts"], found["_value_text_cuts"]) == (False, False)


def test_a_cut_is_described_as_the_source_prints_it() -> None:
    # Copying "29,269 people" would not be verbatim: the source prints fullwidth digits.
    printed = "They held \uff12\uff19,\uff12\uff16\uff19 people."
    quote = "\uff19,\uff12\uff16\uff19 people"
    found = _cut(normalise(printed), normalise(quote), None, (printed, quote))
    assert (found["_quote_cut"], found["_quote_whole"]) == (
        "begins inside '\uff12\uff19,\uff12\uff16\uff19'",
        "\uff12\uff19,\uff12\uff16\uff19 people",
    )


def test_a_qualifier_before_a_quote_that_value_text_begins_is_found_in_the_source() -> None:
    found = _cut("The jail held no fewer than 700 people.", "fewer than 700 people", "fewer than 700")
    assert (found["_qualifier_outside"], found["_qualifier_opening"], found["_qualifier_before_quote"]) == (
        "no fewer than",
        "no",
        True,
    )
    found = _cut("We counted More than 700 people.", "700 people", "700")
    assert (found["_qualifier_outside"], found["_qualifier_opening"]) == ("more than", "More than")
    # The quote holds the phrase's last words only.
    found = _cut("The jail held no fewer than 700 people.", "fewer than 700 people", "700")
    assert (found["_qualifier_outside"], found["_qualifier_opening"]) == ("no fewer than", "no fewer than")


def test_the_source_before_a_quote_is_read_from_a_character_s_start() -> None:
    # The bytes read before the quote begin inside a character of three bytes.
    found = _cut("\u20ac" * 40 + " more than 700 people.", "700 people", "700")
    assert (found["_qualifier_outside"], found["_qualifier_before_quote"]) == ("more than", True)


@pytest.mark.parametrize(
    ("quote", "value_text", "phrase", "opening"),
    [
        ("no fewer than 700 jurisdictions", "fewer than 700", "no fewer than", "no"),
        ("No more than 5 cities", "more than 5", "no more than", "No"),
        ("more than 29,269 detainers", "29,269", "more than", "more than"),
        ("More than 29,269 detainers", "29,269", "more than", "More than"),
        ("(N)early 700 cities", "700", "nearly", "(N)early"),
        ("just under 700", "under 700", "just under", "just"),
        ("an estimated 10,000 people", "estimated 10,000", "an estimated", "an"),
        ("a share of nearly a quarter", "a quarter", "nearly", "nearly"),
        ("at most 5", "most 5", "at most", "at"),
        ("not more than 700", "more than 700", "not more than", "not"),
        ("jail (more than 700 beds)", "700", "more than", "more than"),  # the words, not the bracket
        ('said "nearly 700" were', "700", "nearly", "nearly"),
    ],
)
def test_a_qualifier_phrase_before_value_text_is_named(quote: str, value_text: str, phrase: str, opening: str) -> None:
    found = _cut(quote, quote, value_text)
    assert (found["_qualifier_outside"], found["_qualifier_opening"]) == (phrase, opening)


@pytest.mark.parametrize(
    ("quote", "value_text"),
    [
        ("moreover 700 cities", "700"),  # "over" inside a word is no qualifier
        ("a quarter of them", "quarter of them"),  # "a" begins "a minimum of" only
        ("more than 700", "more than 700"),  # the whole phrase is inside
        ("the total, 700", "700"),
    ],
)
def test_no_qualifier_is_named_where_value_text_holds_it_or_none_is_there(quote: str, value_text: str) -> None:
    assert _cut(quote, quote, value_text)["_qualifier_outside"] is None


@pytest.mark.parametrize(
    ("quote", "value_text"),
    [
        ("Residents are worried about 700 jobs", "700"),
        ("Residents are Worried About 700 jobs", "700"),
        ("a fight over 5,000 beds", "5,000"),
        ("a debate centred around 2.4 million people", "2.4 million"),
        ("Residents are worried about 700 jobs", "about 700"),  # the hedge's reading stands too
    ],
)
def test_a_qualifier_word_that_a_word_before_makes_a_preposition_may_stay_outside(quote: str, value_text: str) -> None:
    assert _cut(quote, quote, value_text)["_qualifier_outside"] is None


def test_a_preposition_s_word_before_it_is_read_in_the_source_before_the_quote() -> None:
    assert _cut("Residents are worried about 700 jobs.", "700 jobs", "700")["_qualifier_outside"] is None
    # A quote that begins with the word does not show what comes before it.
    found = _cut("Residents are worried about 700 jobs.", "about 700 jobs", "700")
    assert found["_qualifier_outside"] == "about"


@pytest.mark.parametrize(
    ("quote", "value_text", "phrase"),
    [
        ("ICE issued over 5,000 detainers", "5,000", "over"),  # a verb that takes a number
        ("They fought over 700 fires", "700", "over"),
        ("agencies operating under 287 agreements", "287", "under"),
        ("The total was about 700", "700", "about"),
        ("I think about 700 were released", "700", "about"),  # a clause follows "think"
        ("worried, about 700 jobs", "700", "about"),  # the word must stand just before
        ("worried more than 700 jobs", "700", "more than"),  # no preposition
        ("the unworried about 700 jobs", "700", "about"),  # a whole word only
        ("About 700 jobs", "700", "about"),
    ],
)
def test_a_qualifier_word_after_any_other_word_is_a_hedge(quote: str, value_text: str, phrase: str) -> None:
    assert _cut(quote, quote, value_text)["_qualifier_outside"] == phrase


def test_every_word_that_makes_a_qualifier_a_preposition_is_read_as_one() -> None:
    for phrase, heads in PREPOSITION_AFTER.items():
        assert phrase in QUALIFIER_BY_PHRASE
        for head in heads:
            quote = f"so {head} {phrase} 7"
            assert _cut(quote, quote, "7")["_qualifier_outside"] is None, quote


@pytest.mark.parametrize("split", range(len(SPLITS["opening"])))
def test_every_qualifier_phrase_is_found_however_value_text_splits_it(split: int) -> None:
    opening, rest, phrase = (SPLITS[k][split] for k in ("opening", "rest", "phrase"))
    value_text = f"{rest} 7".strip()
    quote = f"so {opening} {value_text}"
    assert _cut(quote, quote, value_text)["_qualifier_outside"] == phrase


def test_every_word_that_continues_a_number_is_screened_by_its_first_four_bytes() -> None:
    # The polars screen reads four bytes beyond a space as one integer: a shorter word (with
    # what follows it) would never match, and its cuts would pass unseen.
    for _, places in cuts._SPACED:
        for i in range(1, len(places)):
            for words in product(*places[i:]):
                assert len(" ".join(words)) >= 4, words
