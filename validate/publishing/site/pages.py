"""Renders the site's pages from the gathered content with Jinja2 (autoescaped) and writes them to a folder."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from validate.publishing.site import charts, jsonld, words
from validate.publishing.site import content as content_module
from validate.publishing.site.content import Content, Source, Statistic
from validate.publishing.site.highlight import SourceText, Span, find_in, render, value_span
from validate.publishing.site.shown import shown

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Page names come from keys the check has already held to the contract's slug pattern; this is
# the last guard before one becomes a file name.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def page_name(key: str) -> str:
    """The file name of the page of a statistic or source id."""
    if not _SLUG.fullmatch(key):
        raise ValueError(f"{key!r} is not a slug and cannot name a page")
    return f"{key}.html"


def web_url(url: object) -> str | None:
    """`url` if it is an http(s) address (the only kind the contract allows), else None: no javascript: link."""
    text = str(url or "")
    return text if re.match(r"https?://", text, re.IGNORECASE) else None


def environment() -> Environment:
    """The Jinja2 environment of the site: every value escaped unless the code marked it safe, and
    shown (above)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        words=words,
        page_name=page_name,
        web_url=web_url,
        citation_query=content_module.citation_query,
        source_claim_query=content_module.source_claim_query,
        relation_query=content_module.relation_query,
        max_checks=content_module.MAX_CHECKS,
        max_relations=content_module.MAX_RELATIONS,
        max_listed_relations=content_module.MAX_LISTED_RELATIONS,
    )
    return env


def _quote_html(claim: dict[str, Any], text: str) -> Markup:
    """The claim's passage as the source prints it, its value marked; the contributed quote if unplaced."""
    start, end = claim.get("quote_start"), claim.get("quote_end")
    if start is not None and end is not None:
        passage = text[start:end]
        spot = value_span(text, start, end, claim["value_text"])
        spans = [] if spot is None else [Span(spot[0] - start, spot[1] - start, "value", claim["claim_id"])]
        return render(passage, spans)
    quote = str(claim["quote"])
    found = find_in(quote, claim["value_text"])
    return render(quote, [] if found is None else [Span(found[0], found[1], "value", claim["claim_id"])])


def _source_html(source: Source, statistics: dict[str, Statistic]) -> Markup:
    """A source's archived text with every quote, claimed value and excluded number marked."""
    text = source.text
    spans: list[Span] = []
    for claim in source.claims:
        start, end = claim.get("quote_start"), claim.get("quote_end")
        if start is None or end is None:
            continue
        claim_id = claim["claim_id"]
        spans.append(Span(start, end, "quote", claim_id, anchor=f"claim-{claim_id}"))
        spot = value_span(text, start, end, claim["value_text"])
        if spot is not None:
            statistic = statistics[claim["statistic_id"]]
            # A citation past those its statistic's page shows links to the page's word on the rest.
            target = f"claim-{claim_id}" if claim["shown"] else "more-citations"
            # Marked as its exclusions are ("[not a claim: duration]"), in words a reader follows: how
            # the citation keeps the number, what the statistic counts on hover (the id is a slug).
            label = words.label(claim["label"]).lower() if claim.get("label") is not None else None
            link = Markup(
                '<a class="to-claim" href="../statistics/{page}#{target}" title="{what}">[claim{label}]</a>'
            ).format(
                page=page_name(statistic.id),
                target=target,
                what=words.clipped(str(statistic.row.get("description") or statistic.id)),
                label=f": {label}" if label else "",
            )
            spans.append(Span(spot[0], spot[1], "value", claim_id, after=link))
    excluded = SourceText(text)
    for exclusion in source.exclusions:
        occurrence = exclusion.get("occurrence")
        found = excluded.excluded(str(exclusion["text"] or ""), int(occurrence) if occurrence is not None else 0)
        if found is not None:
            reason = Markup('<span class="reason">[not a claim: {}]</span>').format(
                str(exclusion.get("reason") or "").replace("-", " ")
            )
            spans.append(Span(found[0], found[1], "excluded", str(exclusion.get("reason")), after=reason))
    return render(text, spans)


def render_pages(content: Content) -> Iterator[tuple[str, bytes]]:
    """Every page of the site with its path relative to the site folder, one at a time: the site
    is written as it is made, never held whole (each page's lists are capped, the site is not)."""
    env = environment()
    titles = {s.id: str(s.row.get("title") or s.id) for s in content.sources.values()}
    common = {"content": content, "titles": titles}
    label_counts = Counter(str(c.get("label")) for s in content.statistics.values() for c in s.claims)
    index = env.get_template("index.html").render(**common, root="", label_counts=sorted(label_counts.items()))
    yield "index.html", index.encode("utf-8")
    for statistic in content.statistics.values():
        chart = charts.render_layouts(statistic, titles, "chart-text") if statistic.charted else None
        page = env.get_template("statistic.html").render(
            **common,
            root="../",
            statistic=statistic,
            chart=chart,
            max_charts=content_module.MAX_CHARTS,
            max_charted_citations=content_module.MAX_CHARTED_CITATIONS,
            chart_text=charts.text_alternative(statistic, titles),
            quotes={
                c["claim_id"]: _quote_html(c, content.sources[c["source_id"]].text) for c in statistic.shown_claims
            },
            jsonld=jsonld.script_text(jsonld.statistic_graph(statistic, content.sources)),
        )
        yield f"statistics/{page_name(statistic.id)}", page.encode("utf-8")
    for source in content.sources.values():
        page = env.get_template("source.html").render(
            **common,
            root="../",
            source=source,
            text=_source_html(source, content.statistics),
            labels=sorted(source.labels.items()),
        )
        yield f"sources/{page_name(source.id)}", page.encode("utf-8")
