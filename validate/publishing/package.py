"""Writes the data package as one reproducible zip: descriptor, CSVs, schemas and seed texts."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from validate.errors import UsageError
from validate.paths import TABLES, Layout
from validate.reading.csv_file import read_table
from validate.reading.files import FileRefused, read_inside, refusal
from validate.reading.json_file import JsonFileError, read_json
from validate.reading.seeds import leads_outside
from validate.reading.table_schema import load_schema

# Zip's earliest date: entries carry no build time, so two builds of one root are byte-identical.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644  # a regular file, rw-r--r--
_UNIX = 3
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # whole: fullmatch ($ let "2.0.0\n" through)
# The longest file name the file systems take (NAME_MAX): a longer one stopped the build.
_MAX_FILE_NAME = 255
# Where a resource's files may be: the tables and their schemas.
_RESOURCE_FOLDERS = ("datasets/", "schema/")
# What a table resource may say beside its name, path and schema. Frictionless validates the
# downloaded package by these: a dialect, an encoding or a compression of the pull request's
# choosing would make it read the CSVs otherwise than the check did. Keys with a value must
# have that one; the others are free text.
_FIXED_KEYS = {"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
_FREE_KEYS = {"name", "path", "schema", "title", "description", "sources", "licenses"}
# What the descriptor's own profile may be (a URL would be fetched by whoever validates it).
_PACKAGE_PROFILES = ("tabular-data-package", "data-package")


def package_file_name(layout: Layout) -> str:
    """`<name>-<version>.zip`, from datapackage.json."""
    return _file_name(_descriptor(layout))


def _file_name(descriptor: dict[str, Any]) -> str:
    name, version = descriptor.get("name"), descriptor.get("version")
    parts = [name] if version is None else [name, version]
    for part in parts:
        if not isinstance(part, str) or not _SAFE_NAME.fullmatch(part):
            raise UsageError(
                f"datapackage.json: name and version must be plain words (letters, digits, '.', '_', '-'), not {part!r}"
            )
    file = "-".join(str(p) for p in parts) + ".zip"
    if len(file) > _MAX_FILE_NAME:
        raise UsageError(
            f"datapackage.json: name and version make a file name of {len(file)} characters ({file[:40]}…), "
            f"longer than the {_MAX_FILE_NAME} a file system takes: shorten them"
        )
    return file


def descriptor_problem(layout: Layout) -> str | None:
    """What is wrong with datapackage.json, or None: what `claims build` would refuse, and a
    table resource that names another CSV or schema than the table's own. `claims check` says it
    as a finding, rather than pass a root whose package cannot be written, or would mislead."""
    own = {layout.rel(p) for t in TABLES for p in (layout.csv(t), layout.schema(t))}
    try:
        descriptor = _descriptor(layout)  # read once, for all that follows
        _file_name(descriptor)
        # A table's own CSV or schema is read by the check, which says what is wrong with it.
        for name in sorted(_resource_files(descriptor) - own):
            problem = _member_problem(layout, name)
            if problem is not None:
                reason = "is not a file inside the dataset root" if problem.missing else problem.reason
                return f"datapackage.json names {name!r}, which {reason}"
        return _table_resource_problem(layout, descriptor) or _frictionless_problem(descriptor)
    except UsageError as exc:
        return str(exc)


def _frictionless_problem(descriptor: dict[str, Any]) -> str | None:
    """What Frictionless's own reading of the descriptor refuses (an upper-case name, a `created`
    that is no date-time, `keywords` that are no list, a licence with no name or path, an e-mail
    that is none): CI's `frictionless validate`, and whoever validates the zip, would fail where
    the check passed. Asked only once the resources are known to be the tables (no address to
    fetch), and of their names and paths without the schemas, which are files it would open."""
    from frictionless import Package  # here: the check of a root without a package needs none of it

    shown = dict(descriptor)
    # (A tabular resource's profile requires the schema: both are the check's own to judge.)
    shown["resources"] = [
        {k: v for k, v in r.items() if k not in ("schema", "profile")} for r in descriptor["resources"]
    ]
    try:
        errors = list(Package.metadata_validate(shown))
    except Exception as exc:  # a descriptor Frictionless cannot even read
        return f"datapackage.json is not a data package Frictionless reads ({type(exc).__name__})"
    if not errors:
        return None
    message = (
        errors[0]
        .message.removeprefix("The data package has an error: ")
        .removeprefix("The data resource has an error: ")
    )
    return f"datapackage.json is not a data package Frictionless reads: {message}"


def _table_resource_problem(layout: Layout, descriptor: dict[str, Any]) -> str | None:
    """Each table is a resource of its own name, with its CSV and its schema: whoever validates
    the downloaded package (frictionless validate) checks each CSV against the schema named here."""
    profile = descriptor.get("profile", _PACKAGE_PROFILES[0])
    if profile not in _PACKAGE_PROFILES:
        # A reader of the package (CI's frictionless validate) fetches a profile given as an address.
        return f"datapackage.json has profile {profile!r}: it must be one of {', '.join(_PACKAGE_PROFILES)}, or absent"
    if "profiles" in descriptor:
        # Frictionless (v2) reads "profiles" as profiles to fetch and validate against.
        return "datapackage.json has 'profiles', which a reader of the package would fetch: remove it"
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        return "datapackage.json's resources must be a list of objects, one per table: restore it from the repository"
    listed: list[dict[str, Any]] = resources
    names = [r.get("name") for r in listed]
    if not all(isinstance(name, str) for name in names):
        return "datapackage.json has a resource whose name is missing or not text: name each resource after its table"
    twice = [name for name, n in Counter(names).items() if n > 1]
    if twice:
        return f"datapackage.json has two resources named {twice[0]!r}: keep one"
    by_name = {r["name"]: r for r in listed}
    for table in TABLES:
        resource = by_name.get(table)
        path, schema = layout.rel(layout.csv(table)), layout.rel(layout.schema(table))
        if resource is None:
            return f"datapackage.json has no resource named {table!r}: add it, with path {path!r} and schema {schema!r}"
        if resource.get("path") != path or resource.get("schema") != schema:
            return (
                f"datapackage.json's resource {table!r} names path {resource.get('path')!r} and schema "
                f"{resource.get('schema')!r}: they must be {path!r} and {schema!r}"
            )
        for key, value in resource.items():
            if key in _FIXED_KEYS and value != _FIXED_KEYS[key]:
                return f"datapackage.json's resource {table!r} has {key} {value!r}: it must be {_FIXED_KEYS[key]!r}"
            if key not in _FIXED_KEYS and key not in _FREE_KEYS:
                return (
                    f"datapackage.json's resource {table!r} has {key!r}, which would make a reader of the package "
                    f"read it otherwise than the check does: remove it (a table resource may have "
                    f"{', '.join(sorted([*_FIXED_KEYS, *_FREE_KEYS]))})"
                )
    for name in names:
        if name not in TABLES:
            # Its file would be published unchecked, beside the tables the check reads.
            return (
                f"datapackage.json has a resource named {name!r}, which is not one of the dataset's tables "
                f"({', '.join(TABLES)}): the package publishes only the tables the check reads; remove it"
            )
    return None


def _resource_files(descriptor: dict[str, Any]) -> set[str]:
    """The files that datapackage.json's resources name (path, schema, dialect)."""
    members: set[str] = set()
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict):
            continue
        for key in ("path", "schema", "dialect"):
            value = resource.get(key)
            for path in value if isinstance(value, list) else [value]:
                if isinstance(path, str):
                    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
                        # A reader of the package (CI's frictionless validate) would fetch it.
                        raise UsageError(
                            f"datapackage.json names {path!r} as a resource's {key}: a package holds its own files, "
                            f"never an address to fetch; name the file under {' or '.join(_RESOURCE_FOLDERS)}"
                        )
                    if not path.startswith(_RESOURCE_FOLDERS):
                        # Any file of the root would do otherwise: a checkout's .git/config
                        # (which can hold a token) would be published with the data.
                        raise UsageError(
                            f"datapackage.json names {path!r} as a resource's {key}: a package holds only files "
                            f"under {' and '.join(_RESOURCE_FOLDERS)} (and the seeds the sources name)"
                        )
                    members.add(path)
    return members


