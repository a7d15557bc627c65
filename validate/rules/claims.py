"""Rules of claims.csv that a Table Schema cannot say: quotes, value texts, periods, references."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl

from validate.kernels.cells import chars, contains, groups, locate, per_distinct, plain, profile_columns
from validate.rules import claim_repeats, claims_per_statistic
from validate.rules.cell_rules import ascii_digits, formula_injection, real_date
from validate.rules.columns import (
    FOLDING,
    PUBLISHED,
    QUOTE_AT,
    QUOTE_NORM,
    REPEAT_OF,
    TEXT,
    VALUE_TEXT_AT,
    VALUE_TEXT_NORM,
)
from validate.rules.context import Context
from validate.rules.contract import MAX_QUOTE
from validate.rules.rule import Row, Rule, cell
from validate.text.closest import closest_of_unknown
from validate.text.cuts import Printed, cut_passages
from validate.text.dates import calendar
from validate.text.digit_forms import changed_digits
from validate.text.normalise import normalise
from validate.text.quote_locator import QuoteLocator
from validate.text.unseen import read_as_seen
from validate.text.value_text import (
    MAX_READ,
    PREPOSITION_AFTER,
    QUALIFIER_BY_PHRASE,
    SCALE_BY_SUFFIX,
    SIMPLE_PATTERN,
    ValueTextError,
    parse_value_text,
    plain_number,
)

TEXT_COLUMNS = ("quote", "attributed_to", "via", "counted_as", "note")
# Finding the closest passage costs a fuzzy alignment per quote; past this many misses in one
# run the message only says the quote is missing, so a broken bulk import stays fast.
CLOSEST_PASSAGE_LIMIT = 200
# rapidfuzz's alignment costs more than quote length times text length once the quote is longer
# than a machine word of characters (it grows with the square of the quote), and most of all on
# characters the text lacks: so only the quote's first CLOSEST_PASSAGE_NEEDLE characters are
# aligned (enough to find where it starts), and the budget counts those characters times the
# text's: some 2 s in all at the worst rate measured, 8 ns a cell (256 characters the text lacks).
CLOSEST_PASSAGE_NEEDLE = 256
CLOSEST_PASSAGE_CELLS = 250 * 10**6


# The columns whose normalised text the rules search: profiled (validate.kernels.cells) for enrich.
NORMALISED = ("quote", "value_text", "counted_as")


def _normalised(frame: pl.DataFrame, col: str) -> pl.Series:
    """The column's cells normalised: as they are where the profile found them plain, and
    normalised in Python, one by one, only where it did not. A map_elements branch did work
    even with no cell to normalise, where the column had empty cells (0.02 s alone at 1M
    claims), and it waited for the GIL, which the lookups thread beside it holds much of the
    time: 0.15 to 0.33 s in the check of the synthetic million (every cell plain), against
    0.03 to 0.09 s now. Where many cells are not plain, normalise() itself is the cost."""
    # Long cells are reported by the length rule; normalising a 50 MB cell would cost for nothing.
    fits = pl.col(chars(col)) <= MAX_QUOTE
    out = frame.select(pl.when(fits).then(pl.col(col)).alias(f"_{col}_norm")).to_series()
    todo = frame.select((fits & ~pl.col(plain(col))).fill_null(False).arg_true()).to_series()
    if todo.len() == 0:
        return out
    texts = frame.get_column(col).gather(todo).to_list()
    return out.scatter(todo, pl.Series([normalise(t) for t in texts], dtype=pl.String))


def _parse_simple(texts: pl.Series) -> tuple[pl.DataFrame, pl.Series]:
    """Read the common shapes of value_text in polars: one row per text, in order (nulls where
    the shape is not a common one), and the rows of the texts left for Python."""
    groups = texts.str.to_lowercase().str.extract_groups(SIMPLE_PATTERN)
    frame = pl.DataFrame({"value_text": texts, "_g": groups})
    num = pl.col("_g").struct.field("num")
    qual = pl.col("_g").struct.field("qual")
    suffix = pl.col("_g").struct.field("suffix")
    scale = suffix.replace_strict(SCALE_BY_SUFFIX, default=1, return_dtype=pl.Float64)
    simple = frame.select(
        "value_text",
        _parsed_qualifier=pl.when(num.is_not_null()).then(
            qual.replace_strict(QUALIFIER_BY_PHRASE, default="exact", return_dtype=pl.String)
        ),
        # Not strict: polars' \d matches every Unicode digit, which no float cast reads; such a
        # text is left unread here and reported by the non-ascii-digit rule.
        _parsed_value=num.str.replace_all(",", "").cast(pl.Float64, strict=False) * scale,
        _parsed_kind=pl.when(num.is_not_null()).then(
            pl.when(suffix.is_in(["%", " percent"])).then(pl.lit("percent")).otherwise(pl.lit("count"))
        ),
        _parse_error=pl.lit(None, dtype=pl.String),
    )
    rest = frame.select((num.is_null() & pl.col("value_text").is_not_null()).arg_true()).to_series()
    return simple, rest


def _parse_table(texts: pl.Series) -> pl.DataFrame:
    """The reading of each value text (each distinct one, once: see per_distinct), one row per
    text in order: common shapes in polars, the rest in Python. A text over MAX_READ characters
    is left unread: the length rule reports it."""
    short = texts.str.len_chars() <= MAX_READ
    simple, rest = _parse_simple(pl.select(pl.when(short).then(texts)).to_series().alias("value_text"))
    simple = simple.with_columns(value_text=texts)
    if rest.len() == 0:
        return simple
    read: dict[str, list[object]] = {
        c: [] for c in ("_parsed_qualifier", "_parsed_value", "_parsed_kind", "_parse_error")
    }
    for text in texts.gather(rest):
        try:
            p = parse_value_text(text)
            got: tuple[object, ...] = (p.qualifier, p.value, p.kind, None)
        except ValueTextError as exc:
            got = (None, None, None, str(exc))
        for column, value in zip(read, got, strict=True):
            read[column].append(value)
    return simple.with_columns(
        simple.get_column(c).scatter(rest, pl.Series(values, dtype=simple.schema[c])) for c, values in read.items()
    )


def _text_found(claims: pl.DataFrame, texts: pl.DataFrame, sources_known: bool) -> pl.DataFrame:
    """Whether each claim's quote is in its source's text, and its value_text and counted_as in
    its quote (all normalised; null, no finding, for an empty side or an unknown source), the
    byte offsets of the first two (_quote_at, _value_text_at: -1 where not found), the
    source's _text for a quote not found (for the message), and whether the claim's source_id is
    one of `texts` (null, no finding, for none, or when not `sources_known`), and the source's
    other columns of `texts` (its _published: looked up with its text, not again): one row per
    claim, in order."""
    # Each claim's _text is a view of its source's one string, not a copy.
    source = _lookup(
        claims.get_column("source_id"), texts.with_columns(_source=pl.int_range(pl.len(), dtype=pl.UInt32))
    )
    # Rechunked once here, not by each of its three searches (16 bytes a row each time).
    text, quote = source.get_column(TEXT), claims.get_column(QUOTE_NORM).rechunk()
    # Claim by claim in source order, so that each text is read from memory once for all its
    # claims (the texts of 10,000 sources do not fit in the cache; their claims come in any order).
    by_source = source.get_column("_source").arg_sort(nulls_last=True)
    # Where each quote stands in its text and each value_text in its quote (byte offsets, -1
    # where not found): the coverage rule reads the places, the rules whether they are found.
    quote_at = locate(text, quote, by_source)
    value_text_at = locate(quote, claims.get_column(VALUE_TEXT_NORM))
    quote_found = quote_at >= 0
    known = pl.lit(source.get_column("_source")).is_not_null() if sources_known else pl.lit(None, dtype=pl.Boolean)
    return (
        pl.DataFrame(
            {
                QUOTE_AT: quote_at,
                VALUE_TEXT_AT: value_text_at,
                "_quote_found": quote_found,
                "_value_text_found": value_text_at >= 0,
                "_counted_as_found": contains(quote, claims.get_column("_counted_as_norm")),
            }
        )
        .with_columns(
            # null for a claim without a source_id: the required rule reports that
            _source_known=pl.when(pl.lit(claims.get_column("source_id")).is_not_null()).then(known),
            **_closest_passages(quote, quote_found, source.get_column("_source"), texts.get_column(TEXT)),
        )
        .with_columns(source.drop(TEXT, "_source", FOLDING, strict=False))
        .with_columns(**_printed_digits(claims, quote_found, source.get_column(FOLDING, default=None)))
        .with_columns(
            read_as_seen(
                cut_passages(
                    text,
                    quote,
                    quote_at,
                    claims.get_column(VALUE_TEXT_NORM),
                    value_text_at,
                    Printed(claims.get_column("quote"), source.get_column("_source"), texts.get_column(FOLDING))
                    if "quote" in claims.columns and FOLDING in texts.columns
                    else None,
                ),
                texts.get_column(TEXT),
                source.get_column("_source"),
                quote,
                claims.get_column(VALUE_TEXT_NORM),
            )
        )
    )


def _printed_digits(claims: pl.DataFrame, found: pl.Series, folding: pl.Series | None) -> dict[str, pl.Series]:
    """For each claim whose quote is found in a source that holds characters normalising may fold
    into digits (FOLDING), the source's text around the first digit it prints otherwise than the
    quote (_source_digits; null where they agree, which passes)."""
    printed: dict[int, str] = {}
    if (
        folding is not None
        and "quote" in claims.columns
        and (rows := (found & folding.is_not_null()).arg_true().to_list())
    ):
        maps: dict[str, QuoteLocator] = {}
        quotes, norms, texts = (
            s.gather(rows).to_list() for s in (claims.get_column("quote"), claims.get_column(QUOTE_NORM), folding)
        )
        for row, quote, norm, text in zip(rows, quotes, norms, texts, strict=True):
            source = maps.get(text) or maps.setdefault(text, QuoteLocator(text))
            changed = changed_digits(source, text, norm, quote)
            if changed is not None:
                printed[row] = changed
    return {"_source_digits": _at_rows(claims.height, printed, pl.String)}


def _lookup(keys: pl.Series, table: pl.DataFrame, grouped: tuple[pl.Series, pl.Series] | None = None) -> pl.DataFrame:
    """`table`'s other columns for each of `keys` (the first row of `table` with that key, null
    where none has it), in the keys' order; `grouped` is groups(keys), where already made. Each
    distinct key is joined once, then gathered to its rows: a join of a million claims' keys took
    twice as long."""
    on = keys.name
    found = table.unique(on, keep="first")
    codes, firsts = grouped if grouped is not None else groups(keys)
    distinct = keys.gather(firsts).to_frame()
    return distinct.join(found, on=on, how="left", maintain_order="left").drop(on).select(pl.all().gather(codes))


def enrich(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """Add normalised texts, the source text, the statistic's unit and the parsed value_text.
    Every derived column is computed beside the frame and stacked on, in the frame's row order."""
    has_statistics = "statistic_id" in frame.columns and ctx.has_statistics
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The lookups need none of the derived columns: polars does them in a thread from the
        # start, while the normalising and the searches (in C, without the GIL) go on here.
        looked_up = pool.submit(_lookups, frame, ctx, has_statistics)
        frame = profile_columns(frame, NORMALISED)
        cols = set(frame.columns)
        null_text = pl.lit(None, dtype=pl.String)
        derived: list[pl.Series | pl.Expr] = [
            _normalised(frame, c) if c in cols else null_text.alias(f"_{c}_norm") for c in NORMALISED
        ]
        derived.append(
            pl.col("value").cast(pl.Float64, strict=False).alias("_value_num")
            if "value" in cols
            else pl.lit(None, dtype=pl.Float64).alias("_value_num")
        )
        sources_known = "source_id" in cols and ctx.has_sources
        if sources_known:
            known = ctx.sources.select("source_id", TEXT, PUBLISHED, FOLDING)
        else:
            known = pl.DataFrame(
                schema={"source_id": pl.String, TEXT: pl.String, PUBLISHED: pl.String, FOLDING: pl.String}
            )
        out = frame.with_columns(derived)
        found = _text_found(out if "source_id" in cols else out.with_columns(source_id=null_text), known, sources_known)
        hint = (
            closest_of_unknown(
                frame.get_column("source_id"), found.get_column("_source_known"), known.get_column("source_id")
            )
            if sources_known
            else pl.repeat(None, frame.height, dtype=pl.String, eager=True)
        )
        found = found.with_columns(_source_hint=hint, **{REPEAT_OF: claim_repeats.repeat_of(out)})
        return pl.concat([out, *looked_up.result(), found], how="horizontal")


