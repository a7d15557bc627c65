"""The number-like phrase reader, exclusions.csv and the coverage rule, on tiny roots."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from roots import CLAIMS, SOURCES, add_row, locations, read_rows, replace_seed, set_cell, write_rows

from validate import check
from validate.rules import coverage
from validate.rules.claimed_spans import Covered
from validate.rules.context import readable_texts
from validate.rules.contract import MAX_QUOTE
from validate.rules.coverage import _claimed, missing_many, unaccounted, unaccounted_many
from validate.text import number_phrases
from validate.text.normalise import normalise
from validate.text.number_phrases import _PHRASE, find_phrases, has_phrase, occurrences, proposed_many, proposed_spans
from validate.text.text_index import LazyIndexes, TextIndex

EXCLUSIONS = "datasets/exclusions.csv"
MakeRoot = Callable[..., Path]

# (text, the phrases the reader finds in it)
PHRASES = [
    ("We counted 675 jurisdictions.", ["675"]),
    ("more than 29,269 detainers", ["more than 29,269"]),
    ("about 2.37 million people", ["about 2.37 million"]),
    ("1.4 percent and 70%", ["1.4 percent", "70%"]),
    ("$16 Billion in checks", ["$16 Billion"]),
    ("four recommendations and twenty-three cities", ["four", "twenty-three"]),
    (
        "a quarter, half, a third, two thirds, one in four",
        ["a quarter", "half", "a third", "two thirds", "one in four"],
    ),
    ("every single one of them; all of them; none", ["every single one", "all", "none"]),
    ("dozens, tens of thousands, hundreds", ["dozens", "tens of thousands", "hundreds"]),
    ("many, several, a myriad of, a number of", ["many", "several", "a myriad of", "a number of"]),
    ("(N)early 30,000 and nearly a quarter", ["(N)early 30,000", "nearly a quarter"]),
    ("COVID-19 on March 18th", ["19", "18"]),  # every digit is in a phrase
    ("Muslim-majority countries", []),  # an adjective after a hyphen
    ("someone was first, each time, twice", []),  # no number word inside a word; ordinals and each are not numbers
    ("One of the big ones", ["One"]),
    (
        "half a dozen cities, a half-dozen, about a half dozen; half of them",
        ["half a dozen", "a half-dozen", "about a half dozen", "half"],
    ),
    (
        "half a million, a quarter of a million, three-quarters of a billion; half of a million",
        ["half a million", "a quarter of a million", "three-quarters of a billion", "half", "a million"],
    ),
    (
        "two and a half million, a million and a half, nearly one and a half; 2 and a half",
        ["two and a half million", "a million and a half", "nearly one and a half", "2", "a half"],
    ),
    (
        "several thousand, a few hundred thousand, many tens of thousands, several dozen; several of them",
        ["several thousand", "a few hundred thousand", "many tens of thousands", "several dozen", "several"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES, ids=[p[0] for p in PHRASES])
def test_reader_finds_the_number_like_phrases(text: str, expected: list[str]) -> None:
    assert [p.text for p in find_phrases(text)] == expected


def test_a_phrase_core_leaves_out_its_qualifier() -> None:
    [phrase] = find_phrases("declined more than 29,269 detainers")
    assert (phrase.text, phrase.core) == ("more than 29,269", "29,269")


def test_occurrences_count_whole_words_case_sensitively() -> None:
    text = "all of them, overall, All, all."
    assert occurrences(text, "all") == [0, 27]
    assert occurrences(text, "All") == [22]


def test_covered_finds_a_containing_span_by_bisection() -> None:
    covered = Covered([(10, 20), (0, 5), (30, 31)])
    assert covered.contains(12, 18) and covered.contains(0, 5) and covered.contains(30, 31)
    assert not covered.contains(4, 6) and not covered.contains(21, 22)


def test_unaccounted_names_the_whole_word_and_its_occurrence() -> None:
    text = "In 2019, 40 files. On March 18th, 2019 again."
    found = [(u.words, u.occurrence) for u in unaccounted(text, [(9, 11)], "s")]
    assert found == [("2019", 1), ("18th", 1), ("2019", 2)]


@pytest.mark.parametrize("text", ["Muslim-majority", "1,2345", "x(N)early 30"])
def test_a_text_whose_edges_python_reads_otherwise_gets_pythons_phrases(text: str) -> None:
    """A hyphen before a number word, a digit before digits, a word character before "(N)early":
    Python's look-behinds refuse there what Rust's pass proposes, so Python reads around it."""
    found = proposed_spans([text, "We counted 675."])
    assert found.exact == [True, True]
    spans = [(start, end) for start, end, owner in found.phrases.iter_rows() if owner == 0]
    assert spans == [(m.start(), m.end()) for m in _PHRASE.finditer(text)]


def test_reader_is_linear_in_the_text() -> None:
    """Ten thousand times the text gives ten thousand times the phrases, in one pass."""
    text = "About 2.4 million people, 675 jurisdictions and many others. "
    assert len(find_phrases(text * 10_000)) == 10_000 * len(find_phrases(text))


# --- the rule on a root ----------------------------------------------------------------------


def _exclusion_rows(root: Path) -> list[list[str]]:
    return read_rows(root / EXCLUSIONS)


def test_the_base_fixture_accounts_for_every_number(make_root: MakeRoot) -> None:
    assert locations(check(make_root())) == []


def test_a_number_neither_claimed_nor_excluded_is_reported_with_its_sentence(make_root: MakeRoot) -> None:
    root = make_root()
    rows = _exclusion_rows(root)
    write_rows(root / EXCLUSIONS, [r for r in rows if r[1] != "2017"])
    report = check(root)
    assert locations(report) == [("seeds/county-report.txt", None, None, "number-not-accounted")]
    message = report.findings[0].message
    assert "'2017'" in message and "About 2.4 million people were on ICE" in message
    assert "claims exclude county-report '2017' --occurrence 1 --reason" in message


def test_a_new_number_in_a_seed_is_reported(make_root: MakeRoot) -> None:
    root = make_root()
    seed = root / "seeds" / "blog-post.txt"
    replace_seed(root, "blog-post.txt", seed.read_bytes() + b"\nNearly 700 more were held.\n")
    assert locations(check(root)) == [("seeds/blog-post.txt", None, None, "number-not-accounted")]


def test_an_occurrence_past_the_last_is_reported(make_root: MakeRoot) -> None:
    root = make_root()
    row = add_row(root, EXCLUSIONS, source_id="county-report", text="2017", occurrence="2", reason="date")
    assert locations(check(root)) == [(EXCLUSIONS, row, "occurrence", "exclusion-not-found")]


def test_a_text_not_in_the_source_is_reported(make_root: MakeRoot) -> None:
    root = make_root()
    row = add_row(root, EXCLUSIONS, source_id="county-report", text="2016", occurrence="1", reason="date")
    assert locations(check(root)) == [(EXCLUSIONS, row, "text", "exclusion-not-found")]


def test_a_text_without_a_number_is_reported(make_root: MakeRoot) -> None:
    root = make_root()
    row = add_row(root, EXCLUSIONS, source_id="county-report", text="county", occurrence="1", reason="not-a-statistic")
    assert locations(check(root)) == [(EXCLUSIONS, row, "text", "exclusion-without-number")]


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({"source_id": "nowhere"}, "source_id", "foreign-key"),
        ({"reason": "boring"}, "reason", "constraint-error"),
        ({"occurrence": "0"}, "occurrence", "constraint-error"),
        ({"note": "=HYPERLINK()"}, "note", "formula-injection"),
    ],
)
def test_schema_and_reference_rules(make_root: MakeRoot, cells: dict[str, str], column: str, code: str) -> None:
    root = make_root()
    row = add_row(
        root, EXCLUSIONS, **{"source_id": "county-report", "text": "2019", "occurrence": "2", "reason": "date", **cells}
    )
    # The base fixture already excludes 2019 occurrence 2: the copy is a duplicate key unless a cell differs in it.
    found = [loc for loc in locations(check(root)) if loc[1] == row]
    assert (EXCLUSIONS, row, column, code) in found


def test_a_duplicate_exclusion_is_a_primary_key_error(make_root: MakeRoot) -> None:
    root = make_root()
    row = add_row(root, EXCLUSIONS, source_id="county-report", text="2019", occurrence="1", reason="date")
    assert (EXCLUSIONS, row, None, "primary-key") in [(f, r, None, c) for f, r, _, c in locations(check(root))]


def test_a_claim_that_is_not_found_does_not_also_report_its_number(make_root: MakeRoot) -> None:
    """The claim's own finding says what is wrong: coverage stays silent on its source."""
    root = make_root("quote-not-in-source")
    assert "number-not-accounted" not in {f.check for f in check(root)}


