"""Where a passage begins or ends inside a word or a number of the text it is taken from, and
where a value_text leaves part of its qualifier outside.

A quote is found in its source, and a value_text in its quote, as a substring: so "ten" is in
"detention", "9,269" in "29,269" and "fewer than 700" in "no fewer than 700". Each would give a
claim the source does not make (10; 9,269; a hedge turned around). The contract asks that each
passage, where it first stands (the place the database's offsets point to), begin and end where
words and numbers do, and that value_text hold the whole of a qualifier phrase it touches.

Word characters are those of the number-phrase reader (ASCII letters, digits and the
underscore), so that the rule and the coverage rule read a text alike. A boundary between two
characters falls inside a word or a number when

- both are word characters ("de|tention", "29|269");
- a digit, then "," or ".", then a digit stand across it ("29|,269", "29,|269", "2|.4"): the
  separators of a number;
- a letter, then "-", then a letter stand across it ("twenty|-three", "Muslim-|majority"): a
  hyphenated word;
- a "$" stands before it and a digit after, or a digit before and a "%" after ("$|2.4",
  "70|%"): the number reader's phrase holds them (and a qualifier before "$2.4 million" is then
  the phrase's too);
- a number runs on across it, past a space: digits or a number word into a scale or percent
  word ("700| million", "two |hundred", "70| percent"), or a magnitude into its second part
  ("hundreds| of thousands"). value_text "700" of "700 million" states a number the source does
  not.

The rule is asked of every claim in polars, in a few bytes each side of each end (a non-ASCII
byte is no word character, nor is any character it belongs to); Python reads only what is
reported."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import product

import polars as pl

from validate.text.number_phrases import (
    DIGIT_CHARS,
    LETTER_CHARS,
    MAGNITUDE_PARTS,
    MAGNITUDE_WORDS,
    WORD_CHARS,
    WORDS_AFTER_NUMBER,
)
from validate.text.quote_locator import QuoteLocator
from validate.text.value_text import (
    AND_A_HALF,
    EDITORIAL,
    FRACTION_BEFORE_SCALE,
    LAST_WORD,
    NUMBER_WORDS,
    PREPOSITION_AFTER,
    QUALIFIER_BY_PHRASE,
    SCALE_WORDS,
    VAGUE_BEFORE_SCALE,
)

_SEPARATORS = frozenset(",.")
_HYPHEN = frozenset("-")
_DOLLAR = frozenset("$")
_PERCENT = frozenset("%")


# The rule, once: each way a boundary falls inside a word or number, as the kinds of the
# characters that must stand at offsets from it (-1: the one before, 0: the one after).
_JOINS: tuple[tuple[tuple[int, frozenset[str]], ...], ...] = (
    ((-1, WORD_CHARS), (0, WORD_CHARS)),
    ((-1, DIGIT_CHARS), (0, _SEPARATORS), (1, DIGIT_CHARS)),
    ((-2, DIGIT_CHARS), (-1, _SEPARATORS), (0, DIGIT_CHARS)),
    ((-1, LETTER_CHARS), (0, _HYPHEN), (1, LETTER_CHARS)),
    ((-2, LETTER_CHARS), (-1, _HYPHEN), (0, LETTER_CHARS)),
    ((-1, _DOLLAR), (0, DIGIT_CHARS)),
    ((-1, DIGIT_CHARS), (0, _PERCENT)),
)


# Numbers said in words that stand apart, which a boundary at any space inside falls inside: the
# words that may stand in each place (a digit may also end the first where `digits`). Digits or
# a number word, then a scale or percent word ("700 million", "two hundred", "70 per cent"); a
# magnitude's two parts ("hundreds of thousands").
_NUMBER_ENDS = (*(w for w in NUMBER_WORDS if " " not in w), *SCALE_WORDS)
_SCALES = tuple(SCALE_WORDS)
# A share of a scale ("half a million", "a quarter of a million"), from its first word or from
# the share's word (after a hyphen: "three-quarters of a million"); a number and a half ("two and
# a half", "a million and a half", "a dozen and a half"); a quantity word before a scale or a
# magnitude ("several thousand", "a few hundred", "many thousands").
_SHARE_WORDS = frozenset(("half", "quarter", "quarters"))
_FRACTIONS = [
    variant
    for words in (f.split(" ") for f in FRACTION_BEFORE_SCALE)
    for variant in (words, ["-".join(words[:2]), *words[2:]] if words[1] in _SHARE_WORDS else [])
    if variant
]
_SPACED: list[tuple[bool, tuple[tuple[str, ...], ...]]] = [
    (True, (_NUMBER_ENDS, tuple(w for w in WORDS_AFTER_NUMBER if " " not in w))),
    *((True, (_NUMBER_ENDS, *((p,) for p in w.split(" ")))) for w in WORDS_AFTER_NUMBER if " " in w),
    *((False, (MAGNITUDE_PARTS[0], *((p,) for p in w.split(" ")))) for w in MAGNITUDE_PARTS[1]),
    *((False, (*((w,) for w in words), _SCALES)) for words in _FRACTIONS),
    (False, ((*_NUMBER_ENDS, "a dozen"), *((w,) for w in AND_A_HALF.split()))),
    *(
        (False, (*((w,) for w in v.split(" ")), *after))
        for v in VAGUE_BEFORE_SCALE
        for after in [
            ((*_SCALES, "dozen", *MAGNITUDE_WORDS),),
            *((MAGNITUDE_PARTS[0], *((p,) for p in w.split(" "))) for w in MAGNITUDE_PARTS[1]),
        ]
    ),
]
_WORD = "A-Za-z0-9_"


def _ascii_caseless(words: tuple[str, ...]) -> str:
    """A pattern of any of `words`, the longest first, in any case of their ASCII letters
    (polars' (?i) would take the long s for an s, the Kelvin sign for a k)."""
    either = (
        "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in w) for w in sorted(words, key=len, reverse=True)
    )
    return f"(?:{'|'.join(either)})"


def _splits(word_start: str, word_end: str) -> list[tuple[str, str]]:
    """Each way a boundary may fall at a space inside a number of _SPACED, as a pattern of the
    text that ends at the boundary (its first word after `word_start`: no word character before
    it) and one of the text that begins there (ending at `word_end`: no word character after
    it); the space stands on either side."""
    out = []
    for digits, places in _SPACED:
        words = [_ascii_caseless(place) for place in places]
        first = ("(?:[0-9]|" if digits else "(?:") + word_start + words[0] + ")"
        for i in range(1, len(words)):
            for space_before in (True, False):
                gap = (" ", "") if space_before else ("", " ")
                out.append(
                    (
                        " ".join([first, *words[1:i]]) + gap[0],
                        gap[1] + " ".join(words[i:]) + word_end,
                    )
                )
    return out


# As Python reads them (the text before the boundary searched to its end, the text after
# matched from it), and as polars does (the few bytes each side, decoded).
_SPLITS_READ = [
    (re.compile(before + r"\Z"), re.compile(after)) for before, after in _splits(f"(?<![{_WORD}])", f"(?![{_WORD}])")
]
_SPLITS_MANY = [(before + "$", "^" + after) for before, after in _splits(f"(?:^|[^{_WORD}])", f"(?:$|[^{_WORD}])")]
# Characters read each side of a boundary: the longest text of a number of _SPACED (a word more
# than the reader needs: see _text_before), and a character after it.
_SPACED_REACH = 2 + max(sum(max(map(len, place)) + 1 for place in places) for _, places in _SPACED)


def _kind_at(text: str, i: int, kind: frozenset[str]) -> bool:
    return 0 <= i < len(text) and text[i] in kind


# The first four characters, lowercase, of each word that may stand after a space in a number of
# _SPACED and of what may follow it (its space and the next word's first letters: "of" is "of t"
# or "of m"): a boundary is read further only where one stands just beyond a space beside it.
_SPACED_STARTS = frozenset(
    " ".join(words)[:4].lower()
    for _, places in _SPACED
    for i in range(1, len(places))
    for words in product(*places[i:])
)


def _runs_on(text: str, at: int) -> bool:
    """Whether the boundary before text[at], beside a space, falls inside a number of _SPACED."""
    space = at if text[at : at + 1] == " " else at - 1
    if space < 0 or text[space] != " " or text[space + 1 : space + 5].lower() not in _SPACED_STARTS:
        return False
    lo = max(0, at - _SPACED_REACH)
    return any(before.search(text, lo, at) and after.match(text, at) for before, after in _SPLITS_READ)


def cuts(text: str, at: int) -> bool:
    """Whether the boundary before text[at] falls inside a word or a number (see the module)."""
    return any(all(_kind_at(text, at + k, kind) for k, kind in join) for join in _JOINS) or _runs_on(text, at)


def _byte(text: pl.Expr, at: pl.Expr) -> pl.Expr:
    """The byte of `text` (Binary) at `at`; null off either end (bin.get counts a negative index
    from the end)."""
    return text.bin.get(pl.when(at >= 0).then(at), null_on_oob=True)


# Each kind of character of _JOINS, as a bit; and of each byte, the kinds it is of (one look-up
# a byte, where a look-up for each kind cost several times more).
_KIND_BIT = {kind: 1 << i for i, kind in enumerate(dict.fromkeys(kind for join in _JOINS for _, kind in join))}
_KINDS_OF = pl.Series(
    [sum(bit for kind, bit in _KIND_BIT.items() if chr(code) in kind) for code in range(256)], dtype=pl.UInt8
)


def _kinds(byte: pl.Expr) -> pl.Expr:
    """The kinds of _JOINS a byte is of, as bits (null where the byte is)."""
    return pl.lit(_KINDS_OF).gather(byte)


# Bytes of a text read before and after a boundary: the reach of _JOINS, and of a word that may
# continue a number beyond a space after it (_SPACED_STARTS).
_BACK, _AHEAD = 2, 5


def cuts_many(text: pl.Series, at: pl.Series) -> pl.Series:
    """cuts() of each row: `text` Binary (UTF-8), `at` a byte offset that starts a character
    (false where it is null). Each kind of character is ASCII, so its byte is itself, and a byte
    of a longer character is none of them, as the character is not.

    The few bytes around each boundary are copied out of the texts once (a window of up to 12
    bytes is held in its row's view, where a text's own bytes lie far apart in memory: each
    further read of them cost as much as the copy), and the rule is read in them. Only where a
    number may run on past a space (_SPACED_STARTS) is more of the text read."""
    frame = pl.DataFrame({"t": text, "at": at.cast(pl.Int64)})
    t, p = pl.col("t"), pl.col("at")
    start = (p - _BACK).clip(lower_bound=0)
    window = frame.select(w=t.bin.slice(pl.when(p >= 0).then(start), _BACK + _AHEAD), o=p - start)
    w, o = pl.col("w"), pl.col("o")
    # The bytes beside the boundary and their kinds, as columns (an expression used twice in a
    # select is read twice); only where both are of some kind are the two beyond them read.
    window = window.with_columns(**{f"b{k}": _byte(w, o + k) for k in (-1, 0)})
    b = {k: pl.col(f"b{k}") for k in range(-_BACK, 2)}
    kinds = {k: pl.col(f"k{k}") for k in range(-_BACK, 2)}
    window = window.with_columns(**{f"k{k}": _kinds(b[k]) for k in (-1, 0)})
    maybe = window.select(((kinds[-1] != 0) & (kinds[0] != 0)).fill_null(False).arg_true()).to_series()
    few = window.select(pl.all().gather(maybe)).with_columns(**{f"b{k}": _byte(w, o + k) for k in (-2, 1)})
    few = few.with_columns(**{f"k{k}": _kinds(b[k]) for k in (-2, 1)})
    joined = [pl.all_horizontal((kinds[k] & _KIND_BIT[kind]) != 0 for k, kind in join) for join in _JOINS]
    cut = pl.repeat(False, frame.height, eager=True)
    if maybe.len():
        cut = cut.scatter(maybe.filter(few.select(pl.any_horizontal(joined).fill_null(False)).to_series()), True)

    def starts_at(at: pl.Expr) -> pl.Expr:
        four = w.bin.slice(at, 4).bin.reinterpret(dtype=pl.UInt32, endianness="little")
        return (four | 0x20202020).is_in(_SPACED_START_BYTES)

    # A space after the boundary, or else before it (where both, no word begins at the second).
    spaced = ((b[0] == _SPACE) | (b[-1] == _SPACE)) & starts_at(pl.when(b[0] == _SPACE).then(o + 1).otherwise(o))
    rows = window.select(spaced.fill_null(False).arg_true()).to_series()
    return cut.scatter(rows.filter(_runs_on_many(frame.select(pl.all().gather(rows)))), True) if rows.len() else cut


# _SPACED_STARTS as polars reads them: four bytes, with 0x20 set in each (an ASCII letter's
# lowercase; a space is itself), as one little-endian integer.
_SPACED_START_BYTES = sorted(int.from_bytes(start.encode(), "little") for start in _SPACED_STARTS)
_SPACE = ord(" ")


def _runs_on_many(frame: pl.DataFrame) -> pl.Series:
    """_runs_on of each row of `frame` (t: Binary, at: a byte offset that starts a character), read
    in the text a few characters each side of the boundary, decoded."""
    t, p = pl.col("t"), pl.col("at")
    few = frame.select(before=_text_before(t, p, _SPACED_REACH), after=_text_after(t, p, _SPACED_REACH))
    split = [pl.col("before").str.contains(b) & pl.col("after").str.contains(a) for b, a in _SPLITS_MANY]
    return few.select(pl.any_horizontal(split).fill_null(False)).to_series()


def _text_before(t: pl.Expr, at: pl.Expr, most: int) -> pl.Expr:
    """The text of `t` (Binary, UTF-8) before byte `at` (a character's start), as a String: up
    to `most` bytes of it, from a character's start (past any byte that continues one)."""
    start = (at - most).clip(lower_bound=0)
    continues = [_byte(t, start + k).is_between(0x80, 0xBF) for k in range(3)]
    skip = pl.when(~continues[0]).then(0).when(~continues[1]).then(1).when(~continues[2]).then(2).otherwise(3)
    return t.bin.slice(start + skip, at - start - skip).cast(pl.String)


def _text_after(t: pl.Expr, at: pl.Expr, most: int) -> pl.Expr:
    """The text of `t` (Binary, UTF-8) from byte `at` (a character's start), as a String: up to
    `most` bytes of it, to a character's end (short of a character the bytes would cut)."""
    end = at + most
    continues = [_byte(t, end - k).is_between(0x80, 0xBF).fill_null(False) for k in range(3)]
    back = pl.when(~continues[0]).then(0).when(~continues[1]).then(1).when(~continues[2]).then(2).otherwise(3)
    return t.bin.slice(at, most - back).cast(pl.String)


# A message shows at most this many characters of a word or number beyond the passage's end.
_REACH = 40


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] taken out to whole words and numbers on each side that cuts one, up to
    _REACH characters a side."""
    lo, hi = start, end
    while lo > max(0, start - _REACH) and cuts(text, lo):
        lo -= 1
    while hi < min(len(text), end + _REACH) and cuts(text, hi):
        hi += 1
    return lo, hi


def _shown(text: str, lo: int, hi: int, shown: str | None = None) -> str:
    """text[lo:hi] (or `shown`'s characters there), marked "..." on a side where a word runs on."""
    return ("..." if cuts(text, lo) else "") + (shown or text)[lo:hi] + ("..." if cuts(text, hi) else "")


def widened(text: str, start: int, end: int, shown: str | None = None) -> str:
    """text[start:end] taken out to whole words and numbers (see _span): the passage to quote,
    in `shown`'s characters where given (the text as printed, `text` as read: see _as_read)."""
    return _shown(text, *_span(text, start, end), shown)


def described(text: str, start: int, end: int, shown: str | None = None) -> str:
    """How text[start:end] cuts words or numbers: "begins inside 'detention'", "ends inside
    '29,269'", "lies inside 'detention'" (both ends in one word), or both ends named."""
    words = [(side, _span(text, at, at)) for side, at in (("begins", start), ("ends", end)) if cuts(text, at)]
    if len(words) == 2 and words[0][1] == words[1][1]:
        return f"lies inside {_shown(text, *words[0][1], shown)!r}"
    return " and ".join(f"{side} inside {_shown(text, *span, shown)!r}" for side, span in words)


def _as_read(ch: str) -> str:
    """A printed character as the boundary rule reads it, one for one: a superscript or
    subscript digit or a vulgar fraction (a footnote mark: "675²") stands apart from the number
    before it, though normalising folds it into digits; a fullwidth or styled digit or letter is
    the ASCII one it folds into."""
    if ch.isascii():
        return ch
    if unicodedata.decomposition(ch).startswith(("<super>", "<sub>", "<fraction>")):
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    return folded[0] if folded and all(c in WORD_CHARS for c in folded) else ch


def printed_cut(printed: str, start: int, end: int) -> tuple[str, str] | None:
    """How printed[start:end] (a passage of a text as printed, whose normalised form cuts a word
    or number) cuts one as printed (see described and widened, shown as printed), or None where
    the cut is only normalising's (a superscript folded into the number before it)."""
    lo, hi = max(0, start - _REACH - 2), min(len(printed), end + _REACH + 2)
    shown = printed[lo:hi]
    read = "".join(_as_read(ch) for ch in shown)
    if not (cuts(read, start - lo) or cuts(read, end - lo)):
        return None
    return described(read, start - lo, end - lo, shown), widened(read, start - lo, end - lo, shown)


# Each qualifier phrase of the value reader, as its words, the longest first (as it reads them).
_PHRASES = sorted((tuple(p.split(" ")) for p in QUALIFIER_BY_PHRASE), key=lambda w: -len(" ".join(w)))
# Each way value_text may begin inside a qualifier phrase, or just after it: the phrase's first
# words (its opening; all of them, where value_text follows the phrase) stand before value_text,
# and value_text begins with the rest of it ("no" and "fewer than 700"; "more than" and "29,269").
_SPLIT_ROWS = [(" ".join(w[:i]), " ".join(w[i:]), " ".join(w)) for w in _PHRASES for i in range(1, len(w) + 1)]
SPLITS = dict(zip(("opening", "rest", "phrase"), ([row[k] for row in _SPLIT_ROWS] for k in range(3)), strict=True))
# Each qualifier word that is also a preposition, beside each word after which it is taken as one.
_PREPOSITIONS = {
    "phrase": [p for p, heads in PREPOSITION_AFTER.items() for _ in heads],
    "word_before": [h for heads in PREPOSITION_AFTER.values() for h in sorted(heads)],
}


def _as_written(opening: str) -> str:
    """A pattern of an opening as a quote may write it: any letter in either case, and in an
    editor's brackets ("(N)early"), as the value reader reads value_text. ASCII letters only
    (polars' (?i) would also take the Kelvin sign for a k)."""
    out = []
    for c in opening:
        letter = f"[{c}{c.upper()}]"
        out.append(f"(?:{letter}|[(\\[]{letter}[)\\]])" if c.isalpha() else re.escape(c))
    return "".join(out)


# The quote's words before a value_text that end with an opening and the space before value_text:
# the longest such opening (a shorter one that ends there is the end of it, and the rest of a
# phrase that follows is the same, or no phrase's). Read with the end anchored, so that the
# engine reads each quote backwards from its end, a few characters: 0.03 s a million quotes.
OPENING_BEFORE = (
    "(?:^|[^A-Za-z0-9_])("
    + "|".join(_as_written(o) for o in sorted(set(SPLITS["opening"]), key=len, reverse=True))
    + ") $"
)


# Bytes of the source read before a quote whose value_text begins within this many bytes of
# it: an opening may stand before the quote ("Some" before a quote "5 million people"), and
# the longest, written with editors' brackets, is shorter.
_BEFORE = 4 * max(len(o) for o in SPLITS["opening"])
# The quote's words before its value_text, all of them, where an opening may begin before the
# quote: none, or the last words of an opening ("than" of "more than"; "fewer than" of "no fewer
# than"). Only such claims read the source: in most, the quote's own words before value_text
# ("Records show") begin no opening.
_OPENING_ENDS = {" ".join(w[j:i]) for w in _PHRASES for i in range(2, len(w) + 1) for j in range(1, i)}
_ALL_OPENING_END = "^(?:" + "|".join(_as_written(e) for e in sorted(_OPENING_ENDS, key=len, reverse=True)) + ") $"


def _lowered(text: pl.Expr) -> pl.Expr:
    """Text as the value reader compares it to its phrases: lowercased, editors' brackets undone."""
    return text.str.to_lowercase().str.replace_all(EDITORIAL.pattern, "$1")


def _window(text: bytes, at: int, length: int) -> tuple[str, int, int]:
    """Bytes around a passage (text[at:at+length] and what surrounds it, cut anywhere, even
    inside a character) as a string, with the passage's character offsets in it."""
    before = text[:at].decode("utf-8", "ignore")
    passage = text[at : at + length].decode("utf-8", "ignore")
    after = text[at + length :].decode("utf-8", "ignore")
    return before + passage + after, len(before), len(before) + len(passage)


# Bytes read each side of a reported passage: _REACH characters of up to four bytes, and the two
# that cuts() reads past them.
_AROUND = 4 * _REACH + 8
# How many cut quotes, and as many value texts, are described (in row order): a message past
# them says less, so that a pull request of a million cut quotes costs no Python per row.
DESCRIBED = 1000
# What cut_passages gives.
CUT_COLUMNS = {
    "_quote_cuts": pl.Boolean,
    "_quote_cut": pl.String,
    "_quote_whole": pl.String,
    "_value_text_cuts": pl.Boolean,
    "_value_text_cut": pl.String,
    "_value_text_whole": pl.String,
    "_qualifier_outside": pl.String,
    "_qualifier_opening": pl.String,
    "_qualifier_before_quote": pl.Boolean,
}


def cut_passages(
    text: pl.Series,
    quote: pl.Series,
    quote_at: pl.Series,
    value_text: pl.Series,
    value_text_at: pl.Series,
    printed: Printed | None = None,
) -> pl.DataFrame:
    """CUT_COLUMNS of each claim, a row each (false or null where nothing is cut, or a passage
    is not found: an offset below 0, or null):

    - _quote_cuts: whether the quote's first place in `text` (its source's, normalised; at byte
      `quote_at`) cuts a word or number; _quote_cut: how (see described) and _quote_whole: the
      passage taken out to whole words and numbers (of the first DESCRIBED such claims);
    - _value_text_cuts, _value_text_cut and _value_text_whole: the same of value_text's first
      place in the quote (at byte `value_text_at`);
    - _qualifier_outside: the qualifier phrase value_text leaves partly outside (in its quote, or
      in the source just before a quote that value_text begins), _qualifier_opening: its words
      before value_text, as written, and _qualifier_before_quote: whether they begin before the
      quote.

    With `printed`, a passage that cuts a word or number only once normalised is judged as
    printed (see printed_cut), and described so."""
    t, q, v, at, vat = (pl.col(c) for c in ("t", "q", "v", "at", "vat"))
    frame = pl.DataFrame(
        {"t": text.cast(pl.Binary), "q": quote, "at": quote_at, "v": value_text, "vat": value_text_at},
        schema_overrides={"at": pl.Int64, "vat": pl.Int64},
    ).with_row_index("_row")
    q_bytes, q_size, v_size = q.cast(pl.Binary), q.str.len_bytes(), v.str.len_bytes()
    # The ends of each passage found (null where it is not).
    ends = frame.select(
        "t",
        q=q_bytes,
        q_start=pl.when(at >= 0).then(at),
        q_end=pl.when(at >= 0).then(at + q_size),
        v_start=pl.when(vat >= 0).then(vat),
        v_end=pl.when(vat >= 0).then(vat + v_size),
    )
    marked = frame.with_columns(
        _quote_cuts=cuts_many(ends["t"], ends["q_start"]) | cuts_many(ends["t"], ends["q_end"]),
        _value_text_cuts=cuts_many(ends["q"], ends["v_start"]) | cuts_many(ends["q"], ends["v_end"]),
        # The quote before value_text (bytes up to a character's start: whole characters).
        _before=pl.when(vat >= 0).then(q_bytes.bin.head(vat).cast(pl.String)),
    )
    marked = marked.with_columns(_before=_with_source_before(marked))
    judged = printed.judged(marked) if printed is not None else {"_quote": {}, "_value_text": {}}
    out: dict[str, pl.Series] = {}
    start = (at - _AROUND).clip(lower_bound=0)
    around = t.bin.slice(start, at - start + q_size + _AROUND)
    for name, columns in (("_quote", (around, at - start, q_size)), ("_value_text", (q_bytes, vat, v_size))):
        verdicts = judged[name]
        flags = marked.get_column(f"{name}_cuts")
        cleared = [row for row, verdict in verdicts.items() if verdict is None]
        out[f"{name}_cuts"] = flags.scatter(cleared, False) if cleared else flags
        # The first DESCRIBED cut passages not judged as printed, each as a string with the
        # passage's offsets in it.
        cut = (
            marked.filter(f"{name}_cuts", ~pl.col("_row").is_in(list(verdicts)))
            .head(DESCRIBED)
            .select("_row", *columns)
            .rows()
        )
        read = [_window(*row[1:]) for row in cut]
        told = {row[0]: (described(*r), widened(*r)) for row, r in zip(cut, read, strict=True)}
        told |= {row: verdict for row, verdict in verdicts.items() if verdict is not None}
        rows = sorted(told)
        out[f"{name}_cut"] = _placed(frame.height, rows, [told[r][0] for r in rows])
        out[f"{name}_whole"] = _placed(frame.height, rows, [told[r][1] for r in rows])
    outside = _qualifiers(marked)
    for name in ("_qualifier_outside", "_qualifier_opening", "_qualifier_before_quote"):
        out[name] = _placed(frame.height, outside.get_column("_row"), outside.get_column(name))
    return pl.DataFrame(out).select(CUT_COLUMNS.keys())


class Printed:
    """The texts as printed, to judge a cut that normalising may have made: `quote`, each
    claim's quote as written; `source`, each claim's source (an index of `texts`, null for
    none); `texts`, each source's text as written where normalising may fold a character of it
    into a digit (null for the others)."""

    def __init__(self, quote: pl.Series, source: pl.Series, texts: pl.Series) -> None:
        self.quote, self.source, self.texts = quote, source, texts

    def judged(self, marked: pl.DataFrame) -> dict[str, dict[int, tuple[str, str] | None]]:
        """Of the claims marked as cut (_quote_cuts, _value_text_cuts) whose text normalising
        changed, printed_cut of each as printed: the quotes of the sources in `texts`, the value
        texts of quotes not written as normalised."""
        frame = marked.select(
            "_row", "q", "v", "at", "vat", "_quote_cuts", "_value_text_cuts", raw=self.quote, src=self.source
        )
        quotes: dict[int, tuple[str, str] | None] = {}
        cut = frame.filter("_quote_cuts", pl.col("src").is_not_null())
        if self.texts.len() and cut.height:
            sources: dict[int, tuple[str, QuoteLocator, bytes]] = {}
            rows = cut.filter(pl.lit(self.texts.gather(cut.get_column("src")).is_not_null()))
            for row, source, norm, at in rows.select("_row", "src", "q", "at").iter_rows():
                if source not in sources:
                    text = self.texts[source]
                    locator = QuoteLocator(text)
                    sources[source] = (text, locator, locator.text.encode())
                text, locator, encoded = sources[source]
                first = len(encoded[:at].decode())
                quotes[row] = printed_cut(text, *locator.original(first, first + len(norm)))
        values: dict[int, tuple[str, str] | None] = {}
        rows = frame.filter("_value_text_cuts").filter(pl.col("raw") != pl.col("q"))
        for row, raw, norm, value, at in rows.select("_row", "raw", "q", "v", "vat").iter_rows():
            first = len(norm.encode()[:at].decode())
            values[row] = printed_cut(raw, *QuoteLocator(raw).original(first, first + len(value)))
        return {"_quote": quotes, "_value_text": values}


def _placed(height: int, rows: Sequence[int] | pl.Series, values: Sequence[str] | pl.Series) -> pl.Series:
    """`height` nulls, but `values` at `rows`."""
    dtype = values.dtype if isinstance(values, pl.Series) else pl.String
    out = pl.repeat(None, height, dtype=dtype, eager=True)
    return out.scatter(rows, pl.Series(values, dtype=dtype)) if len(rows) else out


def _with_source_before(marked: pl.DataFrame) -> pl.Series:
    """Each claim's _before (the quote before its value_text), with the source's last _BEFORE
    bytes before the quote in front where an opening may begin before the quote (see
    _ALL_OPENING_END): a quote that begins after a qualifier ("5 million people" after "Some")
    must not hide it."""
    t, at, vat, before = pl.col("t"), pl.col("at"), pl.col("vat"), pl.col("_before")
    near = marked.filter((at > 0) & ((vat == 0) | before.str.contains(_ALL_OPENING_END))).select(
        "_row", "t", "at", "_before"
    )
    read = near.select("_row", _source=_text_before(t, at, _BEFORE) + before)
    quoted = marked.get_column("_before")
    return quoted.scatter(read.get_column("_row"), read.get_column("_source")) if read.height else quoted


def _qualifiers(marked: pl.DataFrame) -> pl.DataFrame:
    """Of the claims (_row, v: value_text, vat: its place in the quote, _before: the text before
    it) whose value_text leaves a qualifier phrase partly outside, the phrase
    (_qualifier_outside), its words before value_text as written (_qualifier_opening), and
    whether they begin before the quote (_qualifier_before_quote)."""
    before, head, rest = pl.col("_before"), _lowered(pl.col("v")), pl.col("rest")
    candidates = (
        marked.select("_row", "v", "vat", "_before", _written=before.str.extract(OPENING_BEFORE, 1))
        .filter(pl.col("_written").is_not_null())
        .with_columns(opening=_lowered(pl.col("_written")))
    )
    # value_text begins with the rest of the phrase, as whole words.
    after_rest = head.str.slice(rest.str.len_chars(), 1)
    # The word before a whole phrase that stands before value_text: after some, a qualifier word
    # may be a preposition ("worried about 700 jobs"), and value_text may leave it out.
    preceding = before.str.slice(0, before.str.len_chars() - pl.col("_written").str.len_chars() - 1)
    return (
        candidates.join(pl.DataFrame(SPLITS), on="opening")
        .filter((rest == "") | (head.str.starts_with(rest) & ~after_rest.str.contains("^[a-z0-9_]$").fill_null(False)))
        .with_columns(word_before=pl.when(rest == "").then(preceding.str.extract(LAST_WORD, 1).str.to_lowercase()))
        .join(pl.DataFrame(_PREPOSITIONS), on=["phrase", "word_before"], how="anti")
        .sort(pl.col("phrase").str.len_chars(), descending=True, maintain_order=True)
        .unique("_row", keep="first", maintain_order=True)
        .select(
            "_row",
            _qualifier_outside="phrase",
            _qualifier_opening="_written",
            # The opening and the space after it are more than the quote holds before value_text.
            _qualifier_before_quote=pl.col("_written").str.len_bytes() + 1 > pl.col("vat"),
        )
    )
