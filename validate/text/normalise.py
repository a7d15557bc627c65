"""The contract's one normalisation for matching quotes against source texts."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

# Unicode White_Space (PropList.txt). Python's str.isspace() and regex \s differ from it
# (they include U+001C..U+001F), so the set is spelled out.
_WHITE_SPACE = "\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WS_RUN = re.compile(f"[{_WHITE_SPACE}]+")
_SEPARATOR_CHARS = ("\u001c", "\u001d", "\u001e", "\u001f")
# Curly single quotes and apostrophes, curly double quotes, en and em dashes. Chained
# str.replace beats str.translate with a dict, which is slow on long non-ASCII texts.
_REPLACEMENTS = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201a", "'"),
    ("\u201b", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u201f", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
)


def _already_normal(text: str) -> bool:
    """Plain printable ASCII with single spaces and no edge spaces: the common case, worth
    skipping the Unicode work for. String methods, not a regular expression: the pattern
    `[!-~]+(?: [!-~]+)*` kept a backtracking entry per word, 390 MB for a seed of five million
    bare numbers."""
    return text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def normalise(text: str) -> str:
    """NFKC, straight quotes, hyphens for en/em dashes, single spaces, trimmed."""
    if _already_normal(text):
        return text
    # Spaces first: a text whose only non-NFKC characters are no-break spaces (news copy is full
    # of them) then passes NFKC's quick check. This gives the same result as NFKC first, because
    # White_Space characters never compose and NFKC maps each to one White_Space character.
    text = _collapse(text)
    if not text.isascii():
        # The quick check is some fifty times faster than normalising, and most texts pass it.
        if not unicodedata.is_normalized("NFKC", text):
            # NFKC can make spaces of other characters (U+00A8 is a space and a diaeresis).
            text = _collapse(unicodedata.normalize("NFKC", text))
        for old, new in _REPLACEMENTS:
            text = text.replace(old, new)
    return text


# Whitespace that collapsing changes: a run of two or more, or one that is not a plain space.
_WS_TO_CHANGE = f"[{_WHITE_SPACE}]{{2,}}|[{_WHITE_SPACE.replace(' ', '')}]"


def normalise_series_nfkc(texts: pl.Series) -> tuple[pl.Series, list[int]]:
    """normalise() of each text, and the rows whose text NFKC changes (only those can hold a
    character that normalising folds into a digit: digit_forms.py), mostly in polars over all texts at once: Python's split and
    join took 0.5 s over the 41 MB of 10,000 seeds, polars' regex a sixth of that.

    Spaces are collapsed, then quotes and dashes replaced; then Python's NFKC quick check picks
    the texts that NFKC would change, and only those go through normalise() itself. The quick
    check gives the same answer before and after the replacements: the characters replaced and
    their ASCII replacements never compose with a neighbour, and NFKC leaves each of them be."""
    from validate.kernels.cells import normalise_spaces  # here: validate.kernels.cells imports this module

    name = texts.name
    done = normalise_spaces(texts)  # the same in one C pass, 0.04 CPU seconds over 40 MB against 0.3
    if done is None:
        lazy = texts.alias("t").to_frame().lazy()  # lazily, so that polars splits the texts over its threads
        done = (
            lazy.select(
                pl.col("t")
                .str.replace_all(_WS_TO_CHANGE, " ")
                .str.strip_chars(" ")
                .str.replace_many([old for old, _ in _REPLACEMENTS], [new for _, new in _REPLACEMENTS])
            )
            .collect()
            .get_column("t")
        )
    wide = (done.str.len_bytes() != done.str.len_chars()).arg_true()  # ASCII is always NFKC
    changed = [
        i
        for i, text in zip(wide.to_list(), done.gather(wide).to_list(), strict=True)
        if not unicodedata.is_normalized("NFKC", text)
    ]
    if changed:
        done = done.scatter(changed, [normalise(texts[i]) for i in changed])
    return done.alias(name), changed


# _collapse() splits a long text into words this many characters at a time: its list of words
# (some 70 bytes a word) stays small, and the output is joined from pieces (see _collapse).
_CHUNK = 1 << 16


def _collapse(text: str) -> str:
    """Every run of White_Space to one space, trimmed."""
    # Four memchr scans beat one regex scan of a long text.
    if any(sep in text for sep in _SEPARATOR_CHARS):
        return _WS_RUN.sub(" ", text).strip(" ")
    # str.split() splits on exactly White_Space plus U+001C..U+001F, which the text lacks: the
    # same result as the regex, several times faster on long texts.
    if len(text) <= _CHUNK:
        return " ".join(text.split())
    # A long text is split a chunk at a time, each cut at the end of a run of White_Space so that
    # no word straddles two: the same words, so the same result. split() of the whole held an
    # object of some 70 bytes a word at once, and NFKC makes U+FDFA four words of eighteen
    # characters: normalising 5 MB of it peaked at 590 MB, ten times its output; now 180 MB.
    pieces = []
    start = 0
    while start < len(text):
        gap = _WS_RUN.search(text, min(start + _CHUNK, len(text)))
        end = gap.end() if gap is not None else len(text)
        piece = " ".join(text[start:end].split())
        if piece:
            pieces.append(piece)
        start = end
    return " ".join(pieces)


def unchanged_by_normalise(col: pl.Expr) -> pl.Expr:
    """True for cells normalise() leaves as they are, found without Python: ASCII (which NFKC
    never changes) with no White_Space but single spaces inside. A few memchr-fast scans: one
    regex for the whole shape took three times as long over a million quotes."""
    return (
        (col.str.len_bytes() == col.str.len_chars())
        & ~col.str.contains(r"[\t\n\x0b\x0c\r]")
        & ~col.str.contains("  ", literal=True)
        & ~col.str.starts_with(" ")
        & ~col.str.ends_with(" ")
    )
