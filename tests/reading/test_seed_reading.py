"""Seeds are read whole even when they change between fstat and read; only regular files are read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from validate.reading import files
from validate.reading.files import FileRefused


@pytest.mark.parametrize("seen", [0, 5, 3000, 10_000], ids=["empty", "grew", "same", "shrank"])
def test_a_seed_is_read_to_its_end_whatever_fstat_said(
    seen: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "seed.txt"
    data = os.urandom(3000)
    path.write_bytes(data)
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        info = list(real(fd))
        info[6] = seen  # st_size, as if the file had this size a moment before the read
        return os.stat_result(info)

    monkeypatch.setattr(files.os, "fstat", fstat)
    assert files.read_file(path) == data
    # Read on past what fstat said, but never past the cap: a file that grows is refused there.
    with pytest.raises(FileRefused, match="more than the 2,000"):
        files.read_file(path, 2000)


@pytest.mark.timeout(30)  # a read that blocks on the FIFO hangs: fail it quickly instead
def test_a_folder_or_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    for name, what in (("pipe", "a FIFO"), ("folder", "a folder")):
        with pytest.raises(FileRefused, match=f"is {what}") as refused:
            files.read_file(tmp_path / name)
        assert refused.value.not_file
