"""number_phrases.occurrences for many (text, needle) pairs at once: the same offsets, mostly in polars.

Python's loop reads a text once per needle: for a million claims, 122,749 pairs over 10,000
texts (39 MB), some 733,000 calls of str.find. Here a *word* needle (ASCII letters and digits
only: "2017", "One", most exclusions) is found by an Aho-Corasick automaton of the needles of
about a megabyte of texts (polars' str.find_many and str.extract_many, each reading those texts
once), and the whole-word test is two byte look-ups per match:

- A word needle is found whole exactly where it is a maximal run of letters and digits. No two
  such runs overlap, so Python's loop, which skips what overlaps a hit it keeps, keeps them all.
- The automaton reports, leftmost first and the longest needle first, matches that never overlap.
  A match cannot cross into a run (the character before a run is not a letter or digit, and a
  word needle has none other), so at the start of a run it reports the longest needle the run
  begins with: the run itself, when the run is a needle. Its other matches (inside a longer run,
  or a needle the run merely begins with) fail the whole-word test.
- Its offsets are bytes, which are Python's offsets in an ASCII text.

Everything else keeps Python's loop, the reference: a needle with another character ("$16",
"a myriad of", "1 1"), whose matches can overlap those of other needles or its own (an automaton
per text of its own needles costs more to build, in polars, than Python's loop costs to run), and
every pair whose text is not ASCII. About one exclusion in eight of the real data is such; none of
the benchmark's.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from validate.text.number_phrases import occurrences

# The word characters of number_phrases.occurrences (_ALNUM), as a needle's pattern and as bytes.
_WORD = r"^[A-Za-z0-9]+$"


def _is_word_byte(byte: pl.Expr) -> pl.Expr:
    """Whether a byte is an ASCII letter or digit (null where there is none: the text's edge)."""
    return byte.is_between(48, 57) | byte.is_between(65, 90) | byte.is_between(97, 122)


@dataclass(frozen=True)
class Routed:
    """How many rows the automaton answered, and how many Python's loop did."""

    automaton: int
    python: int


_FOUND = {"row": pl.UInt32, "start": pl.Int64}


def occurrences_many(texts: pl.Series, owner: pl.Series, needles: pl.Series) -> tuple[pl.DataFrame, Routed]:
    """occurrences(texts[owner], needle) of every row, as (row, start) rows sorted by row and
    start, `row` the row's index in `needles` (none for an empty or null needle, or a null owner
    or text); and how many rows each way answered."""
    text_frame = pl.DataFrame({"text": texts.cast(pl.String)}).with_row_index("owner")
    ascii_ = text_frame.select("owner", ascii=pl.col("text").str.len_bytes() == pl.col("text").str.len_chars())
    rows = (
        pl.DataFrame({"owner": owner.cast(pl.UInt32), "needle": needles.cast(pl.String)})
        .with_row_index("row")
        .filter(pl.col("owner").is_not_null() & (pl.col("needle").str.len_bytes() > 0))
        .join(ascii_, on="owner", how="left")
        .with_columns(by_automaton=pl.col("ascii") & pl.col("needle").str.contains(_WORD))
    )
    by_automaton = rows.filter(pl.col("by_automaton"))
    by_python = rows.filter(~pl.col("by_automaton"))
    found = pl.concat([_automaton(text_frame, by_automaton), _python(text_frame, by_python)])
    # Each part lists a row's starts in order, and a row is in one part only.
    return found.sort("row", maintain_order=True), Routed(by_automaton.height, by_python.height)


# Texts are read about a megabyte at a time, each part with an automaton of its own needles: a
# smaller automaton of fewer needles reports fewer matches, which is faster (0.29 s against 0.85 s
# for one automaton of all, over a million claims' 39 MB); and what it reports, up to a match per
# byte (a needle "1" in a text of ones), is held for that part only.
_BATCH_BYTES = 1_000_000


def _automaton(text_frame: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The whole-word occurrences of word needles in ASCII texts: see the module's docstring."""
    size = pl.col("text").str.len_bytes().cast(pl.Int64)
    searched = text_frame.join(rows.select("owner").unique(), on="owner", how="semi").with_columns(
        batch=(size.cum_sum() - size) // _BATCH_BYTES
    )
    rows = rows.join(searched.select("owner", "batch"), on="owner", how="left")
    texts = searched.partition_by("batch", as_dict=True, include_key=False)
    needles = rows.partition_by("batch", as_dict=True, include_key=False)
    found = [_whole_words(texts[key].lazy(), needles[key]) for key in texts]
    return pl.concat([pl.LazyFrame(schema=_FOUND), *found]).collect(engine="in-memory")


def _whole_words(texts: pl.LazyFrame, rows: pl.DataFrame) -> pl.LazyFrame:
    """The automaton's pass over some texts (owner, text) for their rows (owner, needle, row)."""
    patterns = sorted(rows.get_column("needle").unique().to_list(), key=len, reverse=True)
    text = pl.col("text")
    matches = (
        texts.select(
            "owner",
            "text",
            # find_many's offsets and extract_many's strings are the same matches, in order.
            start=text.str.find_many(patterns, overlapping=False, leftmost=True),
            needle=text.str.extract_many(patterns, overlapping=False, leftmost=True),
        )
        .explode("start", "needle")
        .drop_nulls("start")
        .with_columns(pl.col("start").cast(pl.Int64))
    )
    raw, start = text.cast(pl.Binary), pl.col("start")
    edges = matches.select(
        "owner",
        "start",
        "needle",
        before=_is_word_byte(pl.when(start > 0).then(raw.bin.get(start - 1))),
        after=_is_word_byte(raw.bin.get(start + pl.col("needle").str.len_bytes(), null_on_oob=True)),
    )
    whole = edges.filter(~pl.col("before").fill_null(False) & ~pl.col("after").fill_null(False))
    # The join keeps each text's order of starts.
    return whole.join(
        rows.lazy().select("owner", "needle", "row"), on=["owner", "needle"], how="inner", maintain_order="left"
    ).select("row", "start")


def _python(text_frame: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Python's loop over the rows (owner, needle, row), each text read into Python once."""
    needed = text_frame.join(rows.select("owner").unique(), on="owner", how="semi")
    texts = dict(zip(needed.get_column("owner").to_list(), needed.get_column("text").to_list(), strict=True))
    out: dict[str, list[int]] = {"row": [], "start": []}
    for row, owner, needle in rows.select("row", "owner", "needle").iter_rows():
        found = occurrences(texts[owner], needle)
        out["row"].extend([row] * len(found))
        out["start"].extend(found)
    return pl.DataFrame(out, schema=_FOUND)
