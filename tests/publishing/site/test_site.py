"""The readers' site written by `build`: escaped, linked, reproducible, and showing version 2's views when present."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import (
    CLAIMS,
    EXCLUSIONS,
    FIXTURES,
    RELATIONS,
    SOURCES,
    STATISTICS,
    add_row,
    replace_seed,
    set_cell,
    tree_digest,
)

from validate.publishing.build import build
from validate.publishing.site.charts import chart_spec
from validate.publishing.site.content import gather
from validate.publishing.site.data import Database, connect
from validate.publishing.site.highlight import Span, render
from validate.publishing.site.pages import page_name, web_url


class Page(HTMLParser):
    """The tags, ids, links and JSON-LD scripts of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture
def built_site(make_root: MakeRoot) -> Path:
    root = make_root()
    build(root)
    return root / "build" / "site"


def test_build_writes_a_page_per_statistic_and_source(built_site: Path) -> None:
    rel = [p.relative_to(built_site).as_posix() for p in pages_of(built_site)]
    assert rel == [
        "index.html",
        "sources/blog-post.html",
        "sources/county-report.html",
        "statistics/arrests-change-2015-2018.html",
        "statistics/detainers-declined-2019.html",
        "statistics/docket-2017-06.html",
        "statistics/released-detainees.html",
        "statistics/released-within-week-share.html",
    ]


def test_every_link_inside_the_site_reaches_a_page_and_its_anchor(built_site: Path) -> None:
    parsed = {p: parse(p) for p in pages_of(built_site)}
    checked = 0
    for path, page in parsed.items():
        for href in page.links:
            if href.startswith(("http://", "https://")):
                continue
            target, _, anchor = href.partition("#")
            target_path = (path.parent / target).resolve() if target else path
            assert target_path in parsed, f"{path.name}: {href} leads nowhere"
            if anchor:
                assert anchor in parsed[target_path].ids, f"{path.name}: {href} has no anchor there"
            checked += 1
    assert checked > 20


def test_a_statistic_links_each_citation_to_its_passage_and_back(built_site: Path) -> None:
    statistic = parse(built_site / "statistics" / "detainers-declined-2019.html")
    for claim in ("county-declined-1234", "blog-declined-1234"):
        assert f"claim-{claim}" in statistic.ids
    assert "../sources/county-report.html#claim-county-declined-1234" in statistic.links
    source = built_site / "sources" / "county-report.html"
    html = source.read_text(encoding="utf-8")
    # The anchor sits on the quote's first piece, and the claimed value is marked inside it.
    assert '<span class="quote" id="claim-county-declined-1234">' in html
    assert '<mark class="value">1,234</mark>' in html
    assert "../statistics/detainers-declined-2019.html#claim-county-declined-1234" in parse(source).links


def test_each_statistic_page_has_a_chart_with_a_text_alternative_and_json_ld(built_site: Path) -> None:
    path = built_site / "statistics" / "detainers-declined-2019.html"
    page = parse(path)
    [svg] = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert svg["role"] == "img" and svg["aria-labelledby"] == "chart-text"
    assert "chart-text" in page.ids
    [script] = page.scripts
    document = json.loads(script)
    claims = [node for node in document["@graph"] if node["@type"] == "Claim"]
    assert sorted(c["identifier"] for c in claims) == ["blog-declined-1234", "county-declined-1234"]
    county = next(c for c in claims if c["identifier"] == "county-declined-1234")
    assert county["appearance"]["@type"] == "Report"
    assert county["appearance"]["name"] == "County Jail Report, 2019"
    assert county["url"] == "../sources/county-report.html#claim-county-declined-1234"


def test_two_builds_write_the_same_bytes(make_root: MakeRoot) -> None:
    first, second = make_root(), make_root()
    build(first)
    build(second)
    digest = tree_digest(first / "build" / "site")
    assert len(digest) > 5
    assert digest == tree_digest(second / "build" / "site")
    # and a build over an existing site replaces it whole
    (first / "build" / "site" / "stale.html").write_text("old", encoding="utf-8")
    build(first)
    assert tree_digest(first / "build" / "site") == digest


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_in_every_page(make_root: MakeRoot) -> None:
    root = make_root()
    seed = (
        (FIXTURES / "base" / "seeds" / "blog-post.txt")
        .read_bytes()
        .replace(b"over three years.", f"over three years. </blockquote></script>{HOSTILE} and 7 more.".encode())
    )
    replace_seed(root, "blog-post.txt", seed)
    set_cell(root, SOURCES, 3, "title", f"Released {HOSTILE}")
    set_cell(root, SOURCES, 3, "publisher", f"Blog </script>{HOSTILE}")
    set_cell(root, STATISTICS, 6, "description", f"Detainees {HOSTILE}")
    set_cell(
        root,
        CLAIMS,
        6,
        "quote",
        f"tens of thousands of released detainees over three years. </blockquote></script>{HOSTILE}",
    )
    set_cell(root, CLAIMS, 6, "note", f"A note {HOSTILE}")
    # Every number of a source is claimed or excluded: those the hostile text adds are excluded.
    for number in ("1", "7"):
        add_row(root, EXCLUSIONS, source_id="blog-post", text=number, occurrence="1", reason="not-a-statistic")
    build(root)
    site = root / "build" / "site"
    for path in pages_of(site):
        page = parse(path)
        html = path.read_text(encoding="utf-8")
        assert "<img" not in html and "onerror=alert(1)>" not in html, path.name
        for tag, attrs in page.tags:
            assert tag != "img", path.name
            assert not any(name.startswith("on") for name in attrs), (path.name, tag, attrs)
            if tag == "script":
                assert attrs == {"type": "application/ld+json"}, path.name
        for script in page.scripts:
            json.loads(script)  # the JSON-LD is whole: no data closed its element
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Released &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in index
    statistic = (site / "statistics" / "released-detainees.html").read_text(encoding="utf-8")
    assert "A note &lt;script&gt;" in statistic
    assert json.loads(parse(site / "statistics" / "released-detainees.html").scripts[0])["@graph"][1]["text"].endswith(
        HOSTILE
    )
    source = (site / "sources" / "blog-post.html").read_text(encoding="utf-8")
    assert "&lt;/blockquote&gt;&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)" in source


