"""Links committed in a pull request never make the check read, or quote back, a file outside the root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import validate

SECRET = "SECRET_TOKEN=hunter2-abcde"


def _findings(root: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(f.file, f.row, f.column, f.check) for f in validate.check(root)]


def _messages(root: Path) -> str:
    return "\n".join(f.message for f in validate.check(root))


def test_seeds_folder_linked_outside_is_not_read(real_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(real_copy / "seeds", outside)
    # A guess at a secret in a seed the link exposes: the closest-passage message must not show it.
    first = sorted(outside.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + SECRET + "\n", encoding="utf-8")
    shutil.rmtree(real_copy / "seeds")
    (real_copy / "seeds").symlink_to(outside, target_is_directory=True)
    found = _findings(real_copy)
    assert ("seeds", None, None, "file-outside-seeds") in found
    rows = {f for f in found if f[0] == "datasets/sources.csv"}
    assert rows and {f[2:] for f in rows} == {("file", "file-outside-seeds")}
    assert SECRET not in _messages(real_copy)


@pytest.mark.parametrize(
    ("part", "code"), [("datasets/claims.csv", "source-error"), ("schema/claims.schema.json", "schema-error")]
)
def test_dataset_file_linked_outside_is_not_read(real_copy: Path, tmp_path: Path, part: str, code: str) -> None:
    outside = tmp_path / "outside.txt"
    if part.endswith(".csv"):
        outside.write_text(f"{SECRET},x\n{SECRET},y\n", encoding="utf-8")
    else:  # a schema that would be read without complaint, were it read
        shutil.copy(real_copy / part, outside)
    (real_copy / part).unlink()
    (real_copy / part).symlink_to(outside)
    found = _findings(real_copy)
    assert (part, None, None, code) in found
    assert SECRET not in _messages(real_copy)


def test_link_inside_the_root_is_not_followed(real_copy: Path) -> None:
    """No link of a dataset root is followed, even one to a file inside it."""
    kept = real_copy / "kept-statistics.csv"
    (real_copy / "datasets" / "statistics.csv").rename(kept)
    (real_copy / "datasets" / "statistics.csv").symlink_to(kept)
    assert ("datasets/statistics.csv", None, None, "source-error") in _findings(real_copy)


def test_candidates_refuse_a_csv_linked_outside(real_copy: Path, tmp_path: Path) -> None:
    from validate.contributing.candidates import candidates
    from validate.errors import UsageError

    outside = tmp_path / "claims.csv"
    shutil.copy(real_copy / "datasets" / "claims.csv", outside)
    (real_copy / "datasets" / "claims.csv").unlink()
    (real_copy / "datasets" / "claims.csv").symlink_to(outside)
    with pytest.raises(UsageError, match="leads outside"):
        candidates(real_copy)
