"""Confines sources' files to seeds/, hashes them and reads their texts; no link is followed."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from validate.reading.files import FileRefused, read_file
from validate.rules.columns import FOLDING, TEXT
from validate.rules.registry import known
from validate.text.digit_forms import MAY_FOLD_TO_DIGIT
from validate.text.normalise import normalise_series_nfkc

# The state of one sources.csv `file` value.
OK, OUTSIDE, NOT_FOUND, NOT_FILE, UNREADABLE, NOT_UTF8, TOO_LARGE = (
    "ok",
    "outside",
    "not-found",
    "not-file",
    "unreadable",
    "not-utf8",
    "too-large",
)


_TEXTS = {"file": pl.String, TEXT: pl.String, FOLDING: pl.String}


@dataclass
class SeedFile:
    status: str
    key: str | None = None  # the file's path relative to seeds/, once confined
    sha256: str | None = None
    reason: str | None = None  # why it was not read, in the reader's words


@dataclass
class Seeds:
    """What the seeds/ folder holds, and what each `file` value of sources.csv points at."""

    folder: Path
    files: set[str] = field(default_factory=set)  # every file below seeds/, relative, posix
    # Files reached through real folders only, themselves no links: inside seeds/ by construction.
    plain: set[str] = field(default_factory=set)
    # Folders among `files`, named and not entered, and why: too deep, or not listable.
    folders: dict[str, str] = field(default_factory=dict)
    by_value: dict[str, SeedFile] = field(default_factory=dict)
    # seeds/ itself is a link that resolves outside the dataset root: nothing in it is read.
    escaped: bool = False
    # The text of each `file` value whose file is readable UTF-8, normalised for matching.
    texts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=_TEXTS))


# What Windows or macOS refuse in a file name (git cannot check such a seed out there): these
# characters, controls, a trailing dot or space, and the names of Windows' devices, with or
# without an extension. ("/" separates folders; "\\" is refused by confine() already.)
_NOT_PORTABLE = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f]')
# Characters a name shows other than it is: format characters (bidi overrides, zero-width
# spaces, the BOM), controls (C1 too), separators other than the space, surrogates, private use
# and unassigned code points.
_UNSEEN = frozenset({"Cf", "Cc", "Zl", "Zp", "Cs", "Co", "Cn"})
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# The longest name a file system takes for one folder or file (ext4, NTFS, APFS: 255), and a
# bound for a whole path, far above any real seed's.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024


def name_problem(value: str) -> tuple[str, str] | None:
    """(check code, what is wrong) for a seed name that is not portable or too long; else None."""
    if len(value.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return known("file-name-too-long"), f"is longer than {MAX_PATH_BYTES} bytes"
    for part in value.split("/"):
        if part in ("", ".", ".."):
            continue  # not a name: confine() refuses such a path as leading outside seeds/
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return known(
                "file-name-too-long"
            ), f"has a part longer than {MAX_NAME_BYTES} bytes, which no file system takes"
        bad = _NOT_PORTABLE.search(part)
        if bad:
            return known(
                "file-name-not-portable"
            ), f"holds {bad.group()!r}, which Windows or macOS refuse in a file name"
        hidden = next((c for c in part if unicodedata.category(c) in _UNSEEN), None)
        if hidden is not None:
            what = unicodedata.name(hidden, "unassigned or private")
            return known("file-name-not-portable"), (
                f"holds U+{ord(hidden):04X} ({what}), a character a reader does not see or that turns the "
                "text's direction: the name shows as another (000_\u202etxt.exe shows as 000_exe.txt); "
                "use letters, digits, '-', '_' and '.'"
            )
        if part.startswith("."):
            return known("file-name-not-portable"), (
                "has a part that begins with a dot, a hidden file (and git reads .gitattributes or .gitignore "
                "in a folder as its own settings)"
            )
        if part.endswith((".", " ")):
            return known("file-name-not-portable"), "has a part that ends with a dot or a space, which Windows drops"
        if part.split(".")[0].rstrip(" ").upper() in _DEVICES:
            return known("file-name-not-portable"), f"has a part named {part!r}, a device name on Windows"
    return None


def name_key(value: str) -> str:
    """Names that Windows or macOS take for the same file (case, Unicode form) share this key."""
    return unicodedata.normalize("NFC", value).casefold()


def leads_outside(root: Path, path: Path) -> bool:
    """Whether `path`, inside `root` by name, resolves through links to somewhere outside it.
    A pull request can commit a link; what it points at must never be read or quoted back."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) != real_root


def confine(seeds: Path, value: str) -> Path | None:
    """The file `value` names inside `seeds`, or None when it could lead outside."""
    if not value or "\\" in value or "\x00" in value or value.startswith("/") or ":" in value.split("/")[0]:
        return None
    parts = PurePosixPath(value).parts
    if any(part in ("..", "") for part in parts):
        return None
    # One spelling per file: "x.txt/", "./x.txt" and "a//b.txt" name a file that the package
    # would then hold under a second name (or, with the slash, as an empty folder).
    if PurePosixPath(value).as_posix() != value:
        return None
    # No link is followed, wherever it points: seeds/ itself and each step below it must be a
    # real folder or file (a link inside seeds/ would give a seed a second name, one out any file).
    if os.path.islink(seeds):
        return None
    root = os.path.realpath(seeds)
    at = root
    for part in parts:
        at = os.path.join(at, part)
        if os.path.islink(at):
            return None
    return Path(at)


