"""The reader of number-like phrases: what coverage, `claims candidates` and `claims exclude` call a number.

It reads a source's text after the contract's normalisation (validate.text.normalise), in one
left-to-right regular-expression pass, so its cost is linear in the text's length: the pass is
polars' (Rust's regex engine, linear by construction, some thirty times faster than Python's on
this pattern, and over all texts at once), and each phrase it proposes is then confirmed where it
stands by the same pattern in Python, which alone has the look-behinds below. A number-like
phrase is, case ignored:

- a run of ASCII digits, with thousands separators and decimals (`675`, `29,269`, `2.37`), and a
  `$` before it or scale and percent words after it (`2.37 million`, `70%`, `1.4 percent`, and
  the press's scale letters `$2.4bn`, `700k`): every
  digit of a text is inside some phrase, whatever surrounds it (the `19` of `COVID-19`, the `18`
  of `18th`, the years of dates);
- a number word, alone or hyphenated, or `a dozen`, `a hundred`, `a thousand`, `a million`, `a
  billion`, with up to two scale words and a percent word after it, as digits may have (`four`,
  `twenty-three`, `two million`, `two hundred thousand`, `seventy percent`);
  `half a dozen`; a number and a half (`two and a half million`, `a million and a half`); a
  share of a scale (`half a million`, `a half-million`, `a quarter of a million`);
- a share in words: `half`, `a third`, `two thirds`, `a quarter`, `three quarters`, `a fifth`,
  `a tenth`, `one in four`, `all`, `every single` (`every single one`), `none`, the `majority`,
  `most` (the value reader reads the last two as more than 50 percent);
- a magnitude: `dozens`, `scores`, `hundreds`, `thousands`, `millions`, `billions`, `tens of
  thousands`, `hundreds of thousands`, `tens of millions`, `hundreds of millions`, and a quantity
  word before a scale or a magnitude (`several thousand`, `a few hundred`, `many thousands`);
- a quantity word that implies no bound: `many`, `several`, `multiple`, `numerous`,
  `countless`, `a few`, `a handful of`, `a number of`, `a myriad of`;

each with the qualifier words before it that the value reader knows (`more than`, `nearly`,
`about`, `(N)early`, `[M]ore than`...). The phrase's *core* is the part without the qualifier:
a claim or an exclusion accounts for a phrase when its core lies inside the claim's `value_text`
or the excluded text. Ordinals in words (`first`), `each`, `once` and `twice` are not number-like.
Words match whole: `one` is found in `One of the big ones`, not in `someone`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from re import _parser

import polars as pl

from validate.text.value_text import (
    AND_A_HALF,
    FRACTION_OF_SCALE,
    NUMBER_WORDS,
    QUALIFIER_BY_PHRASE,
    SCALE_LETTERS,
    SCALE_WORDS,
    VAGUE_BEFORE_SCALE,
)

# The number words of value_text, the reader of what is found here, grouped for the pattern.
_ONE_WORD = {word: n for word, n in NUMBER_WORDS.items() if " " not in word}
_UNITS = "|".join(word for word, n in _ONE_WORD.items() if n < 10)
_TEENS = "|".join(word for word, n in _ONE_WORD.items() if 10 <= n < 20)
_TENS = "|".join(word for word, n in _ONE_WORD.items() if n >= 20)
# The words that, after a space, continue a number ("700 million", "two hundred", "70 percent"):
# the cut rule (validate.text.cuts) reads them too. After digits or number words, up to two scale
# words and then a percent word ("two hundred thousand", "seventy percent").
PERCENT_WORDS = ("percent", "per cent")
WORDS_AFTER_NUMBER = (*PERCENT_WORDS, *SCALE_WORDS)
_SCALE_NAMES = "|".join(SCALE_WORDS)
_AFTER_NUMBER = rf"(?: (?:{_SCALE_NAMES})){{0,2}}(?: (?:{'|'.join(PERCENT_WORDS)}))?"
# Or a scale letter straight after the digits ("$2.4bn", "700k"), ending a word.
_LETTERS_END = "(?![A-Za-z0-9_])"
_DIGIT_SUFFIX = rf"%|(?:{'|'.join(sorted(SCALE_LETTERS, key=len, reverse=True))}){_LETTERS_END}|{_AFTER_NUMBER}"
_DIGITS = rf"\$?(?<![0-9])[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?(?:{_DIGIT_SUFFIX})?"
# One number in words: "seven", "seventeen", "seventy-seven".
_ONE_NUMBER = rf"(?:{_TENS})(?:-(?:{_UNITS}))?|{_TEENS}|{_UNITS}"
_WORDS = (
    rf"(?:{_ONE_NUMBER}){_AFTER_NUMBER}|a (?:"
    + "|".join(w[2:] for w in NUMBER_WORDS if w.startswith("a "))
    + f"){_AFTER_NUMBER}"
)
_FRACTION = "half|halves|thirds?|quarters?|fifths?|tenths?"
_SHARES = (
    rf"(?:a|one|two|three|four)[ -](?:{_FRACTION})|half|one in (?:{_UNITS}|ten)|(?:{_UNITS}) in ten"
    r"|every single(?: one)?|all|none|(?:the |a )?(?:vast )?majority|most"
)
# A magnitude said in two parts ("tens of thousands"): its first words, and what follows them.
MAGNITUDE_PARTS = (("tens", "hundreds"), ("of thousands", "of millions"))
MAGNITUDE_WORDS = ("dozens", "scores", "hundreds", "thousands", "millions", "billions")
_MAGNITUDES = f"(?:{'|'.join(MAGNITUDE_PARTS[0])}) (?:{'|'.join(MAGNITUDE_PARTS[1])})|{'|'.join(MAGNITUDE_WORDS)}"
_NO_BOUND = "many|several|multiple|numerous|countless|a few|a handful of|a number of|a myriad of"
# A quantity word before a scale or a magnitude, which then has a bound ("several thousand", "a
# few hundred thousand", "many thousands", "several dozen"): tried before the quantity word alone.
_VAGUE_SCALES = f"(?:{'|'.join(VAGUE_BEFORE_SCALE)}) (?:{_MAGNITUDES}|(?:dozen|{_SCALE_NAMES})(?: (?:{_SCALE_NAMES}))?)"
# A number and a half ("two and a half million", "a million and a half", "ten and a half
# percent"): tried before the number alone.
_AND_A_HALF = rf"(?:{_ONE_NUMBER}|a (?:dozen|{_SCALE_NAMES}))(?: (?:{_SCALE_NAMES})){{0,2}}{AND_A_HALF}{_AFTER_NUMBER}"
# Longest first, so that "no more than" wins over "more than".
_PLAIN_QUALIFIERS = [re.escape(q).replace(r"\ ", " ") for q in sorted(QUALIFIER_BY_PHRASE, key=len, reverse=True)]
# An editor may bracket a qualifier's first letter ("(N)early", "[M]ore than"), as the value
# reader reads value_text (its EDITORIAL): the phrase is the number's either way.
_QUALIFIERS = "|".join(rf"(?:[(\[]{q[0]}[)\]]|{q[0]}){q[1:]}" for q in _PLAIN_QUALIFIERS)
# Word boundaries of ASCII word characters, as \b in both engines with (?-u).
_START = r"(?<![A-Za-z0-9_])"
# Words also need no hyphen before them: "Muslim-majority" is an adjective, not a share.
_WORD_START = r"(?<![A-Za-z0-9_-])"
_END = r"(?![A-Za-z0-9_])"
# Number words that begin as a share does ("half a dozen", "a half-dozen"): tried before the shares.
_HALVES = "|".join(sorted((w for w in NUMBER_WORDS if "half" in w), key=len, reverse=True))
_CORE = rf"{FRACTION_OF_SCALE}|{_HALVES}|{_AND_A_HALF}|{_VAGUE_SCALES}|{_MAGNITUDES}|{_SHARES}|{_NO_BOUND}|{_WORDS}"
_PHRASE = re.compile(
    rf"(?i)(?:{_START}(?P<qualifier>{_QUALIFIERS}) )?{_WORD_START}(?P<core>{_CORE}){_END}"
    rf"|(?:{_START}(?P<qualifier2>{_QUALIFIERS}) )?(?P<digits>{_DIGITS})"
)
# The same pattern for polars (Rust's regex has no look-around): \b in place of the look-behinds
# (a bracketed qualifier, which begins with no word character, spelled apart), no look-behind in
# the digits. It proposes; _PHRASE confirms (a hyphen before a word is seen there only).
_BRACKETED = "|".join(rf"{q[0]}[)\]]{q[1:]}" for q in _PLAIN_QUALIFIERS)
_QUALIFIER_RUST = rf"(?:[(\[](?:{_BRACKETED})|\b(?:{'|'.join(_PLAIN_QUALIFIERS)})) "
_DIGITS_RUST = _DIGITS.replace("(?<![0-9])", "").replace(_LETTERS_END, r"\b")
_PROPOSE = (
    rf"(?i-u)(?:{_QUALIFIER_RUST})?\b(?:{_CORE})\b"
    rf"|(?:{_QUALIFIER_RUST})?{_DIGITS_RUST}"
)


@dataclass(frozen=True)
class Phrase:
    """One number-like phrase: its text and span, and the span of its core (without the qualifier)."""

    start: int
    end: int
    core_start: int
    core_end: int
    text: str

    @property
    def core(self) -> str:
        return self.text[self.core_start - self.start : self.core_end - self.start]


# Below this length Python's own pass costs less than a call into polars (some 50 microseconds).
_SHORT = 2_000


def find_phrases(text: str) -> list[Phrase]:
    """Every number-like phrase of `text` (normalised), in order."""
    if len(text) < _SHORT:
        return [_phrase(m) for m in _PHRASE.finditer(text)]
    return find_phrases_many([text])[0]


_ANY_DIGIT = re.compile("[0-9]")


def has_phrase(text: str) -> bool:
    """Whether `text` holds a number-like phrase."""
    # Every digit is inside a phrase: the common case is answered by a scan for one digit.
    return _ANY_DIGIT.search(text) is not None or _PHRASE.search(text) is not None


@lru_cache(maxsize=1 << 16)
def has_number(words: str) -> bool:
    """has_phrase of a few words, remembered: asked again for each exclusion of "2017" and each
    claim's value_text (never of a whole text, which the cache would keep)."""
    return has_phrase(words)


