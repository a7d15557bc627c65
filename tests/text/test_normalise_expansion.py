"""normalise() of a text that NFKC makes much longer: U+FDFA is one character and eighteen once
normalised, four words. Collapsing its spaces with one split() of the whole held an object per
word, ten times the output's size (590 MB for a seed of 5 MB)."""

from __future__ import annotations

import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from validate.text import normalise as module
from validate.text.normalise import normalise


def test_normalising_an_expanding_text_holds_a_few_times_its_output() -> None:
    raw = "\ufdfa" * 120_000  # 2,160,000 characters once normalised, some 33 chunks
    tracemalloc.start()
    try:
        out = normalise(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(out) == 18 * len(raw)
    # NFKC's output, the collapsed pieces and their join: three times the output's 2 bytes a
    # character (it was ten times).
    assert peak < 4 * 2 * len(out)


_PARTS = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "a", "bc", "\u00e9", "\ufdfa", "7"])


@given(st.lists(_PARTS, max_size=60), st.integers(min_value=1, max_value=9))
def test_collapsing_a_chunk_at_a_time_is_collapsing_the_whole(parts: list[str], chunk: int) -> None:
    text = "".join(parts)
    saved = module._CHUNK
    module._CHUNK = chunk  # not monkeypatch: hypothesis runs the body many times in one test
    try:
        got = module._collapse(text)
    finally:
        module._CHUNK = saved
    assert got == " ".join(text.split())
