"""Hostile pull requests, candidates: a seed's text can make `claims candidates` list many numbers,
but each reads and shows a bounded part of its sentence, so the output grows with the text, not
with its square. Bounds are asserted as output size (and a process memory cap), never as time;
benchmarks/candidates_scaling.py measures the time."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import resource
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from candidates_scaling import TEXTS
from conftest import MakeRoot
from roots import SOURCES, read_rows, write_rows

from validate.contributing.candidates import CONTEXT, candidates, find_candidates
from validate.contributing.candidates_output import candidate_rows
from validate.text.normalise import normalise

MEMORY_CAP = 2 << 30
N = 1500


def _size(text: str) -> int:
    return len(json.dumps([asdict(c) for c in find_candidates(text, [], "s")], ensure_ascii=False))


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_output_grows_linearly_with_a_hostile_text(kind: str) -> None:
    make = TEXTS[kind]
    small, large = _size(make(N)), _size(make(4 * N))
    # Four times the text, about four times the output (plus the few candidates' fixed parts);
    # each number carrying its whole unended sentence gave some 14 times.
    assert large <= 4.5 * small + 2000, (small, large)


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_each_candidate_shows_a_bounded_part_of_its_sentence(kind: str) -> None:
    text = TEXTS[kind](4 * N)
    for c in find_candidates(text, [], "s"):
        assert len(c.sentence) <= 2 * CONTEXT + len(c.value_text)
        assert c.value_text in c.sentence and c.sentence in normalise(text)


def test_candidates_of_a_hostile_seed_stay_bounded_under_a_memory_cap(make_root: MakeRoot) -> None:
    root = make_root()
    rows = read_rows(root / SOURCES)
    head = rows[0]
    text = TEXTS["numbers in one sentence"](30_000).encode()  # some 1,500 numbers, no sentence end
    (root / "seeds" / rows[1][head.index("file")]).write_bytes(text)
    rows[1][head.index("sha256")] = hashlib.sha256(text).hexdigest()
    write_rows(root / SOURCES, rows)
    source = rows[1][head.index("source_id")]
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "validate", "candidates", "--root", str(root), source),
            *("--format", "json", "--top", "1", "--max-numbers", "0"),
        ],
        capture_output=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP)),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    found = json.loads(done.stdout)
    assert len(found) > 1000
    # Each number with its whole sentence would be some 45 MB; bounded, it is a few.
    assert len(done.stdout) < 4_000_000


def _seed(make_root: MakeRoot, text: bytes) -> tuple[Path, str]:
    """A root whose second source's seed is `text`, and that source's id."""
    root = make_root()
    rows = read_rows(root / SOURCES)
    head = rows[0]
    (root / "seeds" / rows[1][head.index("file")]).write_bytes(text)
    rows[1][head.index("sha256")] = hashlib.sha256(text).hexdigest()
    write_rows(root / SOURCES, rows)
    return root, rows[1][head.index("source_id")]


def test_candidates_list_the_first_numbers_and_count_the_rest(make_root: MakeRoot) -> None:
    """A seed of 50,000 bare numbers listed each (a minute, 367,000 lines): the first 1,000 now,
    as `claims check` shows findings, and a line saying how many more and how to list them."""
    root, source = _seed(make_root, b"7 " * 50_000)
    done = subprocess.run(
        [sys.executable, "-m", "validate", "candidates", "--root", str(root), source, "--format", "json", "--top", "1"],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    found = json.loads(done.stdout)
    assert len(found) == 1000
    assert [c["occurrence"] for c in found[:3]] == [1, 2, 3]
    assert (
        done.stderr.decode()
        .strip()
        .endswith(
            f"49000 more numbers of {source} past the first 1000: account for these first, "
            f"or list them all with: claims candidates {source} --max-numbers 0"
        )
    )
    few = candidates(root, source, limit=5)
    assert [c.occurrence for c in few] == [1, 2, 3, 4, 5] and few.more == {source: 49_995}
    assert candidates(root, source, limit=None).more == {}


def test_candidates_text_shows_no_control_character_of_the_data(make_root: MakeRoot) -> None:
    """A seed's escape sequence (here one that would retitle the terminal) is shown escaped."""
    root, source = _seed(make_root, b"Officials counted 675 people \x1b]0;pwned\x07 in 2017 \xe2\x80\xae here.")
    done = subprocess.run(
        [sys.executable, "-m", "validate", "candidates", "--root", str(root), source],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    out = done.stdout.decode()
    assert "'675'" in out and "\\x1b]0;pwned\\x07" in out and "\\u202e" in out
    assert not any(ch in out for ch in "\x1b\x07\u202e")


def test_candidate_rows_begin_no_cell_like_a_formula(make_root: MakeRoot) -> None:
    """counted_as was written as read from the seed: '=cmd|calc people' ran in a spreadsheet."""
    text = b"Officials counted 5 =cmd|calc people in the city. There were 9 @SUM(A1) arrests in 2019."
    root, source = _seed(make_root, text)
    rows, _ = candidate_rows(root, candidates(root, source))
    cells = [cell for row in csv.reader(io.StringIO(rows)) for cell in row]
    assert len(cells) > 18  # a header and at least one row
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "cmd|calc people" in rows
