"""What a reader of the site reads on the five real articles' ledger: words that say what the views
mean, citations that can be told apart, and charts that show what their legends promise.

Each test comes from a defect a first reading found (a reader's trial of the built site).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from roots import real_root

from validate.publishing.build import build
from validate.publishing.site import charts, words
from validate.publishing.site.content import Content, gather
from validate.publishing.site.data import Database, connect
from validate.publishing.site.pages import render_pages

JURISDICTIONS = "oig-jurisdictions-declined-detainers"
# One citation, which counts something else ("23 cities" for 23 jurisdictions), of a statistic with
# a primary reading: there is no consensus to show.
DOJ_LETTERS = "doj-letters-jurisdictions-1373-2018-01"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = real_root(tmp_path_factory.mktemp("reading") / "root")
    build(built)
    return built


@pytest.fixture(scope="module")
def content(root: Path) -> Content:
    with connect(root / "build" / "claims.duckdb") as con:
        return gather(Database(con))


def page(root: Path, kind: str, key: str) -> str:
    return (root / "build" / "site" / kind / f"{key}.html").read_text(encoding="utf-8")


def consensus(html: str) -> str:
    found = re.search(r"<dt>Consensus</dt><dd>(.*?)</dd>", html)
    assert found is not None, "the statistic page has no Consensus row"
    return found.group(1)


def test_the_consensus_row_says_whose_values_it_holds(root: Path) -> None:
    # The blog's bare "675" allows only [674.5, 675.5]; the row shows the producer's ±10 %, so it
    # must not claim to be what "all citations" allow.
    html = page(root, "statistics", JURISDICTIONS)
    assert "all citations allow" not in html
    assert consensus(html).startswith("at least 607.5 and at most 742.5: ")
    assert "counting the same thing and keeping the producer's hedge" in consensus(html)


def test_no_consensus_is_not_any_value(root: Path) -> None:
    assert consensus(page(root, "statistics", DOJ_LETTERS)) == "none: every citation counts something else"
    for path in (root / "build" / "site" / "statistics").glob("*.html"):
        assert "any value" not in path.read_text(encoding="utf-8"), path.name


def test_the_verdicts_are_explained_as_the_view_judges_them() -> None:
    # The view's "single_source" also covers one source with the primary reading's voice missing;
    # its values leave out citations that count something else or drop the hedge, and its periods
    # only those that count something else.
    assert "every citation is from one source" not in words.VERDICT_HELP["single_source"]
    for code in ("consistent", "value_conflict"):
        assert "count the same thing and keep its hedge" in words.VERDICT_HELP[code]
    assert "whether or not they keep its hedge" in words.VERDICT_HELP["period_conflict"]
    # "The periods stated ... are one" read as a claim about periods on a page whose citations
    # state none: consistent says only that no two differ.
    assert "no two periods stated" in words.VERDICT_HELP["consistent"]
    assert "are one" not in words.VERDICT_HELP["consistent"]


def test_conflicts_name_each_citation_by_its_number(root: Path) -> None:
    # Two citations of the National Sentinel ("675" and "approximately 675") meet in the conflicts:
    # by value and title alone, "675 (Homeland…) disagrees with approximately 675 (Homeland…)".
    html = page(root, "statistics", JURISDICTIONS)
    items = re.findall(r'<li><a href="#claim-([a-z0-9-]+)">citation (\d+), ', html)
    numbers = {claim: int(n) for claim, n in items}
    # The Sentinel, published first, opens the first turn with its first quote; its second waits
    # for the second turn.
    assert numbers["ns-jurisdictions-675-refusing"] == 1
    order = re.findall(r'<article class="citation" id="claim-([a-z0-9-]+)"', html)
    assert order[3] == "ns-jurisdictions-675-report"
    assert all(order[n - 1] == claim for claim, n in numbers.items())
    index = (root / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert f'{JURISDICTIONS}.html#claim-ns-jurisdictions-675-refusing">citation 1, 675</a>' in index


def test_a_source_is_charged_with_conflicts_not_with_other_sources(root: Path) -> None:
    # The blog's "tens of thousands" conflicts with its own "more than 29,269" too.
    html = page(root, "sources", "blog-sanctuary-cities-national-security")
    assert "in conflict with another source" not in html
    assert "2 charged in a conflict" in html


def test_a_duration_is_said_in_words(root: Path) -> None:
    html = page(root, "statistics", "oig-detainers-declined")
    assert "a length of 3 years" in html and "P3Y" not in html.split('<h2 id="citations">')[1].split("<dt>Note")[0]
    assert words.duration("P1Y6M") == "1 year and 6 months"
    assert words.duration("PT3H") == "PT3H"


def test_the_charts_text_alternative_says_a_missing_period_once_and_the_duration(content: Content) -> None:
    sentences = charts.text_alternative(content.statistics["oig-detainers-declined"], {})
    assert "period no period stated" not in " ".join(sentences)
    assert any("no period stated, a length of 3 years; reframed." in s for s in sentences)
    assert any("; period 2014-01 to 2017-05; faithful." in s for s in sentences)


def _svg(content: Content, key: str, layout: charts.Layout = charts.WIDE) -> str:
    titles = {s.id: str(s.row.get("title") or s.id) for s in content.sources.values()}
    spec = charts.chart_spec(content.statistics[key], titles, layout)
    assert spec is not None
    return str(charts.render_svg(spec, "chart-text"))


def test_a_citation_narrower_than_its_diamond_still_shows_its_fidelity(root: Path, content: Content) -> None:
    # "675" is [674.5, 675.5] on an axis to 900: its line has no visible width, so its diamond
    # carries the colour of "hedge dropped" (the blog) and "reframed" (the National Sentinel).
    svg = _svg(content, JURISDICTIONS)
    symbols = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg)
    fills = Counter(re.findall(r'fill="(#[0-9a-f]{6})"', "".join(symbols)))
    assert fills[charts.PALETTE["hedge_dropped"]] == 1
    assert fills[charts.PALETTE["reframed"]] == 1
    assert fills[charts.PALETTE["faithful"]] == 2
    assert "a diamond in the citation's colour" in page(root, "statistics", JURISDICTIONS)


def test_an_open_end_reaches_the_edge_of_the_axis(content: Content) -> None:
    # "more than 29,269" was drawn to 125,000 on an axis rounded on to 130,000: a bound that is not.
    spec = charts.chart_spec(content.statistics["oig-detainers-declined"], {})
    assert spec is not None
    values = spec["vconcat"][0]["layer"]
    scale = values[0]["encoding"]["x"]["scale"]
    rows = spec["datasets"][values[0]["data"]["name"]]
    assert scale["nice"] is False
    assert scale["domain"][1] == max(r["high"] for r in rows)


def _axis_labels(svg: str) -> list[list[str]]:
    axes = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg)
    return [re.findall(r"<text[^>]*>([^<]*)</text>", axis) for axis in axes]


def test_no_axis_repeats_a_label(content: Content) -> None:
    # A week's period ("last week", resolved) had fifteen ticks all labelled "2018-01".
    for key, statistic in content.statistics.items():
        if not statistic.claims:
            continue
        for layout in charts.LAYOUTS:
            for labels in _axis_labels(_svg(content, key, layout)):
                assert len(labels) == len(set(labels)), (key, layout.name, labels)
    assert any("2018-01-24" in labels for labels in _axis_labels(_svg(content, DOJ_LETTERS)))


def test_a_phones_chart_fits_its_screen_and_labels_each_citation_by_its_number(content: Content) -> None:
    # The one chart was 743 pixels wide: a phone's 343 shrank its labels to 5 pixels.
    statistic = content.statistics[JURISDICTIONS]
    names = [charts.citation_name(n, c, "") for n, c in enumerate(statistic.shown_claims, 1)]
    wide, narrow = (_svg(content, JURISDICTIONS, layout) for layout in (charts.WIDE, charts.NARROW))
    widths = [int(re.search(r'<svg[^>]* width="([0-9]+)"', svg)[1]) for svg in (wide, narrow)]  # type: ignore[index]
    assert widths[0] > 600 and widths[1] <= 320, widths
    numbers = [str(n) for n in range(1, len(names) + 1)]
    assert _axis_labels(narrow)[1] == numbers  # the citations' axis of the values' panel
    assert all(label.split(".")[0] in numbers and ". " in label for label in _axis_labels(wide)[1])
    assert ">Citation<" in narrow and ">Citation<" not in wide


def test_the_legend_shows_an_open_end_dashed(content: Content) -> None:
    # The legend's stroke was 10 px long with a dash of 10 px: "open end" looked like "closed".
    svg = _svg(content, "oig-detainers-declined")
    [symbol] = re.findall(r'<path transform="[^"]*" d="M-([0-9.]+),0L[0-9.]+,0"[^>]*stroke-dasharray="10,4"', svg)
    assert 2 * float(symbol) > 10 + 4


def test_conflicts_past_the_cap_are_counted_and_a_query_lists_them(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pairs grow as the square of a statistic's citations: 700 citations of one statistic wrote
    # a 116 MB index. The site lists the first MAX_CONFLICTS of each and says how to get the rest.
    from validate.publishing.site import content as content_module

    with connect(root / "build" / "claims.duckdb") as con:
        every = gather(Database(con)).statistics[JURISDICTIONS]
        monkeypatch.setattr(content_module, "MAX_CONFLICTS", 1)
        capped = gather(Database(con)).statistics[JURISDICTIONS]
    assert len(every.conflicts) == every.n_conflicts > 1
    assert capped.conflicts == every.conflicts[:1]
    assert capped.n_conflicts == every.n_conflicts


def test_the_index_lists_a_bounded_number_of_pairs_of_all_statistics(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each statistic's first MAX_CONFLICTS pairs on the index made it grow with the statistics:
    # 4,000 statistics of 15 citations each, a pull request of 4 MB, wrote a 494 MB index.
    from validate.publishing.site import content as content_module

    assert content.n_conflicts > 1
    monkeypatch.setattr(content_module, "MAX_INDEX_CONFLICTS", 1)
    index = dict(render_pages(content))["index.html"].decode("utf-8")
    table = index.split('id="conflicts"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 1  # the header and one pair
    more = content.n_conflicts - 1
    assert f'<p id="more-conflicts">{more} more pair{"" if more == 1 else "s"} of citations disagree' in index
    assert 'claims sql "SELECT * FROM claim_conflicts"' in index


def test_citations_are_sorted_by_their_number_not_by_a_list_of_names(content: Content) -> None:
    # Vega-Lite made a sort list of names into one nested expression: at 2,000 citations it
    # overflowed the stack, and the build stopped.
    spec = json.dumps(charts.chart_spec(content.statistics[JURISDICTIONS], {}))
    assert '"sort": {"field": "order", "op": "min", "order": "ascending"}' in spec


def _marked(html: str) -> str:
    """A source page's text with each excluded mark in ⟦ ⟧, the reasons and links after marks
    left out, and a mark cut into pieces by a quote's edge joined again."""
    text = re.sub(r'<span class="reason">[^<]*</span>|<a class="to-claim"[^>]*>.*?</a>', "", html)
    text = re.sub(r'<span class="excluded">([^<]*)</span>', r"⟦\1⟧", text)
    return re.sub(r"<[^>]*>", "", text).replace("⟧⟦", "")


