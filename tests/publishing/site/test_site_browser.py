"""The readers' site in a real browser: the distribution's headless chromium, driven by Playwright.

Skipped, with the reason, only where chromium is not installed and CI is not set; in CI
(CI=true, where .ci/run installs it) a missing browser fails the tests.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from roots import (
    CLAIMS,
    FIXTURES,
    SOURCES,
    STATISTICS,
    add_row,
    build_root,
    real_root,
    replace_seed,
    sentences_of_their_own,
    set_cell,
)

from validate.publishing.build import build
from validate.publishing.site.data import connect
from validate.publishing.site.highlight import MAX_NESTED_IDS
from validate.text.normalise import normalise

# Debian's chromium by default (.ci/run installs it); another Chromium-based browser by its path,
# e.g. the google-chrome that GitHub's runners carry.
CHROMIUM = Path(os.environ.get("CLAIMS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DECLINED = "oig-detainers-declined"
# A citation's link to its passage, named with its number (four alike on a page read as one).
PASSAGE_LINK = re.compile(r"^Read passage \d+ in the archived source$")

if not CHROMIUM.is_file():
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{CHROMIUM} is missing: .ci/run installs Debian's chromium for these tests "
            "(or set CLAIMS_CHROMIUM to another Chromium-based browser)",
            pytrace=False,
        )
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium) to run the site in a browser", allow_module_level=True
    )

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the five real articles' ledger (frozen in tests/fixtures/real)."""
    root = real_root(tmp_path_factory.mktemp("real") / "root")
    build(root)
    return root / "build" / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


