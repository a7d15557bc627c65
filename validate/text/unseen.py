"""Characters a reader does not see: Unicode's default-ignorable code points (the soft hyphen,
zero-width spaces and joiners, the word joiner, variation selectors, tag characters...).

The contract's normalisation keeps them, so a quote is still matched as its source holds it. But
the rules that read the edges of a passage (a word or number cut, a qualifier left outside)
read the text as a reader sees it, without them: a seed's "more than\\u2060 29,269" reads "more
than 29,269" and its "2\\u200b900" reads "2900", so a claim of "29,269" or of "2" would drop a
hedge or cut a number that no page shows apart. See `read_as_seen`."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt), as a regex set's contents that Python's
# re and polars' (Rust) regex read alike. NFKC folds U+3164 and U+FFA0 into U+1160, kept here.
DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
UNSEEN = re.compile(f"[{DEFAULT_IGNORABLE}]")


def without_unseen(texts: pl.Series) -> pl.Series:
    """Each text without the characters a reader does not see."""
    return texts.str.replace_all(f"[{DEFAULT_IGNORABLE}]", "")


def holds_unseen(texts: pl.Series) -> pl.Series:
    """Whether each text holds a character a reader does not see; only a text of other than ASCII
    can, so the others are not searched."""
    wide = (texts.str.len_bytes() != texts.str.len_chars()).fill_null(False)
    found = pl.repeat(False, texts.len(), eager=True)
    rows = wide.arg_true()
    if rows.len():
        found = found.scatter(rows, texts.gather(rows).str.contains(f"[{DEFAULT_IGNORABLE}]").fill_null(False))
    return found


def first_unseen(text: str) -> str | None:
    """The first character of `text` a reader does not see, named ("U+2060 WORD JOINER"), or None."""
    found = UNSEEN.search(text)
    if found is None:
        return None
    char = found.group()
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"


def read_as_seen(
    cut: pl.DataFrame, texts: pl.Series, source: pl.Series, quote: pl.Series, value_text: pl.Series
) -> pl.DataFrame:
    """`cut` (cut_passages of each claim, a row each) with the claims of sources that hold a
    character a reader does not see judged again on the texts without it (`texts`: each source's
    normalised text; `source`: each claim's source, an index of `texts`, null for none; `quote`,
    `value_text`: each claim's, normalised): a cut or a qualifier left outside that only shows so
    is reported as shown, and `_unseen` says which character the source holds (null elsewhere).
    The rest of the claims are not read again, nor is any text of ASCII alone."""
    from validate.kernels.cells import locate  # here: validate.kernels.cells imports the text model
    from validate.text.cuts import cut_passages  # here: cuts imports value_text, which imports this module

    cut = cut.with_columns(_unseen=pl.lit(None, dtype=pl.String))
    flagged = holds_unseen(texts).arg_true()
    if not flagged.len():
        return cut
    slot = pl.repeat(None, texts.len(), dtype=pl.UInt32, eager=True).scatter(
        flagged, pl.arange(0, flagged.len(), eager=True).cast(pl.UInt32)
    )
    of_claim = slot.gather(source.cast(pl.UInt32))
    rows = of_claim.is_not_null().arg_true()
    if not rows.len():
        return cut
    held = texts.gather(flagged)
    seen = without_unseen(held)
    read_quote, read_value = without_unseen(quote.gather(rows)), without_unseen(value_text.gather(rows))
    read_text = seen.gather(of_claim.gather(rows))
    again = cut_passages(
        read_text, read_quote, locate(read_text, read_quote), read_value, locate(read_quote, read_value)
    )
    old = cut.select(pl.all().gather(rows))
    columns = {c: cut.get_column(c) for c in cut.columns}
    shown = pl.repeat(False, rows.len(), eager=True)
    for name, flag in (("_quote", "_quote_cuts"), ("_value_text", "_value_text_cuts")):
        new = (again.get_column(flag).fill_null(False) & ~old.get_column(flag).fill_null(False)).arg_true()
        shown = shown.scatter(new, True)
        for column in (flag, f"{name}_cut", f"{name}_whole"):
            columns[column] = columns[column].scatter(rows.gather(new), again.get_column(column).gather(new))
    new = (
        again.get_column("_qualifier_outside").is_not_null() & old.get_column("_qualifier_outside").is_null()
    ).arg_true()
    shown = shown.scatter(new, True)
    for column in ("_qualifier_outside", "_qualifier_opening", "_qualifier_before_quote"):
        columns[column] = columns[column].scatter(rows.gather(new), again.get_column(column).gather(new))
    told = shown.arg_true()
    if told.len():
        slots = of_claim.gather(rows.gather(told)).to_list()
        # Which character each source holds, named only for the sources of the claims told.
        named = {slot: first_unseen(held[slot]) for slot in set(slots)}
        notes = [
            f"read as a reader sees it: source holds {named[slot]}, which shows nothing; the check reads the text "
            "without it, while quote and value_text keep it as the source holds it"
            for slot in slots
        ]
        columns["_unseen"] = columns["_unseen"].scatter(rows.gather(told), pl.Series(notes, dtype=pl.String))
    return pl.DataFrame(columns)