def _phrase(m: re.Match[str]) -> Phrase:
    core = "core" if m.group("core") is not None else "digits"
    return Phrase(m.start(), m.end(), m.start(core), m.end(core), m.group(0))


def find_phrases_many(texts: list[str]) -> list[list[Phrase]]:
    """Every number-like phrase of each text, in order: one polars pass over all of them.

    A Phrase each is what it returns, so its cost is that of the phrases (some 20 microseconds
    each): a caller that wants a few of a seed's phrases asks phrases_within or missing_many.
    A lone surrogate, which a polars string cannot hold, would raise here; none reaches it: seeds
    and tables are decoded as strict UTF-8 (or by polars), and the command line refuses an
    argument that is not UTF-8 (cli._refuse_arguments_not_utf8) before `claims exclude` reads its words."""
    return [phrases_outside(text, found) for text, found in zip(texts, proposed_many(texts), strict=True)]


def proposed_many(texts: list[str]) -> list[list[str]]:
    """The phrases polars proposes in each text, in order (phrases_outside places and confirms them)."""
    return [found or [] for found in pl.Series(texts, dtype=pl.String).str.extract_all(_PROPOSE).to_list()]


# Word characters, as both engines' boundaries see them; a word also needs no hyphen before it.
WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
DIGIT_CHARS = frozenset("0123456789")
LETTER_CHARS = WORD_CHARS - DIGIT_CHARS - {"_"}
# Marks that polars writes around each phrase it proposes; a text holding one is read by Python.
_OPEN, _CLOSE = "\x00", "\x01"
# Where Rust's pass and Python's may read a text other than ASCII differently: a character that
# Python's case-insensitive matching takes for an ASCII one (the dotted and dotless I for `i`,
# the long s for `s`, the Kelvin sign for `k`: `ſeveral` is a phrase to Python, not to Rust's
# ASCII pass), asked of Python's own engine as _PHRASE's letters and classes are matched rather
# than listed (tests/text/test_number_phrases.py checks it against every code point and every
# letter of the pattern); or a lone surrogate, which a polars string cannot hold. Every other
# character beyond ASCII matches nothing of either pattern and is a word character to neither's
# boundaries: Rust's pass, in bytes, sees each of its bytes (all over 127) so. A set of these
# characters worked out at import (a scan of every code point) cost some 50 ms a process; this
# search costs 7 ns a character of mostly-ASCII text, 50 of text without ASCII.
_NOT_AS_RUST = re.compile(r"[\ud800-\udfff]|[^\x00-\x7f](?<=(?i:[\x00-\x7f]))")


