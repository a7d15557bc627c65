"""`claims candidates`: the numbers nothing accounts for, read, matched to statistics, written as rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from roots import FIXTURES

from validate import check
from validate.cli import main
from validate.contributing.add import add_source
from validate.contributing.candidates import attributed_to, candidates, counted_as, find_candidates, propose_counted_as
from validate.contributing.candidates_output import candidate_rows, candidates_text
from validate.contributing.statistics_search import Profile, score, specificity
from validate.text.sentences import sentences

ARTICLE = FIXTURES / "new-article" / "article.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "From 2014 to 2017, more than 29,269 detainers were declined.",
            [
                ("2014", 2014.0, "exact", "date"),
                ("2017", 2017.0, "exact", "date"),
                ("more than 29,269", 29269.0, "more_than", ""),
            ],
        ),
        ("Nearly a quarter agreed.", [("Nearly a quarter", 25.0, "nearly", "")]),
        ("On July 17, 2019 it rained.", [("17", 17.0, "exact", "date"), ("2019", 2019.0, "exact", "date")]),
        ("A 30-year-old was held.", [("30", 30.0, "exact", "age")]),
        ("It took a 3 year period.", [("3", 3.0, "exact", "duration")]),
        ("Many were held.", [("Many", None, None, "no-bound")]),
        ("Muslim-majority countries.", []),
        # an editor's bracket on the qualifier keeps it in the number (the cut rule asks for it)
        ("[M]ore than 700 were held.", [("[M]ore than 700", 700.0, "more_than", "")]),
        # scale and percent words after number words are the number's
        ("They held two hundred thousand.", [("two hundred thousand", 200000.0, "exact", "")]),
        ("It cost $2.4bn, not 5mg.", [("$2.4bn", 2400000000.0, "exact", ""), ("5", 5.0, "exact", "")]),
        # a number of several words is one candidate, read whole
        ("Nearly half a million were held.", [("Nearly half a million", 500000.0, "nearly", "")]),
        ("Two and a half million were held.", [("Two and a half million", 2500000.0, "exact", "")]),
        ("Several thousand were held.", [("Several thousand", 1000.0, "order_of_magnitude", "")]),
        ("Several were held.", [("Several", None, None, "no-bound")]),
    ],
)
def test_find_candidates_reads_and_proposes_a_reason(text: str, expected: list[tuple[object, ...]]) -> None:
    got = [(c.value_text, c.value, c.qualifier, c.exclude_reason) for c in find_candidates(text, [], "s")]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "Residents are worried about 700 jobs.",
            "'about' after 'worried' may be a preposition, not a hedge: then value_text is '700', exact",
        ),
        (
            "The dispute over 2.4 million dollars.",
            "'over' after 'dispute' may be a preposition, not a hedge: then value_text is '2.4 million', exact",
        ),
        ("ICE issued over 5,000 detainers.", ""),  # a hedge only
        ("Residents worried, about 700 jobs.", ""),
    ],
)
def test_a_qualifier_word_that_may_be_a_preposition_is_noted(text: str, note: str) -> None:
    [found] = find_candidates(text, [], "s")
    assert (found.qualifier, found.note) == ("more_than" if "over" in text else "approximately", note)
    assert (f"    note: {note}\n" in candidates_text([found], 1)) == bool(note)


def test_period_is_read_from_the_sentence() -> None:
    [c] = [c for c in find_candidates("It grew 1.4 percent in June 2017.", [], "s") if c.value_text == "1.4 percent"]
    assert (c.value, c.period_start, c.period_end) == (1.4, "2017-06", "2017-06")


def test_a_covered_span_is_not_listed() -> None:
    text = "We counted 675 jurisdictions."
    start = text.index("675")
    assert find_candidates(text, [(start, start + 3)], "s") == []


def test_a_paragraph_break_ends_a_sentence() -> None:
    raw = "The report counted 40 files\n\nOfficials said 675 jurisdictions declined"
    _, found = sentences(raw)
    assert [s.text for s in found] == ["The report counted 40 files", "Officials said 675 jurisdictions declined"]


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    _, found = sentences("U.S. officials counted 1.4 percent. Then 2.4 million more.")
    assert [s.text for s in found] == ["U.S. officials counted 1.4 percent.", "Then 2.4 million more."]


def test_counted_as_and_attribution_are_proposed_from_the_sentence() -> None:
    sentence = "Over the period, jurisdictions turned down more than 29,269 detainer requests, the audit said."
    end = sentence.index("29,269") + len("29,269")
    assert counted_as(sentence, end) == "detainer requests"
    assert attributed_to(sentence) == "the audit"
    assert attributed_to("It rose, according to the Washington Post.") == "the Washington Post"
    # A speaker named with who they are between commas.
    assert attributed_to("Rep. Jane Doe, a Republican from Ohio, said 29,269 were declined.") == "Rep. Jane Doe"


@pytest.mark.parametrize(
    ("sentence", "number", "words", "reason"),
    [
        ("The audit found 675 jurisdictions declined them.", "675", "jurisdictions", "counting noun 'jurisdictions'"),
        ("Jails refused more than 29,000 detainers from January 2014 on.", "29,000", "detainers", "'detainers'"),
        (
            "It cited the tens of thousands of illegal immigrants released by these cities.",
            "tens of thousands",
            "illegal immigrants",
            "'immigrants'",
        ),
        ("Inspectors read all 40 case files in the jail.", "40", "case files", "'files'"),
        ("About 2.37 million people were under supervision.", "2.37 million", "people", "'people'"),
        (
            "Nearly a third of those held were released.",
            "a third",
            "those held",
            "up to 'were'; no counting noun near it",
        ),
        ("Detainers declined that year: 675.", "675", "Detainers", "nearest counting noun before"),
        ("It was 675.", "675", "", "no words after the number"),
        ("They read 40 case files, and every single one showed a lapse.", "every single one", "files", "before"),
    ],
)
def test_counted_as_is_proposed_from_the_nouns_near_the_number(
    sentence: str, number: str, words: str, reason: str
) -> None:
    start = sentence.index(number)
    got, why = propose_counted_as(sentence, start, start + len(number))
    assert got == words and reason in why
    assert got in sentence  # the contract: counted_as occurs inside the quote


def test_excluded_and_claimed_numbers_are_not_candidates(make_root: Callable[..., Path]) -> None:
    assert candidates(make_root()) == []


# --- a new contributor's article (tests/fixtures/new-article/article.txt, our own words) ----------


@pytest.fixture
def with_article(real_copy: Path) -> Path:
    add_source(real_copy, ARTICLE, title="Watchdog audit", publisher="Test", kind="news", source_id="test-article")
    return real_copy


# value_text -> the statistic a fact-checker would cite for it
RIGHT = {
    "roughly 675": "oig-jurisdictions-declined-detainers",
    "more than 29,269": "oig-detainers-declined",
    "40": "oig-kstep-sampled-case-files",
    "every single one": "oig-kstep-sampled-case-files-noncompliant-share",
}


def test_the_right_statistic_comes_first_for_the_articles_numbers(with_article: Path) -> None:
    found = {c.value_text: c for c in candidates(with_article, "test-article")}
    firsts = {text: found[text].suggestions[0].statistic_id for text in RIGHT}
    assert firsts == RIGHT
    assert all(found[text].suggestions[0].reason for text in RIGHT)


def test_csv_rows_pass_the_check_once_filled(with_article: Path) -> None:
    found = candidates(with_article, "test-article")
    text, skipped = candidate_rows(with_article, found)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "e+" not in text and rows
    assert any("--reason date" in line for line in skipped)
    claims = with_article / "datasets" / "claims.csv"
    keep = [r for r in rows if r["value_text"] in RIGHT]
    assert {r["meaning"] for r in keep} == {""}  # the contributor's to judge: no default
    unjudged = io.StringIO()
    csv.DictWriter(unjudged, fieldnames=list(rows[0]), lineterminator="\n").writerows(keep)
    before = claims.read_text(encoding="utf-8")
    claims.write_text(before + unjudged.getvalue(), encoding="utf-8")
    refused = {(f.column, f.check) for f in check(with_article) if f.file == "datasets/claims.csv"}
    assert refused == {("meaning", "constraint-error")}
    for r in keep:  # the contributor's judgement: counted_as as the source words it, and its meaning
        r["meaning"] = "same"
        if r["value_text"] == "every single one":
            r["counted_as"] = "every single one showed at least one lapse"
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writerows(keep)
    claims.write_text(before + out.getvalue(), encoding="utf-8")
    left = {(f.file, f.check) for f in check(with_article)}
    # Only the numbers left to claim or exclude remain: the rows themselves are clean.
    assert left == {("seeds/article.txt", "number-not-accounted")}


def test_json_has_every_candidate_with_its_suggestions(with_article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["candidates", "test-article", "--root", str(with_article), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {c["value_text"] for c in found} >= set(RIGHT)
    assert all(len(c["suggestions"]) >= 10 for c in found if c["value_text"] in RIGHT)
    assert found == json.loads(
        json.dumps(
            [
                c.__dict__ | {"suggestions": [m.__dict__ for m in c.suggestions]}
                for c in candidates(with_article, "test-article", top=10)
            ]
        )
    )


def test_a_primary_reading_is_used_when_the_dataset_has_one(make_root: Callable[..., Path]) -> None:
    """Contract v2's primary_* columns, read by name: a number is matched with the producer's own value."""
    from roots import STATISTICS, read_rows, set_cell

    from validate.contributing.statistics_search import profiles

    root = make_root()
    row = 1 + [r[0] for r in read_rows(root / STATISTICS)].index("docket-2017-06")
    for column, value in (
        ("primary_value", "2370000"), ("primary_qualifier", "approximately"),
        ("primary_period_start", "2017-06"), ("primary_period_end", "2017-06"), ("primary_locator", "p. 1"),
    ):  # fmt: skip
        set_cell(root, STATISTICS, row, column, value)
    [docket] = [p for p in profiles(root) if p.statistic_id == "docket-2017-06"]
    assert ((2370000 * 0.9, 2370000 * 1.1), 2370000.0, "primary") in docket.intervals
    assert ("2017-06-01", "2017-06-31") in docket.periods


def test_a_round_shared_value_weighs_less_than_the_words() -> None:
    """ "three" shared with another statistic's claim is weak evidence; "29,269" is strong. A
    statistic whose description is the sentence's words then comes first for the round number."""
    assert (specificity(3), specificity(100), specificity(29_269), specificity(2_370_000)) == pytest.approx(
        (0.2, 0.2, 1.0, 1.0)
    )
    words = "three people arrested for drunk driving"
    other = Profile("cities", "Cities targeted by an operation", "count", intervals=[((3, 3), 3.0, "c1")])
    mine = Profile("dui-arrests", "Arrests for drunk driving of people", "count")
    ranked = sorted((score(3.0, "exact", 1.0, "count", words, None, p) for p in (other, mine)), key=lambda m: -m.score)
    assert ranked[0].statistic_id == "dui-arrests"


def test_a_percentage_is_not_suggested_first_for_a_count() -> None:
    words = "1.4 percent of immigrants monitored by ICE"
    count = Profile("monitored", "Immigrants monitored by ICE", "count")
    share = Profile("share-detained", "Share of those on the docket in detention", "percent")
    ranked = sorted(
        (score(1.4, "exact", 0.1, "percent", words, None, p) for p in (count, share)), key=lambda m: -m.score
    )
    assert ranked[0].statistic_id == "share-detained"
