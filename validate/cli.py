"""The `claims` command: a thin layer that calls one library function per command and renders it."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from validate.errors import ClaimsError, InvalidData, UsageError
from validate.findings import DEFAULT_MAX_FINDINGS
from validate.paths import find_root
from validate.progress import Phases, wanted
from validate.render import FORMATS, render

EXIT_VALID, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
QUERY_FORMATS = ("table", "csv", "json")
ROOT_HELP = "dataset root (default: the nearest folder with datapackage.json, from here up)"


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, examples: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}.\n\nexamples:\n{examples}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _cap(text: str) -> int | None:
    """--max-findings: a whole number, 0 for no cap."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return value or None


def _root(p: argparse.ArgumentParser) -> None:
    p.add_argument("root", nargs="?", type=Path, default=None, help=ROOT_HELP)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Check, build and query the dataset of cited statistics.\n\n"
        "exit status: 0 success, 1 invalid data, 2 usage error, 3 internal error",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(
        commands,
        "check",
        "run every rule of the contract and report all findings",
        "  claims check\n  claims check path/to/copy --format json\n  claims check --format github --changed-since origin/main",
    )
    _root(p)
    p.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), json, github annotations, markdown table"
    )
    p.add_argument("--changed-since", metavar="REF", help="report only findings in rows added or changed since git REF")
    p.add_argument(
        "--max-findings",
        type=_cap,
        default=DEFAULT_MAX_FINDINGS,
        metavar="N",
        help=f"report at most N findings per file and check, counting the rest (default {DEFAULT_MAX_FINDINGS}; 0: all)",
    )

    p = _command(
        commands,
        "build",
        "check, then write build/claims.duckdb and the data package zip",
        "  claims build\n  claims build --approximately-tolerance 0.05",
    )
    _root(p)
    p.add_argument(
        "--approximately-tolerance",
        type=float,
        default=None,
        help="share of the value an 'approximately' claim spans each way (default 0.10)",
    )

    p = _command(
        commands,
        "sql",
        "run a read-only SQL query on the built database (building it when missing or stale)",
        '  claims sql "SELECT * FROM statistic_agreement WHERE n_sources > 1"\n  claims sql "SELECT * FROM claim_conflicts" --format csv',
    )
    p.add_argument("query", help="the SQL query")
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--format", choices=QUERY_FORMATS, default="table", help="table (default), csv or json")

    p = _command(
        commands,
        "docs",
        "regenerate the docs that show live output (figures, SQL answers, rules, this reference)",
        "  claims docs\n  claims docs --check",
    )
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and name the stale files")

    p = _command(
        commands,
        "candidates",
        "list numbers in a source's text that no claim covers yet",
        "  claims candidates\n  claims candidates western-journal-ice-counter-terrorism --format csv",
    )
    p.add_argument("source_id", nargs="?", help="one source (default: all)")
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--format", choices=("text", "csv"), default="text", help="text (default) or csv claim rows to edit")

    p = _command(
        commands,
        "add-source",
        "archive a text into seeds/ and append its sources.csv row",
        '  claims add-source article.txt --title "Headline" --publisher "The Paper" --kind news --published 2019-07-17',
    )
    p.add_argument("file", type=Path, help="the article's text, UTF-8")
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--title", required=True)
    p.add_argument("--publisher", required=True)
    p.add_argument(
        "--kind", required=True, help="news, opinion, blog, aggregator, government-report, press-release or other"
    )
    p.add_argument("--source-id", help="slug (default: from the file name)")
    p.add_argument("--name", help="file name inside seeds/ (default: the file's own name)")
    for option in ("--author", "--published", "--url", "--note"):
        p.add_argument(option)

    p = _command(
        commands,
        "add-claim",
        "append one claim, refused with findings if it is wrong",
        "  claims add-claim --source my-paper --statistic oig-detainers-declined \\\n"
        '      --quote "declined more than 29,269 detainers" --value-text "more than 29,269" --counted-as detainers',
    )
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--source", required=True, dest="source_id")
    p.add_argument("--statistic", required=True, dest="statistic_id")
    p.add_argument("--quote", required=True)
    p.add_argument("--value-text", required=True)
    p.add_argument("--counted-as", required=True, help="the words of the quote that say what is counted")
    p.add_argument("--value", help="default: read from --value-text")
    p.add_argument("--qualifier", help="default: read from --value-text")
    p.add_argument("--meaning", default="same", choices=("same", "differs"))
    p.add_argument("--claim-id")
    for option in ("--period-start", "--period-end", "--attributed-to", "--note"):
        p.add_argument(option)
    p.add_argument("--description", help="describe a new statistic (with --unit) to add it with the claim")
    p.add_argument("--unit", help="unit of the new statistic")
    p.add_argument("--primary-source", help="primary source of the new statistic")
    return parser


