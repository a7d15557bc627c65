"""Reading a JSON file of the dataset (a schema, datapackage.json) that a pull request may have broken."""

from __future__ import annotations

import json
import math
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
    JsonFileError. Strict JSON only: what Python's json module accepts beyond the standard (NaN,
    Infinity, numbers past a double, a lone surrogate, a key given twice) would be read one way
    here and another, or refused, by the tools that read the published package."""
    try:
        value = json.loads(
            read_regular(path, depth, MAX_JSON_BYTES).decode("utf-8"),
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_held_int,
            object_pairs_hook=_keys_once,
        )
        _refuse_lone_surrogates(value)
        return value
    except FileRefused as exc:
        raise JsonFileError("it is missing" if exc.missing else f"it {exc.reason}", missing=exc.missing) from exc
    except RecursionError as exc:
        # json's decoder recurses per nested list or object: a file of 100,000 "[" exhausts it.
        raise JsonFileError("it is not readable JSON (nested too deeply)") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        # ValueError covers json.JSONDecodeError and the refusals below.
        raise JsonFileError(f"it is not readable JSON ({exc})") from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number: write a number, or leave the property out")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text[:40]} is past the largest number a reader can hold")
    return number


def _held_int(text: str) -> int:
    # Past some 300 digits no reader holds it as a number (a double stops at 1.8e308).
    if len(text.lstrip("-")) > 300:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits is past the largest number a reader can hold")
    return int(text)


def _keys_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in pairs:
        if key in out:
            raise ValueError(f"the key {key[:80]!r} is given twice in one object: keep one")
        out[key] = item
    return out


def _refuse_lone_surrogates(value: Any) -> None:
    # Iterative: the decoder already bounds the depth, and a recursive walk would have its own.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _utf8(item)
        elif isinstance(item, dict):
            for key in item:
                _utf8(key)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("a string holds a lone surrogate (\\ud800 to \\udfff), which is not text") from exc
