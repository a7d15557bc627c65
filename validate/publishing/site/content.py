"""What the pages show, gathered from the database once: statistics, citations, sources and their ties."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from validate.paths import SITE_SQL_DIR, read_sql
from validate.publishing.site import words
from validate.publishing.site.data import Database, Row


@dataclass
class Statistic:
    """A statistic with its agreement and its citations."""

    row: Row
    agreement: Row
    claims: list[Row] = field(default_factory=list)
    conflicts: list[Row] = field(default_factory=list)
    # How many pairs claim_conflicts has for the statistic; the site shows MAX_CONFLICTS of them.
    n_conflicts: int = 0
    relations: list[Row] = field(default_factory=list)
    # How many of its relations its page lists: up to MAX_RELATIONS, within the site's
    # MAX_LISTED_RELATIONS (see `allot_relations`).
    n_listed_relations: int = 0
    # Whether the build draws its chart: the first MAX_CHARTS statistics with a citation, by
    # citations (see `charted`). A page without one still gives the chart's sentences.
    charted: bool = False

    @property
    def id(self) -> str:
        return str(self.row["statistic_id"])

    @property
    def departures(self) -> list[tuple[str, int]]:
        """Its citations that depart from the primary reading (or, reframed, from its meaning), by
        label, the most serious first: how the number changed as it travelled."""
        counts = Counter(str(c.get("label")) for c in self.claims)
        return [(code, counts[code]) for code in words.DEPARTURES if counts[code]]

    @property
    def shown_claims(self) -> list[Row]:
        """The citations its page shows and charts: the first MAX_CITATIONS."""
        return self.claims[:MAX_CITATIONS]

    @property
    def shown_relations(self) -> list[Row]:
        """The relations its page lists, with their checks: the first n_listed_relations."""
        return self.relations[: self.n_listed_relations]


@dataclass
class Source:
    """A source with its archived text, its citations and the numbers deliberately left out."""

    row: Row
    summary: Row
    text: str
    claims: list[Row] = field(default_factory=list)
    exclusions: list[Row] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)

    @property
    def id(self) -> str:
        return str(self.row["source_id"])

    @property
    def shown_claims(self) -> list[Row]:
        """The citations its page's table lists: the first MAX_SOURCE_CLAIMS. Its archived text
        marks them all."""
        return self.claims[:MAX_SOURCE_CLAIMS]


# The pairs of disagreeing citations shown per statistic: n citations make up to n(n-1)/2 pairs
# (700 citations of one statistic wrote a 116 MB index). The rest are a query away.
MAX_CONFLICTS = 100
# The pairs the index lists, of all statistics together: each statistic's first MAX_CONFLICTS
# there made the index grow with the number of statistics (4,000 statistics of 15 citations, a
# pull request of 4 MB, wrote a 494 MB index). Each statistic's page lists its own.
MAX_INDEX_CONFLICTS = 100
# The citations a statistic's page shows and charts, in its order: 10,000 citations of one
# statistic took 48 s to chart and wrote a 19 MB page. The rest are a query away.
MAX_CITATIONS = 100
# The relations a statistic's page lists, in the relations' order (RELATION_ORDER), each with its checks: 40,000
# relations of one statistic wrote 34 MB of pages. The index lists as many of all the relations
# (40,000 made it 12.7 MB). The rest are a query away.
MAX_RELATIONS = 100
# The relations the statistic pages list between them: a relation is listed on the page of its
# statistic and of each operand, so 3,000 sums of 21 operands over 600 statistics (a pull request
# of 337 KB) listed 100 relations, each with its operands and checks, on every page: 46 MB of
# pages. The pages take their share in the order of the charts (see `allot_relations`); a page
# past the budget says so and gives the query.
MAX_LISTED_RELATIONS = 1000
# The operands a relation names where it is listed: 30 sums of 660 operands each, listed on each
# operand's page, wrote 335 MB of pages. The rest are counted; relations.csv names them all.
MAX_OPERANDS = 20
# The checks a relation shows where it is listed, in their order (CHECK_ORDER): one per source
# citing any member, so 100 sums of 660 operands and 500 sources wrote 646 MB of pages in 647 s
# and 5 GB. Only the shown ones are read from the database; the rest are counted, and the page
# gives the query that lists them all.
MAX_CHECKS = 20
# The statistics whose pages get a chart, the most cited first (ties in the index's order, by
# statistic_id), while the charts drawn stay within MAX_CHARTS and the citations they draw within
# MAX_CHARTED_CITATIONS. vl-convert renders a chart in about 0.035 s and 0.013 s more a citation,
# one call at a time (two threads take as long as one, and one call of many charts as long as
# many), so 1,000 statistics of one citation each took 80 s to build, and 100 of 100 citations
# would take 140 s. The rest give the chart's sentences without it.
MAX_CHARTS = 100
MAX_CHARTED_CITATIONS = 1000
# The citations a source page's table lists, in its order (SOURCE_CLAIM_ORDER): a source of
# 20,000 claims wrote a table of 20,000 rows. The rest are a query away.
MAX_SOURCE_CLAIMS = 100

# The orders of the lists a page cuts short, in SQL (site/sql/*.sql, which say why each is so),
# so that the `claims sql` query a page gives for the rest lists them in the page's order; each
# read as one line, as a page shows it, `{where}` narrowing it to one statistic or source.
CITATION_ORDER = read_sql("citation_order", SITE_SQL_DIR, one_line=True)
SOURCE_CLAIM_ORDER = read_sql("source_claim_order", SITE_SQL_DIR, one_line=True)
RELATION_ORDER = read_sql("relation_order", SITE_SQL_DIR, one_line=True)
CHECK_ORDER = read_sql("check_order", SITE_SQL_DIR, one_line=True)
# A statistic's disagreeing pairs, those between its lowest-numbered citations first: every pair
# of its first k citations before any pair with a later one, so a newcomer's pairs wait their turn
# with its citations.
CONFLICT_ORDER = ("greatest(a._number, b._number)", "least(a._number, b._number)", "k.reason")


def citation_query(statistic_id: str) -> str:
    """The `claims sql` query of a statistic's citations, numbered and in the order of its page."""
    return CITATION_ORDER.format(where=f" WHERE statistic_id = '{statistic_id}'")


