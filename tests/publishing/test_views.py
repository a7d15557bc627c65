"""The agreement views on a tiny fixture root: each qualifier's interval, each verdict, each conflict reason.

tests/fixtures/agreement/ holds three seed texts and one statistic per case, named after it
(`touching-open`: at most 100 against more than 100). The schemas are copied from the repository,
so the fixture cannot drift from them.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roots import FIXTURES, REPO, add_row, cite_again, read_rows, replace_seed

from validate.errors import UsageError
from validate.paths import SQL_DIR, read_sql
from validate.publishing.build import build
from validate.publishing.database import inside_quotation_marks
from validate.publishing.query import query
from validate.text.normalise import normalise
from validate.text.quote_locator import QuoteLocator

ROOT = REPO
FIXTURE = FIXTURES / "agreement"


def agreement_root(folder: Path) -> Path:
    """A copy of the agreement fixture with the repository's schemas."""
    shutil.copytree(FIXTURE, folder)
    shutil.copytree(ROOT / "schema", folder / "schema")
    return folder


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = agreement_root(tmp_path_factory.mktemp("agreement") / "root")
    build(folder)
    return folder


def rows(root: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return query(root, sql, params=params, build_if_stale=False)[1]


@pytest.mark.parametrize(
    ("claim_id", "expected"),
    [
        # claim_id: (value_low, value_high, low_inclusive, high_inclusive)
        ("a-exact-million", (2_350_000, 2_450_000, True, True)),  # 2.4 million: step 100,000
        ("a-consistent-675", (674.5, 675.5, True, True)),
        ("a-share-1-4", (1.35, 1.45, True, True)),  # 1.4 percent: step 0.1
        ("a-single-3-million", (2_500_000, 3_500_000, True, True)),  # 3 million: step 1 million
        ("a-approximately-700", (630, 770, True, True)),
        ("a-nearly-200", (180, 200, True, True)),
        ("a-more-than-29269", (29269, None, False, False)),
        ("a-at-least-300", (300, None, True, False)),
        ("a-fewer-than-50", (0, 50, True, False)),
        ("a-at-most-80", (0, 80, True, True)),
        ("a-tens-of-thousands", (10_000, 100_000, True, False)),
        ("a-costs-fewer-than-5", (None, 5, False, False)),  # a percent_change has no floor
    ],
)
def test_interval_of_each_qualifier(root: Path, claim_id: str, expected: tuple[Any, ...]) -> None:
    found = rows(
        root,
        "SELECT value_low, value_high, low_inclusive, high_inclusive FROM claim_intervals WHERE claim_id = ?",
        claim_id,
    )
    assert found == [expected]


def test_approximately_tolerance_is_a_setting(tmp_path: Path) -> None:
    folder = agreement_root(tmp_path / "root")
    build(folder, approximately_tolerance=0.2)
    assert rows(folder, "SELECT approximately_tolerance FROM settings") == [(0.2,)]
    assert rows(folder, "SELECT value_low, value_high FROM claim_intervals WHERE claim_id = 'a-approximately-700'") == [
        (560, 840)
    ]


@pytest.mark.parametrize("tolerance", [-0.1, 1.01, 1e308])
def test_tolerance_must_be_a_share(tmp_path: Path, tolerance: float) -> None:
    # 1e308 was taken, and made the intervals' ends infinite.
    with pytest.raises(UsageError, match="from 0 to 1"):
        build(tmp_path, approximately_tolerance=tolerance)


def test_verdict_of_each_statistic(root: Path) -> None:
    assert dict(rows(root, "SELECT statistic_id, verdict FROM statistic_agreement")) == {
        "consistent": "consistent",
        "decimal-touch": "consistent",  # [1.35, 1.45] and [1.45, 1.55] share 1.45
        "intervals-count": "single_source",
        "meaning": "single_source",  # the other source's claim counts something else
        "percent-change-open": "single_source",
        "period-conflict": "period_conflict",
        "period-points": "consistent",  # 2019 and July 2019: one point in time, named to two precisions
        "single-source": "single_source",  # two claims that disagree, from one source
        "touching-closed": "consistent",  # at most 100, at least 100
        "touching-open": "value_conflict",  # at most 100, more than 100
        "touching-open-high": "value_conflict",  # fewer than 100, at least 100
        "value-and-period": "value_conflict",  # a value conflict outranks a period conflict
        "value-conflict": "value_conflict",
        # against a primary reading
        "fid-675": "consistent",
        "fid-detainers": "period_conflict",  # one claim says 2016
        "fid-exact": "consistent",  # one source and the primary reading: two voices
        "fid-point": "period_conflict",  # January 2018 is 2018-01-24; 2017 to 2018 is another span
        "fid-supervised": "value_conflict",  # 5 million is outside approximately 2.37 million
        "rel-part": "value_conflict",
        "rel-share": "value_conflict",
        "rel-sum": "value_conflict",
        "rel-whole": "value_conflict",
    }


def test_agreement_columns(root: Path) -> None:
    found = rows(
        root,
        "SELECT statistic_id, n_claims, n_sources, consensus_low, consensus_high, consensus_low_inclusive, "
        "consensus_high_inclusive, periods, n_meaning_differs FROM statistic_agreement "
        "WHERE statistic_id IN ('consistent', 'touching-closed', 'decimal-touch', 'period-conflict', 'meaning', "
        "'value-conflict', 'percent-change-open')",
    )
    assert found == [
        # 2014-01 and 2014-01-01 cover the same days: two spellings, one period, no conflict.
        ("consistent", 3, 3, 674.5, 675.5, True, True, "2014-01-01/2017-05-31; 2014-01/2017-05", 0),
        ("decimal-touch", 2, 2, 1.45, 1.45, True, True, None, 0),
        ("meaning", 2, 2, 11.5, 12.5, True, True, None, 1),  # the claim that differs does not narrow it
        ("percent-change-open", 1, 1, None, 5, False, False, None, 0),
        ("period-conflict", 2, 2, 39.5, 40.5, True, True, "2016; 2017", 0),
        ("touching-closed", 2, 2, 100, 100, True, True, None, 0),
        ("value-conflict", 2, 2, None, None, None, None, None, 0),
    ]


def test_conflicting_pairs_and_reasons(root: Path) -> None:
    found = rows(
        root,
        "SELECT statistic_id, claim_a, claim_b, reason FROM claim_conflicts "
        "WHERE statistic_id <> 'intervals-count' AND statistic_id NOT LIKE 'fid-%' AND statistic_id NOT LIKE 'rel-%' "
        "ORDER BY ALL",
    )
    assert found == [
        ("consistent", "a-consistent-675", "b-consistent-675", "qualifier"),  # 675 and approximately 675
        ("meaning", "a-meaning-same", "b-meaning-differs", "meaning"),
        ("period-conflict", "a-period-2016", "b-period-2017", "period"),
        ("single-source", "a-single-2-4-million", "a-single-3-million", "value"),
        ("touching-closed", "a-touching-closed", "b-touching-closed", "qualifier"),
        ("touching-open", "a-touching-open", "b-touching-open", "qualifier"),
        ("touching-open", "a-touching-open", "b-touching-open", "value"),
        ("touching-open-high", "a-fewer-than-100", "b-at-least-100", "qualifier"),
        ("touching-open-high", "a-fewer-than-100", "b-at-least-100", "value"),
        ("value-and-period", "b-visas-2015", "c-visas-2019", "period"),
        ("value-and-period", "b-visas-2015", "c-visas-2019", "value"),
        ("value-conflict", "a-value-conflict-1000", "b-value-conflict-900", "value"),
    ]


def test_value_conflicts_are_exactly_the_disjoint_statistics(root: Path) -> None:
    # Intervals on a line that meet pairwise meet all together, so the two views must agree.
    # Without a primary reading and with every claim of one meaning, a statistic's consensus is
    # empty exactly when two of its claims are disjoint.
    plain = "statistic_id IN (SELECT statistic_id FROM statistics WHERE primary_value IS NULL) AND statistic_id <> 'meaning'"
    in_pairs = {
        r[0] for r in rows(root, f"SELECT statistic_id FROM claim_conflicts WHERE reason = 'value' AND {plain}")
    }
    empty = {
        r[0]
        for r in rows(
            root,
            f"SELECT statistic_id FROM statistic_agreement WHERE consensus_low_inclusive IS NULL AND n_claims > 0 AND {plain}",
        )
    }
    assert in_pairs == empty


def test_source_summary_counts_conflicts_across_sources_only(root: Path) -> None:
    found = rows(
        root,
        "SELECT source_id, n_claims, n_statistics, n_faithful, n_rounded, n_period_dropped, n_hedge_dropped, "
        "n_period_changed, n_reframed, n_outside, n_unverified, n_conflicting_claims FROM source_summary",
    )
    assert found == [
        # src-a's own pairs (single-source, intervals-count) do not count; nor do the pairs in
        # which another source's claim departs (c-675-faithful beside a-675-hedge-dropped).
        # Nor does a difference of hedge alone without a primary reading (charged 'neither'):
        # a-consistent-675 and a-touching-closed are charged with nothing.
        ("src-a", 30, 20, 6, 0, 0, 1, 0, 1, 1, 21, 9),
        ("src-b", 19, 18, 1, 1, 1, 0, 2, 1, 2, 11, 11),
        ("src-c", 9, 8, 5, 0, 0, 0, 1, 0, 0, 3, 2),
    ]


def test_reduced_precision_dates_get_day_bounds(root: Path) -> None:
    published = rows(root, "SELECT published, published_from::VARCHAR, published_to::VARCHAR FROM sources")
    assert published == [
        ("2019", "2019-01-01", "2019-12-31"),
        ("2019-07", "2019-07-01", "2019-07-31"),
        ("2019-07-17", "2019-07-17", "2019-07-17"),
    ]
    period = rows(
        root,
        "SELECT period_start, period_end, period_from::VARCHAR, period_to::VARCHAR FROM claims "
        "WHERE claim_id = 'a-consistent-675'",
    )
    assert period == [("2014-01", "2017-05", "2014-01-01", "2017-05-31")]


def test_quote_offsets_point_into_the_original_text(root: Path) -> None:
    found = rows(
        root,
        "SELECT c.claim_id, c.quote, substr(t.text, c.quote_start + 1, c.quote_end - c.quote_start) "
        "FROM claims c JOIN source_texts t USING (source_id)",
    )
    assert all(normalise(passage) == normalise(quote) for _, quote, passage in found)
    # Typed with straight quotes and a plain space; printed with curly quotes, a ligature and a
    # non-breaking space.
    assert dict((r[0], r[2]) for r in found)["a-meaning-same"] == "The \u201c\ufb01nal\u201d count was 12\u00a0cases."


# Characters that the normalisation changes, merges, splits or drops.
_PIECES = [*"ab .,\n\t\r", "  ", "\n\n", "\u00a0", "\u2019", "\u201c", "\u2014", "\ufb01", "e\u0301", "\u0301",
           "\u00a8", "\u2028", "\u0085", "\x1c", "\u3000", "\u1100\u1161", "\uac00", "\u00bd", "\u212b", "\ufeff"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16), st.randoms(use_true_random=False))
