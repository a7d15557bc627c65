"""Schemas and datapackage.json are read as strict JSON: what Python's json module takes beyond
the standard is refused with a reason, never an internal error, and never published as read."""

from __future__ import annotations

from pathlib import Path

import pytest

from validate.reading.json_file import JsonFileError, read_json


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"x": NaN}', "NaN is not a JSON number"),
        ('{"x": -Infinity}', "-Infinity is not a JSON number"),
        ('{"x": 1e999999}', "past the largest number"),
        ('{"x": ' + "9" * 5000 + "}", "an integer of 5000 digits"),
        ('{"x": "\\ud800"}', "lone surrogate"),
        ('{"\\udfff": 1}', "lone surrogate"),
        ('{"name": "a", "name": "b"}', "given twice"),
        ('{"x": [' * 100_000, "nested too deeply"),
        ('{"x": 1,}', "not readable JSON"),
    ],
)
def test_json_past_the_standard_is_refused_with_its_reason(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "datapackage.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JsonFileError, match="not readable JSON") as refused:
        read_json(path)
    assert says in str(refused.value)


def test_strict_json_is_read(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.json"
    path.write_text('{"a": [1, -2.5e3, "\\u00e9", {"b": null}], "c": ' + "9" * 300 + "}", encoding="utf-8")
    assert read_json(path) == {"a": [1, -2500.0, "\u00e9", {"b": None}], "c": int("9" * 300)}