def relation_query(statistic_id: str | None = None) -> str:
    """The `claims sql` query of the relations with their checks, in the order of the index, or of
    the page of the statistic `statistic_id` (those that name it)."""
    where = (
        ""
        if statistic_id is None
        else f" WHERE statistic_id = '{statistic_id}' OR list_contains(string_split(operands, ';'), '{statistic_id}')"
    )
    return (
        f"SELECT checks.*, place FROM ({CHECK_ORDER.format(where='')}) AS checks JOIN ({RELATION_ORDER}) "
        f"USING (relation_id){where} ORDER BY place, number"
    )


def source_claim_query(source_id: str) -> str:
    """The `claims sql` query of a source's citations, in the order of its page's table."""
    return SOURCE_CLAIM_ORDER.format(where=f" WHERE source_id = '{source_id}'")


@dataclass
class Content:
    """Everything the site shows."""

    statistics: dict[str, Statistic]
    sources: dict[str, Source]
    conflicts: list[Row]
    relations: list[Row]

    @property
    def shown_relations(self) -> list[Row]:
        """The relations the index lists, with their checks: the first MAX_RELATIONS."""
        return self.relations[:MAX_RELATIONS]

    @property
    def shown_conflicts(self) -> list[Row]:
        """The disagreeing pairs the index lists: the first MAX_INDEX_CONFLICTS."""
        return self.conflicts[:MAX_INDEX_CONFLICTS]

    @property
    def n_conflicts(self) -> int:
        """How many pairs claim_conflicts has in all."""
        return sum(s.n_conflicts for s in self.statistics.values())


