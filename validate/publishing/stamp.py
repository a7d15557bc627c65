"""Whether build/claims.duckdb is the database this toolkit wrote from the root's current inputs.

A pull request can commit a build/ folder with a database of its own making (views over planted
data, or over local files), and a stamp beside it. So the stamp is signed with a key that only
this user's toolkit holds, kept outside any dataset root, and it names the database file by its
identity on disk (device, inode, size, time to the nanosecond), which no checkout reproduces.
`claims sql` reuses a database only when its stamp verifies; otherwise it builds anew.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from validate.atomic import write_atomic
from validate.paths import SQL_DIR, TABLES, Layout
from validate.reading.files import FileRefused, read_regular

STAMP_SUFFIX = ".stamp"
_KEY_BYTES = 32


def key_path() -> Path:
    """Where this user's stamp key lives: the user's cache folder, never a dataset root."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claims-toolkit" / "stamp.key"


def _key(create: bool) -> bytes | None:
    """The stamp key, made once with the user's permissions only; None if it cannot be had."""
    path = key_path()
    try:
        data = read_regular(path, 1)
        if len(data) == _KEY_BYTES:
            return data
    except FileRefused:
        pass
    if not create:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = secrets.token_bytes(_KEY_BYTES)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, fresh)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        return fresh
    except OSError:
        return None


def inputs_digest(layout: Layout) -> str:
    """A SHA-256 over every input of a build: the CSVs, schemas, descriptor, each file below
    seeds/ (no link followed) and the views' SQL. A file that cannot be read counts by why."""
    digest = hashlib.sha256()

    def add(name: str, path: Path, depth: int) -> None:
        try:
            content = hashlib.sha256(read_regular(path, depth)).hexdigest()
        except FileRefused as exc:
            content = f"refused: {exc.reason}"
        digest.update(json.dumps([name, content]).encode("utf-8", "backslashreplace") + b"\n")

    for table in TABLES:
        add(layout.rel(layout.csv(table)), layout.csv(table), 2)
        add(layout.rel(layout.schema(table)), layout.schema(table), 2)
    add("datapackage.json", layout.datapackage, 1)
    if layout.seeds.is_dir() and not layout.seeds.is_symlink():
        for folder, dirs, files in os.walk(layout.seeds, followlinks=False):
            dirs.sort()
            for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
                path = Path(folder) / name
                add(layout.rel(path), path, 1)
    else:
        digest.update(b"no seeds folder\n")
    for sql in sorted(SQL_DIR.glob("*.sql")):
        digest.update(sql.name.encode() + b"\n" + sql.read_bytes())
    return digest.hexdigest()


def _identity(database: Path) -> list[int] | None:
    try:
        info = os.lstat(database)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]


def _signature(
    key: bytes, identity: list[int], digest: str, tolerance: float, package: str, package_sha256: str
) -> str:
    message = json.dumps([identity, digest, repr(tolerance), package, package_sha256]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def wal_path(database: Path) -> Path:
    """DuckDB's write-ahead log beside the database: replayed into it by whoever opens it, even
    read-only. The toolkit closes every database it writes, so it never leaves one; a pull request
    can commit one (git add -f build/claims.duckdb.wal), and since a build of the same data is
    the same bytes, one made beside the attacker's own build replays into ours."""
    return database.with_name(database.name + ".wal")


def stamp_path(database: Path) -> Path:
    """The stamp beside the database."""
    return database.with_name(database.name + STAMP_SUFFIX)


def write_stamp(database: Path, digest: str, tolerance: float, package: str, package_sha256: str) -> None:
    """Sign the database just written (found at `database`) as built from inputs `digest`, with the
    data package zip written beside it: its file name in build/ and its SHA-256, so that the next
    build, changing the name (a new version), removes this zip and nothing else. The identity a
    stamp signs survives a rename in the same folder: build writes the stamp in its scratch folder
    and moves both in."""
    key, identity = _key(create=True), _identity(database)
    if key is None or identity is None:
        return  # no stamp: the next query builds anew, which is safe, only slower
    record = {
        "inputs": digest,
        "approximately_tolerance": tolerance,
        "package": package,
        "package_sha256": package_sha256,
        "signature": "",
    }
    record["signature"] = _signature(key, identity, digest, tolerance, package, package_sha256)
    # Renamed into place, never written through the name: build/ is ignored by git but a pull
    # request can still commit a file there (git add -f), and a link named like the stamp made
    # write_text() overwrite whatever it pointed at (the dataset's own CSVs among others).
    write_atomic(stamp_path(database), (json.dumps(record) + "\n").encode("utf-8"))


def read_stamp(database: Path) -> dict[str, object] | None:
    """The stamp's record when its signature holds for the database as it is now; else None."""
    key, identity = _key(create=False), _identity(database)
    if key is None or identity is None:
        return None
    if os.path.lexists(wal_path(database)):
        return None  # not the database as this toolkit wrote it, once the log is replayed
    try:
        record = json.loads(read_regular(stamp_path(database), 2, 1 << 16).decode("utf-8"))
    except (FileRefused, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict):
        return None
    digest, tolerance, signature = record.get("inputs"), record.get("approximately_tolerance"), record.get("signature")
    package, package_sha256 = record.get("package"), record.get("package_sha256")
    if not isinstance(digest, str) or not isinstance(tolerance, float) or not isinstance(signature, str):
        return None
    if not isinstance(package, str) or not isinstance(package_sha256, str):
        return None  # a stamp of an older toolkit, which named no zip: the next query builds anew
    if not hmac.compare_digest(signature, _signature(key, identity, digest, tolerance, package, package_sha256)):
        return None
    return record