class Watched:
    """A page with every request outside file:// refused and recorded, and every console error kept."""

    def __init__(self, browser: Browser, width: int = 1200, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.context.close()


def _claims_of(site: Path, statistic_id: str) -> list[tuple[str, str, str]]:
    con = connect(site.parent / "claims.duckdb")
    try:
        rows = con.execute(
            "SELECT claim_id, source_id, quote FROM claims WHERE statistic_id = ? ORDER BY claim_id", [statistic_id]
        ).fetchall()
    finally:
        con.close()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def test_every_page_loads_with_no_error_and_no_request_outside(site: Path, watched: Watched) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3
    for path in pages:
        watched.page.goto(path.as_uri())
        assert watched.page.locator("h1").count() == 1, path.name
    assert watched.errors == []
    assert watched.outside == []


def test_served_over_http_every_page_loads_with_no_error_and_nothing_missing(site: Path, browser: Browser) -> None:
    # docs/site.md suggests python -m http.server: a browser then also asks for what file://
    # never fetches (the site's icon), and a 404 is a console error.
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    errors: list[str] = []
    failed: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        # One page of each kind (networkidle waits half a second a page).
        for name in (
            "index.html",
            f"statistics/{DECLINED}.html",
            next(site.glob("sources/*.html")).relative_to(site).as_posix(),
        ):
            page.goto(base + name)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert failed == []
    assert errors == []


def test_the_declined_detainers_page_shows_all_its_citations_and_its_chart(
    site: Path, watched: Watched, tmp_path: Path
) -> None:
    claims = _claims_of(site, DECLINED)
    assert len(claims) > 1
    page = watched.page
    page.goto((site / "statistics" / f"{DECLINED}.html").as_uri())
    citations = page.locator("article.citation")
    assert sorted(citations.evaluate_all("els => els.map(e => e.id)")) == [f"claim-{c}" for c, _, _ in claims]
    for claim_id, _, _ in claims:
        assert page.locator(f"#claim-{claim_id} mark.value").is_visible()
    # One image to assistive technology (the chart of the other layout is hidden from it too).
    chart = page.locator("figure").get_by_role("img")
    assert chart.count() == 1 and chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    assert page.locator("#chart-text li").count() == len(claims) + 1
    page.screenshot(path=tmp_path / "statistic.png", full_page=True)
    assert watched.errors == [] and watched.outside == []


def _passage_from(page: Page, anchor: str) -> str:
    """The text of the source page from the anchored element on, without the links and reasons set into it."""
    return str(
        page.evaluate(
            """id => {
                const el = document.getElementById(id);
                const range = document.createRange();
                range.setStartBefore(el);
                range.setEndAfter(el.closest('.archived').lastChild);
                const copy = range.cloneContents();
                copy.querySelectorAll('.to-claim, .reason').forEach(e => e.remove());
                return copy.textContent;
            }""",
            anchor,
        )
    )


def test_links_between_statistic_and_source_pages_land_on_the_passage(site: Path, watched: Watched) -> None:
    page = watched.page
    statistic_page = (site / "statistics" / f"{DECLINED}.html").as_uri()
    for claim_id, source_id, quote in _claims_of(site, DECLINED):
        page.goto(statistic_page)
        # Followed from the keyboard, as a reader without a mouse does.
        page.locator(f"#claim-{claim_id}").get_by_role("link", name=PASSAGE_LINK).press("Enter")
        assert page.url == (site / "sources" / f"{source_id}.html").as_uri() + f"#claim-{claim_id}"
        target = page.locator(":target")
        assert target.get_attribute("class") == "quote"
        assert target.is_visible()
        if claim_id != "blog-declined-1234":
            assert normalise(_passage_from(page, f"claim-{claim_id}")).startswith(normalise(quote))
        # and from the marked number back to the citation
        page.locator(f'a.to-claim[href$="#claim-{claim_id}"]').press("Enter")
        assert page.url == statistic_page + f"#claim-{claim_id}"
        assert page.locator(":target").get_attribute("id") == f"claim-{claim_id}"
    assert watched.errors == [] and watched.outside == []


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(site: Path, watched: Watched) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Skip to content"
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_axe_reports_no_serious_or_critical_violation(site: Path, watched: Watched, tmp_path: Path) -> None:
    axe = Axe()
    kinds = {
        "index": site / "index.html",
        "statistic": site / "statistics" / f"{DECLINED}.html",
        "source": next(iter(sorted((site / "sources").glob("*.html")))),
    }
    found = []
    for kind, path in kinds.items():
        watched.page.goto(path.as_uri())
        results = axe.run(watched.page)
        found += [
            (kind, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        watched.page.screenshot(path=tmp_path / f"{kind}.png", full_page=True)
    assert found == []
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["index.png", "source.png", "statistic.png"]


def test_a_phone_sized_viewport_needs_no_sideways_scroll(site: Path, browser: Browser, tmp_path: Path) -> None:
    w = Watched(browser, width=390, height=844)
    try:
        for path in (site / "index.html", site / "statistics" / f"{DECLINED}.html"):
            w.page.goto(path.as_uri())
            overflow = w.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, path.name
        w.page.screenshot(path=tmp_path / "statistic-phone.png", full_page=True)
        assert w.errors == [] and w.outside == []
    finally:
        w.context.close()


def _shown_charts(page: Page) -> list[dict[str, float]]:
    """Each chart the page shows: its layout, its drawn width and the width it was drawn for."""
    return list(
        page.locator("figure svg[role=img]").evaluate_all(
            """els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => ({
                layout: e.parentElement.className,
                shown: e.getBoundingClientRect().width,
                drawn: Number(e.getAttribute('width')),
            }))"""
        )
    )


def test_a_phone_shows_its_own_chart_at_its_size_and_says_a_table_scrolls(site: Path, browser: Browser) -> None:
    # The one chart, 743 pixels wide, was shrunk to a phone's 343: its labels 5 pixels high.
    # Wide tables scrolled sideways with nothing to say so.
    statistic, index = site / "statistics" / f"{DECLINED}.html", site / "index.html"
    for width, layout in ((390, "chart-narrow"), (1200, "chart-wide")):
        w = Watched(browser, width=width, height=844)
        try:
            w.page.goto(statistic.as_uri())
            [chart] = _shown_charts(w.page)
            assert chart["layout"] == layout, width
            assert chart["shown"] == pytest.approx(chart["drawn"], abs=1), chart  # not shrunk
            w.page.goto(index.as_uri())
            wraps = w.page.locator(".table-wrap")
            assert wraps.count() > 0
            for i in range(wraps.count()):
                wrap = wraps.nth(i)
                hint = wrap.locator("xpath=preceding-sibling::*[1]")
                wider = wrap.evaluate("e => e.scrollWidth > e.clientWidth")
                assert hint.get_attribute("class") == "scroll-hint"
                assert hint.is_visible() == (width < 640), (width, i)
                assert not wider or width < 640, (width, i)  # a desktop's tables fit
            assert w.errors == [] and w.outside == []
        finally:
            w.context.close()


# A base character under 400 combining acute accents: one grapheme as wide as the letter, but the
# accents stack far above it, and the contract pins a text's length, not its marks.
STACKED = "a" + "\u0301" * 400


@pytest.fixture(scope="module")
def stacked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base fixture's site with stacked accents in a title, a publisher, a description, a note
    and the archived text."""
    root = build_root(tmp_path_factory.mktemp("stacked") / "root")
    seed = (FIXTURES / "base" / "seeds" / "blog-post.txt").read_bytes() + f"Signed {STACKED}.\n".encode()
    replace_seed(root, "blog-post.txt", seed)
    set_cell(root, SOURCES, 3, "title", f"Released {STACKED} detainees")
    set_cell(root, SOURCES, 3, "publisher", f"Blog {STACKED[:150]}")
    set_cell(root, STATISTICS, 6, "description", f"Detainees {STACKED}")
    set_cell(root, CLAIMS, 6, "note", f"A note {STACKED}")
    build(root)
    return root / "build" / "site"


def _ink_stays_in_its_box(page: Page, selector: str) -> None:
    """The element's accents paint nothing outside its box (and a margin of half its font size):
    the page outside it looks the same once the accents are taken out of it."""
    element = page.locator(selector).first
    box = element.bounding_box()
    # The box and its margin covered in white, in both pictures: what the accents paint there is
    # the element's own business.
    page.evaluate(
        """selector => {
            const el = document.querySelector(selector);
            const r = el.getBoundingClientRect();
            const m = parseFloat(getComputedStyle(el).fontSize) / 2;
            const cover = document.createElement('div');
            cover.id = 'ink-cover';
            Object.assign(cover.style, {position: 'absolute', background: '#fff', zIndex: 10,
                left: `${r.left + scrollX - m}px`, top: `${r.top + scrollY - m}px`,
                width: `${r.width + 2 * m}px`, height: `${r.height + 2 * m}px`});
            document.body.append(cover);
        }""",
        selector,
    )
    with_accents = page.screenshot(full_page=True)
    page.evaluate(
        """selector => {
            const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) walker.currentNode.data = walker.currentNode.data.replaceAll('\u0301', '');
        }""",
        selector,
    )
    assert element.bounding_box() == box, selector  # the accents took no room: only their ink can differ
    assert page.screenshot(full_page=True) == with_accents, selector
    page.evaluate("document.getElementById('ink-cover').remove()")


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("sources/blog-post.html", "h1"),
        ("sources/blog-post.html", "dl.facts dd"),
        ("sources/blog-post.html", ".archived"),
        ("statistics/released-detainees.html", "h3"),
        ("statistics/released-detainees.html", "h1"),  # the description
        ("statistics/released-detainees.html", "article.citation dl.facts dd:last-of-type"),
        ("index.html", "#sources + .scroll-hint + .table-wrap tbody tr:first-child td"),
        ("index.html", "#sources + .scroll-hint + .table-wrap tbody tr:first-child td:nth-child(2)"),
    ],
)
def test_stacked_accents_stay_inside_the_box_of_their_text(
    stacked_site: Path, watched: Watched, path: str, selector: str
) -> None:
    page = watched.page
    page.goto((stacked_site / path).as_uri())
    assert "\u0301" * 100 in page.locator(selector).first.inner_text(), selector  # the data as it is, accents and all
    _ink_stays_in_its_box(page, selector)
    assert watched.errors == [] and watched.outside == []


def test_every_claim_of_a_passage_many_quote_from_one_place_is_reached_and_outlined(
    tmp_path: Path, watched: Watched
) -> None:
    # Past MAX_NESTED_IDS claims quoting from one place, an id stands on an empty anchor in the
    # passage: a link to it still lands on the passage, and the passage is outlined.
    root = build_root(tmp_path / "root")
    # Twelve quotes that start together, each a word longer (one citation is one claim: twelve of
    # one quote would be one claim twelve times).
    tail = " in the long dry summer of that hard and bitter year"
    [sentence] = sentences_of_their_own(root, "blog-post", "The {} jail declined 1,234 requests" + tail + ".", 1)
    quote = sentence.removesuffix(tail + ".")
    words = tail.split()
    quotes = [" ".join([quote, *words[:k]]) for k in range(len(words) + 1)]
    ids = [f"blog-same-{n:02d}" for n in range(len(quotes))]
    for claim_id, own in zip(ids, quotes, strict=True):
        add_row(
            root, CLAIMS, claim_id=claim_id, source_id="blog-post", statistic_id="detainers-declined-2019",
            quote=own, value_text="1,234", value="1234", qualifier="exact", counted_as="requests",
            meaning="differs", differs_in="entity",
        )  # fmt: skip
    build(root)
    site = root / "build" / "site"
    source = (site / "sources" / "blog-post.html").read_text(encoding="utf-8")
    assert source.count('<span class="anchor" id="claim-') == len(ids) - MAX_NESTED_IDS
    page = watched.page
    statistic_page = (site / "statistics" / "detainers-declined-2019.html").as_uri()
    for claim_id in ("blog-declined-1234", *ids):
        page.goto(statistic_page)
        page.locator(f"#claim-{claim_id}").get_by_role("link", name=PASSAGE_LINK).press("Enter")
        assert page.url == (site / "sources" / "blog-post.html").as_uri() + f"#claim-{claim_id}"
        assert page.locator(":target").get_attribute("id") == f"claim-{claim_id}"
        outlined = page.locator(":target").evaluate(
            "e => { const q = e.closest('.quote'); const r = q.getBoundingClientRect();"
            " return [getComputedStyle(q).outlineStyle, r.width > 0 && r.height > 0, r.top >= 0 && r.top < innerHeight]; }"
        )
        assert outlined == ["solid", True, True], claim_id
        if claim_id != "blog-declined-1234":
            assert normalise(_passage_from(page, f"claim-{claim_id}")).startswith(normalise(quote))
    assert watched.errors == [] and watched.outside == []