def test_locator_maps_any_match_back_to_a_passage_that_holds_it(pieces: list[str], rnd: random.Random) -> None:
    original = "".join(pieces)
    locator = QuoteLocator(original)
    assert locator.text == normalise(original)
    if not locator.text.strip():
        return
    i = rnd.randrange(len(locator.text))
    quote = locator.text[i : rnd.randrange(i, len(locator.text)) + 1].strip(" ")
    span = locator.find(quote)
    if not quote:
        assert span is None
        return
    assert span is not None
    start, end = span
    assert quote in normalise(original[start:end])


@pytest.mark.parametrize(
    ("claim_id", "expected"),
    [
        # claim_id: (value_fidelity, qualifier_fidelity, period_fidelity, label)
        ("c-supervised-faithful", ("within", "kept", "unknown", "faithful")),
        ("b-supervised-rounded", ("rounded", "kept", "unknown", "rounded")),  # about 2.4 million for 2.37
        ("a-supervised-reframed", ("rounded", "dropped", "unknown", "reframed")),  # "in custody"
        ("a-supervised-outside", ("outside", "dropped", "unknown", "outside")),
        ("a-675-hedge-dropped", ("within", "dropped", "kept", "hedge_dropped")),
        ("b-675-faithful", ("within", "kept", "kept", "faithful")),
        ("c-675-faithful", ("within", "kept", "kept", "faithful")),  # 2014-01 and January 2014: same days
        ("a-detainers-period-kept", ("within", "kept", "kept", "faithful")),
        ("b-detainers-period-dropped", ("within", "kept", "dropped", "period_dropped")),
        ("c-detainers-period-changed", ("within", "kept", "changed", "period_changed")),
        ("a-detainers-duration-kept", ("within", "kept", "kept", "faithful")),  # P41M: January 2014 to May 2017
        ("b-detainers-duration-changed", ("within", "kept", "changed", "period_changed")),  # P3Y is 36 months
        ("c-detainers-qualifier-changed", ("within", "changed", "kept", "faithful")),  # nearly 30,000
        ("a-exact-hedge-added", ("within", "added", "unknown", "faithful")),
        # a point in time named less precisely is the same time: January 2018 for 2018-01-24
        ("a-point-month", ("within", "kept", "kept", "faithful")),
        # a span that holds the point is another period: a count over two years
        ("b-point-wider-span", ("within", "kept", "changed", "period_changed")),
        ("a-rel-share", ("unknown", "unknown", "unknown", "unverified")),
    ],
)
def test_fidelity_of_each_claim(root: Path, claim_id: str, expected: tuple[str, ...]) -> None:
    found = rows(
        root,
        "SELECT value_fidelity, qualifier_fidelity, period_fidelity, label FROM claim_fidelity WHERE claim_id = ?",
        claim_id,
    )
    assert found == [expected]


