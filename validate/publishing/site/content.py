"""What the pages show, gathered from the database once: statistics, citations, sources and their ties."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from validate.publishing.site.data import Database, Row

STATISTIC_COLUMNS = (
    "statistic_id",
    "description",
    "unit",
    "primary_source",
    "primary_value",
    "primary_qualifier",
    "primary_period_start",
    "primary_period_end",
    "primary_locator",
    "primary_url",
    "primary_claim_id",
)
AGREEMENT_COLUMNS = (
    "statistic_id",
    "n_claims",
    "n_sources",
    "consensus_low",
    "consensus_high",
    "consensus_low_inclusive",
    "consensus_high_inclusive",
    "periods",
    "verdict",
    "n_meaning_differs",
    "n_reframed",
    # The primary reading's interval (contract version 2).
    "primary_low",
    "primary_high",
    "primary_low_inclusive",
    "primary_high_inclusive",
)
CLAIM_COLUMNS = (
    "claim_id",
    "source_id",
    "statistic_id",
    "quote",
    "value_text",
    "value",
    "qualifier",
    "period_start",
    "period_end",
    "period_basis",
    "duration",
    "attributed_to",
    "attribution",
    "via",
    "counted_as",
    "meaning",
    "differs_in",
    "note",
    "quote_start",
    "quote_end",
)
INTERVAL_COLUMNS = (
    "claim_id",
    "value_low",
    "value_high",
    "low_inclusive",
    "high_inclusive",
    "period_from",
    "period_to",
    "inside_quotation_marks",
)
FIDELITY_COLUMNS = ("claim_id", "value_fidelity", "qualifier_fidelity", "period_fidelity", "label")
SOURCE_COLUMNS = ("source_id", "file", "title", "publisher", "author", "published", "url", "kind", "note")
SUMMARY_COLUMNS = ("source_id", "n_claims", "n_statistics", "n_conflicting_claims")
CONFLICT_COLUMNS = ("statistic_id", "claim_a", "claim_b", "reason")
RELATION_COLUMNS = ("relation_id", "relation", "statistic_id", "operands", "note")
RELATION_CHECK_COLUMNS = ("relation_id", "source_id", "scope", "verdict")
EXCLUSION_COLUMNS = ("source_id", "text", "occurrence", "reason", "note")


@dataclass
class Statistic:
    """A statistic with its agreement and its citations."""

    row: Row
    agreement: Row
    claims: list[Row] = field(default_factory=list)
    conflicts: list[Row] = field(default_factory=list)
    relations: list[Row] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.row["statistic_id"])

    @property
    def has_primary(self) -> bool:
        return self.row.get("primary_value") is not None


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


@dataclass
class Content:
    """Everything the site shows."""

    statistics: dict[str, Statistic]
    sources: dict[str, Source]
    conflicts: list[Row]
    relations: list[Row]
    has_fidelity: bool
    has_relations: bool
    has_exclusions: bool


def _by(rows: list[Row], key: str) -> dict[Any, Row]:
    return {r[key]: r for r in rows}


def gather(db: Database) -> Content:
    """Read every table and view the site needs, in a fixed order, and tie them together."""
    statistics = db.rows("statistics", STATISTIC_COLUMNS, ["statistic_id"])
    agreement = _by(db.rows("statistic_agreement", AGREEMENT_COLUMNS, ["statistic_id"]), "statistic_id")
    intervals = _by(db.rows("claim_intervals", INTERVAL_COLUMNS, ["claim_id"]), "claim_id")
    fidelity = _by(db.rows("claim_fidelity", FIDELITY_COLUMNS, ["claim_id"]), "claim_id")
    sources = db.rows("sources", SOURCE_COLUMNS, ["source_id"])
    summaries = _by(db.rows("source_summary", SUMMARY_COLUMNS, ["source_id"]), "source_id")
    texts = {r["source_id"]: r["text"] for r in db.rows("source_texts", ("source_id", "text"), ["source_id"])}
    conflicts = db.rows("claim_conflicts", CONFLICT_COLUMNS, ["statistic_id", "claim_a", "claim_b", "reason"])
    relations = db.rows("relations", RELATION_COLUMNS, ["relation_id"])
    checks = db.rows("relation_checks", RELATION_CHECK_COLUMNS, ["relation_id", "source_id", "scope"])
    exclusions = db.rows("exclusions", EXCLUSION_COLUMNS, ["source_id", "occurrence", "text"])

    content = Content(
        statistics={
            r["statistic_id"]: Statistic(r, agreement.get(r["statistic_id"]) or dict.fromkeys(AGREEMENT_COLUMNS))
            for r in statistics
        },
        sources={
            r["source_id"]: Source(
                r, summaries.get(r["source_id"]) or dict.fromkeys(SUMMARY_COLUMNS), texts.get(r["source_id"], "")
            )
            for r in sources
        },
        conflicts=conflicts,
        relations=[],
        has_fidelity=db.has("claim_fidelity", "label"),
        has_relations=db.has("relations"),
        has_exclusions=db.has("exclusions"),
    )
    for claim in db.rows("claims", CLAIM_COLUMNS, ["statistic_id", "source_id", "claim_id"]):
        # Every column a page may ask for is a key, None where this database lacks it.
        for extra, columns in ((intervals, INTERVAL_COLUMNS), (fidelity, FIDELITY_COLUMNS)):
            found = extra.get(claim["claim_id"]) or dict.fromkeys(columns)
            claim.update({k: v for k, v in found.items() if k != "claim_id"})
        content.statistics[claim["statistic_id"]].claims.append(claim)
        source = content.sources[claim["source_id"]]
        source.claims.append(claim)
        if claim.get("label") is not None:
            source.labels[str(claim["label"])] += 1
    claims = {c["claim_id"]: c for s in content.statistics.values() for c in s.claims}
    for conflict in conflicts:
        conflict["a"] = claims.get(conflict["claim_a"]) or dict.fromkeys(CLAIM_COLUMNS)
        conflict["b"] = claims.get(conflict["claim_b"]) or dict.fromkeys(CLAIM_COLUMNS)
        content.statistics[conflict["statistic_id"]].conflicts.append(conflict)
    relation_rows = _by(relations, "relation_id")
    for relation in relations:
        relation["operand_ids"] = [o for o in str(relation.get("operands") or "").split(";") if o]
        relation["checks"] = []
    for check in checks:
        if check["relation_id"] in relation_rows:
            check["outcome"] = check.get("verdict")
            relation_rows[check["relation_id"]]["checks"].append(check)
    content.relations = relations
    for relation in relations:
        for statistic_id in [relation["statistic_id"], *relation["operand_ids"]]:
            if statistic_id in content.statistics and relation not in content.statistics[statistic_id].relations:
                content.statistics[statistic_id].relations.append(relation)
    for exclusion in exclusions:
        if exclusion["source_id"] in content.sources:
            content.sources[exclusion["source_id"]].exclusions.append(exclusion)
    return content
