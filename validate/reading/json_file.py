"""Reading a JSON file of the dataset (a schema, datapackage.json) that a pull request may have broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from validate.reading.files import FileRefused, read_regular

# A schema or descriptor is some kilobytes; this is room for any real one, and a bound for the rest.
MAX_JSON_BYTES = 64 << 20


class JsonFileError(Exception):
    """Why a JSON file cannot be used, in words for a finding or a usage error."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing


def read_json(path: Path, depth: int = 1) -> Any:
    """The JSON value in `path` (with `depth` parts inside the dataset root, none of them a
    link). Never blocks on a FIFO (only a regular file is opened) and never raises anything but
    JsonFileError."""
    try:
        return json.loads(read_regular(path, depth, MAX_JSON_BYTES).decode("utf-8"))
    except FileRefused as exc:
        raise JsonFileError("it is missing" if exc.missing else f"it {exc.reason}", missing=exc.missing) from exc
    except RecursionError as exc:
        # json's decoder recurses per nested list or object: a file of 100,000 "[" exhausts it.
        raise JsonFileError("it is not readable JSON (nested too deeply)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JsonFileError(f"it is not readable JSON ({exc})") from exc