def test_primary_interval_and_consensus_leave_out_reframed_and_hedge_dropped_claims(root: Path) -> None:
    found = rows(
        root,
        "SELECT statistic_id, primary_low, primary_high, consensus_low, consensus_high, n_reframed, n_hedge_dropped "
        "FROM statistic_agreement WHERE statistic_id IN ('fid-675', 'fid-supervised', 'fid-exact')",
    )
    assert found == [
        # "675" (hedge dropped) does not narrow the consensus to [674.5, 675.5]
        ("fid-675", 607.5, 742.5, 607.5, 742.5, 0, 1),
        ("fid-exact", 39.5, 40.5, 36, 44, 0, 0),
        # the reframed 2.4 million "in custody" stays out; the outside 5 million stays in, hedge or not
        ("fid-supervised", 2_133_000, 2_607_000, None, None, 1, 2),
    ]


def test_the_departing_claim_is_claim_b(root: Path) -> None:
    found = rows(root, "SELECT * FROM claim_conflicts WHERE statistic_id LIKE 'fid-%' ORDER BY ALL")
    assert found == [
        ("fid-675", "b-675-faithful", "a-675-hedge-dropped", "qualifier", "claim_b"),
        ("fid-675", "c-675-faithful", "a-675-hedge-dropped", "qualifier", "claim_b"),
        ("fid-detainers", "a-detainers-period-kept", "c-detainers-period-changed", "period", "claim_b"),
        ("fid-detainers", "c-detainers-qualifier-changed", "c-detainers-period-changed", "period", "claim_b"),
        ("fid-point", "a-point-month", "b-point-wider-span", "period", "claim_b"),
        # The reframed claim ("in custody") counts something else: its pairs are its meaning
        # alone, not also a value gap with the outside claim or a hedge beside the rounded one.
        ("fid-supervised", "a-supervised-outside", "a-supervised-reframed", "meaning", "claim_b"),
        ("fid-supervised", "b-supervised-rounded", "a-supervised-outside", "value", "claim_b"),
        ("fid-supervised", "b-supervised-rounded", "a-supervised-reframed", "meaning", "claim_b"),
        ("fid-supervised", "c-supervised-faithful", "a-supervised-outside", "value", "claim_b"),
        ("fid-supervised", "c-supervised-faithful", "a-supervised-reframed", "meaning", "claim_b"),
    ]


def test_a_difference_of_hedge_alone_charges_no_one_and_the_statistic_is_consistent(root: Path) -> None:
    # 675 and approximately 675; at most 100 and at least 100: no primary reading says which
    # hedge is wrong, and both can be true.
    found = rows(
        root,
        "SELECT k.statistic_id, k.reason, k.charged, a.verdict FROM claim_conflicts k "
        "JOIN statistic_agreement a USING (statistic_id) WHERE k.statistic_id IN ('consistent', 'touching-closed') "
        "ORDER BY ALL",
    )
    assert found == [
        ("consistent", "qualifier", "neither", "consistent"),
        ("touching-closed", "qualifier", "neither", "consistent"),
    ]


def test_conflicts_charge_someone_exactly_where_the_statistic_is_in_conflict(root: Path) -> None:
    # One story: without a primary reading, and among claims of one meaning, a pair is charged
    # (value, period or qualifier) exactly in the statistics whose verdict is a conflict.
    plain = (
        "statistic_id IN (SELECT statistic_id FROM statistics WHERE primary_value IS NULL) "
        "AND statistic_id NOT IN (SELECT statistic_id FROM claims WHERE meaning = 'differs')"
    )
    charged = {
        r[0]
        for r in rows(
            root,
            f"SELECT statistic_id FROM claim_conflicts WHERE charged <> 'neither' AND {plain} "
            "AND (claim_a, claim_b) IN (SELECT claim_a, claim_b FROM claim_conflicts k JOIN claims a ON a.claim_id = "
            "k.claim_a JOIN claims b ON b.claim_id = k.claim_b WHERE a.source_id <> b.source_id)",
        )
    }
    in_conflict = {
        r[0]
        for r in rows(root, f"SELECT statistic_id FROM statistic_agreement WHERE verdict LIKE '%conflict' AND {plain}")
    }
    assert charged == in_conflict
    assert {"consistent", "touching-closed", "period-points"}.isdisjoint(charged)


def test_relation_verdicts_per_source_and_for_the_primary_readings(root: Path) -> None:
    found = rows(root, "SELECT relation_id, scope, source_id, verdict, reason FROM relation_checks")
    assert found == [
        ("part-of", "source", "src-a", "consistent", None),  # 40 of 142
        ("part-of", "source", "src-b", "inconsistent", "value"),  # 50 of 30
        ("part-of", "source", "src-c", "inconsistent", "period"),  # 40 in 2016 of 142 in 2015: periods do not nest
        ("part-of", "primary", None, "consistent", None),
        ("share", "source", "src-a", "consistent", None),  # 28.2 percent of 40 / 142
        ("share", "source", "src-b", "inconsistent", "value"),  # 10 percent of 50 / 30
        ("share", "source", "src-c", "incomplete", None),  # no share stated
        ("share", "primary", None, "incomplete", None),
        ("sum", "source", "src-a", "consistent", None),  # 182 = 40 + 142
        ("sum", "source", "src-b", "inconsistent", "value"),  # 500 against 80
        ("sum", "source", "src-c", "incomplete", None),
        ("sum", "primary", None, "incomplete", None),
    ]


def _primary(folder: Path, **values: str) -> None:
    """Set the fixture's primary readings of the relations' statistics (rel-part=..., as exact)."""
    path = folder / "datasets" / "statistics.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0].replace("-", "_") in values:
            cells[4:6] = [values[cells[0].replace("-", "_")], "exact"]
            cells[8] = cells[8] or '"Fixture report, page 3"'
            lines[i] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