def test_fidelity_primary_readings_and_relations_are_shown(make_root: MakeRoot) -> None:
    root = make_root()
    for column, value in (("primary_value", "1234"), ("primary_qualifier", "exact"), ("primary_locator", "table 2")):
        set_cell(root, STATISTICS, 2, column, value)
    add_row(
        root, RELATIONS, relation_id="declined-in-docket", relation="part_of",
        statistic_id="detainers-declined-2019", operands="docket-2017-06",
    )  # fmt: skip
    build(root)
    statistic = (root / "build" / "site" / "statistics" / "detainers-declined-2019.html").read_text(encoding="utf-8")
    assert "<dt>Primary reading</dt><dd>exact 1,234</dd>" in statistic
    assert '<span class="badge bad">Reframed</span>' in statistic
    assert '<span class="badge good">Faithful</span>' in statistic
    assert "<dt>Hedge</dt><dd>kept</dd>" in statistic
    assert (
        "is part of <a" in statistic
        and "county-report inconsistent: the periods; primary readings incomplete" in statistic
    )
    index = (root / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "county-report: inconsistent: the periods; primary readings: incomplete" in index
    assert "Citations by fidelity to the primary reading: Faithful: 1; Reframed: 1;" in index


def test_overlapping_spans_nest_and_escape() -> None:
    html = render(
        "a<b c&d e", [Span(0, 5, "quote", "x", anchor="claim-x"), Span(2, 9, "quote", "y"), Span(2, 3, "value", "y")]
    )
    assert html == (
        '<span class="quote" id="claim-x">a&lt;</span>'
        '<span class="quote"><span class="quote"><mark class="value">b</mark></span></span>'
        '<span class="quote"><span class="quote"> c</span></span>'
        '<span class="quote">&amp;d e</span>'
    )


def test_page_names_and_links_refuse_what_is_not_safe() -> None:
    assert page_name("oig-detainers-declined") == "oig-detainers-declined.html"
    with pytest.raises(ValueError, match="not a slug"):
        page_name("../outside")
    assert web_url("https://example.org/a") == "https://example.org/a"
    assert web_url("javascript:alert(1)") is None


def test_a_site_link_leading_outside_is_replaced_not_followed(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("kept", encoding="utf-8")
    (root / "build").mkdir()
    (root / "build" / "site").symlink_to(outside)
    build(root)
    assert not (root / "build" / "site").is_symlink()
    assert (root / "build" / "site" / "index.html").is_file()
    assert [p.name for p in outside.iterdir()] == ["keep.txt"]


def test_an_open_primary_reading_is_a_band_to_the_charts_edge(make_root: MakeRoot) -> None:
    """ "more than 1,234" is drawn from 1,234 to the margin where open ends stop, not as a line of no width."""
    root = make_root()
    for column, value in (("primary_value", "1234"), ("primary_qualifier", "more_than"), ("primary_locator", "p. 2")):
        set_cell(root, STATISTICS, 2, column, value)
    build(root)
    with connect(root / "build" / "claims.duckdb") as con:
        statistic = gather(Database(con)).statistics["detainers-declined-2019"]
    spec = chart_spec(statistic, {})
    assert spec is not None
    values = spec["vconcat"][0]["layer"]
    band = next(layer for layer in values if layer["mark"]["type"] == "rect")
    rows = spec["datasets"][band["data"]["name"]]
    citations = spec["datasets"][values[0]["data"]["name"]]
    assert rows[0]["low"] == 1234.0
    assert rows[0]["high"] > max(1234.0, *(c["high"] for c in citations))


@pytest.mark.parametrize("end", ["9999", "9999-12", "9999-12-31"])
def test_a_period_ending_on_the_last_day_a_date_holds_is_drawn(make_root: MakeRoot, end: str) -> None:
    """Whatever check accepts, build builds: the chart draws a period to the day after its end."""
    root = make_root()
    for column, value in (("primary_value", "1234"), ("primary_qualifier", "exact"), ("primary_locator", "p. 2")):
        set_cell(root, STATISTICS, 2, column, value)
    set_cell(root, STATISTICS, 2, "primary_period_start", "2019")
    set_cell(root, STATISTICS, 2, "primary_period_end", end)
    set_cell(root, CLAIMS, 2, "period_end", end)
    build(root)
    assert (root / "build" / "site" / "statistics" / "detainers-declined-2019.html").is_file()
