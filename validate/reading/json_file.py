"""Reading a JSON file of the dataset (a schema, datapackage.json) that a pull request may have broken."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any


class JsonFileError(Exception):
    """Why a JSON file cannot be used, in words for a finding or a usage error."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing


def read_json(path: Path) -> Any:
    """The JSON value in `path`. Never blocks on a FIFO (only a regular file is opened) and never
    raises anything but JsonFileError."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise JsonFileError("it is not a regular file")
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise JsonFileError("it is missing", missing=True) from exc
    except RecursionError as exc:
        # json's decoder recurses per nested list or object: a file of 100,000 "[" exhausts it.
        raise JsonFileError("it is not readable JSON (nested too deeply)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JsonFileError(f"it is not readable JSON ({exc})") from exc
