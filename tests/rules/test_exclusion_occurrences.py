"""The exclusions' whole-word occurrences in polars (validate.text.whole_words) against Python's
loop (number_phrases.occurrences, the reference), and exclusions.enrich against its previous,
one-pair-at-a-time implementation (kept below as the reference)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roots import REPO

from validate.rules import exclusions
from validate.rules.context import Context
from validate.text import whole_words
from validate.text.normalise import normalise
from validate.text.number_phrases import has_number, occurrences
from validate.text.whole_words import occurrences_many


def lists(texts: list[str], owner: list[int], needles: list[str]) -> list[list[int]]:
    """occurrences_many as one list of starts per row."""
    found, _ = occurrences_many(pl.Series(texts, dtype=pl.String), pl.Series(owner), pl.Series(needles))
    out: list[list[int]] = [[] for _ in needles]
    for row, start in found.iter_rows():
        out[row].append(start)
    return out


def expected(texts: list[str], owner: list[int], needles: list[str]) -> list[list[int]]:
    return [occurrences(texts[o], n) for o, n in zip(owner, needles, strict=True)]


# Pieces of adversarial texts: bordered runs ("1 1", "aa"), word characters and not, the `_`
# that regex's \b counts as a word character and occurrences does not, regex metacharacters, a
# newline, and characters other than ASCII (as bytes, "é" is two and "€" three).
PIECES = ["1", "11", "2017", " ", "1 1", "a", "aa", "A", "One", "$", "$16", "(N)", "early", "(", ")", ".",
          "*", "+", "[", "]", "\\", "_", "-", ",", "\n", "é", "€"]  # fmt: skip
# Needles the pieces do not make of themselves: punctuation at an edge, metacharacters, absent words.
NEEDLES = ["1 1", "1 1 1", "aa", "aaa", "$16", "(N)early", ".*", "a+", "[1]", "\\", "_1", "1_", "é", "1é",
           "2017", "201", "One", "one", "missing", "  ", "-1", "1-"]  # fmt: skip

text_st = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[str], list[int], list[str]]:
    texts = draw(st.lists(text_st, min_size=1, max_size=4))
    owner: list[int] = []
    needles: list[str] = []
    for _ in range(draw(st.integers(0, 24))):
        at = draw(st.integers(0, len(texts) - 1))
        text = texts[at]
        if text and draw(st.booleans()):  # a piece of its own text: often found, at the text's edges too
            i = draw(st.integers(0, len(text) - 1))
            needle = text[i : i + draw(st.integers(1, 6))]
        else:
            needle = draw(st.sampled_from(NEEDLES) | text_st)
        owner.append(at)
        needles.append(needle)
    # The same needle in every text.
    if needles:
        owner += list(range(len(texts)))
        needles += [needles[0]] * len(texts)
    return texts, owner, needles


@settings(max_examples=300, deadline=None)
@given(cases())
def test_occurrences_many_equal_pythons_loop(case: tuple[list[str], list[int], list[str]]) -> None:
    assert lists(*case) == expected(*case)


@settings(max_examples=60, deadline=None)
@given(cases(), st.integers(1, 40))
def test_occurrences_many_equal_pythons_loop_in_small_parts(
    case: tuple[list[str], list[int], list[str]], part: int
) -> None:
    # The automaton reads the texts in parts of about _BATCH_BYTES: here a few texts, or one, each.
    previous = whole_words._BATCH_BYTES
    whole_words._BATCH_BYTES = part
    try:
        assert lists(*case) == expected(*case)
    finally:
        whole_words._BATCH_BYTES = previous


def test_many_needles_of_one_text_nested_and_at_its_edges() -> None:
    text = "2017 20171 2017, 12017 (2017) 2017_ 2017é 1 11 111 11 1 One one Oneone 2017"
    needles = ["2017", "201", "20171", "1", "11", "111", "One", "one", "Oneone", "7", "017", "2017 2017"]
    owner = [0] * len(needles)
    assert lists([text], owner, needles) == expected([text], owner, needles)
    # The text holds an "é": it is answered by Python's loop, found after it as before it.
    assert lists([text], owner, needles)[0] == [0, 11, 24, 30, 36, 71]


def test_needles_that_begin_or_end_with_other_characters_need_no_boundary_there() -> None:
    # occurrences asks for a word boundary only beside a letter or digit of the needle.
    text = "x_1 1_x a$16 $16a (N)early(N)early 2017_ _2017 .2017. a.*b"
    needles = ["_1", "1_", "$16", "(N)early", "2017_", "_2017", ".2017.", ".*", "2017"]
    owner = [0] * len(needles)
    assert lists([text], owner, needles) == expected([text], owner, needles)
    assert lists([text], owner, needles)[:5] == [[1], [4], [9], [18, 26], [35]]


def test_ascii_texts_go_to_the_automaton_and_the_rest_to_pythons_loop() -> None:
    texts = ["2017 $16 1 1 One", "2017 in Zürich"]
    needles = ["2017", "One", "$16", "1 1", "2017", "Zürich"]
    owner = [0, 0, 0, 0, 1, 1]
    _, routed = occurrences_many(pl.Series(texts), pl.Series(owner), pl.Series(needles))
    assert (routed.automaton, routed.python) == (2, 4)
    assert lists(texts, owner, needles) == [[0], [13], [5], [9], [0], [8]]


def test_empty_needles_and_texts_have_no_occurrences() -> None:
    assert lists(["", "abc", ""], [0, 1, 2, 1], ["a", "", "", "abc"]) == [[], [], [], [0]]


def test_seeded_long_texts_of_few_characters() -> None:
    # Long texts of few characters hold many nested, bordered and overlapping occurrences.
    rng = random.Random(20261203)
    for _ in range(30):
        alphabet = rng.choice(["1 ", "1 a", "12 ", "ab ,", "1 1 $"])
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(3)]
        owner, needles = [], []
        for _ in range(40):
            at = rng.randrange(3)
            i = rng.randrange(max(len(texts[at]), 1))
            owner.append(at)
            needles.append(texts[at][i : i + rng.randint(1, 7)] or "1")
        assert lists(texts, owner, needles) == expected(texts, owner, needles)


# --- exclusions.enrich against the rule worked out row by row ----------------------------------


def previous_enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """exclusions.enrich as the contract words it, one row at a time in plain Python (as the
    enrichment was before occurrences_many): a row's span is the `occurrence`-th whole-word
    occurrence of its normalised text in its source's text (a source_id's last non-null one)."""
    texts = {}
    if ctx.has_sources:
        texts = {sid: t for sid, t in ctx.sources.select("source_id", "_text").iter_rows() if t is not None}
    known_ids = set(ctx.sources.get_column("source_id").to_list()) if ctx.has_sources else set()
    # The occurrence as the enrichment reads the cell: an integer, or null.
    numbers = frame.get_column("occurrence").cast(pl.Int64, strict=False).to_list()
    columns: dict[str, list[object]] = {
        k: [] for k in ("_source_known", "_count", "_has_number", "_span_start", "_span_end")
    }
    for (sid, excluded), nth in zip(frame.select("source_id", "text").iter_rows(), numbers, strict=True):
        text = texts.get(sid) if sid is not None else None
        needle = normalise(excluded) if excluded else ""
        found = occurrences(text, needle) if text is not None and excluded else None
        chosen = found is not None and nth is not None and 1 <= nth <= len(found)
        start = found[nth - 1] if chosen and found is not None and nth is not None else None
        columns["_source_known"].append(None if sid is None else (sid in known_ids if ctx.has_sources else None))
        columns["_count"].append(None if found is None else len(found))
        columns["_has_number"].append(has_number(needle) if chosen else None)
        columns["_span_start"].append(start)
        columns["_span_end"].append(None if start is None else start + len(needle))
    derived = pl.DataFrame(
        columns,
        schema={
            "_source_known": pl.Boolean,
            "_count": pl.Int64,
            "_has_number": pl.Boolean,
            "_span_start": pl.Int64,
            "_span_end": pl.Int64,
        },
    )
    return pl.concat([frame, derived], how="horizontal").with_columns(_occurrence=pl.Series(numbers, dtype=pl.Int64))


def context(sources: pl.DataFrame, has_sources: bool = True) -> Context:
    return cast(Context, SimpleNamespace(sources=sources, has_sources=has_sources))


SOURCE_TEXTS = [
    "In 2017, 675 jurisdictions declined 2017 detainers; (N)early 30,000 and $16 Billion. One of the big ones.",
    "1 1 1 1 x1 1 2017-2018 aa aaa aa é2017 2017é one two One",
    "",
]


def random_frames(rng: random.Random) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = ["a", "b", "c", "d", None]
    sources = pl.DataFrame(
        {
            # "a" twice (the last text wins), "c" without a text, "d" with an empty one.
            "source_id": ["a", "b", "a", "c", "d", None],
            "_text": [SOURCE_TEXTS[0], SOURCE_TEXTS[1], SOURCE_TEXTS[1] + " 2017", None, "", "2017"],
        }
    )
    words = ["2017", "One", "one", "1 1", "aa", "(N)early", "$16 Billion", "$16", "  2017 ", "\u00a02017",
             "", " ", None, "é2017", "2017é", "missing", "675", "x1 1"]  # fmt: skip
    rows = 80
    frame = pl.DataFrame(
        {
            "source_id": [rng.choice(ids) for _ in range(rows)],
            "text": [rng.choice(words) for _ in range(rows)],
            "occurrence": [rng.choice(["1", "2", "3", "0", "-1", "x", "", None, "9"]) for _ in range(rows)],
        },
        schema={"source_id": pl.String, "text": pl.String, "occurrence": pl.String},
    )
    return frame, sources


@pytest.mark.parametrize("seed", range(12))
def test_enrich_equals_the_previous_implementation(seed: int) -> None:
    frame, sources = random_frames(random.Random(seed))
    for ctx in (context(sources), context(sources, has_sources=False)):
        got = exclusions.enrich(frame, ctx)
        assert got.equals(previous_enrich(frame, ctx)), got


def test_enrich_of_a_frame_without_the_columns_is_unchanged() -> None:
    frame = pl.DataFrame({"source_id": ["a"], "text": ["2017"]})
    got = exclusions.enrich(frame, context(pl.DataFrame({"source_id": ["a"], "_text": ["2017"]})))
    assert got.columns == ["source_id", "text", "_source_known", "_count", "_has_number", "_span_start", "_span_end"]
    assert got.row(0)[2:] == (None, None, None, None, None)


# --- a hostile source ---------------------------------------------------------------------------

HOSTILE = textwrap.dedent(
    """
    import json, sys
    import polars as pl
    sys.path[:0] = ["tests", "tests/rules"]
    from test_exclusion_occurrences import previous_enrich
    from validate.rules import exclusions

    class Ctx:
        sources = pl.DataFrame({"source_id": ["s"], "_text": [" ".join(["1"] * 100_000)]})
        has_sources = True

    needles = [" ".join(["1"] * k) for k in range(1, 201)]
    frame = pl.DataFrame({"source_id": ["s"] * 200, "text": needles, "occurrence": ["1"] * 200})
    enrich = exclusions.enrich if sys.argv[1] == "new" else previous_enrich
    enrich(frame.head(2), Ctx())  # polars' first use (its threads) is not what is measured

    def status(field):  # in KiB
        line = next(x for x in open("/proc/self/status") if x.startswith(field + ":"))
        return int(line.split()[1])

    before = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as reset:  # the peak (VmHWM) from here on
        reset.write("5")
    out = enrich(frame, Ctx())
    grown = status("VmHWM") - before
    print(json.dumps({"count": out.get_column("_count").to_list(), "grown_kib": grown}))
    """
)


def hostile(implementation: str) -> dict[str, list[int] | int]:
    run = subprocess.run(
        [sys.executable, "-c", HOSTILE, implementation], cwd=REPO, capture_output=True, text=True, check=True
    )
    return cast(dict[str, list[int] | int], json.loads(run.stdout))


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="reads Linux's peak memory of a process")
def test_a_text_of_ones_with_nested_needles_is_answered_in_little_memory() -> None:
    # 200,000 characters of "1 1 1 ..." and 200 exclusions "1", "1 1", ...: the answer holds
    # 100,000 / k starts of the needle of k ones (its hits do not overlap), some 590,000 in all.
    # Each run apart, to read its own peak memory, from just before it.
    new, previous = hostile("new"), hostile("previous")
    # k ones hold 2k - 1 characters: 200,000 // 2k hits of them, side by side, fit.
    assert new["count"] == previous["count"] == [100_000 // k for k in range(1, 201)]
    # A search that listed every nested match would hold 200 x 100,000 of them (160 MB as
    # 64-bit offsets, more as rows); the enrichment grows some 28 MB here, Python's loop that
    # kept every pair's starts (as the enrichment did before) some 25 MB.
    assert cast(int, new["grown_kib"]) < 64 * 1024, (new, previous)


def _stepping(text: str, needle: str) -> list[int]:
    """occurrences as it was written first: on a failed boundary, the next find starts one
    character on (a megabyte of "1" read once per character for each needle)."""
    out: list[int] = []
    if not needle:
        return out
    word = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    left, right = needle[0].isalnum(), needle[-1].isalnum()
    at = text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (not left or at == 0 or text[at - 1] not in word) and (
            not right or end == len(text) or text[end] not in word
        ):
            out.append(at)
            at = text.find(needle, end)
        else:
            at = text.find(needle, at + 1)
    return out


@settings(max_examples=500, deadline=None)
@given(text_st, st.sampled_from(NEEDLES) | text_st)
def test_occurrences_skip_a_run_of_word_characters_and_find_the_same(text: str, needle: str) -> None:
    assert occurrences(text, needle) == _stepping(text, needle)
    # A needle that begins with a letter outside ASCII is a word but never a run's start.
    assert occurrences(text, "é" + needle) == _stepping(text, "é" + needle)


class _CountedText(str):
    """A text that counts the searches made in it."""

    finds = 0

    def find(self, *args: object) -> int:  # type: ignore[override]
        type(self).finds += 1
        return super().find(*args)  # type: ignore[arg-type]


def test_a_run_of_digits_is_passed_over_in_one_search_not_one_per_digit() -> None:
    # A megabyte of "1" and the needle "1": no whole word "1" in it. Stepping a character on
    # after each failed boundary searched the text a million times for each such needle.
    _CountedText.finds = 0
    text = _CountedText("1" * 1_000_000 + " 1")
    assert occurrences(text, "1") == [1_000_001]
    assert _CountedText.finds <= 3, _CountedText.finds