def _by(rows: list[Row], key: str) -> dict[Any, Row]:
    return {r[key]: r for r in rows}


def gather(db: Database) -> Content:
    """Read every table and view the site needs, in a fixed order, and tie them together."""
    statistics = db.rows("statistics", ["statistic_id"])
    agreement = _by(db.rows("statistic_agreement", ["statistic_id"]), "statistic_id")
    intervals = _by(db.rows("claim_intervals", ["claim_id"]), "claim_id")
    fidelity = _by(db.rows("claim_fidelity", ["claim_id"]), "claim_id")
    sources = db.rows("sources", ["source_id"])
    summaries = _by(db.rows("source_summary", ["source_id"]), "source_id")
    texts = {r["source_id"]: r["text"] for r in db.rows("source_texts", ["source_id"])}
    # Each citation's place in the orders of its statistic's page and of its source's table.
    citation_order = CITATION_ORDER.format(where="")
    numbers = {r["claim_id"]: r["_number"] for r in db.query(f"SELECT claim_id, _number FROM ({citation_order})")}
    table_order = SOURCE_CLAIM_ORDER.format(where="")
    rows = {r["claim_id"]: r["row"] for r in db.query(f"SELECT claim_id, row FROM ({table_order})")}
    conflicts, n_conflicts = db.first_rows(
        "claim_conflicts",
        f"JOIN ({citation_order}) AS a ON a.claim_id = k.claim_a JOIN ({citation_order}) AS b ON b.claim_id = k.claim_b",
        CONFLICT_ORDER,
        "statistic_id",
        MAX_CONFLICTS,
    )
    places = {r["relation_id"]: r["place"] for r in db.query(RELATION_ORDER)}
    relations = sorted(db.rows("relations", ["relation_id"]), key=lambda r: places[r["relation_id"]])
    exclusions = db.rows("exclusions", ["source_id", "occurrence", "text"])

    content = Content(
        statistics={
            r["statistic_id"]: Statistic(
                r, agreement.get(r["statistic_id"]) or dict.fromkeys(db.columns("statistic_agreement"))
            )
            for r in statistics
        },
        sources={
            r["source_id"]: Source(
                r,
                summaries.get(r["source_id"]) or dict.fromkeys(db.columns("source_summary")),
                texts.get(r["source_id"], ""),
            )
            for r in sources
        },
        conflicts=conflicts,
        relations=[],
    )
    for claim in sorted(db.rows("claims", ["claim_id"]), key=lambda c: numbers[c["claim_id"]]):
        # A claim's interval and fidelity join it by id; every column is a key, None where the view
        # has no row for it.
        for extra, view in ((intervals, "claim_intervals"), (fidelity, "claim_fidelity")):
            found = extra.get(claim["claim_id"]) or dict.fromkeys(db.columns(view))
            claim.update({k: v for k, v in found.items() if k != "claim_id"})
        content.statistics[claim["statistic_id"]].claims.append(claim)
        source = content.sources[claim["source_id"]]
        source.claims.append(claim)
        if claim.get("label") is not None:
            source.labels[str(claim["label"])] += 1
    for source in content.sources.values():
        source.claims.sort(key=lambda c: rows[c["claim_id"]])
    for statistic in content.statistics.values():
        # A citation's number on its statistic's page (and in its chart), so two citations of one
        # source with the same words can be told apart wherever they are named.
        for number, claim in enumerate(statistic.claims, 1):
            claim["number"] = number
            # Whether its page shows it: links to one it does not show go to its passage instead.
            claim["shown"] = number <= MAX_CITATIONS
    for statistic in charted(content.statistics.values()):
        statistic.charted = True
    claims = {c["claim_id"]: c for s in content.statistics.values() for c in s.claims}
    for conflict in conflicts:
        conflict["a"] = claims.get(conflict["claim_a"]) or dict.fromkeys(db.columns("claims"))
        conflict["b"] = claims.get(conflict["claim_b"]) or dict.fromkeys(db.columns("claims"))
        content.statistics[conflict["statistic_id"]].conflicts.append(conflict)
    for statistic_id, count in n_conflicts.items():
        content.statistics[statistic_id].n_conflicts = count
    relation_rows = _by(relations, "relation_id")
    for relation in relations:
        relation["operand_ids"] = [o for o in str(relation.get("operands") or "").split(";") if o]
        relation["shown_operand_ids"] = relation["operand_ids"][:MAX_OPERANDS]
        relation["more_operands"] = len(relation["operand_ids"]) - len(relation["shown_operand_ids"])
        relation["checks"] = []
        relation["more_checks"] = 0
    content.relations = relations
    for relation in relations:
        # Each statistic a relation names gets it once, in the relations' order. Testing each
        # relation against the statistic's list compared whole rows: 40,000 relations of one
        # statistic took 43 s.
        for statistic_id in dict.fromkeys([relation["statistic_id"], *relation["operand_ids"]]):
            if statistic_id in content.statistics:
                content.statistics[statistic_id].relations.append(relation)
    allot_relations(content.statistics.values())
    # The checks of the relations some page lists, the first MAX_CHECKS of each, and how many each
    # has: relation_checks holds one row per relation and citing source (a million rows made 1.9 GB
    # of dicts when all were read).
    listed = sorted(
        {r["relation_id"] for r in content.shown_relations}
        | {r["relation_id"] for s in content.statistics.values() for r in s.shown_relations}
    )
    checks = db.query(
        f"SELECT *, count(*) OVER (PARTITION BY relation_id) AS n_checks "
        f"FROM ({CHECK_ORDER.format(where=' WHERE relation_id IN (SELECT unnest(?::VARCHAR[]))')}) "
        "QUALIFY number <= ? ORDER BY relation_id, number",
        [listed, MAX_CHECKS],
    )
    for check in checks:
        check["outcome"] = words.relation_outcome(check.get("verdict"), check.get("reason"))
        relation = relation_rows[check["relation_id"]]
        relation["checks"].append(check)
        relation["more_checks"] = int(check["n_checks"]) - len(relation["checks"])
    for exclusion in exclusions:
        if exclusion["source_id"] in content.sources:
            content.sources[exclusion["source_id"]].exclusions.append(exclusion)
    return content