def test_a_source_row_with_findings_is_left_out_of_coverage(make_root: MakeRoot) -> None:
    root = make_root()
    rows = read_rows(root / SOURCES)
    rows[1][rows[0].index("sha256")] = "0" * 64
    write_rows(root / SOURCES, rows)
    write_rows(root / EXCLUSIONS, _exclusion_rows(root)[:1])
    checks = {(f.file, f.check) for f in check(root)}
    assert ("datasets/sources.csv", "sha256-mismatch") in checks
    assert not any(c == "number-not-accounted" and f.endswith(rows[1][1]) for f, c in checks)


# --- the fast path against a simple reference ---------------------------------------------------

_TOKENS = [
    "675",
    "29,269",
    "2.37 million",
    "more than",
    "nearly",
    "(N)early",
    "about",
    "at most",
    "most",
    "2017",
    "18th",
    "COVID-19",
    "Muslim-majority",
    "one",
    "someone",
    "ones",
    "two million",
    "a third",
    "all",
    "$16",
    "1.4 percent",
    "70%",
    "12,3456",
    "tens of thousands",
    "many",
    "x",
    "-",
    ",",
    ".",
    "the",
    "é",
    "jurisdictions",
    "detainers",
    "every single one",
    "a",
    "half",
    "2019-",
    "_5",
    "5_",
    "four",
    "in",
    # Other than ASCII: polars' pass reads these texts too, in characters ...
    "café",
    "on\u0301e",
    "字",
    "😀",
    "\ufdfa",
    # ... but not one where Python's case-insensitive match takes a character for an ASCII one.
    "\u017feveral",
    "m\u0131llion",
]