def _read_alike(text: str) -> bool:
    """Whether Rust's pass reads `text` as Python's does (see _NOT_AS_RUST), marks aside."""
    return text.isascii() or _NOT_AS_RUST.search(text) is None


@dataclass(frozen=True)
class Proposed:
    """Where the phrases of each text are, as offsets into the `exact` texts laid end to end
    (each from `base`, the others counted as empty): the phrases of an exact text are exactly
    those of Python's pass, in order; another text (one holding a mark of polars' pass or a lone
    surrogate) needs Python's own pass."""

    phrases: pl.DataFrame  # start, end (offsets end to end), owner (the index of the text)
    base: list[int]
    exact: list[bool]


# As bytes: proposed_spans reads the edges of each phrase byte by byte.
_DIGITS_LIST = sorted(ord(c) for c in DIGIT_CHARS)
_LETTERS = sorted(ord(c) for c in LETTER_CHARS)
_WORD_BYTES = sorted(ord(c) for c in WORD_CHARS)


def proposed_spans(texts: list[str]) -> Proposed:
    """The spans of every text's phrases at once: polars' proposals, each phrase marked in one
    regex pass, the marked texts split at the marks, and the pieces' lengths summed; and Python's
    own pass over a stretch around each place where the two engines may read a text apart.

    Python's pattern is Rust's with look-behinds added (no digit before a digit, no hyphen before
    a letter, no word character before `(`; each reads only the character before the attempt, or
    one inside the match: the `$`, a qualifier's space), so Python's pass finds Rust's proposals wherever
    Rust's pass reads the text as Python's does and every proposal's edge holds those
    look-behinds. Where it does not (a refused edge, as in `Muslim-majority`, or a character that
    Python's case-insensitive matching takes for an ASCII one: _NOT_AS_RUST), only the phrases
    near it are Python's to read (_local_passes). A text holding a mark, or a lone surrogate
    (which a polars string cannot hold), is not exact. (The caller still confirms each phrase it
    reads.) Offsets are characters, Python's."""
    exact = [_OPEN not in t and _CLOSE not in t for t in texts]
    # The characters Rust's pass reads apart, by text: found by one search of each text other
    # than ASCII (7 ns a character of mostly-ASCII text).
    odd: dict[int, list[int]] = {}
    for i, text in enumerate(texts):
        if exact[i] and not text.isascii():
            spots = [m.start() for m in _NOT_AS_RUST.finditer(text)]
            if any(_SURROGATE.match(text, at) for at in spots):
                exact[i] = False
            elif spots:
                odd[i] = spots
    used = [t if ok else "" for t, ok in zip(texts, exact, strict=True)]
    base = [0, *accumulate(len(t) for t in used)][: len(used)]
    marked = pl.Series("piece", used, dtype=pl.String).str.replace_all(_PROPOSE, f"{_OPEN}${{0}}{_CLOSE}")
    # The first piece of a text is what stands before its first phrase; each other is a phrase,
    # its closing mark, and what follows it up to the next. A phrase is ASCII (Rust's pattern
    # matches ASCII bytes only), so its edges are read as bytes (a one-character string per piece
    # cost twice as much) and its length is the byte offset of its closing mark; a character
    # before it that is not ASCII ends in a byte over 127, which no edge test takes for a digit,
    # hyphen or word character, as Python's look-behinds do not. What follows a phrase is counted
    # in characters, where some text is not ASCII (in bytes otherwise: the same, and less work).
    piece = pl.col("piece")
    raw = piece.cast(pl.Binary)
    closed = piece.str.find(_CLOSE, literal=True)
    size = piece.str.len_bytes() if all(map(str.isascii, used)) else piece.str.len_chars()
    last = (
        pl.when(piece.str.ends_with(_CLOSE))
        .then(raw.bin.get(-2, null_on_oob=True))
        .otherwise(raw.bin.get(-1, null_on_oob=True))
    )
    flat = (
        marked.str.split(_OPEN)
        .to_frame()
        .with_row_index("owner")
        .explode("piece")
        .select(
            "owner",
            length=closed.cast(pl.Int64),
            advance=size.cast(pl.Int64) - closed.is_not_null().cast(pl.Int64),
            first=raw.bin.get(0, null_on_oob=True),
            # The character before each phrase: the end of the piece before (a space at the start).
            before=pl.when(piece == "").then(pl.lit(ord(" "), dtype=pl.UInt8)).otherwise(last).shift(1),
        )
        .with_columns(start=pl.col("advance").cum_sum() - pl.col("advance"))
        .filter(pl.col("length").is_not_null())
    )
    first, before = pl.col("first"), pl.col("before")
    wrong = (
        (first.is_in(_DIGITS_LIST) & before.is_in(_DIGITS_LIST))
        | (first.is_in(_LETTERS) & (before == ord("-")))
        | (first.is_in([ord("("), ord("[")]) & before.is_in(_WORD_BYTES))
    )
    refused: dict[int, list[int]] = defaultdict(list)
    for owner, start in flat.filter(wrong).select("owner", "start").iter_rows():
        refused[owner].append(start - base[owner])
    phrases = flat.filter(pl.col("owner").is_in([i for i, ok in enumerate(exact) if ok])).select(
        "start", end=pl.col("start") + pl.col("length"), owner="owner"
    )
    if refused or odd:
        phrases = _read_locally(texts, phrases, base, refused, odd)
    return Proposed(phrases, base, exact)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _read_locally(
    texts: list[str], phrases: pl.DataFrame, base: list[int], refused: dict[int, list[int]], odd: dict[int, list[int]]
) -> pl.DataFrame:
    """`phrases` (polars' proposals) with those of each stretch that _local_passes gives Python's
    pass to read replaced by the phrases Python's pass finds there."""
    owners = sorted(set(refused) | set(odd))
    by_owner = phrases.filter(pl.col("owner").is_in(owners)).partition_by("owner", as_dict=True)
    read: dict[str, list[int]] = {"lo": [], "hi": []}
    found: dict[str, list[int]] = {"start": [], "end": [], "owner": []}
    for owner in owners:
        text, at = texts[owner], base[owner]
        troubles = [(start, start) for start in refused.get(owner, [])]
        spots = odd.get(owner, [])
        troubles += [
            (first, min(c + 1, len(text))) for first, c in zip(_first_readers(text, spots), spots, strict=True)
        ]
        if len(troubles) * _DENSE >= len(text):
            # Stretches that would cover most of the text: Python's own pass over all of it
            # costs less than a stretch's attempts one position at a time (1.5 s against 1.9 s
            # for a megabyte of "ı 12 "), and finds the same phrases.
            read["lo"].append(at)
            read["hi"].append(at + len(text))
            for m in _PHRASE.finditer(text):
                found["start"].append(m.start() + at)
                found["end"].append(m.end() + at)
                found["owner"].append(owner)
            continue
        own = by_owner.get((owner,))
        starts = [] if own is None else (own.get_column("start") - at).to_list()
        ends = [] if own is None else (own.get_column("end") - at).to_list()
        for lo, hi, spans in _local_passes(text, starts, ends, sorted(troubles)):
            read["lo"].append(lo + at)
            read["hi"].append(hi + at)
            for start, end in spans:
                found["start"].append(start + at)
                found["end"].append(end + at)
                found["owner"].append(owner)
    # Each proposal against the last stretch that begins at or before it (the texts lie end to
    # end, so a stretch of one text never reaches into another); both frames are in order.
    starts_at = phrases.get_column("start")
    last = pl.Series(read["lo"], dtype=pl.Int64).search_sorted(starts_at, side="right").cast(pl.Int64) - 1
    inside = (last >= 0) & (starts_at < pl.Series(read["hi"], dtype=pl.Int64).gather(last.clip(0, None)))
    python = pl.DataFrame(found, schema=phrases.schema)
    return phrases.filter(~inside).merge_sorted(python, key="start")