def _lookups(frame: pl.DataFrame, ctx: Context, has_statistics: bool) -> list[pl.DataFrame]:
    """The statistic's unit and whether statistics.csv has it, the parsed value_text and the
    period's days, one frame each."""
    cols = set(frame.columns)
    parts: list[pl.DataFrame] = []
    # Each claim's statistic numbered once: the unit's lookup and the claims of each statistic
    # (claims_per_statistic) both read the numbers.
    grouped = groups(frame.get_column("statistic_id")) if "statistic_id" in cols else None
    parts.append(claims_per_statistic.claims_past_the_bound(frame.height, grouped and grouped[0]).to_frame())
    if has_statistics:
        ids = frame.get_column("statistic_id")
        units = ctx.statistics.select("statistic_id", pl.col("unit").alias("_unit"), _listed=pl.lit(True))
        looked = _lookup(ids, units, grouped).select(
            "_unit",
            # null for a claim without a statistic_id: the required rule reports that
            _statistic_known=pl.when(pl.lit(ids).is_not_null()).then(pl.col("_listed").fill_null(False)),
        )
        hint = closest_of_unknown(ids, looked.get_column("_statistic_known"), ctx.statistics.get_column("statistic_id"))
        parts.append(looked.with_columns(_statistic_hint=hint))
    else:
        parts.append(
            pl.DataFrame(
                schema={"_unit": pl.String, "_statistic_known": pl.Boolean, "_statistic_hint": pl.String}
            ).clear(frame.height)
        )
    if "value_text" in cols:
        parts.append(per_distinct(frame.get_column("value_text"), lambda texts: _parse_table(texts).drop("value_text")))
    else:
        parts.append(
            pl.DataFrame(
                schema={
                    "_parsed_qualifier": pl.String,
                    "_parsed_value": pl.Float64,
                    "_parsed_kind": pl.String,
                    "_parse_error": pl.String,
                }
            ).clear(frame.height)
        )
    for column in ("period_start", "period_end"):
        if column in cols:
            parts.append(calendar(frame, column))
        else:
            parts.append(
                pl.DataFrame(
                    schema={f"_{column}_from": pl.Int32, f"_{column}_to": pl.Int32, f"_{column}_real": pl.Boolean}
                ).clear(frame.height)
            )
    return parts


