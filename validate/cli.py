"""The `claims` command: a thin layer that calls one library function per command and renders it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .check import PHASES, check
from .errors import ClaimsError, UsageError
from .paths import REPO_ROOT
from .progress import Phases, wanted
from .render import FORMATS, render

EXIT_VALID, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Check, build and query the dataset of cited statistics.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = commands.add_parser(
        "check",
        help="run every rule of the contract and report all findings",
        description="Run every rule of the data contract over a dataset root and report all findings.\n\n"
        "example:\n  claims check\n  claims check path/to/copy --format json\n\n"
        "exit status: 0 valid, 1 findings, 2 usage error",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("root", nargs="?", type=Path, default=REPO_ROOT, help="dataset root (default: this repository)")
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or github annotations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            with Phases(PHASES, enabled=wanted(args.format)) as phases:
                report = check(args.root, phases)
            sys.stdout.write(render(report, args.format))
            return EXIT_VALID if report.valid else EXIT_INVALID
    except UsageError as exc:
        print(f"claims: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClaimsError as exc:
        print(f"claims: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:
        print(
            f"claims: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
