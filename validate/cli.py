"""The `claims` command: a thin layer that calls one library function per command and renders it."""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import polars as pl

import validate
from validate.errors import ClaimsError, InvalidData, UsageError, require_utf8
from validate.findings import DEFAULT_MAX_FINDINGS
from validate.paths import find_root, given_root
from validate.progress import Phases, wanted
from validate.publishing.connection import QUERY_TIMEOUT
from validate.render import FORMATS, json_safe, render, visible

EXIT_VALID, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# The reader of the output went away (`claims claims | head`): the status a shell gives a tool
# that SIGPIPE ends, 128 + 13.
EXIT_PIPE = 141
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


def _seconds(text: str) -> float:
    """--timeout: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


# The largest --max-findings: polars takes the cap as a 32-bit count, and more findings than this
# are no reading for anyone (0 lifts the cap).
MAX_CAP = 1_000_000_000


def _cap(text: str) -> int | None:
    """--max-findings: a whole number, 0 for no cap."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    if value > MAX_CAP:
        raise argparse.ArgumentTypeError(f"{text!r} is more than {MAX_CAP}: for no cap at all, give 0")
    return value or None


def _at_least(minimum: int) -> Callable[[str], int]:
    """A whole-number option of `minimum` or more (--top, --limit): a negative one sliced lists
    from their end."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of {minimum} or more")
        return value

    return whole


def _root(p: argparse.ArgumentParser, legacy: bool = False) -> None:
    """--root, the one way every command names its dataset root. `check` and `build` once took
    it as a positional argument: one given there is refused with the command to use (read as
    before, it skipped the search upward that --root's absence makes: `claims check .` inside
    datasets/ checked datasets/ as a root)."""
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    if legacy:
        p.add_argument("legacy_root", nargs="?", type=Path, default=None, help=argparse.SUPPRESS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Check, build and query the dataset of cited statistics, and add to it.\n\n"
        "exit status: 0 success, 1 invalid data, 2 usage error, 3 internal error,\n"
        "141 the output's reader stopped reading (as `| head` does)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(
        commands,
        "check",
        "run every rule of the contract and report all findings",
        "  claims check\n  claims check --root path/to/copy --format json\n  claims check --format github --changed-since origin/main",
    )
    _root(p, legacy=True)
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
        "check, then write build/claims.duckdb, the data package zip and the static site (build/site)",
        "  claims build\n  claims build --approximately-tolerance 0.05",
    )
    _root(p, legacy=True)
    p.add_argument(
        "--approximately-tolerance",
        type=float,
        default=None,
        help="share of the value an 'approximately' claim spans each way (default 0.10)",
    )

    p = _command(
        commands,
        "sql",
        "run a read-only SQL query on the built database (building it when missing or stale; a dataset the check "
        "refuses is not built: the command lists its findings instead)",
        '  claims sql "SELECT * FROM statistic_agreement WHERE n_sources > 1"\n  claims sql "SELECT * FROM claim_conflicts" --format csv',
    )
    p.add_argument("query", help="the SQL query")
    _root(p)
    p.add_argument(
        "--format",
        choices=QUERY_FORMATS,
        default="table",
        help="table (default), csv or json (which writes a NaN or infinite number as null)",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=QUERY_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the query after this many seconds (default {QUERY_TIMEOUT:g})",
    )

    p = _command(
        commands,
        "docs",
        "regenerate the docs that show live output (figures, SQL answers, rules, this reference)",
        "  claims docs\n  claims docs --check",
    )
    _root(p)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and name the stale files")

    p = _command(
        commands,
        "candidates",
        "list the numbers of a source that no claim and no exclusion accounts for, with the statistics they may be",
        "  claims candidates my-paper\n  claims candidates my-paper --format csv > rows.csv\n  claims candidates --format json --top 10",
    )
    p.add_argument("source_id", nargs="?", help="one source (default: all)")
    _root(p)
    p.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default); csv: claims.csv rows to finish and paste; json: every candidate with all suggestions",
    )
    p.add_argument(
        "--top",
        type=_at_least(0),
        default=3,
        help="suggestions per number in text output (default 3; json gives --top, at least 10)",
    )
    p.add_argument(
        "--max-numbers",
        type=_cap,
        default=DEFAULT_MAX_FINDINGS,
        metavar="N",
        help=f"list at most N numbers a source, counting the rest (default {DEFAULT_MAX_FINDINGS}; 0: all)",
    )

    p = _command(
        commands,
        "exclude",
        "record that a number-like phrase of a source is deliberately not a claim",
        "  claims exclude my-paper 2017 --reason date\n"
        "  claims exclude my-paper 'a 30-year-old' --reason age --note 'the age of one person'\n"
        "  claims exclude my-paper many --reason no-bound --all",
    )
    p.add_argument("source_id", help="the source whose text holds the phrase")
    p.add_argument("text", help="the phrase as the source has it (case included); it may hold words around the number")
    _root(p)
    p.add_argument(
        "--reason",
        required=True,
        help="furniture, age, enumeration, date, duration, no-bound or not-a-statistic (the contract says what each means)",
    )
    p.add_argument(
        "--occurrence",
        type=int,
        help="which whole-word occurrence of TEXT, from 1 (default: the one that holds a number not yet accounted for)",
    )
    p.add_argument("--all", dest="every", action="store_true", help="exclude every occurrence not yet accounted for")
    p.add_argument("--note", help="why, in a few words (where its date or duration is recorded, say)")

    p = _command(
        commands,
        "statistics",
        "list the statistics, ranked by their fit to some words and a value",
        "  claims statistics detainers declined\n  claims statistics --value 'more than 29,000'\n  claims statistics case files --value 40 --format json",
    )
    p.add_argument("words", nargs="*", help="words of what is counted (default: list all)")
    _root(p)
    p.add_argument("--value", help="a value as an article writes it: 675, 'nearly 700', '2.37 million', 'a quarter'")
    p.add_argument(
        "--limit", type=_at_least(1), default=None, help="how many to list (default 10 when ranked, else all)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")

    p = _command(
        commands,
        "claims",
        "list claims, of one source or one statistic",
        "  claims claims --source my-paper\n  claims claims --statistic oig-detainers-declined --format json",
    )
    _root(p)
    p.add_argument("--source", dest="source_id", help="only this source's claims")
    p.add_argument("--statistic", dest="statistic_id", help="only the claims of this statistic")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text", help="text (default), csv or json")

    p = _command(
        commands,
        "add-source",
        "archive a text into seeds/ and append its sources.csv row",
        '  claims add-source article.txt --title "Headline" --publisher "The Paper" --kind news --published 2019-07-17',
    )
    p.add_argument("file", type=Path, help="the article's text, UTF-8")
    _root(p)
    p.add_argument("--title", required=True, help="the article's headline")
    p.add_argument("--publisher", required=True, help="the outlet or site")
    p.add_argument(
        "--kind", required=True, help="news, opinion, blog, aggregator, government-report, press-release or other"
    )
    p.add_argument("--source-id", help="slug (default: from the file name)")
    p.add_argument("--name", help="file name inside seeds/ (default: the file's own name)")
    p.add_argument("--author", help="the byline, if any")
    p.add_argument("--published", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--url", help="where it was published (http or https)")
    p.add_argument("--note", help="what a reader should know about the text (its furniture, what is missing)")

    p = _command(
        commands,
        "add-claim",
        "append one claim, refused with findings if it is wrong",
        "  claims add-claim --source my-paper --statistic oig-detainers-declined \\\n"
        '      --quote "declined more than 29,269 detainers" --value-text "more than 29,269" --counted-as detainers',
    )
    _root(p)
    p.add_argument("--source", required=True, dest="source_id", help="the source_id of the article")
    p.add_argument(
        "--statistic", required=True, dest="statistic_id", help="the statistic it cites (claims statistics finds it)"
    )
    _claim_options(p, required=True)
    p.add_argument("--claim-id", help="slug (default: SOURCE-STATISTIC, numbered if taken)")
    p.add_argument("--description", help="describe a new statistic (with --unit) to add it with the claim")
    p.add_argument("--unit", help="unit of the new statistic: count, percent, percent_change or usd")
    p.add_argument("--primary-source", help="primary source of the new statistic")
    p.add_argument(
        "--statistic-note",
        help="the new statistic's note: what it counts that its description leaves out, or where its figure comes from",
    )
    p.add_argument(
        "--new-statistic",
        action="store_true",
        help="add the described statistic even though its id is nearly an existing one",
    )

    p = _command(
        commands,
        "edit-claim",
        "change cells of one claim, refused with findings if the result is wrong",
        '  claims edit-claim my-paper-oig-detainers-declined --value-text "more than 29,269"   (value and qualifier follow)\n'
        "  claims edit-claim my-claim --note ''   (empties the note)",
    )
    p.add_argument("claim_id", help="the claim to change")
    _root(p)
    p.add_argument("--statistic", dest="statistic_id", help="cite another statistic")
    _claim_options(p, required=False)

    p = _command(
        commands,
        "remove-claim",
        "remove one claim, refused if that breaks a rule (a statistic left uncited, a number left unaccounted for)",
        "  claims remove-claim my-paper-oig-detainers-declined",
    )
    p.add_argument("claim_id", help="the claim to remove")
    _root(p)

    p = _command(
        commands,
        "diff",
        "list the claims added, changed and removed since a git ref, and the statistics whose agreement changed",
        '  claims diff origin/main\n  claims diff HEAD~1 >> "$GITHUB_STEP_SUMMARY"',
    )
    p.add_argument("ref", help="the git ref to compare with (a branch, a tag, a commit)")
    _root(p)
    return parser


# Options that set a claim's cells, shared by add-claim and edit-claim: (option, column, help).
_CLAIM_CELLS = (
    ("--quote", "quote", "verbatim excerpt of the source that states the value"),
    ("--value-text", "value_text", "the words of the quote that state the value, qualifier included"),
    ("--counted-as", "counted_as", "the words of the quote that say what is counted"),
    ("--value", "value", "the value in the statistic's unit (default: read from --value-text)"),
    (
        "--qualifier",
        "qualifier",
        "exact, approximately, nearly, more_than, at_least, fewer_than, at_most or order_of_magnitude (default: read from --value-text)",
    ),
    (
        "--meaning",
        "meaning",
        "same or differs: whether counted_as says what the statistic's description says "
        "(add-claim asks for it, showing the description)",
    ),
    ("--period-start", "period_start", "start of the period: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("--period-end", "period_end", "end of the period (equal to the start for a point in time)"),
    ("--attributed-to", "attributed_to", "who the source says produced the number"),
    ("--note", "note", "what a reader should know about the claim"),
    # Contract v2 columns: written where the dataset's schema has them.
    ("--period-basis", "period_basis", "stated, relative or context: where the period comes from"),
    ("--duration", "duration", "ISO 8601 duration the source states instead of dates (P3Y)"),
    ("--attribution", "attribution", "explicit or inferred: how the source names the producer"),
    ("--via", "via", "an intermediary the source names"),
    ("--differs-in", "differs_in", "with --meaning differs: ;-separated entity, status, scope, tense, time"),
)
_REQUIRED_CELLS = ("quote", "value_text", "counted_as")


def _claim_options(p: argparse.ArgumentParser, required: bool) -> None:
    for option, column, text in _CLAIM_CELLS:
        p.add_argument(option, dest=column, required=required and column in _REQUIRED_CELLS, help=text)


def _check(args: argparse.Namespace) -> int:
    from validate.rules.check import PHASES

    with Phases(PHASES, enabled=wanted(args.format)) as phases:
        report = validate.check(args.root, phases, max_findings=args.max_findings, changed_since=args.changed_since)
    _out(render(report, args.format), args.format)
    return EXIT_VALID if report.valid else EXIT_INVALID


def _build(args: argparse.Namespace) -> int:
    options = {} if args.approximately_tolerance is None else {"approximately_tolerance": args.approximately_tolerance}
    result = validate.build(args.root, **options)
    rows = ", ".join(f"{n} {t}" for t, n in result.rows.items())
    print(f"wrote {result.database} ({rows})")
    print(f"wrote {result.package} ({len(result.members)} files)")
    if result.site is not None:
        print(f"wrote {result.site} (the static site: open index.html)")
    return EXIT_VALID


def _sql(args: argparse.Namespace) -> int:
    from validate.publishing.query import rendered

    columns, rows = validate.query(args.root, args.query, timeout=args.timeout, cap_address_space=True)
    for piece in rendered(columns, rows, args.format):
        _out(piece, args.format)
    return EXIT_VALID


def _docs(args: argparse.Namespace) -> int:
    stale = validate.update_docs(args.root, write_changes=not args.check)
    names = [str(path.relative_to(args.root)) for path in stale]
    if args.check:
        for name in names:
            _say(f"{name} is stale: run `claims docs`", file=sys.stderr)
        return EXIT_INVALID if names else EXIT_VALID
    _say(f"regenerated: {', '.join(names)}" if names else "the docs are current")
    return EXIT_VALID


def _candidates(args: argparse.Namespace) -> int:
    from validate.contributing.candidates_output import (
        candidate_rows,
        candidates_json,
        candidates_left,
        candidates_text,
    )

    top = max(args.top, 10) if args.format == "json" else args.top
    found = validate.candidates(args.root, args.source_id, top=top, limit=args.max_numbers)
    if args.format == "csv":
        text, skipped = candidate_rows(args.root, found)
        _out(text, "csv")
        for line in skipped:
            _say(line, file=sys.stderr)
    elif args.format == "json":
        _out(candidates_json(found), "json")
    else:
        sys.stdout.write(candidates_text(found, args.top))
    for line in candidates_left(found, args.max_numbers):
        print(line, file=sys.stderr)
    return EXIT_VALID


def _exclude(args: argparse.Namespace) -> int:
    rows = validate.exclude(
        args.root, args.source_id, args.text, args.reason, occurrence=args.occurrence, every=args.every, note=args.note
    )
    for row in rows:
        _say(f"excluded {row['text']!r} (occurrence {row['occurrence']}) of {row['source_id']}: {row['reason']}")
    return EXIT_VALID


def _out(text: str, fmt: str) -> None:
    """Write an answer in format `fmt` to standard output. JSON: every control character as an
    escape, the same JSON. CSV: the data as it is into a file or a pipe, but on a terminal each
    line escaped as _say's, so that a cell's ESC or CSI cannot retitle or clear it. The other
    formats escape their data themselves."""
    if fmt == "json":
        text = json_safe(text)
    elif fmt == "csv" and sys.stdout.isatty():
        text = "\n".join(visible(line) for line in text.split("\n"))
    sys.stdout.write(text)


def _say(text: str, file: TextIO | None = None) -> None:
    """Print a line that holds data (ids, texts, messages naming them): a pull request's control
    characters are shown as escapes, never sent to the terminal as they are."""
    print(visible(text), file=file)


def _say_error(command: str, exc: Exception) -> None:
    """An error message, escaped as _say's, keeping its own lines (DuckDB's show the query with
    a caret under the fault): each further line indented, so none can pass for one of ours."""
    first, *rest = str(exc).split("\n")
    _say(f"claims {command}: {first}", file=sys.stderr)
    for line in rest:
        _say(f"  {line}", file=sys.stderr)


def _statistics(args: argparse.Namespace) -> int:
    import json

    ranked = bool(args.words or args.value)
    limit = args.limit if args.limit is not None else (10 if ranked else 1_000_000)
    found = validate.search_statistics(args.root, " ".join(args.words), args.value, limit)
    if args.format == "json":
        _out(json.dumps([m.__dict__ for m in found], indent=2, ensure_ascii=False) + "\n", "json")
        return EXIT_VALID
    for m in found:
        _say(f"{m.statistic_id}" + (f"  (score {m.score:.2f}: {m.reason})" if ranked else ""))
    return EXIT_VALID


def _claims(args: argparse.Namespace) -> int:
    import json

    rows = validate.list_claims(args.root, args.source_id, args.statistic_id)
    if args.format == "json":
        _out(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", "json")
    elif args.format == "csv":
        out = io.StringIO()
        if rows:
            w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        _out(out.getvalue(), "csv")
    else:
        for r in rows:
            _say(f"{r.get('claim_id')}: {r.get('value_text')!r} of {r.get('statistic_id')} in {r.get('source_id')}")
        print(f"{len(rows)} claim{'s' if len(rows) != 1 else ''}")
    return EXIT_VALID


def _edit_claim(args: argparse.Namespace) -> int:
    columns = [c for _, c, _ in _CLAIM_CELLS] + ["statistic_id"]
    changes = {c: getattr(args, c) for c in columns if getattr(args, c) is not None}
    if not changes:
        raise UsageError("nothing to change: give at least one option, such as --quote or --value-text")
    row = validate.edit_claim(args.root, args.claim_id, changes)
    _say(f"changed claim {row['claim_id']}: {', '.join(sorted(changes))}")
    _tell_standing(args.root, str(row["claim_id"]))
    return EXIT_VALID


def _tell_standing(root: Path, claim_id: str) -> None:
    """The views' judgement of a claim just written: its fidelity label and disagreements. The
    claim is written whatever follows; a dataset that does not build (findings older than this
    claim) leaves it unjudged, said so."""
    try:
        standing = validate.claim_standing(root, claim_id)
    except Exception:  # a broken older row can fail the build in many ways; the claim stands
        _say("its standing: not judged, the dataset does not build (claims check says why)")
        return
    for line in standing.describe():
        _say(line)


def _remove_claim(args: argparse.Namespace) -> int:
    row = validate.remove_claim(args.root, args.claim_id)
    _say(f"removed claim {row.get('claim_id')} ({row.get('value_text')!r} of {row.get('statistic_id')})")
    return EXIT_VALID


def _diff(args: argparse.Namespace) -> int:
    from validate.contributing.diff import render as render_diff

    sys.stdout.write(render_diff(validate.diff(args.root, args.ref)))
    return EXIT_VALID


def _add_source(args: argparse.Namespace) -> int:
    row = validate.add_source(
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
    _say(f"added source {row['source_id']}: seeds/{row['file']} (sha256 {row['sha256']})")
    return EXIT_VALID


def _add_claim(args: argparse.Namespace) -> int:
    extra_columns = ("period_basis", "duration", "attribution", "via", "differs_in")
    row = validate.add_claim(
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
        statistic_note=args.statistic_note,
        new_statistic=args.new_statistic,
        extra={c: getattr(args, c) for c in extra_columns if getattr(args, c) is not None},
    )
    _say(f"added claim {row['claim_id']}: {row['value_text']} = {row['qualifier']} {row['value']}")
    _tell_standing(args.root, str(row["claim_id"]))
    return EXIT_VALID


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": _check,
    "build": _build,
    "sql": _sql,
    "docs": _docs,
    "candidates": _candidates,
    "exclude": _exclude,
    "statistics": _statistics,
    "claims": _claims,
    "add-source": _add_source,
    "add-claim": _add_claim,
    "edit-claim": _edit_claim,
    "remove-claim": _remove_claim,
    "diff": _diff,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    try:
        # argparse's own output (--help) ignores a closed pipe already.
        parser = _parser()
        args = parser.parse_args(argv)
        status = _dispatch(args, _argument_names(parser, args.command))
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the interpreter's exit
        return status
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """Exit quietly when the output's reader has gone, as Unix tools do. Output still buffered
    would fail again when the interpreter flushes it at exit: stdout is pointed at the null
    device first (the recipe of Python's signal module documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout with no file descriptor (a test's capture) has nothing to flush
        pass
    return EXIT_PIPE


