"""Hostile pull requests, candidates: a seed's text can make `claims candidates` list many numbers,
but each reads and shows a bounded part of its sentence, so the output grows with the text, not
with its square. Bounds are asserted as output size (and a process memory cap), never as time;
benchmarks/candidates_scaling.py measures the time."""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
from dataclasses import asdict

import pytest
from candidates_scaling import TEXTS
from conftest import MakeRoot
from roots import SOURCES, read_rows, write_rows

from validate.contributing.candidates import CONTEXT, find_candidates
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
        [sys.executable, "-m", "validate", "candidates", "--root", str(root), source, "--format", "json", "--top", "1"],
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
