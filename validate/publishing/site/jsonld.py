"""schema.org markup (JSON-LD) of a statistic's citations: each a Claim, with the article it appears in."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from validate.publishing.site.content import Source, Statistic
from validate.render import json_safe

# schema.org's types for the kinds of source the contract names.
_WORK_TYPES = {
    "news": "NewsArticle",
    "opinion": "OpinionNewsArticle",
    "blog": "BlogPosting",
    "aggregator": "Article",
    "government-report": "Report",
    "press-release": "Article",
}


def _work(source: Source, page: str) -> dict[str, Any]:
    row = source.row
    work: dict[str, Any] = {
        "@type": _WORK_TYPES.get(str(row.get("kind")), "CreativeWork"),
        "@id": page,
        "name": row.get("title"),
        "publisher": {"@type": "Organization", "name": row.get("publisher")},
    }
    if row.get("author"):
        work["author"] = {"@type": "Person", "name": row["author"]}
    if row.get("published"):
        work["datePublished"] = row["published"]
    if row.get("url"):
        work["sameAs"] = row["url"]
    return work


def statistic_graph(statistic: Statistic, sources: dict[str, Source]) -> dict[str, Any]:
    """The JSON-LD document of a statistic page: the statistic, and a Claim per citation it shows."""
    variable: dict[str, Any] = {
        "@type": "StatisticalVariable",
        "@id": "#statistic",
        "name": statistic.id,
        "description": statistic.row.get("description"),
    }
    if statistic.row.get("primary_source"):
        variable["sourceOrganization"] = {"@type": "Organization", "name": statistic.row["primary_source"]}
    graph: list[dict[str, Any]] = [variable]
    for claim in statistic.shown_claims:
        source = sources[claim["source_id"]]
        page = f"../sources/{source.id}.html"
        graph.append(
            {
                "@type": "Claim",
                "@id": f"#claim-{claim['claim_id']}",
                "identifier": claim["claim_id"],
                "text": claim["quote"],
                "about": {"@id": "#statistic"},
                "appearance": _work(source, f"{page}#claim-{claim['claim_id']}"),
                "url": f"{page}#claim-{claim['claim_id']}",
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def script_text(document: dict[str, Any]) -> Markup:
    """`document` as the body of a <script type="application/ld+json">: no data can close the element."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # In a script element only "</" and "<!--" end or confuse it; escaping every <, > and & in JSON
    # strings is the usual safe form and keeps the JSON equal once parsed.
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    # Line separators, C1 and bidi controls as \u escapes (json_safe): the same JSON once parsed,
    # and nothing left for the page's finalize to rewrite (pages.shown).
    return Markup(json_safe(text))
