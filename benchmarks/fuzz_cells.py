"""Fuzzes the C passes (validate/kernels/_cells.c) built with AddressSanitizer and
UndefinedBehaviorSanitizer, for a bounded time; fails on any sanitizer report or wrong answer.

    python benchmarks/fuzz_cells.py [--seconds 60] [--source validate/kernels/_cells.c]

The extension is compiled with `-fsanitize=address,undefined -fno-omit-frame-pointer` into a
folder of its own (the installed one is left as it is), and a child Python, with the sanitizer
runtime preloaded, drives every function of the module (profile, locate, groups,
normalise_spaces) with hypothesis: well-formed columns (chunked, sliced, with nulls, inline and
buffered string views), whose answers must be the polars reference's, again on copies whose
buffers end exactly where their memory ends, and malformed buffers (views pointing anywhere, short
validity bitmaps and outputs, bad orders), which must be refused with a ValueError and never read. A read or write out of bounds, or undefined behaviour,
aborts the child with the sanitizer's report, and this script exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "validate" / "kernels" / "_cells.c"
# Set in the child: the folder holding the sanitized build.
_BUILD_ENV = "FUZZ_CELLS_BUILD"
_SECONDS_ENV = "FUZZ_CELLS_SECONDS"


def build(source: Path, folder: Path) -> Path:
    """The sanitized extension module compiled from `source` into `folder`."""
    out = folder / f"_cells{sysconfig.get_config_var('EXT_SUFFIX')}"
    compiler = os.environ.get("CC", "gcc")
    command = [
        compiler,
        "-O1",
        "-g",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",  # undefined behaviour stops the run, not just a warning
        "-fno-omit-frame-pointer",
        "-shared",
        "-fPIC",
        f"-I{sysconfig.get_paths()['include']}",
        str(source),
        "-o",
        str(out),
    ]
    subprocess.run(command, check=True)
    return out


def _runtime(compiler: str) -> str:
    """The ASan runtime library, which must be loaded before anything else in the process."""
    found = subprocess.run([compiler, "-print-file-name=libasan.so"], capture_output=True, text=True, check=True)
    path = found.stdout.strip()
    if not os.path.isabs(path):
        raise SystemExit(f"{compiler} has no AddressSanitizer runtime (libasan.so): install it to fuzz")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz (default 60)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the C file to build (default the package's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz_cells_") as folder:
        try:
            build(args.source, Path(folder))
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"fuzz_cells: could not build {args.source} with the sanitizers: {exc}", file=sys.stderr)
            return 1
        env = dict(os.environ)
        env.update(
            {
                _BUILD_ENV: folder,
                _SECONDS_ENV: str(args.seconds),
                "LD_PRELOAD": _runtime(os.environ.get("CC", "gcc")),
                # Python itself is not built with ASan: its allocations at exit are not leaks.
                "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
                # Every Python buffer from malloc, so that ASan guards its end (pymalloc's pools hide it).
                "PYTHONMALLOC": "malloc",
                "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
                "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
            }
        )
        done = subprocess.run([sys.executable, __file__, "--child"], env=env, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(done.stderr)
        reported = "Sanitizer" in done.stderr or "runtime error:" in done.stderr
        if done.returncode != 0 or reported:
            print(f"fuzz_cells: FAILED (exit status {done.returncode})", file=sys.stderr)
            return 1
    return 0


def child() -> int:
    """The fuzzing itself, in the process that has the sanitizer runtime."""
    import polars as pl
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from validate.kernels import cells
    from validate.text import normalise

    folder = Path(os.environ[_BUILD_ENV])
    (path,) = folder.glob("_cells*")
    spec = importlib.util.spec_from_file_location("_cells", path)
    assert spec is not None and spec.loader is not None
    sanitized = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sanitized)
    if getattr(sanitized, "VERSION", None) != cells._VERSION:
        print(f"the build speaks version {getattr(sanitized, 'VERSION', None)}, cells.py {cells._VERSION}")
        return 1
    cells._cells = sanitized

    alphabet = st.sampled_from([*"ab =+-@\t\r\n\x0b\x0c.,'\"", "é", "\u2019", "\u00a0", "\u3000", "字", "😀"])
    cell = st.one_of(st.none(), st.text(alphabet, max_size=40), st.text("ab ", min_size=10, max_size=300))

    def chunked(values: list[str | None], skip: int, pieces: int) -> pl.Series:
        series = pl.Series("t", values, dtype=pl.String)
        size = len(values) // pieces + 1
        return pl.concat([series.slice(i * size, size) for i in range(pieces)], rechunk=False).slice(skip)

    def exact(data: bytes) -> memoryview:
        """`data` in a buffer that ends where its memory from malloc ends, so that ASan sees a
        read one byte past it (bytes, bytearray and array keep spare bytes past their end). The
        bytes in front keep the allocation past the 16 bytes ctypes holds inside its object, and
        the buffer aligned as malloc aligns."""
        front = 32
        memory = (ctypes.c_char * (front + len(data)))()
        view = memoryview(memory).cast("B")[front:]
        view[:] = data
        return view

    fast = settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @fast
    @given(st.lists(cell, max_size=60), st.integers(0, 5), st.integers(1, 4))
    def profile(values: list[str | None], skip: int, pieces: int) -> None:
        frame = chunked(values, skip, pieces).to_frame()
        got = cells.profile_columns(frame, ["t"]).drop("t")
        assert got.equals(frame.select(cells.reference_profile("t")))

    def exact_spec(chunk: object) -> tuple[object, int, memoryview, tuple[memoryview, ...]]:
        """cells._spec of `chunk`, each buffer copied into exact() (Arrow pads its own)."""
        validity, bit, views, data = cells._spec(chunk)
        copy = [exact(b.to_pybytes()) for b in data]
        return None if validity is None else exact(validity.to_pybytes()), bit, exact(views.to_pybytes()), tuple(copy)

    @fast
    @given(
        st.lists(st.tuples(cell, st.integers(0, 300), st.integers(0, 300), cell | st.just("slice")), max_size=60),
        st.integers(0, 5),
        st.randoms(use_true_random=False),
    )
    def locate(pairs: list[tuple[str | None, int, int, str | None]], skip: int, rng: object) -> None:
        # Needles cut from their haystack (found, at any position and length) or not, searched
        # for from the start and from a byte offset (up to past the end).
        hays = [h if h is None else h * 3 for h, _, _, _ in pairs]
        needles = [
            h[a : a + k] if n == "slice" and h is not None else n for h, (_, a, k, n) in zip(hays, pairs, strict=True)
        ]
        hay = pl.Series("h", hays, dtype=pl.String).slice(skip)
        needle = pl.Series("n", [None if n == "slice" else n for n in needles], dtype=pl.String).slice(skip)
        starts = [a for _, a, _, _ in pairs][skip:]
        start = pl.Series(starts, dtype=pl.Int32)
        rows = list(range(hay.len()))
        rng.shuffle(rows)  # type: ignore[attr-defined]
        order = pl.Series([0, *rows], dtype=pl.UInt32).slice(1)
        want = cells.reference_locate(hay, needle)
        assert cells.locate(hay, needle, order).equals(want)
        assert cells.locate(hay, needle).equals(want)
        want_from = cells.reference_locate(hay, needle, start)
        assert cells.locate(hay, needle, order, start).equals(want_from)
        # Again on buffers that end where their memory ends: a vector load past a haystack's
        # last byte is caught here, where Arrow's padding would hide it.
        n = hay.len()
        for offsets, expected in ((None, want), (start, want_from)):
            at = exact(bytes(4 * n))
            begin = None if offsets is None else exact(b"".join(v.to_bytes(4, "little") for v in offsets.to_list()))
            spans = exact_spec(cells._one_chunk(hay)), exact_spec(cells._one_chunk(needle))
            sanitized.locate(*spans, n, None, begin, at)
            codes = [int.from_bytes(at[4 * i : 4 * i + 4], "little", signed=True) for i in range(n)]
            assert [None if c == sanitized.NULL_AT else c for c in codes] == expected.to_list()
        chars, flags = exact(bytes(4 * n)), exact(bytes(n))
        sanitized.profile(exact_spec(cells._one_chunk(hay)), n, chars, flags)

    @fast
    @given(
        st.lists(cell | st.sampled_from(["0123456789abX", "0123456789abY", "0123456789ab"]), max_size=60),
        st.integers(0, 5),
        st.integers(1, 4),
        st.integers(0, 2**64 - 1),
    )
    def groups(values: list[str | None], skip: int, pieces: int, seed: int) -> None:
        series = chunked(values, skip, pieces)
        codes, firsts = cells.groups(series)
        want_codes, want_firsts = cells.reference_groups(series)
        assert codes.to_list() == want_codes.to_list() and firsts.to_list() == want_firsts.to_list()
        # Again chunk by chunk on buffers that end where their memory ends, with any seed (a
        # seed that makes values collide must still tell them apart by their bytes).
        chunks = cells._chunks(series)
        n = series.len()
        out = exact(bytes(4 * n))
        got = sanitized.groups(tuple((exact_spec(c), len(c)) for c in chunks), n, seed, out)
        assert len(got) == 4 * want_firsts.len()
        assert [None if c == 2**32 - 1 else c for c in out.cast("I")] == want_codes.to_list()

    @fast
    @given(st.lists(cell, max_size=30), st.integers(0, 5))
    def normalise_spaces(values: list[str | None], skip: int) -> None:
        texts = pl.Series("t", values, dtype=pl.String).slice(skip)
        done = cells.normalise_spaces(texts)
        assert done is not None
        # The polars expression that normalise_series_nfkc runs without the extension.
        want = (
            texts.to_frame()
            .select(
                pl.col("t")
                .str.replace_all(normalise._WS_TO_CHANGE, " ")
                .str.strip_chars(" ")
                .str.replace_many(
                    [old for old, _ in normalise._REPLACEMENTS], [new for _, new in normalise._REPLACEMENTS]
                )
            )
            .to_series()
        )
        assert done.to_list() == want.to_list()
        n = texts.len()
        size = int(texts.str.len_bytes().cast(pl.UInt64).sum() or 0)
        offsets, data = exact(bytes(8 * (n + 1))), exact(bytes(size))
        used = sanitized.normalise_spaces(exact_spec(cells._one_chunk(texts)), n, offsets, data)
        assert used == int(done.str.len_bytes().fill_null(0).sum() or 0)

    # Views whose length, buffer index and offset fall near the edges of what is valid.
    edge = st.sampled_from([-(2**31), -1, 0, 1, 11, 12, 13, 15, 16, 17, 31, 32, 33, 2**31 - 1])
    # An offset anywhere, or one that ends the view just inside, at, or just past its buffer's end.
    offset = edge | st.integers(-1, 40) | st.tuples(st.just("end"), st.integers(-2, 2))
    wild = st.tuples(edge | st.integers(-5, 40), edge | st.integers(-1, 3), offset, st.binary(min_size=4, max_size=4))
    # Mostly views that lie near the edge of a buffer that exists: a column is refused at its
    # first bad view, so that the views after it are never read.
    near = st.tuples(
        st.integers(13, 60), st.integers(0, 2), st.tuples(st.just("end"), st.integers(-3, 1)), st.just(b"abcd")
    )

    @fast
    # A view one byte past its buffer's end, which must be refused before it is read.
    @example(
        views=[(20, 0, ("end", 1), b"abcd")], data=[b"x" * 20], validity=None, bit=0, fewer=0, out_short=0, out_shift=0
    )
    @given(
        st.lists(near | near | near | wild, max_size=8),
        st.lists(st.binary(min_size=13, max_size=60), min_size=1, max_size=3),
        st.none() | st.none() | st.binary(max_size=2),
        st.integers(0, 9),
        st.sampled_from([0, 0, 0, 1, 2, -1]),
        st.sampled_from([0, 0, 0, -1, 1, 3]),
        st.sampled_from([0, 0, 0, 1, 3]),
    )
    def malformed(
        views: list[tuple[int, int, int | tuple[str, int], bytes]],
        data: list[bytes],
        validity: bytes | None,
        bit: int,
        fewer: int,
        out_short: int,
        out_shift: int,
    ) -> None:
        n = max(0, len(views) - fewer)

        def at(length: int, index: int, where: int | tuple[str, int]) -> int:
            if isinstance(where, int):
                return where
            end = len(data[index]) if 0 <= index < len(data) else 0
            return max(-(2**31), min(2**31 - 1, end - length + where[1]))

        raw = b"".join(
            length.to_bytes(4, "little", signed=True)
            + prefix
            + index.to_bytes(4, "little", signed=True)
            + at(length, index, where).to_bytes(4, "little", signed=True)
            for length, index, where, prefix in views
        )
        column = (None if validity is None else exact(validity), bit, exact(raw), tuple(exact(d) for d in data))
        chars = memoryview(exact(bytes(4 * max(0, n - out_short) + out_shift)))[out_shift:]
        flags = exact(bytes(max(0, n - out_short)))
        with contextlib.suppress(ValueError):
            sanitized.profile(column, n, chars, flags)
        with contextlib.suppress(ValueError):
            sanitized.groups(((column, n),), n, 0, exact(bytes(4 * max(0, n - out_short))))
        with contextlib.suppress(ValueError):
            need = sum(len(d) for d in data) + 16 * n  # at least every text's bytes, whichever are read
            sanitized.normalise_spaces(column, n, exact(bytes(8 * max(0, n + 1 - out_short))), exact(bytes(need)))
        order = exact(b"".join((i * 7 % max(n, 1)).to_bytes(4, "little") for i in range(n)))
        for visit in (None, order):
            with contextlib.suppress(ValueError):
                sanitized.locate(column, column, n, visit, None, exact(bytes(4 * n)))
            with contextlib.suppress(ValueError):
                sanitized.locate(column, column, n, visit, order, exact(bytes(4 * n)))

    # Every entry point of the module, each run every round.
    targets = (profile, locate, groups, normalise_spaces, malformed)
    deadline = time.monotonic() + float(os.environ[_SECONDS_ENV])
    rounds = 0
    while time.monotonic() < deadline:
        for run in targets:
            run()
        rounds += 1
    print(f"fuzz_cells: {rounds} rounds of {len(targets)} x 200 examples, no sanitizer report")
    return 0


if __name__ == "__main__":
    sys.exit(child() if sys.argv[1:] == ["--child"] else main())
