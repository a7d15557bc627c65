"""`check(root)`: every rule of the contract over one dataset root, all findings in one report."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import polars as pl

from validate.findings import DEFAULT_MAX_FINDINGS, Cap, Finding, Report, Scope
from validate.kernels.cells import aligned, profile_columns
from validate.paths import TABLES, Layout, given_root
from validate.progress import Phases
from validate.publishing.derived import derived_from
from validate.publishing.package import descriptor_problem
from validate.reading.csv_file import Table, empty_table, read_table
from validate.reading.git_attributes import git_attributes_findings
from validate.reading.seeds import Seeds, inspect, leads_outside
from validate.reading.stray_files import stray_file_findings
from validate.reading.table_schema import SchemaFileError, TableSchema, load_schema
from validate.rules import claims as claim_rules
from validate.rules import coverage
from validate.rules import exclusions as exclusion_rules
from validate.rules import relations as relation_rules
from validate.rules import sources as source_rules
from validate.rules import statistics as statistic_rules
from validate.rules.cell_rules import every_text_cell
from validate.rules.columns import FOLDING, PUBLISHED, TEXT
from validate.rules.context import Context
from validate.rules.contract import CONTRACT, contract_findings
from validate.rules.pandera_run import early_rules, results, run_rules
from validate.rules.rule import Rule
from validate.rules.schema_rules import schema_rules
from validate.rules.seed_names import seed_name_findings
from validate.text.number_phrases import Proposed

# A claims.csv with one of these says nothing about which statistics are cited.
_UNREADABLE = {"missing-file", "source-error", "blank-header"}
# Phases a check reports: read each table, read the seeds, check each table.
PHASES = 2 * len(TABLES) + 1
_TABLE_RULES = {
    "sources": source_rules,
    "statistics": statistic_rules,
    "claims": claim_rules,
    "relations": relation_rules,
    "exclusions": exclusion_rules,
}
# The claims' columns that statistics.primary_claim_id compares with the primary reading.
_READING = ("claim_id", "statistic_id", "value", "qualifier", "period_start", "period_end")


def check(
    root: Path | str,
    progress: Phases | None = None,
    *,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
    changed_since: str | None = None,
    scope: Scope | None = None,
) -> Report:
    """Validate the dataset at `root` against its schemas and the contract's rules; at most
    `max_findings` findings per file and check code (None: all), the rest counted. With
    `changed_since` (a git ref), only the findings of the rows changed since it and of the
    whole files and dataset (what CI annotates on a pull request); the cap is of those. With a
    `scope`, only its findings are reported, and the cap is of them."""
    root = given_root(root)
    if changed_since is not None:
        from validate.rules.changed_since import ChangedRows, changed_rows, only_changed

        # Known before the check, so that the cap is of the changed rows' findings.
        changed = changed_rows(root, changed_since)
        report = check(root, progress, max_findings=max_findings, scope=ChangedRows(changed))
        return only_changed(report, changed)
    cap = Cap(max_findings, scope)
    phases = progress or Phases(0, enabled=False)
    layout = Layout(root)
    # One thread beside the check: it reads the seeds while the CSVs are parsed, then runs the
    # coverage rule (its regex pass over the texts first) while the tables are checked. One
    # profiles each table's cells once it is read, one works out the rules that need no derived
    # column beside each table's enrichment.
    with (
        ThreadPoolExecutor(max_workers=1) as background,
        ThreadPoolExecutor(max_workers=1) as pool,
        ThreadPoolExecutor(max_workers=1) as screener,
    ):
        return _check(layout, phases, cap, background, pool, screener)


def _check(
    layout: Layout,
    phases: Phases,
    cap: Cap,
    background: ThreadPoolExecutor,
    pool: ThreadPoolExecutor,
    screener: ThreadPoolExecutor,
) -> Report:
    findings: list[Finding] = []
    schemas: dict[str, TableSchema] = {}
    for name in TABLES:
        if leads_outside(layout.root, layout.schema(name)):
            findings.append(_outside(layout, layout.schema(name), "schema-error"))
            continue
        try:
            schemas[name] = load_schema(layout.schema(name))
            findings.extend(contract_findings(layout.rel(layout.schema(name)), name, schemas[name]))
            findings.extend(_derived_clashes(layout, name, schemas[name]))
        except SchemaFileError as exc:
            findings.append(
                Finding(
                    file=layout.rel(layout.schema(name)),
                    check="schema-error",
                    message=f"{exc}: restore it from the repository's schema/ folder",
                )
            )
    tables: dict[str, Table] = {}
    plans: dict[str, tuple[list[Rule], set[str]]] = {}
    # Each table's columns profiled (in C, without the GIL) from the moment it is read, while the
    # tables after it are read and the ones before it checked: at a million claims, the claims'
    # 0.4 s had started only once every table was read, and the claims' check waited for it.
    profiled: dict[str, Future[pl.DataFrame]] = {}
    # The seeds are read in Python (hashing, decoding, normalising) while polars and DuckDB read
    # the larger CSVs in native code without the GIL: the two overlap on a 2-core machine.
    seeds: Future[Seeds] | None = None
    for name, schema in schemas.items():
        phases.step(f"reading {name}.csv")
        if leads_outside(layout.root, layout.csv(name)):
            outside = _outside(layout, layout.csv(name), "source-error")
            table = empty_table(name, outside.file, schema.names, [outside])
        else:
            table = read_table(layout.csv(name), layout.rel(layout.csv(name)), name, schema, cap)
        tables[name] = table
        findings.extend(table.findings)
        plans[name] = _runnable(_rules(name, schema), table)
        profiled[name] = pool.submit(profile_columns, table.frame, {c for r in plans[name][0] for c in r.profiled})
        if name == "sources":
            seeds = background.submit(inspect, layout.seeds, _files(table))
    phases.step("reading seeds/")
    ctx = _context(seeds.result() if seeds is not None else inspect(layout.seeds, []), tables)
    # Polars' regex pass over the texts holds no GIL: it takes up the core the tables' rules leave idle.
    # Started only where the rule will run: a claim of an unknown source silences it.
    runs = _coverage_readable(tables) and coverage.applies(tables["sources"].frame, tables["claims"].frame)
    proposed = background.submit(coverage.proposals, ctx.sources) if runs else None
    claimed: Future[coverage.Claimed] | None = None
    covered: Future[list[Finding]] | None = None
    if ctx.seeds.escaped:
        findings.append(_outside(layout, layout.seeds, "file-outside-seeds"))
    problem = descriptor_problem(layout)
    if problem is not None:
        findings.append(
            Finding(
                file=layout.rel(layout.datapackage),
                check="package-error",
                message=f"{problem} (claims build writes the data package from it)",
            )
        )
    findings.extend(git_attributes_findings(layout))
    findings.extend(stray_file_findings(layout))
    if "sources" in tables:
        findings.extend(source_rules.unlisted_seeds(ctx, tables["sources"].file))
        findings.extend(seed_name_findings(tables["sources"], cap))
    enriched: dict[str, pl.DataFrame] = {}
    last = list(tables)[-1] if tables else None
    for name, table in tables.items():
        phases.step(f"checking {table.frame.height} rows of {name}.csv")
        runnable, missing = plans[name]
        # Every column of the contract, whether or not a rule reads it: the build and the
        # views do (a sources schema without source_id checked valid and stopped the build).
        for column in sorted(missing | (set(CONTRACT.get(name, {})) - set(schemas[name].names))):
            findings.append(
                Finding(
                    file=layout.rel(layout.schema(name)),
                    column=column,
                    check="schema-error",
                    message=f"the schema does not declare column {column!r}, which the contract requires: "
                    "restore it from the repository's schema/ folder",
                )
            )
        frame = profiled.pop(name).result()
        # The rules that need no derived column (patterns, enums, lengths, keys: most of the
        # screen's work) are worked out beside the enrichment, whose two threads leave a core
        # idle part of the time; only the rest wait for it.
        early = screener.submit(results, frame, runnable, early_rules(frame, runnable))
        frame = aligned(_TABLE_RULES[name].enrich(frame, ctx))
        # The coverage rule reads the normalised quotes and the exclusions' spans; the other
        # derived columns (a few hundred MB at a million claims) are let go after the rules.
        enriched[name] = frame.select(c for c in coverage.READS.get(name, ()) if c in frame.columns)
        if name == "claims" and proposed is not None:
            # The claims' spans need nothing of the tables after them: worked out beside the rules.
            claimed = background.submit(coverage.claimed_in_all, enriched[name], ctx.sources)
        if name == last and proposed is not None:
            # Every table the coverage rule reads is enriched, and every finding of sources.csv
            # (the first table) made: the rule runs in the background thread, after the regex
            # pass and the claims' spans, beside the last table's rules (which count findings of
            # their own file in `cap`, the rule those of the seeds).
            covered = background.submit(
                _coverage, layout, dict(tables), dict(enriched), ctx, list(findings), proposed, claimed, cap
            )
        found = run_rules(table, frame, runnable, early.result(), cap)
        # A missing cell is reported once, as missing-cell, not again as an empty required cell.
        findings.extend(
            f for f in found if not (f.check == "constraint-error" and (f.row, f.column) in table.missing_cells)
        )
        # What is left to do reads only the coverage rule's columns of a checked table: the
        # rest (at a million claims, some 300 MB of the claims' other columns) is let go before
        # the coverage rule's own allocations, which are the check's peak.
        if name in coverage.READS:
            tables[name] = replace(
                table, frame=table.frame.select(c for c in coverage.READS[name] if c in table.frame.columns)
            )
        if name == "statistics":
            ctx.claims = ctx.cited = None  # the claims' columns the statistics' rules read
        del frame, found
    if covered is not None:
        findings.extend(covered.result())
    return cap.report(findings)


def _rules(name: str, schema: TableSchema) -> list[Rule]:
    """The schema's rules, the table's own, and the formula rule on every text cell."""
    rules: list[Rule] = schema_rules(schema) + _TABLE_RULES[name].rules()
    return rules + every_text_cell(schema, rules)


# The columns the coverage rule needs of each table.
_COVERAGE_NEEDS = {
    "sources": {"source_id", "file"},
    "claims": {"source_id", "quote", "value_text"},
    "exclusions": {"source_id", "text", "occurrence"},
}


def _coverage_readable(tables: dict[str, Table]) -> bool:
    """Whether claims and exclusions could be read (otherwise every number would be reported)."""
    for name, columns in _COVERAGE_NEEDS.items():
        table = tables.get(name)
        if (
            table is None
            or not columns <= set(table.frame.columns)
            or any(f.check in _UNREADABLE for f in table.findings)
        ):
            return False
    return True


def _coverage(
    layout: Layout,
    tables: dict[str, Table],
    enriched: dict[str, pl.DataFrame],
    ctx: Context,
    found: list[Finding],
    proposed: Future[Proposed],
    claimed: Future[coverage.Claimed] | None,
    cap: Cap,
) -> list[Finding]:
    """The coverage rule (where _coverage_readable), over the sources whose rows have no finding
    (a seed listed twice, a wrong hash); `proposed` is coverage.proposals of ctx.sources, and
    `claimed` coverage.claimed_in_all of the enriched claims (None if the claims had none), both
    worked out in the thread that runs this, before it."""
    exclusions = enriched.get("exclusions", tables["exclusions"].frame)
    claims = enriched.get("claims", tables["claims"].frame)
    sources = tables["sources"]
    faulty = {f.row for f in found if f.file == sources.file and f.row is not None}
    skip = frozenset(
        sid
        for sid, row in zip(sources.frame.get_column("source_id").to_list(), sources.rows, strict=True)
        if row in faulty
    )
    spans = claimed.result() if claimed is not None else None
    return coverage.findings(
        layout, sources.frame, ctx.sources, claims, exclusions, skip, proposed.result(), spans, cap
    )


def _derived_clashes(layout: Layout, name: str, schema: TableSchema) -> list[Finding]:
    """A field named like a column the build derives, or two date fields that derive one column
    (seen and seen_start both make seen_from), would stop the build, or have one column replaced
    by another without a word (DuckDB's names ignore case)."""
    file = layout.rel(layout.schema(name))
    out = []
    derived: dict[str, tuple[str, str | None]] = {}
    for column, source in derived_from(name, schema):
        earlier = derived.setdefault(column.lower(), (column, source))
        if earlier[1] != source and source is not None:
            by = f"date field {earlier[1]!r}" if earlier[1] else "the build"
            out.append(
                Finding(
                    file=file,
                    column=source,
                    check="schema-error",
                    message=f"date field {source!r} derives the column {column!r}, which {by} derives too: "
                    "rename the field",
                )
            )
    for f in schema.fields:
        if f.name.lower() in derived:
            out.append(
                Finding(
                    file=file,
                    column=f.name,
                    check="schema-error",
                    message=f"field {f.name!r} takes the name of the column {derived[f.name.lower()][0]!r} that the "
                    f"database derives for {name}: rename the field",
                )
            )
    return out


def _outside(layout: Layout, path: Path, code: str) -> Finding:
    return Finding(
        file=layout.rel(path),
        check=code,
        message=f"{layout.rel(path)} is a link that leads outside the dataset root, so it is not read: "
        "commit the file or folder itself",
    )


def _runnable(rules: list[Rule], table: Table) -> tuple[list[Rule], set[str]]:
    """The rules the table's columns allow, and the columns they need that it lacks."""
    columns = set(table.frame.columns)
    ok = [r for r in rules if r.needs <= columns and r.column in columns]
    missing = {c for r in rules for c in (r.needs | {r.column}) if c not in columns}
    return ok, missing


def _files(sources: Table) -> list[str | None]:
    """The `file` value of each row of sources.csv (none when the column is missing)."""
    if "file" not in sources.frame.columns:
        return []
    return sources.frame.get_column("file").to_list()


def _context(seeds: Seeds, tables: dict[str, Table]) -> Context:
    sources = tables.get("sources")
    statistics = tables.get("statistics")
    claims = tables.get("claims")
    if sources is not None and {"source_id", "file"} <= set(sources.frame.columns):
        published = pl.col("published") if "published" in sources.frame.columns else pl.lit(None, dtype=pl.String)
        by_file = sources.frame.select("source_id", "file", published.alias(PUBLISHED)).join(
            seeds.texts, on="file", how="left", maintain_order="left"
        )
        source_frame = by_file.select("source_id", TEXT, PUBLISHED, FOLDING)
    else:
        source_frame = pl.DataFrame(
            schema={"source_id": pl.String, TEXT: pl.String, PUBLISHED: pl.String, FOLDING: pl.String}
        )
    if statistics is not None and {"statistic_id", "unit"} <= set(statistics.frame.columns):
        stat_frame = statistics.frame.select("statistic_id", "unit")
    else:
        stat_frame = pl.DataFrame(schema={"statistic_id": pl.String, "unit": pl.String})
    cited = None
    unreadable = claims is None or any(
        f.check in _UNREADABLE or (f.check == "missing-label" and f.column == "statistic_id") for f in claims.findings
    )
    if not unreadable and claims is not None and "statistic_id" in claims.frame.columns:
        cited = claims.frame.get_column("statistic_id").drop_nulls()
    readings = None
    if not unreadable and claims is not None and "claim_id" in claims.frame.columns:
        readings = claims.frame.select(
            pl.col(c) if c in claims.frame.columns else pl.lit(None, dtype=pl.String).alias(c) for c in _READING
        )
    return Context(
        seeds=seeds,
        sources=source_frame,
        statistics=stat_frame,
        cited=cited,
        has_sources=sources is not None and "source_id" in sources.frame.columns,
        has_statistics=statistics is not None and "statistic_id" in statistics.frame.columns,
        claims=readings,
    )