def package_members(layout: Layout) -> list[str]:
    """Paths, relative to the root, of every file the package holds, sorted."""
    members = {"datapackage.json", *_resource_files(_descriptor(layout))}
    # Every seed has its row in a valid root, so the rows name them all.
    path = layout.csv("sources")
    sources = read_table(path, layout.rel(path), "sources", load_schema(layout.schema("sources")))
    members.update(f"seeds/{file}" for file in sources.frame.get_column("file").drop_nulls())
    return sorted(members)


def write_package(layout: Layout, path: Path) -> list[str]:
    """Write the zip of the package at `layout` to `path`; return its entry names."""
    members = package_members(layout)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in members:
            # Read with no link followed at any step: only the regular files the descriptor and
            # the sources name go in, never what a link points at (../.git/config, say).
            try:
                data = read_inside(layout.root, name)
            except FileRefused as exc:
                raise UsageError(f"datapackage.json names {name!r}, which {exc.reason}") from exc
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _FILE_MODE << 16
            info.create_system = _UNIX
            archive.writestr(info, data)
    return members


def _member_problem(layout: Layout, name: str) -> FileRefused | None:
    """Why the package cannot hold `name`, or None: a link on the way, not a regular file."""
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).as_posix() != name or any(p in ("..", ".", "") for p in parts):
        return FileRefused("is not a plain relative path inside the dataset root")
    return refusal(layout.root.joinpath(*parts), len(parts))


def _descriptor(layout: Layout) -> dict[str, Any]:
    shown = layout.rel(layout.datapackage)
    if leads_outside(layout.root, layout.datapackage):
        # A pull request can commit a link: what it points at is never read.
        raise UsageError(f"{shown} is a link that leads outside the dataset root: commit the file itself")
    try:
        data = read_json(layout.datapackage)
    except JsonFileError as exc:
        if exc.missing:
            raise UsageError(f"{shown} is missing: a dataset root has a datapackage.json") from exc
        raise UsageError(f"{shown}: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{shown} is not a JSON object")
    return data
