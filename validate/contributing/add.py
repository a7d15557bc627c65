"""`add_source` and `add_claim`: append a row (and a seed) only after the result checks clean."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shlex
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from validate.atomic import write_atomic
from validate.errors import InvalidData, UsageError
from validate.findings import Cap, Finding, Report
from validate.paths import Layout, given_root
from validate.publishing.build import build_folder_refusal
from validate.reading.files import FileRefused, read_regular
from validate.reading.seeds import MAX_PATH_BYTES, confine, name_problem, read_seed
from validate.reading.table_schema import columns_to_write
from validate.rules.check import check
from validate.scratch import scratch_folder
from validate.text.normalise import normalise
from validate.text.value_text import ValueTextError, parse_value_text, plain_number


def slug(text: str, limit: int = 64) -> str:
    """A slug of the contract's pattern made from free text, cut at a word's end where it is too
    long (a word longer than the limit is cut where the limit falls)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(out) > limit:
        cut = out[: limit + 1]
        out = cut[: cut.rfind("-")] if "-" in cut else out[:limit]
    return out.strip("-") or "x"


# The contract's longest claim_id (claims.schema.json's pattern: a character, then 63 more).
MAX_CLAIM_ID = 64


def new_claim_id(source_id: str, statistic_id: str, taken: set[str]) -> str:
    """The id add-claim and candidates give a new claim: its source's and statistic's ids, cut
    at a word's end to the longest id the contract takes, numbered -2, -3 ... past the ids
    `taken` (cut again to leave the number its room)."""
    words = f"{source_id}-{statistic_id}"
    claim_id, n = slug(words, MAX_CLAIM_ID), 2
    while claim_id in taken:
        number = f"-{n}"
        claim_id, n = slug(words, MAX_CLAIM_ID - len(number)) + number, n + 1
    return claim_id