def test_a_share_past_the_range_of_a_double_is_shown_finite_and_still_judged(tmp_path: Path) -> None:
    """1e300 over 1e-40 is past the range of a double: relation_low was inf (null in JSON, read as
    an open end); it is the largest double now, and the high end, no bound at all, is open."""
    folder = agreement_root(tmp_path / "root")
    _primary(folder, rel_part="1" + "0" * 299, rel_whole="0." + "0" * 39 + "1", rel_share="50")
    build(folder)
    found = rows(
        folder,
        "SELECT relation_low, relation_high, verdict, reason FROM relation_checks WHERE relation_id = 'share' "
        "AND scope = 'primary'",
    )
    assert found == [(1.7976931348623157e308, None, "inconsistent", "value")]


@pytest.mark.parametrize(
    ("qualifier", "value", "step", "unit", "expected"),
    [
        ("exact", 100, 1, "percent", (99.5, 100, True, True)),  # "all": no share is past 100
        ("approximately", 95, 1, "percent", (85.5, 100, True, True)),
        # A bound moved to what the unit can be includes it: 100 percent is a share.
        ("order_of_magnitude", 20, 20, "percent", (20, 100, True, True)),
        ("order_of_magnitude", 5, 5, "percent", (5, 50, True, False)),
        ("fewer_than", 100, 1, "percent", (0, 100, True, False)),
        ("more_than", 50, 1, "percent", (50, None, False, False)),  # an open end stays open
        ("more_than", -5, 1, "count", (0, None, True, False)),
        ("exact", 0, 1, "count", (0, 0.5, True, True)),  # "zero": no count is below 0
        ("exact", 0, 1, "percent", (0, 0.5, True, True)),
        ("exact", 100, 1, "count", (99.5, 100.5, True, True)),
        ("exact", 100, 1, "percent_change", (99.5, 100.5, True, True)),
        ("exact", 0, 1, "percent_change", (-0.5, 0.5, True, True)),
        ("approximately", -3, 1, "percent_change", (-3.3, -2.7, True, True)),
        ("more_than", -5, 1, "percent_change", (-5, None, False, False)),
    ],
)
def test_a_bound_stays_within_what_its_unit_can_be(
    qualifier: str, value: float, step: float, unit: str, expected: tuple[float, float | None, bool, bool]
) -> None:
    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    macros = ("interval_low", "interval_high", "low_inclusive", "high_inclusive")
    found = con.execute(
        "SELECT " + ", ".join(f"{m}(?, ?::DOUBLE, ?::DOUBLE, ?, 0.1)" for m in macros),
        [qualifier, value, step, unit] * len(macros),
    ).fetchone()
    assert found == expected


@pytest.mark.parametrize(
    ("x", "low", "high"),
    [("'nan'::DOUBLE", None, None), ("'-inf'::DOUBLE", None, -1.7976931348623157e308), ("2.5", 2.5, 2.5)],
)
def test_implied_bounds_of_an_undefined_or_negative_infinite_share(x: str, low: object, high: object) -> None:
    import duckdb

    from validate.paths import read_sql

    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    assert con.execute(f"SELECT implied_low({x}), implied_high({x})").fetchone() == (low, high)


def test_a_source_that_contradicts_itself_leaves_its_relations_incomplete() -> None:
    """Its claims of a statistic share no value (10 and 50): the intersection is empty, which
    missed every implied interval and made the relation inconsistent for that source, charging
    the relation with the source's own disagreement. Both in the statistic and in an operand."""
    import duckdb

    from validate.paths import read_sql

    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    con.execute(
        "CREATE TABLE relations (relation_id VARCHAR, relation VARCHAR, statistic_id VARCHAR, operands VARCHAR)"
    )
    con.execute("INSERT INTO relations VALUES ('r', 'sum', 'total', 'a;b')")
    con.execute(
        "CREATE TABLE primary_intervals (statistic_id VARCHAR, value_low DOUBLE, value_high DOUBLE, "
        "period_from DATE, period_to DATE, period_point BOOLEAN)"
    )
    claims = [
        ("whole", "total", 10), ("whole", "a", 4), ("whole", "b", 6),  # 10 = 4 + 6
        ("torn", "total", 10), ("torn", "total", 50), ("torn", "a", 4), ("torn", "b", 6),
        ("torn-operand", "total", 10), ("torn-operand", "a", 4), ("torn-operand", "a", 9), ("torn-operand", "b", 6),
        ("wrong", "total", 50), ("wrong", "a", 4), ("wrong", "b", 6),
    ]  # fmt: skip
    con.execute(
        "CREATE TABLE claim_intervals AS SELECT 'c' || i AS claim_id, source_id, statistic_id, v::DOUBLE AS value_low, "
        "v::DOUBLE AS value_high, NULL::DATE AS period_from, NULL::DATE AS period_to, NULL::BOOLEAN AS period_point "
        "FROM (SELECT unnest(?) AS t, generate_subscripts(?, 1) AS i) AS x, "
        "LATERAL (SELECT t[1] AS source_id, t[2] AS statistic_id, t[3] AS v)",
        [[list(map(str, c)) for c in claims]] * 2,
    )
    con.execute("CREATE TABLE claims AS SELECT claim_id, 'same' AS meaning FROM claim_intervals")
    con.execute("CREATE TABLE statistics AS SELECT DISTINCT statistic_id, 'count' AS unit FROM claim_intervals")
    con.execute(read_sql("relation_checks"))
    found = con.execute("SELECT source_id, verdict, reason FROM relation_checks WHERE scope = 'source'").fetchall()
    assert found == [
        ("torn", "incomplete", None),
        ("torn-operand", "incomplete", None),
        ("whole", "consistent", None),
        ("wrong", "inconsistent", "value"),
    ]


def _relation_tables() -> duckdb.DuckDBPyConnection:
    """A connection with the interval macros and, empty, the tables relation_checks reads but
    claims and statistics (each test fills them as its cases need)."""
    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    con.execute(
        "CREATE TABLE relations (relation_id VARCHAR, relation VARCHAR, statistic_id VARCHAR, operands VARCHAR)"
    )
    con.execute(
        "CREATE TABLE primary_intervals (statistic_id VARCHAR, value_low DOUBLE, value_high DOUBLE, "
        "period_from DATE, period_to DATE, period_point BOOLEAN)"
    )
    con.execute(
        "CREATE TABLE claim_intervals (claim_id VARCHAR, source_id VARCHAR, statistic_id VARCHAR, value_low DOUBLE, "
        "value_high DOUBLE, period_from DATE, period_to DATE, period_point BOOLEAN)"
    )
    return con


