"""Seeds are read whole even when they change between fstat and read; only regular files are read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from validate.reading import seeds


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

    monkeypatch.setattr(seeds.os, "fstat", fstat)
    assert seeds._read_regular(path) == data


@pytest.mark.timeout(30)  # a read that blocks on the FIFO hangs: fail it quickly instead
def test_a_folder_or_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    assert seeds._read_regular(tmp_path / "pipe") is None
    assert seeds._read_regular(tmp_path / "folder") is None