def _argument_names(parser: argparse.ArgumentParser, command: str) -> dict[str, str]:
    """How the command's arguments are given, by their names in the parsed arguments: an
    option's flag (--via), a positional argument's name in words (claim id)."""
    for action in parser._actions:  # argparse keeps its sub-parsers on this private action only
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return {
                a.dest: a.option_strings[-1] if a.option_strings else "the " + a.dest.replace("_", " ")
                for a in action.choices[command]._actions
            }
    return {}


def _refuse_arguments_not_utf8(args: argparse.Namespace, names: dict[str, str]) -> None:
    """Every text argument must be UTF-8: one that is not reaches Python as lone surrogates, which
    no CSV, database or query holds (add-source --title failed as it wrote sources.csv). Paths
    are left alone: a file name need not be UTF-8."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                require_utf8(names.get(name, name.replace("_", " ")), item)


def _dispatch(args: argparse.Namespace, names: dict[str, str]) -> int:
    """One command, its errors turned into a message and an exit status."""
    try:
        legacy = getattr(args, "legacy_root", None)
        if legacy is not None:
            raise UsageError(
                f"the dataset root is given with --root, not as an argument: claims {args.command} --root {legacy} "
                f"(or, inside the dataset, claims {args.command})"
            )
        if getattr(args, "root", False) is None:
            args.root = find_root()
        elif getattr(args, "root", None) is not None:
            args.root = given_root(args.root)  # every command refuses a root that is no folder alike
        _refuse_arguments_not_utf8(args, names)
        return COMMANDS[args.command](args)
    except InvalidData as exc:
        print(f"claims {args.command}: refused, the data would not be valid:", file=sys.stderr)
        sys.stderr.write(render(exc.report, "text"))
        return EXIT_INVALID
    except UsageError as exc:
        _say_error(args.command, exc)
        return EXIT_USAGE
    except ClaimsError as exc:
        _say_error(args.command, exc)
        return EXIT_INVALID
    except BrokenPipeError:
        raise  # main() ends quietly
    # The promise is a message, never a traceback; a panic in native code (polars raises its
    # PanicException as a BaseException) is an internal error too.
    except (Exception, pl.exceptions.PanicException) as exc:
        # An exception's text may quote the data (a cell, a file name): escaped like any other.
        _say(
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
