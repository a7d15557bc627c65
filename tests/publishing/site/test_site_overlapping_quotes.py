"""Overlapping quotes on a source page: one mark of each kind a piece of text, not one per quote.

4,000 claims of one seed, each quoting 285 words from its own word on, nested 285 quote marks
around every word: `claims build` took 128 s and 4.2 GB and wrote a 190 MB page. The marks of
one kind look alike, so a piece covered by many quotes is marked once, and only the first piece of
each quote carries its id (for the links that land on it): the page grows with the text and the
claims, not with their product.
"""

from __future__ import annotations

from html.parser import HTMLParser

from conftest import MakeRoot
from markupsafe import Markup
from roots import CLAIMS, FIXTURES, add_row, replace_seed

from validate.publishing.build import build
from validate.publishing.site.highlight import MAX_NESTED_IDS, Span, render

_KIND = {("span", "quote"): "quote", ("span", "excluded"): "excluded", ("mark", "value"): "value"}


class Marks(HTMLParser):
    """Reads highlighted HTML back: the kinds of mark over each character of the text, the deepest
    nest of marks, where each id opens and where each link or reason set after a span stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.kinds: list[frozenset[str]] = []  # per character of the text
        self.ids: dict[str, tuple[int, str]] = {}  # id -> (offset it opens at, its kind)
        self.after: list[tuple[int, str]] = []  # (offset, what) of each link or reason after a span
        self.depth = 0
        self._stack: list[str | None] = []
        self._after: list[str] = []  # the open tags of the link or reason being read
        self._after_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._after or tag == "a" or found.get("class") == "reason":
            self._after.append(tag)
            return
        kind = _KIND.get((tag, str(found.get("class"))))
        self._stack.append(kind)
        self.depth = max(self.depth, len(self._stack))
        if found.get("id"):
            self.ids[str(found["id"])] = (len(self.text), str(kind))

    def handle_endtag(self, tag: str) -> None:
        if self._after:
            self._after.pop()
            if not self._after:
                self.after.append((len(self.text), self._after_text))
            return
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._after:
            self._after_text = data
            return
        kinds = frozenset(k for k in self._stack if k is not None)
        self.text.extend(data)
        self.kinds.extend([kinds] * len(data))


def read(html: str) -> Marks:
    marks = Marks()
    marks.feed(html)
    marks.close()
    return marks


def overlapping(words: int, width: int) -> tuple[str, list[Span]]:
    """`words` words (some holding characters HTML treats specially), claim i quoting `width` words
    from word i, its value the word i, as the recipe of the 190 MB page did; an excluded word
    every tenth."""
    tokens = [f"<{100000 + i}&\"'" if i % 7 == 0 else str(100000 + i) for i in range(words)]
    starts = []
    offset = 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    text = " ".join(tokens)
    spans: list[Span] = []
    for i, token in enumerate(tokens):
        end = starts[min(i + width, words) - 1] + len(tokens[min(i + width, words) - 1])
        spans.append(Span(starts[i], end, "quote", f"c{i}", anchor=f"claim-c{i}"))
        link = Markup('<a class="to-claim" href="#s{}">s{}</a>').format(i, i)
        spans.append(Span(starts[i], starts[i] + len(token), "value", f"c{i}", after=link))
        if i % 10 == 5:
            reason = Markup('<span class="reason">[not a claim: date]</span>')
            spans.append(Span(starts[i] + 1, starts[i] + 4, "excluded", "date", after=reason))
    return text, spans


def test_a_piece_under_many_quotes_is_marked_once_with_what_covers_it() -> None:
    words, width = 400, 60
    text, spans = overlapping(words, width)
    html = str(render(text, spans))
    marks = read(html)
    # The text comes back whole, escaped (the parser unescapes what render escaped) ...
    assert "".join(marks.text) == text
    assert "&lt;100000&amp;&#34;&#39;" in html
    # ... each character under one mark of each kind of span that covers it, and no other ...
    expected = [frozenset(s.kind for s in spans if s.start <= position < s.end) for position in range(len(text))]
    assert marks.kinds == expected
    # ... marks nested no deeper than one of each kind (one quote starts at each word here) ...
    assert marks.depth <= 3, marks.depth
    # ... each quote's id on its first piece, and each link or reason right after its span.
    assert marks.ids == {s.anchor: (s.start, "quote") for s in spans if s.anchor}
    after = [(s.end, f"s{s.key[1:]}" if s.kind == "value" else "[not a claim: date]") for s in spans if s.after]
    assert marks.after == sorted(after, key=lambda a: a[0])
    # The size is the text's and the spans', not their product: 400 words by 60 quotes each were
    # 1.3 MB of nested marks.
    assert len(html) < 2 * len(text) + 120 * len(spans), len(html)


def test_quotes_starting_together_each_keep_their_id() -> None:
    # Two claims sharing one quote (as the real articles' do) each need their id, for the links.
    spans = [
        Span(0, 9, "quote", "a", anchor="claim-a"),
        Span(0, 9, "quote", "b", anchor="claim-b"),
        Span(0, 12, "quote", "c"),
        Span(4, 5, "value", "a", after=Markup("<a>a</a>")),
        Span(4, 5, "value", "b", after=Markup("<a>b</a>")),
    ]
    assert render("a<b 7 c&d e f", spans) == (
        '<span class="quote" id="claim-a"><span class="quote" id="claim-b">a&lt;b </span></span>'
        '<span class="quote"><mark class="value">7</mark></span><a>a</a><a>b</a>'
        '<span class="quote"> c&amp;d</span>'
        '<span class="quote"> e </span>'
        "f"
    )


def test_quotes_starting_together_nest_their_ids_no_deeper_than_a_bound() -> None:
    # 3,000 claims quoting from one word on nested 3,000 elements, one id each: past 512 a
    # browser's parser stops nesting and moves what follows. Past MAX_NESTED_IDS, each id stands on
    # an empty anchor at the same place, so every link still lands on the passage.
    count = 3000
    text = "The jail declined 1,234 requests, and 56 more."
    spans = [Span(0, len(text) - i % 20, "quote", f"c{i}", anchor=f"claim-c{i:04d}") for i in range(count)]
    spans.append(Span(18, 23, "value", "c0", after=Markup('<a class="to-claim" href="#s0">s0</a>')))
    html = str(render(text, spans))
    marks = read(html)
    assert "".join(marks.text) == text
    expected = [frozenset(s.kind for s in spans if s.start <= position < s.end) for position in range(len(text))]
    assert marks.kinds == expected
    assert marks.depth <= MAX_NESTED_IDS + 1, marks.depth  # the quotes' ids, then a value or an empty anchor
    assert {anchor: offset for anchor, (offset, _) in marks.ids.items()} == {s.anchor: 0 for s in spans if s.anchor}
    assert html.count('<span class="anchor" id="claim-c') == count - MAX_NESTED_IDS
    assert len(html) < len(text) + 60 * count, len(html)


def test_a_source_of_overlapping_quotes_builds_a_page_the_size_of_its_text(make_root: MakeRoot) -> None:
    # The recipe of the 190 MB page, small: 60 claims of one seed, each quoting 30 words.
    claims, width = 60, 30
    root = make_root()
    tokens = [str(100000 + i) for i in range(claims)]
    original = (FIXTURES / "base" / "seeds" / "blog-post.txt").read_bytes()
    replace_seed(root, "blog-post.txt", original + ("\n" + " ".join(tokens) + "\n").encode())
    for i, token in enumerate(tokens):
        add_row(
            root, CLAIMS, claim_id=f"blog-word-{i:03d}", source_id="blog-post",
            statistic_id="detainers-declined-2019", quote=" ".join(tokens[i : i + width]),
            value_text=token, value=token, qualifier="exact", counted_as=token, meaning="same",
        )  # fmt: skip
    build(root)
    html = (root / "build" / "site" / "sources" / "blog-post.html").read_text(encoding="utf-8")
    archived = html.split('<div class="archived" role="region" aria-labelledby="text" tabindex="0">')[1]
    archived = archived.split("</div>")[0]
    marks = read(archived)
    assert marks.depth <= 2, marks.depth  # a quote and its value; was 30 quotes deep
    for i, token in enumerate(tokens):
        start = "".join(marks.text).index(token)
        assert marks.ids[f"claim-blog-word-{i:03d}"] == (start, "quote")
        assert marks.kinds[start] == {"quote", "value"}
    # Every claim's quote mark and value link, and little else a claim: was 120 KB of nested marks.
    assert len(archived) < len(original) + 2 * len(" ".join(tokens)) + 400 * claims, len(archived)