def test_a_part_of_a_percent_change_may_be_below_zero() -> None:
    """A part is at most its whole, and no amount is below 0; a percent_change may be: -20 % is at
    most -10 %, which the view judged inconsistent (value), as if the part had to be at least 0.
    -5 % is more than -10 % and stays inconsistent; a count's part below 0 still misses [0, 10]."""
    con = _relation_tables()
    con.execute("CREATE TABLE statistics (statistic_id VARCHAR, unit VARCHAR)")
    cases = {"fall": ("percent_change", -20, -10), "rise": ("percent_change", -5, -10), "count": ("count", -1, 10)}
    for name, (unit, part, whole) in cases.items():
        con.execute("INSERT INTO relations VALUES (?, 'part_of', ?, ?)", [name, f"{name}-part", f"{name}-whole"])
        for statistic, value in ((f"{name}-part", part), (f"{name}-whole", whole)):
            con.execute("INSERT INTO statistics VALUES (?, ?)", [statistic, unit])
            con.execute(
                "INSERT INTO claim_intervals VALUES (?, 'src', ?, ?, ?, NULL, NULL, NULL)",
                [f"c-{statistic}", statistic, value, value],
            )
    con.execute("CREATE TABLE claims AS SELECT claim_id, 'same' AS meaning FROM claim_intervals")
    con.execute(read_sql("relation_checks"))
    found = con.execute(
        "SELECT relation_id, relation_low, relation_high, coalesce(reason, verdict) FROM relation_checks "
        "WHERE scope = 'source' ORDER BY relation_id"
    ).fetchall()
    assert found == [("count", 0, 10, "value"), ("fall", None, -10, "consistent"), ("rise", None, -10, "value")]


def test_a_sum_over_time_fits_where_its_operands_tile_the_statistic_period() -> None:
    """2016 and 2017 make 2016 to 2017: a sum's operands in periods of their own were judged
    inconsistent (period), as if they had to be one period. They fit where their different periods,
    in order, each start the day after the one before ends and together cover the statistic's span
    exactly, each the period of as many operands as the others: two regions' 2016 and 2017 fit
    as one region's do; three of the four do not."""
    y16, y17, y18 = ("2016-01-01", "2016-12-31"), ("2017-01-01", "2017-12-31"), ("2018-01-01", "2018-12-31")
    cases = {
        "tiled": [("2016-01-01", "2017-12-31"), y16, y17],
        "tiled-unordered": [("2016-01-01", "2018-12-31"), y18, y16, y17],
        "months": [("2017-01-01", "2017-03-31"), ("2017-01-01", "2017-01-31"), ("2017-02-01", "2017-03-31")],
        "one-period": [y16, y16, y16],
        # Two regions' years: each year's period twice.
        "regions-by-year": [("2016-01-01", "2017-12-31"), y16, y17, y16, y17],
        "regions-by-year-overlap": [("2016-01-01", "2017-12-31"), y16, y17, ("2016-07-01", "2017-12-31"), y17],
        # Texas's 2017 missing, or one region's 2016 counted twice: no whole grid.
        "regions-by-year-missing": [("2016-01-01", "2017-12-31"), y16, y16, y17],
        "gap": [("2016-01-01", "2018-12-31"), y16, y18],
        "overlap": [("2016-01-01", "2017-12-31"), y16, ("2016-07-01", "2017-12-31")],
        "short": [("2016-01-01", "2018-12-31"), y16, y17],
        "past-the-end": [("2016-01-01", "2016-12-31"), y16, y17],
        "point-total": [("2017-01-01", "2017-01-01"), y16, y17],
        "no-period": [(None, None), y16, y17],
    }
    con = _relation_tables()
    for name, (total, *parts) in cases.items():
        operands = [f"{name}-{i}" for i in range(len(parts))]
        con.execute("INSERT INTO relations VALUES (?, 'sum', ?, ?)", [name, f"{name}-total", ";".join(operands)])
        for statistic, (start, end), value in [
            (f"{name}-total", total, 2.0 * len(parts)),
            *zip(operands, parts, [2.0] * len(parts), strict=True),
        ]:
            point = None if start is None else start == end
            con.execute(
                "INSERT INTO claim_intervals VALUES (?, 'src', ?, ?, ?, ?, ?, ?)",
                [f"c-{statistic}", statistic, value, value, start, end, point],
            )
    con.execute("CREATE TABLE claims AS SELECT claim_id, 'same' AS meaning FROM claim_intervals")
    con.execute("CREATE TABLE statistics AS SELECT DISTINCT statistic_id, 'count' AS unit FROM claim_intervals")
    con.execute(read_sql("relation_checks"))
    found = dict(
        con.execute(
            "SELECT relation_id, coalesce(reason, verdict) FROM relation_checks WHERE scope = 'source'"
        ).fetchall()
    )
    assert found == {
        "tiled": "consistent",
        "tiled-unordered": "consistent",
        "months": "consistent",
        "one-period": "consistent",
        "regions-by-year": "consistent",
        "regions-by-year-overlap": "period",
        "regions-by-year-missing": "period",
        "gap": "period",
        "overlap": "period",
        "short": "period",
        "past-the-end": "period",
        "point-total": "period",
        "no-period": "period",
    }


def test_inside_quotation_marks(root: Path) -> None:
    found = dict(rows(root, "SELECT claim_id, inside_quotation_marks FROM claim_intervals"))
    assert found["a-meaning-same"] is False  # quotation marks around a word before the value
    assert found["a-exact-million"] is False


def test_value_offsets_point_at_the_value_text(root: Path) -> None:
    found = rows(
        root,
        "SELECT c.value_text, substr(t.text, i.value_start + 1, i.value_end - i.value_start) "
        "FROM claims c JOIN claim_intervals i USING (claim_id) JOIN source_texts t ON t.source_id = c.source_id",
    )
    assert found and all(normalise(passage) == normalise(text) for text, passage in found)