# A passage is widened to whole words, unless a "word" runs on longer than this.
_WORD_REACH = 40


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end] widened to the nearest spaces, so the passage neither begins nor ends
    inside a word (the normalised text has no other kind of space)."""
    begin = text.rfind(" ", max(0, start - _WORD_REACH), start + 1)
    if begin >= 0:
        start = begin + 1
    elif start <= _WORD_REACH:
        start = 0
    stop = text.find(" ", max(start, end - 1), end + _WORD_REACH)
    if stop >= 0:
        end = stop
    elif len(text) - end <= _WORD_REACH:
        end = len(text)
    return text[start:end].strip(" ")


def _closest_passages(quotes: pl.Series, found: pl.Series, source: pl.Series, texts: pl.Series) -> dict[str, pl.Series]:
    """For quotes not found, the closest passage of their source and how alike it is (0-100),
    within a work budget: the first CLOSEST_PASSAGE_LIMIT misses in row order, while the sum of
    aligned quote length times text length stays within CLOSEST_PASSAGE_CELLS (null past it). Each text
    becomes a Python string once, for all its quotes, and is let go before the next: the memory
    is one text, not one per miss (500 quotes missing from a 5 MB text were 2.5 GB)."""
    height = quotes.len()
    # Only the misses' answers are Python values: two lists of a million Nones made into
    # Series cost 0.03 s of every check, where clean data has no miss at all.
    scores: dict[int, float] = {}
    passages: dict[int, str] = {}
    misses = pl.select(
        (~found.fill_null(True) & quotes.is_not_null() & source.is_not_null()).arg_true().head(CLOSEST_PASSAGE_LIMIT)
    ).to_series()
    if misses.len():
        rows = misses.to_list()
        sources = source.gather(misses).to_list()
        text_chars = texts.str.len_chars().to_list()
        lengths = quotes.gather(misses).str.len_chars().to_list()
        chosen: dict[int, list[int]] = {}
        spent = 0
        for row, at, length in zip(rows, sources, lengths, strict=True):
            cost = min(length or 0, CLOSEST_PASSAGE_NEEDLE) * (text_chars[at] or 0)
            if not cost or spent + cost > CLOSEST_PASSAGE_CELLS:
                continue
            spent += cost
            chosen.setdefault(at, []).append(row)
        from rapidfuzz import fuzz  # imported here: only a quote not found needs it

        for at, of_text in chosen.items():
            text = texts[at]
            for row in of_text:
                quote = quotes[row]
                alignment = fuzz.partial_ratio_alignment(quote[:CLOSEST_PASSAGE_NEEDLE], text)
                score = alignment.score if alignment is not None else 0.0
                scores[row] = score
                if alignment is not None and score >= 40:
                    # A quote cut to its start is shown with as much of the text as it is long.
                    end = max(alignment.dest_end, alignment.dest_start + len(quote))
                    passages[row] = _whole_words(text, alignment.dest_start, min(end, len(text)))
            del text
    return {
        "_closest_score": _at_rows(height, scores, pl.Float64),
        "_closest_passage": _at_rows(height, passages, pl.String),
    }


def _at_rows(height: int, values: dict[int, Any], dtype: type[pl.DataType]) -> pl.Series:
    """A Series of `height` nulls but at the rows `values` names, which hold its values."""
    out = pl.repeat(None, height, dtype=dtype, eager=True)
    if not values:
        return out
    rows = sorted(values)
    return out.scatter(rows, pl.Series([values[r] for r in rows], dtype=dtype))


def _closest_message(r: Row) -> str:
    """Message for a quote not found, with the passage of the source nearest to it."""
    head = f"quote not found in the text of source {r['source_id']!r}, even after normalising quotes, dashes and spaces"
    score, passage = r["_closest_score"], r["_closest_passage"]
    if score is None:
        return head + ": copy the passage from the source text exactly"
    if passage is None:
        return head + ": nothing in the source is close; is source_id right?"
    return head + f". The closest passage ({score:.1f}% alike) is: {passage!r}; copy the quote from it exactly"


def _inside(part: str, what: str) -> Rule:
    return Rule(
        f"{part.replace('_', '-')}-not-in-quote",
        part,
        pl.col(f"_{part}_found"),
        lambda r: f"{part} {cell(r, part)} does not occur in the quote: copy {what} from the quote exactly",
        frozenset({part, "quote"}),
    )


def _meant(r: Row, hint: str) -> str:
    """' (did you mean 'x'?)' where the enrichment found a known id close to the row's unknown one."""
    return f" (did you mean {cell(r, hint)}?)" if r[hint] is not None else ""


