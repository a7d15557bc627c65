"""`claims docs`: regenerate the parts of the docs that show live output, or report which are stale.

Three kinds of generated text, so that no doc can drift from the code or the data:
- a block between `<!-- claims docs: NAME -->` and `<!-- /claims docs -->`, made by the generator
  NAME (the rules table from the check-code registry, the CLI reference from `--help`, the
  qualifier words that may be prepositions, the dataset's figures);
- the ```text block that follows a ```sql block: the query's real answer on the built database,
  as `claims sql` prints it;
- nothing else: prose is written by people.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from validate.atomic import write_atomic
from validate.errors import UsageError
from validate.paths import Layout, given_root
from validate.publishing.query import query, render_rows
from validate.reading.files import FileRefused, read_regular
from validate.rules.registry import CODES
from validate.text.value_text import PREPOSITION_AFTER

# README.md and docs/*.md of the dataset root are the documents.
_BLOCK = re.compile(r"(<!-- claims docs: ([a-z-]+) -->\n)(.*?)(<!-- /claims docs -->)", re.S)
# The answer may be empty (a new question): the lazy optional group then ends at the very next
# fence, instead of running on to the next block's end.
_SQL = re.compile(r"(```sql\n(.*?)\n```\n\n?```text\n)(?:(.*?)\n)??(```)", re.S)
_HELP_WIDTH = 100


def documents(layout: Layout) -> list[Path]:
    """The documents `claims docs` keeps current: README.md and every docs/*.md, regular files
    reached through no link (a docs/ that was a link to another folder had that folder's files
    read and rewritten)."""
    folder = layout.root / "docs"
    if folder.is_symlink():
        raise UsageError(
            "docs is a link, and claims docs reads and writes only the dataset root's own files: "
            "commit the folder itself"
        )
    found = [layout.root / "README.md", *(sorted(folder.glob("*.md")) if folder.is_dir() else [])]
    return [p for p in found if p.is_file() and not p.is_symlink()]


def _read(layout: Layout, path: Path) -> str:
    """A document's text, through the guarded reader; a usage error naming it if it is not text."""
    try:
        data = read_regular(path, len(path.relative_to(layout.root).parts))
    except (FileRefused, OSError) as exc:
        raise UsageError(f"{layout.rel(path)} {getattr(exc, 'reason', exc)}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{layout.rel(path)} is not UTF-8 text (byte {exc.start}): save it as UTF-8, or move it out of docs/"
        ) from exc


def regenerate(root: Path) -> dict[Path, str]:
    """Each document whose generated parts are out of date, with its regenerated text."""
    layout = Layout(root)
    changed: dict[Path, str] = {}
    for path in documents(layout):
        old = _read(layout, path)
        new = _BLOCK.sub(partial(_block, layout, path), old)
        new = _SQL.sub(lambda m: m.group(1) + _answer(layout, m.group(2)) + "\n" + m.group(4), new)
        if new != old:
            changed[path] = new
    return changed


def _block(layout: Layout, path: Path, m: re.Match[str]) -> str:
    name = m.group(2)
    maker = GENERATORS.get(name)
    if maker is None:
        raise UsageError(f"{layout.rel(path)}: no generator named {name!r} (known: {', '.join(sorted(GENERATORS))})")
    return m.group(1) + maker(layout).rstrip("\n") + "\n" + m.group(4)


def _answer(layout: Layout, sql: str) -> str:
    columns, rows = query(layout.root, sql)
    return render_rows(columns, rows, "table").rstrip("\n")


def rules_table(layout: Layout) -> str:
    """The check codes, from the registry: what each means and how to fix it."""
    lines = [
        "| code | scope | applies to | what is wrong | how to fix it | Frictionless |",
        "|---|---|---|---|---|---|",
    ]
    for c in sorted(CODES.values(), key=lambda c: c.code):
        same = f"`{c.frictionless}`" if c.frictionless else "(ours)"
        lines.append(f"| `{c.code}` | {c.scope} | {c.applies_to} | {c.title} | {c.fix} | {same} |")
    return "\n".join(lines)


def cli_reference(layout: Layout) -> str:
    """Every command's `--help`, as the CLI prints it at a fixed width."""
    from validate import cli  # the CLI imports the library, not the reverse: import it late

    parser = cli.parser()
    out = ["```text", _help(parser).rstrip(), "```"]
    for name, sub in _subcommands(parser):
        out += ["", f"### claims {name}", "", "```text", _help(sub).rstrip(), "```"]
    return "\n".join(out)


def _help(parser: argparse.ArgumentParser) -> str:
    # argparse reads the terminal's width; the reference is the same on every machine.
    parser.formatter_class = _FixedWidth
    return parser.format_help()


class _FixedWidth(argparse.RawDescriptionHelpFormatter):
    """The CLI's own formatter (descriptions keep their lines), at a fixed width."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_HELP_WIDTH)


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:  # argparse keeps its sub-parsers on this private action only
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices.items())
    return []


def prepositions(layout: Layout) -> str:
    """The qualifier words that are also prepositions, and the words after which they are read so."""
    lines = ["| qualifier word | a preposition after |", "|---|---|"]
    for phrase, heads in sorted(PREPOSITION_AFTER.items()):
        lines.append(f"| `{phrase}` | {', '.join(sorted(heads))} |")
    return "\n".join(lines)


def figures(layout: Layout) -> str:
    """The dataset in one sentence: how many sources, statistics and claims, and how they read."""
    (n_sources, n_statistics, n_claims), *_ = query(
        layout.root,
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM statistics), (SELECT count(*) FROM claims)",
    )[1]
    return f"Today: {n_sources} archived articles, {n_statistics} statistics, {n_claims} claims."


GENERATORS: dict[str, Callable[[Layout], str]] = {
    "rules": rules_table,
    "cli": cli_reference,
    "figures": figures,
    "prepositions": prepositions,
}


def write(changed: dict[Path, str]) -> None:
    """Write the regenerated documents, after all were made, each whole or not at all (renamed
    into place: a link put there meanwhile is replaced, never written through)."""
    for path, text in changed.items():
        write_atomic(path, text.encode("utf-8"))


def update_docs(root: Path | str, *, write_changes: bool = True) -> list[Path]:
    """The documents whose generated parts were out of date, sorted; regenerated in place unless
    `write_changes` is False (`claims docs --check`)."""
    stale = regenerate(given_root(root))
    if write_changes:
        write(stale)
    return sorted(stale)