def test_the_site_says_which_citation_of_a_conflict_departs(root: Path) -> None:
    """The site's conflicts said the second citation departs, also where the view charges both or
    neither (a difference of hedge alone): each row now says which, in the view's words."""
    from validate.publishing.site import words

    charged = {c for (c,) in rows(root, "SELECT DISTINCT charged FROM claim_conflicts")}
    assert {"claim_b", "neither"} <= charged
    index = (root / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "The second citation is the one that departs" not in index
    for code in charged - {"claim_b"}:
        assert f"<td>{words.CHARGED[code]}</td>" in index
    # The one charged alone is named by its number: "the second" read as the other one on a
    # statistic's page, which lists the pair the other way round.
    assert re.search(r"<td>citation \d+</td>", index)


def _inside_one(text: str, at: int) -> bool:
    """The rule for one place, read from its paragraph's start: what the one pass must give."""
    start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    before = text[start:at]
    opened = sum(before.count(c) for c in "\u201c\u201e\u00ab") - sum(before.count(c) for c in "\u201d\u00bb")
    return opened > 0 or before.count('"') % 2 == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab "\n\r\u201c\u201d\u201e\u00ab\u00bb', max_size=60), st.data())
def test_one_pass_over_the_quotation_marks_agrees_with_each_place_alone(text: str, data: st.DataObject) -> None:
    places = data.draw(st.lists(st.integers(0, len(text)), max_size=12))
    assert inside_quotation_marks(text, places) == {at: _inside_one(text, at) for at in places}


def _statistic_of_copies(folder: Path, copies: dict[str, str], **statistic: str) -> None:
    """A new statistic (a count) and copies of existing claims citing it: {claim_id: new claim_id}."""
    add_row(folder, "datasets/statistics.csv", unit="count", **statistic)
    _copy_claims(folder, statistic["statistic_id"], {old: {"claim_id": new} for old, new in copies.items()})


def test_two_claims_the_reading_judges_and_neither_departs_from_charge_no_one(tmp_path: Path) -> None:
    # approximately 675 (src-b) and nearly 200 (src-a) disagree with each other, but a primary
    # reading of more than 100 holds both: neither departs from the producer, so neither source is
    # charged (they were charged 'both', as if no reading could tell).
    folder = agreement_root(tmp_path / "root")
    summary = "SELECT source_id, n_conflicting_claims FROM source_summary"
    before = dict(query(folder, summary)[1])
    _statistic_of_copies(
        folder,
        {"b-consistent-675": "b-within-675", "a-nearly-200": "a-within-200"},
        statistic_id="fid-within-apart",
        description="Two claims within the reading, apart from each other.",
        primary_value="100",
        primary_qualifier="more_than",
        primary_locator="Fixture report, page 1",
    )
    found = query(
        folder,
        "SELECT claim_a, claim_b, reason, charged FROM claim_conflicts WHERE statistic_id = ?",
        params=["fid-within-apart"],
    )[1]
    assert found == [("a-within-200", "b-within-675", "value", "neither")]
    assert dict(query(folder, summary)[1]) == before


def test_the_pairs_of_claims_are_streamed_not_held(root: Path) -> None:
    # claim_conflicts grows as the square of a statistic's claims (4,000 claims of one statistic
    # are 8 million pairs). Its pairs were a CTE read four times, which DuckDB materialises, and
    # the view was sorted wherever it was read: a count, a LIMIT 3, and source_summary ran past
    # `claims sql`'s 1 GB. Its plan holds neither the pairs materialised nor a sort. (A CTE of
    # the claims' fidelity, shared by both sides of the pairs' join, is one row a claim.)
    with duckdb.connect(str(root / "build" / "claims.duckdb"), read_only=True) as con:
        plan = "\n".join(str(r[-1]) for r in con.execute("EXPLAIN SELECT * FROM claim_conflicts").fetchall())
    assert "CTE Name: pairs" not in plan
    assert "ORDER_BY" not in plan


def test_source_summary_reads_the_pairs_once() -> None:
    # A view read twice in one query (a UNION of two selects of it) is one subplan shared between
    # them, every row held: source_summary read claim_conflicts so.
    sql = read_sql("source_summary", SQL_DIR)
    assert sql.count("FROM claim_conflicts") == 1


# Cases the red team found (helper-49), on a copy of the agreement fixture with sentences added to
# its seeds; each statistic added is described where it is.
_DEPARTURES_TEXT = {
    "a.txt": "Nearly 500 permits were denied. The rate was 1.5 percent. The rate fell to 0.2 percent.\n",
    "b.txt": (
        "More than 500 permits were denied. The sample held 20 files in January 2018. In February 2018 the archive "
        "held 80 files. In 2018 the sample was 25 percent of the archive. From January 2014 to May 2017, approximately "
        "675 jurisdictions declined detainers, it said.\n"
    ),
    "c.txt": (
        "Fewer than 500 permits were denied. In 2018, 675 jurisdictions declined detainers. The sample held 20 files "
        "in 2018. In January 2018 the archive held 80 files. In January 2018 the sample was 25 percent of the archive. "
        "In 2018, 675 jurisdictions declined detainers, it said.\n"
    ),
}


def _statistic(folder: Path, statistic_id: str, unit: str, primary: str = "", period: str = "") -> None:
    """A statistic; `primary` is "qualifier value" ("more_than 500"), `period` "start/end"."""
    qualifier, _, value = primary.partition(" ")
    start, _, end = period.partition("/")
    add_row(folder, "datasets/statistics.csv", statistic_id=statistic_id, description=f"A red-team case ({statistic_id}).",
            unit=unit, primary_value=value, primary_qualifier=qualifier, primary_period_start=start,
            primary_period_end=end, primary_locator="Fixture report, page 4" if primary else "")  # fmt: skip


def _claim(
    folder: Path, claim_id: str, statistic_id: str, quote: str, value_text: str, qualifier: str, period: str = ""
) -> None:
    """A claim of meaning 'same' by src-a, -b or -c (claim_id's first letter); `period` is "start/end"."""
    start, _, end = period.partition("/")
    add_row(folder, "datasets/claims.csv", claim_id=claim_id, source_id="src-" + claim_id[0], statistic_id=statistic_id,
            quote=quote, value_text=value_text, value="".join(c for c in value_text if c.isdigit() or c == "."), qualifier=qualifier,
            period_start=start, period_end=end or start, period_basis="stated" if period else "",
            counted_as=quote.split()[-1].rstrip("."), meaning="same")  # fmt: skip


@pytest.fixture(scope="module")
def departures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = agreement_root(tmp_path_factory.mktemp("departures") / "root")
    for name, text in _DEPARTURES_TEXT.items():
        replace_seed(folder, name, (folder / "seeds" / name).read_bytes() + text.encode("utf-8"))
    dates = (("src-b", "2018", "234"), ("src-c", "2018", "12345"), ("src-b", "2014", "2"), ("src-b", "2017", "4"))
    for source_id, year, occurrences in dates:  # src-b's first 2018, 2014 and 2017s were there
        for occurrence in occurrences:
            add_row(
                folder,
                "datasets/exclusions.csv",
                source_id=source_id,
                text=year,
                occurrence=occurrence,
                reason="date",
            )
    # The producer's "more than 500": "nearly 500" and "fewer than 500" state its value, not its interval.
    _statistic(folder, "q-opposite", "count", "more_than 500")
    for claim_id, qualifier, words in (("a-nearly-500", "nearly", "Nearly"), ("b-more-than-500", "more_than", "More than"),
                                       ("c-fewer-than-500", "fewer_than", "Fewer than")):  # fmt: skip
        _claim(folder, claim_id, "q-opposite", f"{words} 500 permits were denied.", f"{words} 500", qualifier)
    # Rounded half-way, in decimals: 1.45 to 1.5, 0.15 to 0.2.
    for statistic_id, primary, value in (("half-1-45", "1.45", "1.5"), ("half-0-15", "0.15", "0.2")):
        _statistic(folder, statistic_id, "percent", f"exact {primary}")
        words = "was" if value == "1.5" else "fell to"
        _claim(
            folder, f"a-{statistic_id}", statistic_id, f"The rate {words} {value} percent.", f"{value} percent", "exact"
        )
    # The producer's approximately 675 over January 2014 to May 2017; src-c drops the hedge and
    # says 2018, another period.
    _statistic(folder, "hedge-period", "count", "approximately 675", "2014-01/2017-05")
    _claim(folder, "b-hedge-period", "hedge-period", "From January 2014 to May 2017, approximately 675 jurisdictions "
           "declined detainers, it said.", "approximately 675", "approximately", "2014-01/2017-05")  # fmt: skip
    # hedge-period-alone: the same reading, and src-c's claim alone.
    _statistic(folder, "hedge-period-alone", "count", "approximately 675", "2014-01/2017-05")
    # (in words of its own each: one citation is one claim)
    for claim_id, statistic_id, said in (("c-hedge-period", "hedge-period", "."),
                                         ("c-hedge-period-alone", "hedge-period-alone", ", it said.")):  # fmt: skip
        _claim(folder, claim_id, statistic_id, f"In 2018, 675 jurisdictions declined detainers{said}", "675", "exact",
               "2018")  # fmt: skip
    # src-c: a part in 2018, its whole and the share as of January 2018, points in time that are
    # one time; src-b: the part as of January 2018, the whole as of February 2018, the share in
    # 2018, which holds each of the others, though they are two times.
    for statistic_id, unit in (("pt-part", "count"), ("pt-whole", "count"), ("pt-share", "percent")):
        _statistic(folder, statistic_id, unit)
    _claim(folder, "c-pt-part", "pt-part", "The sample held 20 files in 2018.", "20", "exact", "2018")
    _claim(folder, "c-pt-whole", "pt-whole", "In January 2018 the archive held 80 files.", "80", "exact", "2018-01")
    _claim(folder, "c-pt-share", "pt-share", "In January 2018 the sample was 25 percent of the archive.", "25 percent",
           "exact", "2018-01")  # fmt: skip
    _claim(folder, "b-pt-part", "pt-part", "The sample held 20 files in January 2018.", "20", "exact", "2018-01")
    _claim(folder, "b-pt-whole", "pt-whole", "In February 2018 the archive held 80 files.", "80", "exact", "2018-02")
    _claim(
        folder,
        "b-pt-share",
        "pt-share",
        "In 2018 the sample was 25 percent of the archive.",
        "25 percent",
        "exact",
        "2018",
    )
    for relation_id, relation, operands in (
        ("pt-part-of", "part_of", "pt-whole"),
        ("pt-share", "share", "pt-part;pt-whole"),
    ):
        add_row(folder, "datasets/relations.csv", relation_id=relation_id, relation=relation,
                statistic_id=relation_id.removesuffix("-of"), operands=operands)  # fmt: skip
    build(folder)
    return folder


@pytest.mark.parametrize(
    ("claim_id", "expected"),
    [
        # claim_id: (value_fidelity, qualifier_fidelity, label) against the producer's "more than 500"
        ("a-nearly-500", ("outside", "changed", "outside")),  # [450, 500] misses (500, open)
        ("b-more-than-500", ("within", "kept", "faithful")),
        ("c-fewer-than-500", ("outside", "changed", "outside")),  # [0, 500) misses it too
    ],
)
def test_a_claim_of_the_primary_value_whose_qualifier_parts_the_intervals_is_outside(
    departures: Path, claim_id: str, expected: tuple[str, ...]
) -> None:
    found = rows(
        departures, "SELECT value_fidelity, qualifier_fidelity, label FROM claim_fidelity WHERE claim_id = ?", claim_id
    )
    assert found == [expected]


def test_the_statistic_and_its_conflicts_agree_with_the_labels_of_an_opposite_qualifier(departures: Path) -> None:
    # statistic_agreement called it a value conflict while no claim was outside, and the pair was charged to neither.
    assert rows(departures, "SELECT verdict FROM statistic_agreement WHERE statistic_id = 'q-opposite'") == [
        ("value_conflict",)
    ]
    found = rows(departures, "SELECT claim_a, claim_b, charged FROM claim_conflicts WHERE statistic_id = 'q-opposite' "
                 "AND reason = 'value'")  # fmt: skip
    assert found == [("b-more-than-500", "a-nearly-500", "claim_b"), ("b-more-than-500", "c-fewer-than-500", "claim_b")]


def test_a_claim_that_drops_the_hedge_still_votes_on_the_period(departures: Path) -> None:
    # "675" of 2018 against approximately 675 of January 2014 to May 2017: its interval stays out
    # of the consensus, its period does not leave the vote (the statistic was consistent, while
    # "about 675" of 2018 made it a period conflict).
    found = rows(
        departures,
        "SELECT statistic_id, consensus_low, consensus_high, periods, n_hedge_dropped, verdict FROM statistic_agreement "
        "WHERE statistic_id LIKE 'hedge-period%'",
    )
    assert found == [
        ("hedge-period", 607.5, 742.5, "2014-01/2017-05; 2018", 1, "period_conflict"),
        # the primary reading and one claim are two voices, as for a claim that keeps the hedge
        ("hedge-period-alone", None, None, "2018", 1, "period_conflict"),
    ]


def test_relations_compare_points_in_time_as_the_other_views_do(departures: Path) -> None:
    found = rows(
        departures,
        "SELECT relation_id, source_id, verdict, reason FROM relation_checks WHERE relation_id LIKE 'pt-%' "
        "AND scope = 'source'",
    )
    assert found == [
        ("pt-part-of", "src-b", "inconsistent", "period"),  # January 2018 is not February 2018
        ("pt-part-of", "src-c", "consistent", None),  # 2018 holds January 2018: one time (was 'period')
        ("pt-share", "src-b", "inconsistent", "period"),  # 2018 meets each, but they are two times
        ("pt-share", "src-c", "consistent", None),  # (was 'period')
    ]


@pytest.mark.parametrize("claim_id", ["a-half-1-45", "a-half-0-15"])
def test_a_rounding_half_way_is_told_in_decimals(departures: Path, claim_id: str) -> None:
    # In binary floating point 1.45 / 0.1 is 14.4999...: 1.5 and 0.2 were not roundings of 1.45
    # and 0.15, and the claims were faithful.
    found = rows(departures, "SELECT value_fidelity, label FROM claim_fidelity WHERE claim_id = ?", claim_id)
    assert found == [("rounded", "rounded")]


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-(10**7), max_value=10**7, places=4, allow_nan=False), st.integers(-3, 5))
def test_rounds_to_rounds_halves_away_from_zero_as_decimals_do(x: Decimal, exponent: int) -> None:
    import duckdb

    from validate.paths import read_sql

    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    step = Decimal(1).scaleb(exponent)
    rounded = (
        x.quantize(step, rounding=ROUND_HALF_UP) if exponent <= 0 else (x / step).quantize(1, ROUND_HALF_UP) * step
    )
    for value, expected in ((rounded, True), (rounded + step, False), (rounded - step, False)):
        found = con.execute("SELECT rounds_to(?::DOUBLE, ?::DOUBLE, ?::DOUBLE)", [float(x), float(value), float(step)])
        assert found.fetchone() == (expected,), (x, value, step)


