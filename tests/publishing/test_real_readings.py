"""The readings a careful reader gives of the five real articles, on their ledger as frozen in
tests/fixtures/real (never the live dataset, which contributions grow): what the views must say of
hedges dropped, detainers turned into people, supervision called custody, and the consensus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from roots import real_root

from validate.publishing.build import build
from validate.publishing.query import query


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = real_root(tmp_path_factory.mktemp("real") / "root")
    build(folder)
    return folder


def rows(root: Path, sql: str) -> list[tuple[Any, ...]]:
    return query(root, sql, build_if_stale=False)[1]


def test_two_articles_drop_the_audits_approximately_from_675(root: Path) -> None:
    found = rows(
        root,
        "SELECT claim_id, label FROM claim_fidelity "
        "WHERE statistic_id = 'oig-jurisdictions-declined-detainers' AND qualifier_fidelity = 'dropped'",
    )
    # The National Sentinel's "are refusing" also shifts the tense, which outranks the hedge.
    assert found == [("blog-jurisdictions-675", "hedge_dropped"), ("ns-jurisdictions-675-refusing", "reframed")]


def test_the_675_consensus_is_no_more_precise_than_the_audit(root: Path) -> None:
    found = rows(
        root,
        "SELECT primary_low, primary_high, consensus_low, consensus_high, verdict FROM statistic_agreement "
        "WHERE statistic_id = 'oig-jurisdictions-declined-detainers'",
    )
    assert found == [(607.5, 742.5, 607.5, 742.5, "consistent")]


def test_the_blogs_tens_of_thousands_is_reframed_and_does_not_widen_the_consensus(root: Path) -> None:
    label = rows(
        root, "SELECT label, period_fidelity FROM claim_fidelity WHERE claim_id = 'blog-released-tens-of-thousands'"
    )
    assert label == [("reframed", "changed")]  # people for detainers; a 3 year period for 41 months
    consensus = rows(
        root,
        "SELECT consensus_low, consensus_high FROM statistic_agreement WHERE statistic_id = 'oig-detainers-declined'",
    )
    assert consensus == [(29269, None)]  # more than 29,269, with no ceiling of 100,000


def test_national_sentinels_2_4_million_in_custody_is_the_supervised_population_reframed(root: Path) -> None:
    found = rows(
        root,
        "SELECT statistic_id, value_fidelity, label, differs_in FROM claim_fidelity "
        "WHERE claim_id = 'ns-docket-2-4-million-in-custody'",
    )
    assert found == [("oig-aliens-released-under-ice-supervision", "rounded", "reframed", "status")]


def test_a_faithful_source_is_not_charged_with_anothers_departure(root: Path) -> None:
    charged = dict(rows(root, "SELECT source_id, n_conflicting_claims FROM source_summary"))
    assert charged["western-journal-ice-counter-terrorism"] == 0


def test_the_arithmetic_the_articles_imply(root: Path) -> None:
    found = dict(
        ((r[0], r[1]), r[2])
        for r in rows(root, "SELECT relation_id, coalesce(source_id, 'primary'), verdict FROM relation_checks")
    )
    assert found[("docket-detained-share-of-total", "western-journal-ice-counter-terrorism")] == "consistent"
    assert found[("kstep-sample-part-of-case-files", "primary")] == "consistent"  # 40 of 142
    # 3,887 refugees of 2016 "included" in green cards of 2009-2014
    assert found[("syrian-part-of-green-cards", "western-journal-ice-counter-terrorism")] == "inconsistent"