# How far from its start an attempt of Python's pattern at one position can read: along a path
# without digits, the longest qualifier and core (and the character after, which _END reads);
# before the digits, the longest qualifier with its space and a `$`; after them, the longest
# suffix. The digits themselves are a run of [0-9,.] as long as the text makes it.
_WORD_REACH: int = _parser.parse(rf"(?i)(?:(?:{_QUALIFIERS}) )?(?:{_CORE})").getwidth()[1]
_BEFORE_DIGITS: int = _parser.parse(rf"(?i)(?:(?:{_QUALIFIERS}) )?\$?").getwidth()[1]
_SUFFIX_REACH: int = _parser.parse(rf"(?i){_DIGIT_SUFFIX}").getwidth()[1]
_RUN_CHARS = frozenset("0123456789,.")
# A text with a place read apart every this many characters or fewer is read whole by Python.
_DENSE = 64


def _first_readers(text: str, spots: list[int]) -> list[int]:
    """For each of `spots` (in increasing order), the first position from which an attempt of
    Python's pattern can read `text[c]` (the last is c + 1, whose look-behinds read it). An
    attempt at `a` reads at most to a + _WORD_REACH along the words; along the digits, which
    begin by a + _BEFORE_DIGITS, to the end of their run of [0-9,.] and _SUFFIX_REACH characters
    past it. So one that reads c from further back than both bounds begins its digits at or
    before y = c - _SUFFIX_REACH - 1, in a run that reaches past y: no earlier than
    _BEFORE_DIGITS before the start of y's run.

    Each run is walked back once for all the spots after it: walked again for each, ten of them
    after a run of a million digits took 2.3 s where Python's own pass reads that text in 8 ms."""
    reach = max(_WORD_REACH, _SUFFIX_REACH + 1 + _BEFORE_DIGITS)
    firsts: list[int] = []
    # text[start:upto + 1] is a run of [0-9,.] that begins at `start`, the last one walked.
    start, upto = 0, -1
    for c in spots:
        first = c - reach
        y = c - _SUFFIX_REACH - 1
        if y >= 0 and text[y] in _RUN_CHARS:
            run = y
            # y lies past every y before it: the walk stops where the run walked last ends.
            while run > upto + 1 and text[run - 1] in _RUN_CHARS:
                run -= 1
            if run == upto + 1 and upto >= 0:
                run = start  # it reached the run walked last: one run with it
            start, upto = run, y
            first = min(first, run - _BEFORE_DIGITS)
        firsts.append(max(first, 0))
    return firsts