_DATES = st.sampled_from(["2018", "2019", "2018-01", "2018-02", "2018-12", "2019-01", "2018-01-01", "2018-01-31",
                          "2018-02-01", "2018-12-31", "2019-01-01"])  # fmt: skip


def _days(date: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a reduced-precision date."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return dt.date(*parts), dt.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else None
    first = dt.date(year, month or 1, 1)
    after = dt.date(year + 1, 1, 1) if month in (None, 12) else dt.date(year, (month or 0) + 1, 1)
    return first, after - dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_DATES, _DATES, st.booleans()), min_size=1, max_size=5))
def test_the_extremes_of_many_periods_are_one_exactly_when_every_pair_is(periods: list[tuple[str, str, bool]]) -> None:
    # statistic_agreement and relation_checks judge all periods at once by same_period of their
    # extremes; it must say what same_period over every pair says.
    import duckdb

    from validate.paths import read_sql

    con = duckdb.connect()
    con.execute(read_sql("interval_macros"))
    rows_ = []
    for start, end, point in periods:
        start, end = (start, start) if point else (min(start, end), max(start, end))
        first, last = _days(start)[0], _days(end)[1]
        if first <= last:  # 2018-01-31 to 2018-01 is no period
            rows_.append((first, last, point))
    if not rows_:
        return
    con.execute("CREATE TABLE p (f DATE, t DATE, point BOOLEAN)")
    con.executemany("INSERT INTO p VALUES (?, ?, ?)", rows_)
    pairwise, extremes = con.execute(
        "SELECT (SELECT bool_and(same_period(a.f, a.t, a.point, b.f, b.t, b.point)) FROM p a, p b), "
        "same_period(min(f), min(t), bool_and(point), max(f), max(t), bool_and(point)) FROM p"
    ).fetchone()
    assert pairwise == extremes, rows_