def list_seed_files(seeds: Path) -> tuple[set[str], set[str], dict[str, str]]:
    """Files below seeds/ (not following links to folders), hidden ones too (git reads a
    .gitattributes there as its own settings for the seeds' bytes); which of them
    are plain (no link anywhere on the way); and the folders named among them, not entered, with
    why (a finding says remove them)."""
    found: set[str] = set()
    plain: set[str] = set()
    folders: dict[str, str] = {}
    if not seeds.is_dir():
        return found, plain, folders
    root = os.path.realpath(seeds)
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:  # a folder that cannot be listed is named as it is
            if prefix:
                found.add(prefix.rstrip("/"))
                plain.add(prefix.rstrip("/"))
                folders[prefix.rstrip("/")] = f"cannot be listed ({exc.strerror or 'refused'})"
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if len(rel.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
                    # No source's file can lie this deep: the folder is named, not entered (a
                    # path past the system's limit made listing it an internal error).
                    found.add(rel)
                    plain.add(rel)
                    folders[rel] = f"lies deeper than a source's file may ({MAX_PATH_BYTES} bytes of path)"
                else:
                    stack.append((rel + "/", entry.path))
            elif entry.is_symlink():
                found.add(rel)  # never followed here (it may loop): confine() decides where it leads
            elif entry.is_file(follow_symlinks=False):
                found.add(rel)
                plain.add(rel)
    return found, plain, folders


def inspect(seeds: Path, values: list[str | None]) -> Seeds:
    """Look at each distinct `file` value once."""
    if leads_outside(seeds.parent, seeds) or seeds.is_symlink():
        escaped = Seeds(seeds, escaped=True)
        escaped.by_value = {v: SeedFile(OUTSIDE) for v in values if v is not None}
        return escaped
    files, plain, folders = list_seed_files(seeds)
    result = Seeds(seeds, files, plain, folders)
    root = os.path.realpath(seeds)
    read: dict[str, bytes] = {}
    for value in set(values):
        if value is None:
            continue
        if value in plain:
            # A plain file needs no realpath (a syscall per path component) to prove it is inside,
            # and its value is already its key. Plain strings, not Paths: 10,000 seeds add up.
            seed, data = _inspect_one(os.path.join(root, value), value)
        else:
            path = confine(seeds, value)
            key = None if path is None else Path(os.path.relpath(path, root)).as_posix()
            seed, data = _inspect_one(path, key)
        result.by_value[value] = seed
        if data is not None:
            read[value] = data
    result.texts = _texts(result.by_value, read)
    return result


def _texts(by_value: dict[str, SeedFile], read: dict[str, bytes]) -> pl.DataFrame:
    """The normalised texts of the files read, marking those that are not UTF-8. Decoded and
    normalised by polars over all texts at once: sampled in a check at 1M claims, decoding the
    41 MB of seeds into Python str took 0.17 s, and handing those to polars 0.28 s more."""
    values = list(read)
    raw = pl.Series(TEXT, list(read.values()), dtype=pl.Binary)
    try:
        decoded = raw.cast(pl.String)
    except pl.exceptions.PolarsError:
        # Some file is not UTF-8, and polars does not say which: Python's decoder does.
        good = [_is_utf8(data) for data in read.values()]
        for value, ok in zip(values, good, strict=True):
            if not ok:
                by_value[value].status = NOT_UTF8
        values = [v for v, ok in zip(values, good, strict=True) if ok]
        decoded = raw.filter(pl.Series(good, dtype=pl.Boolean)).cast(pl.String)
    normalised, changed = normalise_series_nfkc(decoded)
    # Only a text that NFKC changes can fold a character into a digit; of those, the ones that
    # hold such a character keep their text as written (FOLDING), for the quotes' digits.
    hits = decoded.gather(changed).str.contains(MAY_FOLD_TO_DIGIT).to_list()
    folds = [i for i, hit in zip(changed, hits, strict=True) if hit]
    folding = pl.repeat(None, decoded.len(), dtype=pl.String, eager=True)
    if folds:
        folding = folding.scatter(folds, decoded.gather(folds))
    return pl.DataFrame({"file": pl.Series(values, dtype=pl.String), TEXT: normalised, FOLDING: folding})


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _inspect_one(path: Path | str | None, key: str | None) -> tuple[SeedFile, bytes | None]:
    """The file's state and, for a regular file read whole, its bytes (UTF-8 is checked later)."""
    if path is None:
        return SeedFile(OUTSIDE), None
    try:
        data = read_file(path)
    except FileRefused as exc:
        return SeedFile(_status_of(exc), key, reason=exc.reason), None
    return SeedFile(OK, key, hashlib.sha256(data).hexdigest()), data


def _status_of(exc: FileRefused) -> str:
    if exc.unreadable:
        return UNREADABLE
    if exc.too_large:
        return TOO_LARGE
    if exc.not_file:
        return NOT_FILE
    return NOT_FOUND  # missing, a link loop, a name too long: nothing to read


def read_seed(seeds: Path, value: str) -> bytes:
    """The bytes of the seed that a sources.csv `file` value names, through the same guard and
    size cap as the check's reading of it, or FileRefused: every command that reads a seed's
    text (candidates, exclude, the coverage rule, the build) reads it here."""
    path = confine(seeds, value) if value else None
    if path is None:
        raise FileRefused("could lead outside seeds/")
    return read_file(path)