def _qualifier_message(r: Row) -> str:
    """Message for a value_text that leaves part of a qualifier phrase before it."""
    phrase, opening = r["_qualifier_outside"], r["_qualifier_opening"]
    where, fix = ("quote", "extend value_text")
    if r["_qualifier_before_quote"]:
        where, fix = (f"source {r['source_id']!r}, before the quote,", "begin the quote and value_text with it")
    heads = PREPOSITION_AFTER.get(phrase)
    # Only after some words is the word a preposition ("worried about 700 jobs"): say which.
    preposition = (
        f". If {opening!r} is a preposition here, not a hedge, value_text may leave it out after a word that "
        f"makes it one ({', '.join(repr(h + ' ' + phrase) for h in sorted(heads)[:3])}...: docs/contract.md "
        "lists them), which the quote must show"
        if heads
        else ""
    )
    return (
        f"value_text {cell(r, 'value_text')} leaves out {opening!r}, which the {where} says just before it: "
        f"{phrase!r} is one qualifier (read as {QUALIFIER_BY_PHRASE[phrase]!r}), and value_text holds it whole "
        f"({opening + ' ' + (r['value_text'] or '')!r}): {fix}, and set qualifier to match{preposition}{_unseen(r)}"
    )


def _unseen(r: Row) -> str:
    """Where a cut or a qualifier shows only once a character a reader does not see is read as
    nothing (see read_as_seen), which character, said after the message."""
    return f" ({r['_unseen']})" if r.get("_unseen") else ""