def test_an_excluded_word_is_marked_where_the_check_counts_it(root: Path, content: Content) -> None:
    # The Western Journal excludes the 1st, 3rd and 4th "all" (whole words, as the check counts
    # them; the 2nd is a claim's). The site counted substrings: it marked "Ch[all]enges" and
    # "Fin[all]y" and left two of the real ones unmarked.
    text = _marked(page(root, "sources", "western-journal-ice-counter-terrorism"))
    assert re.findall(r"(\w*)⟦all⟧ (\w+)", text) == [("", "immigrants"), ("", "experiencing"), ("", "of")]
    for key, source in content.sources.items():
        text = _marked(page(root, "sources", key))
        # Every exclusion is marked (and the legend's example), and no mark is part of a longer word.
        assert text.count("⟦") == len(source.exclusions) + 1, key
        assert not re.search(r"\w⟦|⟧\w", text), key


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (2_350_000, None, "2,350,000"),
        (1.4, "percent", "1.4 %"),
        (0.0000001, None, "0.0000001"),  # was "0": six decimals
        (-0.000000025, "usd", "$-0.000000025"),
        (1e-300, None, "1e-300"),
        (0.1234567, None, "0.123457"),
        (float("inf"), None, "inf"),
    ],
)
def test_a_number_is_written_as_a_reader_writes_it_and_never_as_zero_when_it_is_not(
    value: float, unit: str | None, written: str
) -> None:
    from validate.publishing.site import words

    assert words.number(value, unit) == written