def _copy_claims(folder: Path, statistic_id: str, copies: dict[str, dict[str, str]]) -> None:
    """Add claims to `statistic_id`, each a fixture claim under a new id, quoting its words again
    in a passage of their own (cite_again), with some cells changed: {fixture claim_id:
    {"claim_id": new id, cell: value, ...}}."""
    claims = read_rows(folder / "datasets" / "claims.csv")
    for claim_id, changes in copies.items():
        copied = next(r for r in claims if r[0] == claim_id)
        cells = dict(zip(claims[0], copied, strict=True)) | {"statistic_id": statistic_id} | changes
        # The same words in another place: the same words in the same place would be one claim twice.
        cells["quote"] = cite_again(folder, cells["source_id"], cells["quote"], cells["value_text"], "It says so again")
        add_row(folder, "datasets/claims.csv", **cells)


def test_a_claim_that_counts_something_else_charges_only_itself(tmp_path: Path) -> None:
    # 40 raids in 2016 (meaning same) beside 900 of something else in 2019: the values and the
    # periods differ because the two count different things. The pair was also a value and a
    # period conflict charged 'both', which charged src-a, the faithful source, with the other's
    # departure (red team, item 5); it is one meaning row, charged to the reframing claim.
    folder = agreement_root(tmp_path / "root")
    summary = "SELECT source_id, n_conflicting_claims FROM source_summary ORDER BY source_id"
    before = dict(query(folder, summary)[1])
    add_row(
        folder,
        "datasets/statistics.csv",
        statistic_id="m-other-thing",
        description="Raids, no primary reading.",
        unit="count",
    )
    _copy_claims(
        folder,
        "m-other-thing",
        {
            "a-period-2016": {"claim_id": "a-m-raids"},
            "c-visas-2019": {"claim_id": "c-m-visas", "meaning": "differs", "differs_in": "entity"},
        },
    )
    found = query(
        folder,
        "SELECT claim_a, claim_b, reason, charged FROM claim_conflicts WHERE statistic_id = ? ORDER BY ALL",
        params=["m-other-thing"],
    )[1]
    assert found == [("a-m-raids", "c-m-visas", "meaning", "claim_b")]
    assert dict(query(folder, summary)[1]) == before | {"src-c": before["src-c"] + 1}


def test_one_pair_is_in_one_order_for_all_its_reasons(tmp_path: Path) -> None:
    # Against exact 40 over January 2014 to May 2017, 900 in 2019 is outside (it departs in value
    # alone) and both periods are changed (charged both). The period row took the smaller id
    # first and the value row the departing claim second: one pair, two orders (red team, item
    # 10), so grouping by (claim_a, claim_b) counted it twice.
    folder = agreement_root(tmp_path / "root")
    add_row(
        folder,
        "datasets/statistics.csv",
        statistic_id="fid-order",
        description="Raids; primary exact 40, 2014-01 to 2017-05.",
        unit="count",
        primary_value="40",
        primary_qualifier="exact",
        primary_period_start="2014-01",
        primary_period_end="2017-05",
        primary_locator="Fixture report, page 4",
    )
    # The departing claim has the smaller id, so the order by id and the order by departure differ.
    _copy_claims(
        folder,
        "fid-order",
        {"a-period-2016": {"claim_id": "b-order-40"}, "c-visas-2019": {"claim_id": "a-order-900"}},
    )
    found = query(
        folder,
        "SELECT claim_a, claim_b, reason, charged FROM claim_conflicts WHERE statistic_id = ? ORDER BY ALL",
        params=["fid-order"],
    )[1]
    assert found == [
        ("b-order-40", "a-order-900", "period", "both"),
        ("b-order-40", "a-order-900", "value", "claim_b"),
    ]