def _reading(whole: str | None) -> str:
    """Where the passage taken out to whole words is known (see cut_passages), what it reads."""
    return "" if whole is None else f" (here {whole!r})"


def _value_text_message(r: Row) -> str:
    return f"value_text {cell(r, 'value_text')} cannot be read as a value: {r['_parse_error']}"


def rules() -> list[Rule]:
    start, end = pl.col("period_start"), pl.col("period_end")
    value, parsed = pl.col("_value_num"), pl.col("_parsed_value")
    unit, kind = pl.col("_unit"), pl.col("_parsed_kind")
    out = [
        Rule(
            "foreign-key",
            "source_id",
            pl.col("_source_known"),
            lambda r: (
                f"source_id {cell(r, 'source_id')} is not a source_id of datasets/sources.csv{_meant(r, '_source_hint')}: "
                "fix the id or add the source first"
            ),
            frozenset({"source_id"}),
        ),
        Rule(
            "foreign-key",
            "statistic_id",
            pl.col("_statistic_known"),
            lambda r: (
                f"statistic_id {cell(r, 'statistic_id')} is not a statistic_id of datasets/statistics.csv"
                f"{_meant(r, '_statistic_hint')}: fix the id or add the statistic"
            ),
            frozenset({"statistic_id"}),
        ),
        Rule(
            "quote-not-in-source",
            "quote",
            pl.col("_quote_found"),
            _closest_message,
            frozenset({"quote", "source_id"}),
        ),
        Rule(
            "quote-not-in-source",
            "quote",
            pl.col("_source_digits").is_null(),
            lambda r: (
                f"quote {cell(r, 'quote')} is found in source {r['source_id']!r} only once normalising folds the "
                f"source's digits, which it prints otherwise: {r['_source_digits']!r} (a superscript, fraction or "
                "fullwidth digit is not the digit 0-9): copy the passage as the source prints it, and let "
                "value_text and value be the number's own digits"
            ),
            frozenset({"quote", "source_id"}),
        ),
        Rule(
            "quote-cuts-word",
            "quote",
            ~pl.col("_quote_cuts"),
            lambda r: (
                f"quote {cell(r, 'quote')} {r['_quote_cut'] or 'begins or ends inside a word or number'} where it "
                f"first stands in source {r['source_id']!r}: quote whole words and numbers"
                f"{_reading(r['_quote_whole'])}, or lengthen the quote so that it first stands where you mean"
                f"{_unseen(r)}"
            ),
            frozenset({"quote", "source_id"}),
        ),
        _inside("value_text", "the words that state the value, qualifier included"),
        Rule(
            "value-text-cuts-word",
            "value_text",
            ~pl.col("_value_text_cuts"),
            lambda r: (
                f"value_text {cell(r, 'value_text')} {r['_value_text_cut'] or 'begins or ends inside a word or number'}"
                " of the quote, so the quote does not state it there: value_text is whole words and numbers"
                f"{_reading(r['_value_text_whole'])}. Take the whole number or words (and let value and qualifier "
                "say what they read as), or, if the quote states the value again further on, shorten the quote "
                f"to that place{_unseen(r)}"
            ),
            frozenset({"value_text", "quote"}),
        ),
        Rule(
            "qualifier-outside-value-text",
            "value_text",
            pl.col("_qualifier_outside").is_null(),
            _qualifier_message,
            frozenset({"value_text", "quote", "source_id"}),
        ),
        _inside("counted_as", "the words that say what is counted"),
        Rule(
            "value-text-unparsed",
            "value_text",
            pl.col("_parse_error").is_null(),
            _value_text_message,
            frozenset({"value_text"}),
        ),
        Rule(
            "value-text-mismatch",
            "qualifier",
            pl.col("_parsed_qualifier").is_null() | (pl.col("_parsed_qualifier") == pl.col("qualifier")),
            lambda r: (
                f"value_text {cell(r, 'value_text')} reads as qualifier {r['_parsed_qualifier']!r}, but the row says "
                f"{cell(r, 'qualifier')}: make them agree"
            ),
            frozenset({"qualifier", "value_text"}),
        ),
        Rule(
            "value-text-mismatch",
            "value",
            parsed.is_null()
            | value.is_null()
            | ((parsed - value).abs() <= 1e-9 * pl.max_horizontal(parsed.abs(), pl.lit(1.0))),
            lambda r: (
                f"value_text {cell(r, 'value_text')} reads as {plain_number(r['_parsed_value'])}, but value is {cell(r, 'value')}: "
                "write the value in the statistic's unit (2.4 million is 2400000; 1.4 percent is 1.4)"
            ),
            frozenset({"value", "value_text"}),
        ),
        Rule(
            "value-text-unit",
            "value_text",
            kind.is_null()
            | unit.is_null()
            | (kind == "count")
            | ((kind == "percent") & unit.is_in(["percent", "percent_change"]))
            | ((kind == "usd") & (unit == "usd")),
            lambda r: (
                f"value_text {cell(r, 'value_text')} states a {r['_parsed_kind']} value but statistic "
                f"{r['statistic_id']!r} is measured in {r['_unit']}: check the statistic_id or the statistic's unit"
            ),
            frozenset({"value_text", "statistic_id"}),
        ),
        Rule(
            "percent-out-of-range",
            "value",
            value.is_null() | (unit != "percent") | ((value >= 0) & (value <= 100)),
            lambda r: (
                f"value {cell(r, 'value')} is a share in percent, so it must lie between 0 and 100 "
                "(a relative change belongs to a percent_change statistic)"
            ),
            frozenset({"value", "statistic_id"}),
        ),
        Rule(
            "period-incomplete",
            "period_end",
            ~(start.is_not_null() & end.is_null()),
            lambda r: "period_start is set but period_end is empty: set both (equal for a point in time) or neither",
            frozenset({"period_start", "period_end"}),
        ),
        Rule(
            "period-incomplete",
            "period_start",
            ~(end.is_not_null() & start.is_null()),
            lambda r: "period_end is set but period_start is empty: set both (equal for a point in time) or neither",
            frozenset({"period_start", "period_end"}),
        ),
        Rule(
            "period-order",
            "period_start",
            ~(pl.col("_period_start_from") > pl.col("_period_end_to")),
            lambda r: (
                f"the period starts ({r['period_start']}) after it ends ({r['period_end']}): swap them or fix one"
            ),
            frozenset({"period_start", "period_end"}),
        ),
        real_date("period_start", precomputed=True),
        real_date("period_end", precomputed=True),
        *_v2_rules(),
        *claim_repeats.rules(),
        *claims_per_statistic.rules(),
    ]
    out += [formula_injection(c) for c in TEXT_COLUMNS]
    out.append(ascii_digits("value_text"))
    return out