def _reference(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Python's own pass of the phrase pattern, each phrase kept unless a span holds its core."""
    found = [(m.start(), m.end(), *_core(m)) for m in _PHRASE.finditer(text)]
    return [f for f in found if not any(s <= f[2] and f[3] <= e for s, e in spans)]


def _core(m: re.Match[str]) -> tuple[int, int]:
    group = "core" if m.group("core") is not None else "digits"
    return m.start(group), m.end(group)


# Tokens whose every proposal has a clean edge: the fast path places them all.
_CLEAN = [
    t
    for t in _TOKENS
    if t not in ("COVID-19", "Muslim-majority", "12,3456", "-", "2019-", "_5", "\u017feveral", "m\u0131llion")
]


class _NoPass:
    """The phrase pattern, refusing Python's own pass over a whole text."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(text, pos)

    def finditer(self, text: str) -> None:
        raise AssertionError("the fast path fell back to Python's pass")


@pytest.mark.parametrize("clean", [True, False])
@pytest.mark.parametrize("seed", range(25))
def test_the_fast_path_agrees_with_python_on_random_texts(
    seed: int, clean: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Coverage places polars' proposals and skips Python's regex for those inside a span: on
    random texts of tricky tokens and random spans (some exactly a phrase or its core), it finds
    the phrases that Python's own pass over the text leaves uncovered; on texts whose numbers all
    have clean edges it does so without that pass."""
    rng = random.Random(seed)
    tokens, joints = (_CLEAN, [" ", " ", ", "]) if clean else (_TOKENS, [" ", " ", "", "-", ", "])
    text = "".join(rng.choice(tokens) + rng.choice(joints) for _ in range(rng.randint(20, 400)))
    # Long enough for polars' pass: find_phrases itself uses Python's below _SHORT characters.
    text = (text + " ") * max(1, 2_500 // max(1, len(text)))
    every = [(m.start(), m.end(), *_core(m)) for m in _PHRASE.finditer(text)]
    spans = [(f[0], f[1]) for f in every if rng.random() < 0.3] + [(f[2], f[3]) for f in every if rng.random() < 0.3]
    for _ in range(20):
        a = rng.randrange(len(text))
        spans.append((a, a + rng.randint(0, 30)))
    expected = _reference(text, spans)
    if clean:
        monkeypatch.setattr(number_phrases, "_PHRASE", _NoPass(_PHRASE))
    found = unaccounted(text, spans, "s", proposed_many([text])[0])
    assert [(u.phrase.start, u.phrase.end, u.phrase.core_start, u.phrase.core_end) for u in found] == expected
    monkeypatch.undo()
    assert [(p.start, p.end, p.core_start, p.core_end) for p in find_phrases(text)] == every


@pytest.mark.parametrize("seed", range(12))
def test_all_sources_at_once_agree_with_python_on_random_texts(seed: int) -> None:
    """unaccounted_many lays every text end to end and joins all phrases with all spans at once:
    on random texts (some with other than ASCII or the marks polars' pass writes, some of tokens
    with clean edges only) it finds, text by text, the phrases Python's own pass leaves uncovered."""
    rng = random.Random(seed)
    texts, spans, expected = [], [], []
    for _ in range(rng.randint(1, 8)):
        tokens = rng.choice([_TOKENS, _CLEAN, [*_CLEAN, "\x00", "\x01"]])
        joints = rng.choice([[" ", ", "], [" ", "", "-", ", "]])
        text = "".join(rng.choice(tokens) + rng.choice(joints) for _ in range(rng.randint(0, 300)))
        every = [(m.start(), m.end(), *_core(m)) for m in _PHRASE.finditer(text)]
        own = [(f[0], f[1]) for f in every if rng.random() < 0.3] + [(f[2], f[3]) for f in every if rng.random() < 0.3]
        for _ in range(rng.randint(0, 20)):
            a = rng.randrange(len(text) + 1)
            own.append((a, a + rng.randint(0, 30)))
        texts.append(text)
        spans.append(own)
        expected.append(_reference(text, own))
    frame = pl.DataFrame(
        [(i, s, e) for i, own in enumerate(spans) for s, e in own],
        schema={"owner": pl.Int64, "start": pl.Int64, "end": pl.Int64},
        orient="row",
    )
    found = unaccounted_many([TextIndex(t) for t in texts], frame, [f"s{i}" for i in range(len(texts))])
    got = [[(u.phrase.start, u.phrase.end, u.phrase.core_start, u.phrase.core_end) for u in one] for one in found]
    assert got == expected
    # With the words and occurrence each is named by, as the text-by-text path names them.
    assert found == [unaccounted(text, own, f"s{i}") for i, (text, own) in enumerate(zip(texts, spans, strict=True))]
    # The check hands over the regex pass it ran beforehand, and asks for some texts only: the
    # others get no phrases, and the pass it handed over is left as it was.
    proposed = proposed_spans(texts)
    exact = list(proposed.exact)
    wanted = frozenset(i for i in range(len(texts)) if rng.random() < 0.6)
    some = unaccounted_many(
        [TextIndex(t) for t in texts], frame, [f"s{i}" for i in range(len(texts))], proposed, wanted
    )
    assert some == [one if i in wanted else [] for i, one in enumerate(found)]
    assert proposed.exact == exact
    # With a cap, as the check asks: the first `keep` of each text, and every one counted.
    keep = rng.randint(0, 4)
    shown, counts = missing_many([TextIndex(t) for t in texts], frame, keep=keep)
    assert counts == [len(e) for e in expected]
    assert [[(p.start, p.end, p.core_start, p.core_end) for p in one] for one in shown] == [e[:keep] for e in expected]


def test_phrases_no_span_touches_are_counted_without_being_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python reads a phrase outside every span only where a span may hold its number (part of
    the phrase), and the phrases it shows: 20,000 bare numbers cost 20,000 reads in Python once."""
    text = "1 " * 20_000 + "about 1,000 people."
    core = text.index("1,000")
    frame = pl.DataFrame({"owner": [0], "start": [core], "end": [core + 5]})
    reads: list[int] = []
    real = coverage.confirmed
    monkeypatch.setattr(coverage, "confirmed", lambda t, start, end: reads.append(start) or real(t, start, end))
    shown, counts = missing_many([TextIndex(text)], frame, keep=3)
    assert counts == [20_000]  # 'about 1,000' is accounted for by the span on its number
    assert [(p.start, p.end) for p in shown[0]] == [(0, 1), (2, 3), (4, 5)]
    assert sorted(reads) == [0, 2, 4, text.index("about")]


def test_lazy_indexes_make_only_the_texts_asked_for() -> None:
    """The coverage rule's texts become Python strings only where it reads them; the lengths it
    lays the texts end to end by are Python's, characters not bytes."""
    texts = ["ab", "é 12", "", "x 3"]
    lazy = LazyIndexes(pl.Series(texts))
    assert len(lazy) == 4 and lazy.sizes() == [2, 4, 0, 3]
    assert lazy[1].text == "é 12" and lazy[-1].text == "x 3" and lazy[1] is lazy[-3]
    assert sorted(lazy._made) == [1, 3]
    assert [index.text for index in lazy[::2]] == ["ab", ""]
    with pytest.raises(IndexError):
        lazy[4]
    frame = pl.DataFrame(
        {"owner": [3], "start": [2], "end": [3]}, schema={"owner": pl.Int64, "start": pl.Int64, "end": pl.Int64}
    )
    assert missing_many(lazy, frame, sizes=lazy.sizes()) == missing_many([TextIndex(t) for t in texts], frame)


def test_texts_whose_phrases_spans_account_for_are_not_read() -> None:
    """missing_many makes a text a Python string only to read a phrase of it: its list of each
    text's missing phrases was made by going through the texts, which read every one (41 MB of
    Python strings at a million claims, at the end of the check) for nothing."""
    texts = ["about 12 people", "x 3", "no number"]
    lazy = LazyIndexes(pl.Series(texts))
    frame = pl.DataFrame(
        {"owner": [0, 1], "start": [0, 2], "end": [8, 3]},
        schema={"owner": pl.Int64, "start": pl.Int64, "end": pl.Int64},
    )
    # As the check calls it: the texts' phrases already placed (coverage.proposals).
    found = proposed_spans(texts)
    assert missing_many(lazy, frame, found=found, sizes=lazy.sizes()) == ([[], [], []], [0, 0, 0])
    assert lazy._made == {}


def _located_reference(
    texts: dict[str, str], claims: list[tuple[str, str, str]]
) -> tuple[set[tuple[str, int, int]], set[str]]:
    """Each claim's value_text at every place of its quote, found by Python alone."""
    spans, unlocated = set(), set()
    for sid, quote, value_text in claims:
        text = texts.get(sid)
        inside = quote.find(value_text) if quote and value_text and has_phrase(value_text) else -1
        at = text.find(quote) if text is not None and inside >= 0 and len(quote) <= MAX_QUOTE else -1
        if at < 0:
            unlocated.add(sid)
        while at >= 0:
            spans.add((sid, at + inside, at + inside + len(value_text)))
            at = text.find(quote, at + 1)
    return spans, unlocated


@pytest.mark.parametrize("seed", range(12))
def test_claims_located_in_polars_agree_with_python(seed: int) -> None:
    """_claimed takes each quote's first place, finds whether it stands again in C, and reads
    the rest in Python: on random texts with repeated and overlapping quotes ("12 12 12"), quotes
    not found, value texts outside their quote or without a number, texts with other than ASCII
    and claims of unknown sources, it states the spans a plain Python search states."""
    rng = random.Random(seed)
    words = ["12", "12 12", "a", "ab", "é", "four", "x", "-", "2,017", "many"]
    texts = {f"s{i}": " ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for i in range(5)}
    claims = []
    for _ in range(rng.randint(1, 60)):
        sid = rng.choice([*texts, "missing"])
        text = texts.get(sid, "") or "x"
        a = rng.randrange(len(text))
        quote = text[a : a + rng.randint(0, 12)] if rng.random() < 0.8 else "12 12 12 x"
        b = rng.randrange(len(quote) + 1)
        value = quote[b : b + rng.randint(0, 6)] if rng.random() < 0.8 else rng.choice(words)
        claims.append((sid, quote, value))
    # As check passes them (normalised, with the byte offsets the claims' enrichment found:
    # the quote's in its text, null for an unknown source, and the value_text's in the quote),
    # and as written: then normalised first (edge spaces go).
    enriched = [
        (
            sid,
            quote,
            value,
            None if sid not in texts else texts[sid].encode().find(quote.encode()),
            quote.encode().find(value.encode()),
        )
        for sid, quote, value in claims
    ]
    written = [(sid, normalise(quote), normalise(value)) for sid, quote, value in claims]
    for rows, columns, reference in (
        (enriched, ["source_id", "_quote_norm", "_value_text_norm", "_quote_at", "_value_text_at"], claims),
        (claims, ["source_id", "quote", "value_text"], written),
    ):
        frame = pl.DataFrame(rows, schema=columns, orient="row")
        sources = pl.DataFrame({"source_id": list(texts), "_text": list(texts.values())})
        got, unlocated = _claimed(frame, readable_texts(sources))
        assert (set(got.iter_rows()), unlocated) == _located_reference(texts, reference)


def test_the_coverage_work_starts_only_where_the_rule_runs(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim of an unknown source silences the coverage rule (the foreign-key rule reports it):
    the check then starts none of its work in the background. With 1 % of a million claims broken
    so, the wasted regex pass and claims' spans made the check 1.39 times the clean one's time."""
    from validate.rules import coverage

    started: list[str] = []
    real = coverage.proposals
    monkeypatch.setattr(coverage, "proposals", lambda texts: started.append("proposals") or real(texts))
    root = make_root()
    check(root)
    assert started == ["proposals"]
    started.clear()
    set_cell(root, CLAIMS, 2, "source_id", "no-such-source")
    report = check(root)
    assert started == []
    assert {f.check for f in report.findings} == {"foreign-key"}