def _row_bytes(columns: list[str], row: Mapping[str, str | None], line_end: str = "\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _current(path: Path) -> bytes | None:
    """A table's bytes through the guarded reader; None when it is missing."""
    try:
        return read_regular(path, 2)
    except FileRefused as exc:
        if exc.missing:
            return None
        raise UsageError(f"datasets/{path.name} {exc.reason}") from exc


def appended(path: Path, columns: list[str], rows: Sequence[Mapping[str, str | None]]) -> bytes:
    """The bytes of the CSV at `path` with `rows` appended (a header first, for a new file)."""
    current = _current(path)
    old = current if current is not None else _row_bytes(columns, {c: c for c in columns})
    # The file's own line ending, its first line's: a file that ends its lines with CRLF is
    # valid, and one row ending with LF in it would not be (the line-ending rule).
    first = old.find(b"\n")
    line_end = "\r\n" if first > 0 and old[first - 1 : first] == b"\r" else "\n"
    if old and not old.endswith(b"\n"):
        old += line_end.encode()
    return old + b"".join(_row_bytes(columns, r, line_end) for r in rows)


@contextmanager
def _trial_root(layout: Layout, replaced: Mapping[str, bytes]) -> Iterator[Path]:
    """A throwaway copy of the root with some files replaced; seeds are hard links where possible.

    It is made in the root's own build/ folder, never in the system's temp folder: a copy of the
    data left there by a killed run would outlive it where no one looks. A SIGTERM ends the run
    through the cleanup below; a run killed outright leaves build/.trial-<pid>-*, which the next
    run removes once that process is gone."""
    refused = build_folder_refusal(layout)
    if refused is not None:
        raise UsageError(refused)
    # copytree follows a link it is given: seeds/ linked to /dev had it read a device forever.
    refuse_linked_folders(layout, layout.schema_dir, layout.datasets, layout.seeds)
    layout.build.mkdir(exist_ok=True)
    with scratch_folder(layout.build, "trial") as trial:
        # Links are copied as links: the check of the trial refuses them as it refuses the root's.
        # A FIFO or a device is not copied (a read of it may never end), nor a folder deeper than
        # any file the check reads (its path may pass the system's limit); the check of the root
        # reports both.
        try:
            for folder in (layout.schema_dir, layout.datasets, layout.seeds):
                if folder.is_dir():
                    shutil.copytree(
                        folder,
                        trial / folder.name,
                        symlinks=True,
                        ignore=_left_out(folder),
                        # Seeds are hard links where possible (large, and never written to here).
                        copy_function=_link_or_copy if folder == layout.seeds else shutil.copy2,
                    )
        except (shutil.Error, OSError) as exc:
            raise UsageError(
                f"the dataset root could not be copied for a trial check ({type(exc).__name__}): "
                "run claims check, and fix what it reports"
            ) from exc
        if layout.datapackage.is_file() and not layout.datapackage.is_symlink():  # the check reads it too
            shutil.copy2(layout.datapackage, trial / "datapackage.json")
        for rel, data in replaced.items():
            target = trial / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_bytes(data)
        yield trial


def refuse_linked_folders(layout: Layout, *folders: Path) -> None:
    """A command that reads these folders of the root refuses one that is a link."""
    for folder in folders:
        if folder.is_symlink():
            raise UsageError(
                f"{layout.rel(folder)} is a link, and no link of a dataset root is followed: "
                "put the folder itself there (claims check refuses it too)"
            )


def _left_out(top: Path) -> Callable[[str, list[str]], list[str]]:
    """copytree's `ignore` for the folder `top`: the names that are neither a regular file, a
    folder nor a link, and the folders deeper below `top` than a seed's name may be long."""

    def left_out(folder: str, names: list[str]) -> list[str]:
        # As the check lists seeds/: a folder is entered while its path below `top` fits.
        inside = os.path.relpath(folder, top)
        prefix = 0 if inside == "." else len(os.fsencode(inside)) + 1
        out = []
        for n in names:
            mode = os.lstat(os.path.join(folder, n)).st_mode
            if stat.S_ISDIR(mode):
                if prefix + len(os.fsencode(n)) > MAX_PATH_BYTES:
                    out.append(n)
            elif not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
                out.append(n)
        return out

    return left_out


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


RowMap = Callable[[int], int | None]


def _key(f: Finding) -> tuple[object, ...]:
    # A finding of no row (a number not accounted for) is told from its kind by its message.
    return (f.file, f.row, f.column, f.check, f.message if f.row is None else "")


def _rows_as_they_are(f: Finding, row_maps: Mapping[str, RowMap]) -> Finding:
    """A trial copy's finding with the row the file has now: a row the change appends has none
    yet, so its findings say "the new row" instead of a number that does not exist."""
    mapping = row_maps.get(f.file)
    if mapping is None or f.row is None:
        return f
    row = mapping(f.row)
    if row is not None:
        return f.model_copy(update={"row": row})
    return f.model_copy(update={"row": None, "line": None, "message": f"the new row: {f.message}"})


def new_findings(layout: Layout, replaced: Mapping[str, bytes], row_maps: Mapping[str, RowMap] | None = None) -> Report:
    """Findings the change would add to the dataset (those it already has are not the change's),
    with rows numbered as the files have them now (`row_maps`: per file, trial row to row now)."""
    # Uncapped, both: with more findings of a kind than the cap, a change that settles one brings
    # the next into a capped report and changes the count past the cap, two findings that are not
    # the change's (excluding one of 1,002 open numbers was refused so).
    before = {_key(f) for f in check(layout.root, max_findings=None)}
    with _trial_root(layout, replaced) as trial:
        after = [_rows_as_they_are(f, row_maps or {}) for f in check(trial, max_findings=None)]
    # What is shown is capped as a check's report is: a new source of 50,000 numbers says 1,000.
    return Cap().report(f for f in after if _key(f) not in before)


def appended_rows(path: Path) -> RowMap:
    """The row map of a file the change appends rows to: rows past the current last are new."""
    last = _row_count(path)
    return lambda row: row if row <= last else None


def _row_count(path: Path) -> int:
    """The number of the file's last row (the header is row 1)."""
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        return sum(1 for _ in csv.reader(f))


def commit(layout: Layout, replaced: Mapping[str, bytes]) -> None:
    """Write the files of a change that checked clean, seeds first."""
    # Seeds first: a sources row never points at a file that is not there yet.
    for rel in sorted(replaced, key=lambda r: not r.startswith("seeds/")):
        write_atomic(layout.root / rel, replaced[rel])


def add_source(
    root: Path | str,
    text_file: Path,
    *,
    title: str,
    publisher: str,
    kind: str,
    source_id: str | None = None,
    name: str | None = None,
    author: str | None = None,
    published: str | None = None,
    url: str | None = None,
    note: str | None = None,
) -> dict[str, str | None]:
    """Archive `text_file` into seeds/ and append its sources.csv row; refuse if either is wrong."""
    layout = Layout(given_root(root))
    try:
        # The user's own path, so a link given here is followed; but only to a regular file: a
        # FIFO would block, a device never end.
        data = read_regular(text_file.resolve(), 0)
    except (FileRefused, OSError) as exc:
        reason = exc.reason if isinstance(exc, FileRefused) else f"cannot be read ({exc.strerror})"
        raise UsageError(f"{text_file} {reason}") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{text_file} is not UTF-8 text (byte {exc.start}): convert it to UTF-8 first") from exc
    name = name or text_file.name
    problem = name_problem(name)
    if problem is not None:
        # The check's own rule for seed names, said before the file system refuses the name.
        raise UsageError(f"seed name {name!r} {problem[1]}: choose another --name")
    target = confine(layout.seeds, name)
    if target is None:
        raise UsageError(f"seed name {name!r} would leave seeds/: give a plain relative name")
    sources = _rows(layout.csv("sources"))
    digest = hashlib.sha256(data).hexdigest()
    twin = next((r for r in sources if r.get("sha256") == digest), None)
    if twin is not None:
        # The cells are a stranger's: shown quoted, never as bare text in a message or a command.
        seed, owner = "seeds/" + twin.get("file", ""), twin.get("source_id", "")
        raise UsageError(
            f"{text_file} is already archived, byte for byte, as {seed!r}, the text of source {owner!r}: an "
            f"article is archived once; cite that source (claims candidates {shlex.quote(owner)} lists its numbers), "
            "or archive the other text if this was the wrong file"
        )
    same = _same_text(layout, sources, normalise(data.decode("utf-8")))
    if same is not None:
        raise UsageError(
            f"{text_file} is the text of source {same!r} again, in other bytes (line ends, spaces or quote marks "
            "that the contract's normalising makes alike): an article is archived once; cite that source "
            f"(claims candidates {shlex.quote(same)} lists its numbers)"
        )
    rel_name = Path(os.path.relpath(target, os.path.realpath(layout.seeds))).as_posix()
    _refuse_a_place_taken(layout, rel_name)
    if target.exists() or target.is_symlink():
        named = next((r.get("source_id") for r in sources if r.get("file") == rel_name), None)
        whose = f"the text of source {named!r}" if named else "a seed no source names yet (claims check reports it)"
        raise UsageError(f"seeds/{name} already exists, {whose}: a seed is never replaced; choose another --name")
    source_id = source_id or slug(Path(name).stem)
    taken = next((r for r in sources if r.get("source_id") == source_id), None)
    if taken is not None:
        # Refused here, not by the check: the check would also report the exclusions of the
        # source that has the id as not found in this new text.
        raise UsageError(
            f"source {source_id!r} exists already (its text is {'seeds/' + taken.get('file', '')!r}): a source_id "
            "names one source; give this one its own with --source-id"
        )
    row: dict[str, str | None] = {
        "source_id": source_id,
        "file": rel_name,
        "sha256": digest,
        "title": title,
        "publisher": publisher,
        "author": author,
        "published": published,
        "url": url,
        "kind": kind,
        "note": note,
    }
    columns = columns_to_write(layout, "sources")
    replaced = {f"seeds/{rel_name}": data, "datasets/sources.csv": appended(layout.csv("sources"), columns, [row])}
    report = new_findings(layout, replaced, {"datasets/sources.csv": appended_rows(layout.csv("sources"))})
    # The new text's numbers are the contributor's work to come (claims candidates lists them),
    # not a fault of the source row.
    seed = f"seeds/{rel_name}"
    report = Report(findings=[f for f in report if not (f.check == "number-not-accounted" and f.file == seed)])
    if not report.valid:
        raise InvalidData(report)
    commit(layout, replaced)
    return row


def _refuse_a_place_taken(layout: Layout, rel_name: str) -> None:
    """A seed's name must name a file: not seeds/ itself, not a folder, and not a path through
    anything but folders ("old.txt/new.txt" through a file, a FIFO or a link)."""
    if rel_name == ".":
        raise UsageError("--name names the seeds/ folder itself: give a file name, such as article.txt")
    parts = rel_name.split("/")
    for depth in range(1, len(parts) + 1):
        place = layout.seeds.joinpath(*parts[:depth])
        shown = "seeds/" + "/".join(parts[:depth])
        if depth < len(parts) and os.path.lexists(place) and (place.is_symlink() or not place.is_dir()):
            raise UsageError(f"{shown} is a file, not a folder: choose another --name")
        if depth == len(parts) and place.is_dir() and not place.is_symlink():
            raise UsageError(f"{shown} is a folder: give a file name inside it or another --name")


def add_claim(
    root: Path | str,
    *,
    source_id: str,
    statistic_id: str,
    quote: str,
    value_text: str,
    counted_as: str,
    value: str | None = None,
    qualifier: str | None = None,
    meaning: str | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    attributed_to: str | None = None,
    note: str | None = None,
    claim_id: str | None = None,
    description: str | None = None,
    unit: str | None = None,
    primary_source: str | None = None,
    statistic_note: str | None = None,
    new_statistic: bool = False,
    extra: Mapping[str, str | None] | None = None,
) -> dict[str, str | None]:
    """Append one claim (and its statistic, when described here and new); refuse it with findings.

    `extra` sets other columns of claims.csv by name (period_basis, attribution, via...), where
    the dataset's schema has them. A statistic id that is not in statistics.csv is refused with
    the closest one, unless `description` describes a new statistic (with `unit`, and optionally
    `primary_source` and `statistic_note`, its note); a new id one typo away from
    an existing one is refused unless `new_statistic` says it is meant. `meaning` has no default:
    whether the quote's words mean what the statistic counts is the judgement the ledger is kept
    for, so a claim without it is refused with the statistic's description to judge by."""
    from validate.text.closest import did_you_mean, near_copy

    layout = Layout(given_root(root))
    value, qualifier, unread = read_value(value_text, value, qualifier)
    claims_columns = columns_to_write(layout, "claims")
    unknown = sorted(set(extra or {}) - set(claims_columns))
    if unknown:
        raise UsageError(f"claims.csv has no column {', '.join(map(repr, unknown))} in this dataset's schema")
    sources = sorted(_column(layout.csv("sources"), "source_id") - {""})
    if source_id not in sources:
        raise UsageError(
            f"no source {source_id!r} in datasets/sources.csv{did_you_mean(source_id, sources)} "
            "(add a new one with claims add-source)"
        )
    statistic_rows = _rows(layout.csv("statistics"))
    statistics = sorted({r.get("statistic_id") or "" for r in statistic_rows} - {""})
    describing = description is not None or unit is not None
    if not describing and (primary_source is not None or statistic_note is not None):
        given = "--primary-source" if primary_source is not None else "--statistic-note"
        raise UsageError(
            f"{given} describes a new statistic: give it with --description and --unit, or leave it out "
            f"(statistic {statistic_id!r} is edited in datasets/statistics.csv)"
        )
    if statistic_id not in statistics and not describing:
        raise UsageError(
            f"no statistic {statistic_id!r} in datasets/statistics.csv{did_you_mean(statistic_id, statistics)} "
            "(find one with claims statistics WORDS, or describe a new one with --description and --unit)"
        )
    if describing:
        if statistic_id in statistics:
            raise UsageError(f"statistic {statistic_id!r} exists already: leave out --description and --unit")
        twin = near_copy(statistic_id, statistics)
        if twin is not None and not new_statistic:
            raise UsageError(
                f"new statistic {statistic_id!r} is nearly the id of {twin!r}: cite that one (leave out --description "
                "and --unit), or pass --new-statistic if it really is another statistic"
            )
    if meaning is None:
        counts = description or _description(statistic_rows, statistic_id)
        raise UsageError(
            f"say whether {counted_as!r} means what {statistic_id!r} counts ({counts!r}): "
            "--meaning same, or --meaning differs with --differs-in entity, status, scope, tense or time "
            "(people for detainers is entity; in custody for under supervision is status)"
        )
    existing = _column(layout.csv("claims"), "claim_id")
    if claim_id is None:
        claim_id = new_claim_id(source_id, statistic_id, existing)
    row: dict[str, str | None] = {
        "claim_id": claim_id,
        "source_id": source_id,
        "statistic_id": statistic_id,
        "quote": quote,
        "value_text": value_text,
        "value": value,
        "qualifier": qualifier,
        "period_start": period_start,
        "period_end": period_end,
        # Dates given to add-claim are the source's own (contract v2: period_basis stated);
        # a relative or context period is edited in by hand.
        "period_basis": "stated" if period_start or period_end else None,
        "attributed_to": attributed_to,
        # Named by the contributor for this claim: explicit (inferred is edited in by hand).
        "attribution": "explicit" if attributed_to else None,
        "counted_as": counted_as,
        "meaning": meaning,
        "note": note,
        **(extra or {}),
    }
    replaced = {"datasets/claims.csv": appended(layout.csv("claims"), claims_columns, [row])}
    row_maps: dict[str, RowMap] = {"datasets/claims.csv": appended_rows(layout.csv("claims"))}
    if describing:
        stat = {
            "statistic_id": statistic_id,
            "description": description,
            "unit": unit,
            "primary_source": primary_source,
            "note": statistic_note,
        }
        columns = columns_to_write(layout, "statistics")
        replaced["datasets/statistics.csv"] = appended(layout.csv("statistics"), columns, [stat])
        row_maps["datasets/statistics.csv"] = appended_rows(layout.csv("statistics"))
    report = _one_cause(new_findings(layout, replaced, row_maps), unread)
    if not report.valid:
        raise InvalidData(report)
    commit(layout, replaced)
    return row


def _same_text(layout: Layout, sources: list[dict[str, str]], text: str) -> str | None:
    """The source whose seed reads as `text` once normalised (the text quotes are found in), if
    any; a seed that cannot be read is passed over (claims check reports it)."""
    for row in sources:
        try:
            seed = read_seed(layout.seeds, row.get("file") or "").decode("utf-8")
        except (FileRefused, OSError, UnicodeDecodeError):
            continue
        if normalise(seed) == text:
            return row.get("source_id") or None
    return None


def read_value(value_text: str, value: str | None, qualifier: str | None) -> tuple[str | None, str | None, list[str]]:
    """The value and qualifier a claim's words state, where not given: and the cells the words
    were to give but could not (the check then reports the unreadable value_text)."""
    if value is not None and qualifier is not None:
        return value, qualifier, []
    try:
        parsed = parse_value_text(value_text)
    except ValueTextError:
        return value, qualifier, [c for c, given in (("value", value), ("qualifier", qualifier)) if given is None]
    return (value if value is not None else plain_number(parsed.value)), (qualifier or parsed.qualifier), []


def _one_cause(report: Report, unread: list[str]) -> Report:
    """The findings of a new claim whose value_text could not be read for its `unread` cells:
    those cells' "required" findings are that one cause again, so only the value_text's finding
    is kept, saying where the cells come from. The rules are the check's: nothing else is left out."""
    new_row = [f for f in report if f.file == "datasets/claims.csv" and f.row is None]
    unparsed = [f for f in new_row if f.check == "value-text-unparsed"]
    if not unread or not unparsed:
        return report
    cells = " and ".join(unread)
    options = " and ".join(f"--{c}" for c in unread)
    they, follow = ("they", "follow") if len(unread) > 1 else ("it", "follows")
    why = (
        f" (add-claim reads {cells} from these words, so {they} cannot be set either: {they} {follow} once the "
        f"words read; {options} would set {'them' if they == 'they' else 'it'} otherwise)"
    )
    return Report(
        findings=[
            f.model_copy(update={"message": f.message + why}) if f in unparsed else f
            for f in report
            if not (f in new_row and f.column in unread and f.check == "constraint-error")
        ]
    )


# How much of a statistic's description a message shows (see _description).
DESCRIPTION_SHOWN = 600


def _description(statistic_rows: list[dict[str, str]], statistic_id: str) -> str:
    """The description of a statistic of statistics.csv for a message (shown with repr, as every
    cell is: a control character in it cannot reach the terminal): whole up to DESCRIPTION_SHOWN
    characters, else its beginning and its end, where a description often says what it is not
    ("A count of requests, not of people."), which decides the claim's meaning."""
    row = next((r for r in statistic_rows if r.get("statistic_id") == statistic_id), {})
    text = " ".join((row.get("description") or "").split())
    half = DESCRIPTION_SHOWN // 2
    return text if len(text) <= DESCRIPTION_SHOWN else f"{text[:half]} … {text[-half:]}"


def _column(path: Path, name: str) -> set[str]:
    return {r.get(name) or "" for r in _rows(path)}


def _rows(path: Path) -> list[dict[str, str]]:
    """A table's rows (none when it is missing), read through the guarded reader."""
    data = _current(path)
    if data is None:
        return []
    text = io.StringIO(data.decode("utf-8", errors="replace"), newline="")
    return [{k: v or "" for k, v in r.items() if k is not None} for r in csv.DictReader(text)]