def test_a_claimed_number_in_the_archived_text_says_how_the_citation_keeps_it(root: Path, content: Content) -> None:
    # The mark after each claimed number was the statistic's id (`oig-detainers-declined`), a slug
    # in the middle of the article's sentence; it reads as the exclusions' marks do, in words: the
    # citation's fidelity label, what the statistic counts on hover.
    source = content.sources["blog-sanctuary-cities-national-security"]
    html = page(root, "sources", source.id)
    marks = re.findall(
        r'<a class="to-claim" href="\.\./statistics/([^"#]+)\.html#claim-([^"]+)" title="([^"]*)">([^<]*)</a>', html
    )
    assert len(marks) == len(source.claims) > 1
    claims = {c["claim_id"]: c for c in source.claims}
    for statistic_id, claim_id, title, said in marks:
        assert said == f"[claim: {words.label(claims[claim_id]['label']).lower()}]"
        assert unescape(title) == words.clipped(str(content.statistics[statistic_id].row["description"]))
        assert statistic_id not in said
    assert {said for *_, said in marks} >= {"[claim: reframed]"}


def test_a_statistic_page_gives_the_statistics_note(root: Path, content: Content) -> None:
    # statistics.csv's note says where the producer's figure was read, or why there is none; the
    # pages showed every claim's note and never a statistic's.
    noted = [s for s in content.statistics.values() if s.row.get("note")]
    assert noted
    for statistic in noted:
        html = page(root, "statistics", statistic.id)
        [said] = re.findall(r'<dd id="statistic-note">(.*?)</dd>', html, flags=re.S)
        assert unescape(said) == statistic.row["note"]
    unnoted = next(s for s in content.statistics.values() if not s.row.get("note"))
    assert 'id="statistic-note"' not in page(root, "statistics", unnoted.id)


def test_a_conflict_of_meaning_says_how_the_citation_gives_the_number_another_meaning(
    root: Path, content: Content
) -> None:
    # "one counts something else" was said of every conflict of meaning: of New Scientist's 675
    # jurisdictions "refusing" (the number in the present tense) as of a count of people for one
    # of detainers.
    pairs = [
        k for k in content.conflicts
        if k["reason"] == "meaning" and "ns-jurisdictions-675-refusing" in (k["claim_a"], k["claim_b"])
    ]  # fmt: skip
    assert pairs
    statistic_page = page(root, "statistics", JURISDICTIONS)
    index = (root / "build" / "site" / "index.html").read_text(encoding="utf-8")
    for pair in pairs:
        said = words.conflict_reason(pair)
        number = next(c["number"] for c in (pair["a"], pair["b"]) if c["claim_id"] == "ns-jurisdictions-675-refusing")
        assert said == f"citation {number} speaks of it in another tense (ongoing for past)"
        assert said in statistic_page and said in index
    # Another reason is said as before.
    assert words.conflict_reason({"reason": "value"}) == words.REASONS["value"]