def by_citations(statistics: Iterable[Statistic]) -> list[Statistic]:
    """The statistics, the most cited first, ties in the order given (the index's, by
    statistic_id), so those no source cites last: the order in which pages get a chart and list
    their relations."""
    return sorted(statistics, key=lambda s: -len(s.claims))


def allot_relations(statistics: Iterable[Statistic]) -> None:
    """How many relations each page lists: the first MAX_RELATIONS of its own, while the pages
    together list at most MAX_LISTED_RELATIONS; pages in the order of `by_citations`."""
    left = MAX_LISTED_RELATIONS
    for statistic in by_citations(statistics):
        statistic.n_listed_relations = min(len(statistic.relations), MAX_RELATIONS, left)
        left -= statistic.n_listed_relations


def charted(statistics: Iterable[Statistic]) -> list[Statistic]:
    """The statistics whose pages get a chart: of those with a citation, by number of citations,
    most first, ties in the order given (the index's, by statistic_id), each whose chart keeps the
    citations drawn within MAX_CHARTED_CITATIONS, up to MAX_CHARTS of them."""
    chosen: list[Statistic] = []
    drawn = 0
    for statistic in (s for s in by_citations(statistics) if s.claims):
        if len(chosen) == MAX_CHARTS:
            break
        if drawn + len(statistic.shown_claims) <= MAX_CHARTED_CITATIONS:
            chosen.append(statistic)
            drawn += len(statistic.shown_claims)
    return chosen