# A character at which an attempt of Python's pattern can match: a letter, as case ignored (the
# dotless i too), a digit, `$`, `(` or `[`; the local pass skips to the next (one character class,
# so a search that stops at a given end reads the text as the whole search would).
_CAN_START = re.compile(r"(?i)[a-z0-9$([]")


def _local_passes(
    text: str, starts: list[int], ends: list[int], troubles: list[tuple[int, int]]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Each stretch [lo, hi) of `text` that Python's pass reads itself, with the spans of the
    phrases it finds there: the proposals of Rust's pass (`starts`, `ends`, in order) are Python's phrases outside
    the stretches. `troubles` are (first, last), sorted: Python's attempt at a position from
    first to last may differ from Rust's (a refused edge, first = last = the proposal's start;
    or a character read apart, from its first reader (_first_readers) to the position after it).

    Both passes are leftmost-first scans: from a position where neither has a match in progress,
    the phrases each finds next depend on the text only. Before a stretch the two agree (every
    attempt there reads as Rust's, and Python's, a subset of Rust's paths in the same order,
    refuses none of Rust's proposals), so Python's scan stands at lo, after the last proposal that
    begins before `first` and at `first` at the earliest, with no match in progress. Its scan
    from lo is run until hi: a position past every `last` of the stretch that no phrase of either
    pass straddles, so that from hi on both scans again stand alike and read alike."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    size = len(text)
    i = 0
    while i < len(troubles):
        first, last = troubles[i]
        i += 1
        before = bisect_left(starts, first)
        lo = max(first, ends[before - 1]) if before else first
        cursor, hi = lo, min(max(last + 1, lo), size)
        spans: list[tuple[int, int]] = []
        while True:
            while cursor < hi:
                can = _CAN_START.search(text, cursor, hi)
                if can is None:
                    cursor = hi
                    break
                m = _PHRASE.match(text, can.start())
                if m is None:
                    cursor = can.start() + 1
                else:
                    spans.append(m.span())
                    cursor = m.end()
            hi = cursor  # past hi where Python's phrase straddles it
            k = bisect_left(starts, hi)
            if k and ends[k - 1] > hi:  # a proposal straddles hi
                hi = ends[k - 1]
            elif i < len(troubles) and troubles[i][0] < hi:  # the next trouble is read from before hi
                hi = min(max(hi, troubles[i][1] + 1), size)
                i += 1
            else:
                break
        out.append((lo, hi, spans))
    return out


def python_phrases(text: str) -> list[Phrase]:
    """Python's own pass of the phrase pattern over `text`."""
    return [_phrase(m) for m in _PHRASE.finditer(text)]


def confirmed(text: str, start: int, end: int) -> Phrase | None:
    """The phrase of Python's pattern at `start`, if it ends at `end` as Rust's did."""
    m = _PHRASE.match(text, start)
    return _phrase(m) if m is not None and m.end() == end else None


def phrases_outside(text: str, proposed: list[str], inside: Callable[[int, int], bool] | None = None) -> list[Phrase]:
    """The phrases of `text` (those of Python's own pass of the pattern), given polars' proposals
    for it, leaving out those whose core is `inside` (a phrase whose whole span is inside is not
    even read: what coverage asks of most phrases).

    Each proposal is placed where Rust matched it: its first occurrence from the end of the one
    before at which Rust's pattern can match it, that is, where its \b hold (none for a proposal
    that begins with a digit, `$` or `(`; a word character neither before one that begins with a
    letter nor, for a number word, after it). Rust reports the leftmost match, so it matched at
    no such occurrence before. Where Rust's pass reads the text as Python's does (_read_alike)
    and the edge also holds Python's look-behinds (no digit before a digit, no hyphen before a
    letter, no word character before `(`), Python's pattern, Rust's with those look-behinds
    added, reads the same phrase there; and if every proposal is placed so, Python's pass finds
    exactly these phrases. Otherwise (a number in "COVID-19" or "Muslim-majority", a text with a
    character that Python's case-insensitive matching takes for an ASCII one), the text's phrases
    are proposed_spans', whose Python pass reads only the stretches around such places."""
    if _read_alike(text):
        placed = _placed(text, proposed, inside)
        if placed is not None:
            return placed
    return [p for p in _spans_read(text) if inside is None or not inside(p.core_start, p.core_end)]


def _spans_read(text: str, lo: int = 0, hi: int | None = None) -> list[Phrase]:
    """The phrases of `text` from proposed_spans that reach into text[lo:hi] (all by default),
    each confirmed; Python's own pass where it is not exact (or, were the reasoning of
    proposed_spans wrong, a phrase not confirmed)."""
    hi = len(text) if hi is None else hi
    found = proposed_spans([text])
    if found.exact[0]:
        near = found.phrases.filter((pl.col("start") < hi) & (pl.col("end") > lo))
        read = [confirmed(text, start, end) for start, end, _ in near.iter_rows()]
        if None not in read:
            return [p for p in read if p is not None]
    return [p for p in python_phrases(text) if p.start < hi and p.end > lo]


def phrases_within(text: str, start: int, end: int) -> list[Phrase]:
    """The phrases of find_phrases(text) whose core lies in text[start:end], in order. Only the
    phrases near the span are read in Python (polars places the others): `claims exclude`
    asking for those of one occurrence read every phrase of the seed, a Phrase each (0.5 s a
    megabyte)."""
    return [p for p in _spans_read(text, start, end) if start <= p.core_start and p.core_end <= end]


def _placed(text: str, proposed: list[str], inside: Callable[[int, int], bool] | None) -> list[Phrase] | None:
    """The phrases of phrases_outside, placed from Rust's proposals; None where Python may differ."""
    out: list[Phrase] = []
    cursor = 0
    size = len(text)
    for words in proposed:
        first, size_w = words[0], len(words)
        at = text.find(words, cursor)
        # Passed over: occurrences where Rust's \b do not hold ("one" in "someone"); a number
        # word is a proposal without a digit.
        while at >= 0 and (
            (first.isalpha() and at and text[at - 1] in WORD_CHARS)
            or (at + size_w < size and text[at + size_w] in WORD_CHARS and _ANY_DIGIT.search(words) is None)
        ):
            at = text.find(words, at + 1)
        if at < 0:
            return None
        before = text[at - 1] if at else " "
        if (
            (first in DIGIT_CHARS and before in DIGIT_CHARS)
            or (first.isalpha() and before == "-")
            or (first in "([" and before in WORD_CHARS)
        ):
            return None
        end = at + size_w
        cursor = end
        if inside is not None and inside(at, end):
            continue
        m = _PHRASE.match(text, at)
        if m is None or m.end() != end:  # the reasoning above says it cannot be; were it, Python's pass
            return None
        _keep(out, _phrase(m), inside)
    return out


def _keep(out: list[Phrase], phrase: Phrase, inside: Callable[[int, int], bool] | None) -> None:
    if inside is None or not inside(phrase.core_start, phrase.core_end):
        out.append(phrase)


_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# The end of a run of word characters: the first character that is not one.
_RUN_END = re.compile("[^A-Za-z0-9]")


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of `needle` in `text` as a whole word (case-sensitive, not overlapping): an
    exclusion's `occurrence` counts these, as a find-whole-word search in an editor would."""
    out: list[int] = []
    if not needle:
        return out
    # A needle that begins or ends with a non-word character ("(N)early", "$16") needs no
    # boundary on that side; a word character is an ASCII letter or digit.
    left, right = needle[0].isalnum(), needle[-1].isalnum()
    size, last = len(needle), len(text)
    at = text.find(needle)
    while at >= 0:
        end = at + size
        if (not left or at == 0 or text[at - 1] not in _ALNUM) and (
            not right or end == last or text[end] not in _ALNUM
        ):
            out.append(at)
            at = text.find(needle, end)
        elif needle[0] in _ALNUM:
            # No whole word starts inside the run of word characters `at` begins: each position
            # up to its end follows a word character. Stepping one character at a time read
            # "111...1" (a megabyte) once per character for each needle "1", "11"...: 30 s.
            run_end = _RUN_END.search(text, at)
            at = -1 if run_end is None else text.find(needle, run_end.start())
        else:
            at = text.find(needle, at + 1)
    return out