# The kinds of difference differs_in may name (the schema's pattern lists the same words).
DIFFERS_IN = ("entity", "status", "scope", "tense", "time")


def _v2_rules() -> list[Rule]:
    """Rules that tie the columns of contract version 2 to each other: where a period comes from,
    who is credited, and how a meaning differs."""
    period_set = pl.col("period_start").is_not_null() | pl.col("period_end").is_not_null()
    basis, attributed, attribution = pl.col("period_basis"), pl.col("attributed_to"), pl.col("attribution")
    meaning, differs_in = pl.col("meaning"), pl.col("differs_in")
    period = frozenset({"period_basis", "period_start", "period_end"})
    return [
        Rule(
            "period-basis-missing",
            "period_basis",
            ~(period_set & basis.is_null()),
            lambda r: (
                "the claim has a period but period_basis is empty: say where the dates come from "
                "(stated: the source's words; relative: 'last week' and the like, read against the "
                "source's published date; context: a neighbouring sentence)"
            ),
            period,
        ),
        Rule(
            "period-basis-unused",
            "period_basis",
            ~(basis.is_not_null() & ~period_set),
            lambda r: (
                f"period_basis is {cell(r, 'period_basis')} but the claim has no period: set period_start and "
                "period_end, or empty period_basis (a length of time without dates goes in duration)"
            ),
            period,
        ),
        Rule(
            "relative-period-unanchored",
            "period_basis",
            ~((basis == "relative") & pl.col("_source_known") & pl.col(PUBLISHED).is_null()),
            lambda r: (
                f"the period is relative to publication, but source {cell(r, 'source_id')} has no published "
                "date to read it against: set published in datasets/sources.csv, or use another period_basis"
            ),
            frozenset({"period_basis", "source_id"}),
        ),
        Rule(
            "attribution-missing",
            "attribution",
            ~(attributed.is_not_null() & attribution.is_null()),
            lambda r: (
                f"attributed_to is {cell(r, 'attributed_to')} but attribution is empty: write explicit if the "
                "source names the producer for this number, inferred if it is read from context"
            ),
            frozenset({"attribution", "attributed_to"}),
        ),
        Rule(
            "attribution-unused",
            "attribution",
            ~(attribution.is_not_null() & attributed.is_null()),
            lambda r: (
                f"attribution is {cell(r, 'attribution')} but attributed_to is empty: name who the source says "
                "produced the number, or empty attribution"
            ),
            frozenset({"attribution", "attributed_to"}),
        ),
        Rule(
            "differs-in-missing",
            "differs_in",
            ~((meaning == "differs") & differs_in.is_null()),
            lambda r: (
                "meaning is 'differs' but differs_in is empty: say how, with one or more of "
                f"{', '.join(DIFFERS_IN)} separated by ';'"
            ),
            frozenset({"differs_in", "meaning"}),
        ),
        Rule(
            "differs-in-unused",
            "differs_in",
            ~((meaning == "same") & differs_in.is_not_null()),
            lambda r: (
                f"differs_in is {cell(r, 'differs_in')} but meaning is 'same': set meaning to 'differs' if the "
                "source gives the number another meaning, or empty differs_in"
            ),
            frozenset({"differs_in", "meaning"}),
        ),
        Rule(
            "differs-in-repeated",
            "differs_in",
            differs_in.is_null() | (differs_in.str.split(";").list.n_unique() == differs_in.str.split(";").list.len()),
            lambda r: f"differs_in {cell(r, 'differs_in')} names a kind of difference twice: name each once",
            frozenset({"differs_in"}),
        ),
    ]