def _check(args: argparse.Namespace) -> int:
    from validate.rules.check import PHASES, check

    with Phases(PHASES, enabled=wanted(args.format)) as phases:
        report = check(args.root, phases, max_findings=args.max_findings)
    if args.changed_since:
        from validate.rules.changed_since import changed_rows, only_changed

        report = only_changed(report, changed_rows(args.root, args.changed_since))
    sys.stdout.write(render(report, args.format))
    return EXIT_VALID if report.valid else EXIT_INVALID


def _build(args: argparse.Namespace) -> int:
    from validate.publishing.build import build

    options = {} if args.approximately_tolerance is None else {"approximately_tolerance": args.approximately_tolerance}
    result = build(args.root, **options)
    rows = ", ".join(f"{n} {t}" for t, n in result.rows.items())
    print(f"wrote {result.database} ({rows})")
    print(f"wrote {result.package} ({len(result.members)} files)")
    return EXIT_VALID


def _sql(args: argparse.Namespace) -> int:
    from validate.publishing.query import query, render_rows

    columns, rows = query(args.root, args.query)
    sys.stdout.write(render_rows(columns, rows, args.format))
    return EXIT_VALID


def _docs(args: argparse.Namespace) -> int:
    from validate.publishing import docs

    stale = docs.regenerate(args.root)
    names = sorted(str(path.relative_to(args.root)) for path in stale)
    if args.check:
        for name in names:
            print(f"{name} is stale: run `claims docs`", file=sys.stderr)
        return EXIT_INVALID if names else EXIT_VALID
    docs.write(stale)
    print(f"regenerated: {', '.join(names)}" if names else "the docs are current")
    return EXIT_VALID


def _candidates(args: argparse.Namespace) -> int:
    from validate.contributing.candidates import candidates

    found = candidates(args.root, args.source_id)
    if args.format == "csv":
        from validate.contributing.add import slug
        from validate.paths import Layout
        from validate.reading.table_schema import load_schema

        # Rows in claims.csv's own columns, to paste and finish: statistic_id and counted_as are
        # the contributor's to fill, and the check will say so until they are.
        columns = load_schema(Layout(args.root).schema("claims")).names
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for n, c in enumerate(found, start=1):
            w.writerow(
                {
                    "claim_id": slug(f"{c.source_id[:40]}-candidate-{n}"),
                    "source_id": c.source_id,
                    "quote": c.sentence,
                    "value_text": c.value_text,
                    "value": "" if c.value is None else f"{c.value:g}",
                    "qualifier": c.qualifier or "",
                    "period_start": c.period_start,
                    "period_end": c.period_end,
                    "meaning": "same",
                    "note": c.note,
                }
            )
        sys.stdout.write(out.getvalue())
    else:
        for c in found:
            reading = f"{c.qualifier} {c.value:g}" if c.value is not None else c.note
            period = f", {c.period_start} to {c.period_end}" if c.period_start else ""
            print(f"{c.source_id}: {c.value_text!r} ({reading}{period})\n    {c.sentence}")
        print(f"{len(found)} candidate{'s' if len(found) != 1 else ''}")
    return EXIT_VALID


def _add_source(args: argparse.Namespace) -> int:
    from validate.contributing.add import add_source

    row = add_source(
        args.root,
        args.file,
        title=args.title,
        publisher=args.publisher,
        kind=args.kind,
        source_id=args.source_id,
        name=args.name,
        author=args.author,
        published=args.published,
        url=args.url,
        note=args.note,
    )
    print(f"added source {row['source_id']}: seeds/{row['file']} (sha256 {row['sha256']})")
    return EXIT_VALID


def _add_claim(args: argparse.Namespace) -> int:
    from validate.contributing.add import add_claim

    row = add_claim(
        args.root,
        source_id=args.source_id,
        statistic_id=args.statistic_id,
        quote=args.quote,
        value_text=args.value_text,
        counted_as=args.counted_as,
        value=args.value,
        qualifier=args.qualifier,
        meaning=args.meaning,
        period_start=args.period_start,
        period_end=args.period_end,
        attributed_to=args.attributed_to,
        note=args.note,
        claim_id=args.claim_id,
        description=args.description,
        unit=args.unit,
        primary_source=args.primary_source,
    )
    print(f"added claim {row['claim_id']}: {row['value_text']} = {row['qualifier']} {row['value']}")
    return EXIT_VALID


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": _check,
    "build": _build,
    "sql": _sql,
    "docs": _docs,
    "candidates": _candidates,
    "add-source": _add_source,
    "add-claim": _add_claim,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "root", False) is None:
            args.root = find_root()
        return COMMANDS[args.command](args)
    except InvalidData as exc:
        print(f"claims {args.command}: refused, the data would not be valid:", file=sys.stderr)
        sys.stderr.write(render(exc.report, "text"))
        return EXIT_INVALID
    except UsageError as exc:
        print(f"claims {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClaimsError as exc:
        print(f"claims {args.command}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # the promise is a message, never a traceback
        print(
            f"claims: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())


def parser() -> argparse.ArgumentParser:
    """The `claims` argument parser (the CLI reference in docs/cli.md is generated from it)."""
    return _parser()
