"""Hostile pull requests, cost: a few hundred KB of input cannot make the check's findings, memory
or closest-passage searches grow without bound. Bounds are asserted as output size and under a
process memory cap (a subprocess with an address-space limit), never as wall time."""

from __future__ import annotations

import hashlib
import json
import re
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MakeRoot
from roots import CLAIMS, SOURCES, add_row, read_rows, sentences_of_their_own, write_rows

from validate import check
from validate.findings import MORE_FINDINGS, Cap, Finding
from validate.rules import claims as claim_rules
from validate.rules.claims_per_statistic import MAX_CLAIMS_PER_STATISTIC

# Generous: a check of the small fixture stays far below it; the old code's findings did not.
MEMORY_CAP = 2 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


# `python -m validate` with the C kernels off: the polars and Python reference paths, as on a
# machine with no C compiler (the README's promise), under the same bounds.
_WITHOUT_KERNELS = "from validate.kernels import cells; cells._cells = None; from validate.cli import run; run()"


@pytest.fixture(params=[True, False], ids=["kernels", "reference"])
def kernels(request: pytest.FixtureRequest) -> bool:
    """Whether the checks of a test run with the C kernels or the reference paths."""
    return bool(request.param)


def _check(root: Path, *options: str, kernels: bool = True) -> tuple[int, bytes]:
    """`claims check --format json` in a process of its own, under the memory cap (with the C
    kernels off unless `kernels`)."""
    command = ["-m", "validate"] if kernels else ["-c", _WITHOUT_KERNELS]
    done = subprocess.run(
        [sys.executable, *command, "check", "--root", str(root), "--format", "json", *options],
        capture_output=True,
        preexec_fn=_limit_memory,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")[-2000:]
    return done.returncode, done.stdout


def _more(findings: list[dict[str, object]], file: str) -> list[str]:
    return [str(f["message"]) for f in findings if f["check"] == MORE_FINDINGS and f["file"] == file]


def test_a_header_of_many_commas_gives_capped_findings(make_root: MakeRoot, kernels: bool) -> None:
    root = make_root()
    (root / CLAIMS).write_bytes(b"," * 200_000 + (root / CLAIMS).read_bytes())
    status, out = _check(root, kernels=kernels)
    assert status == 1
    assert len(out) < 1_000_000  # 200,000 blank labels would be some 60 MB of JSON
    findings = json.loads(out)
    assert sum(f["check"] == "blank-label" for f in findings) == 1000
    [more] = _more(findings, CLAIMS)
    assert more.startswith("199000 more blank-label findings")


def test_many_short_rows_give_capped_findings(make_root: MakeRoot, kernels: bool) -> None:
    root = make_root()
    rows = 50_000
    (root / CLAIMS).write_bytes((root / CLAIMS).read_bytes() + b"x\n" * rows)
    status, out = _check(root, kernels=kernels)
    assert status == 1
    assert len(out) < 3_000_000
    findings = json.loads(out)
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f["check"]] = by_code.get(f["check"], 0) + 1
    assert by_code["missing-cell"] == 1000
    assert all(n <= 1000 for n in by_code.values())
    missing = next(m for m in _more(findings, CLAIMS) if "missing-cell" in m)
    columns = len(read_rows(root / CLAIMS)[0])
    assert missing.startswith(f"{rows * (columns - 1) - 1000} more missing-cell findings")


def test_max_findings_changes_the_cap(make_root: MakeRoot, kernels: bool) -> None:
    root = make_root()
    (root / CLAIMS).write_bytes((root / CLAIMS).read_bytes() + b"x\n" * 30)
    short = 30 * (len(read_rows(root / CLAIMS)[0]) - 1)  # each short row misses all but one cell
    _, out = _check(root, "--max-findings", "5", kernels=kernels)
    findings = json.loads(out)
    assert sum(f["check"] == "missing-cell" for f in findings) == 5
    assert any(m.startswith(f"{short - 5} more missing-cell") for m in _more(findings, CLAIMS))
    _, out = _check(root, "--max-findings", "0", kernels=kernels)  # no cap
    findings = json.loads(out)
    assert sum(f["check"] == "missing-cell" for f in findings) == short
    assert _more(findings, CLAIMS) == []


def test_many_quotes_missing_from_a_large_seed_stay_within_the_budget(make_root: MakeRoot, kernels: bool) -> None:
    root = make_root()
    sources = read_rows(root / SOURCES)
    head = sources[0]
    seed = root / "seeds" / sources[1][head.index("file")]
    text = b"lorem ipsum dolor sit amet 1,234 " * 60_000  # 2 MB
    seed.write_bytes(text)
    sources[1][head.index("sha256")] = hashlib.sha256(text).hexdigest()
    write_rows(root / SOURCES, sources)
    claims = read_rows(root / CLAIMS)
    columns = claims[0]
    for i in range(400):
        row = list(claims[1])
        row[columns.index("claim_id")] = f"missing-{i}"
        row[columns.index("source_id")] = sources[1][head.index("source_id")]
        row[columns.index("quote")] = f"words that are nowhere in the text, number {i}, 1,234"
        claims.append(row)
    write_rows(root / CLAIMS, claims)
    _, out = _check(root, kernels=kernels)
    missing = [f for f in json.loads(out) if f["check"] == "quote-not-in-source"]
    assert len(missing) >= 400
    shown = sum("closest passage" in str(f["message"]) for f in missing)
    assert shown <= claim_rules.CLOSEST_PASSAGE_LIMIT
    assert len(out) < 1_000_000


def test_a_seed_of_bare_numbers_gives_capped_coverage_findings(make_root: MakeRoot, kernels: bool) -> None:
    """A new source whose text is 300,000 numbers: the coverage rule makes the 1,000 findings the
    cap keeps and counts the rest, where it once made a finding (and a sentence) for each, some
    1.5 GB for a megabyte of seed."""
    root = make_root()
    _add_source(root, "numbers", b"1 " * 300_000)
    status, out = _check(root, kernels=kernels)
    assert status == 1
    findings = json.loads(out)
    shown = [f for f in findings if f["check"] == "number-not-accounted" and f["file"] == "seeds/numbers.txt"]
    assert len(shown) == 1000
    assert "'1'" in str(shown[0]["message"]) and "(occurrence 2 of '1')" in str(shown[1]["message"])
    [more] = _more(findings, "seeds/numbers.txt")
    assert more.startswith("299000 more number-not-accounted findings")


def test_cap_keeps_the_first_of_each_file_and_code_and_counts_the_rest() -> None:
    cap = Cap(2)
    made = [Finding(file="a.csv", row=r, check="x", message="m") for r in (5, 3, 4)]
    made.append(Finding(file="b.csv", row=1, check="x", message="m"))
    assert cap.admit("a.csv", "y") and cap.admit("a.csv", "y") and not cap.admit("a.csv", "y")
    report = cap.report(made)
    assert [(f.file, f.row, f.check) for f in report] == [
        ("a.csv", None, MORE_FINDINGS),
        ("a.csv", None, MORE_FINDINGS),
        ("a.csv", 3, "x"),
        ("a.csv", 4, "x"),
        ("b.csv", 1, "x"),
    ]
    messages = sorted(f.message for f in report if f.check == MORE_FINDINGS)
    assert messages[0].startswith("1 more x finding in a.csv") and messages[1].startswith("1 more y finding")
    with pytest.raises(ValueError):
        Cap(0)


def test_the_sentences_of_coverage_findings_share_one_budget_in_a_check(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve new seeds, each one paragraph of 30,000 characters of tiny sentences with one bare
    number: a budget per seed let each segment its own window (360,000 characters, and a thousand
    such seeds 30 million); one budget for the check holds them all to SEGMENT_BUDGET."""
    from validate.text import sentences as module

    root = make_root()
    for n in range(12):  # each its own text: one archived text is one source (sha256 is unique)
        _add_source(root, f"tiny-{n}", ("a. " * (5000 + n) + "7 " + "a. " * 5000).encode())
    segmented: list[int] = []
    analyze = module.analyze

    def counting(text: str):  # type: ignore[no-untyped-def]
        segmented.append(len(text))
        return analyze(text)

    monkeypatch.setattr(module, "analyze", counting)
    findings = [f for f in check(root) if f.check == "number-not-accounted" and f.file.startswith("seeds/tiny-")]
    assert len(findings) == 12
    assert 0 < sum(segmented) <= module.SEGMENT_BUDGET < 12 * 30_000
    # Past the budget a finding shows the characters around its number.
    assert all("7" in f.message for f in findings)


def _add_source(root: Path, source_id: str, text: bytes) -> None:
    """A new source of a blog, its seed `text` written as seeds/<source_id>.txt."""
    (root / "seeds" / f"{source_id}.txt").write_bytes(text)
    add_row(
        root,
        SOURCES,
        source_id=source_id,
        file=f"{source_id}.txt",
        sha256=hashlib.sha256(text).hexdigest(),
        title=source_id.capitalize(),
        publisher="Nobody",
        published="2019",
        kind="blog",
    )


class _CountingPass:
    """The phrase pattern, counting the characters of each text Python's own pass reads whole."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.read: list[int] = []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.read.append(len(text))
        return self.pattern.finditer(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.pattern, name)


@pytest.mark.parametrize(
    ("seed", "number"),
    [("café 12 ", "12"), ("\ufdfa 7 ", "7")],
    ids=["accented prose", "U+FDFA, eighteen characters once normalised"],
)
def test_a_seed_other_than_ascii_is_not_read_by_pythons_pass(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch, seed: str, number: str
) -> None:
    """A new seed of 200 KB other than ASCII: polars' pass reads it, in characters, as it reads
    ASCII seeds, where Python's own pass of the phrase pattern read every text other than ASCII
    (some 9 s a megabyte); its findings are those Python's pass gives, the first 1,000 and a count."""
    from validate.text import number_phrases

    root = make_root()
    text = seed * (200_000 // len(seed.encode()))
    _add_source(root, "other", text.encode())
    counting = _CountingPass(number_phrases._PHRASE)
    monkeypatch.setattr(number_phrases, "_PHRASE", counting)
    findings = check(root).findings
    assert max(counting.read, default=0) < 10_000  # no whole seed; the fixture's are a few KB
    shown = [f for f in findings if f.check == "number-not-accounted" and f.file == "seeds/other.txt"]
    assert len(shown) == 1000
    assert f"{number!r}" in shown[0].message and f"(occurrence 2 of {number!r})" in shown[1].message
    [more] = [f.message for f in findings if f.check == MORE_FINDINGS and f.file == "seeds/other.txt"]
    # Each number is a phrase, and nothing else is (Python's pass finds as many).
    assert more.startswith(f"{text.count(number) - 1000} more number-not-accounted findings")


@pytest.mark.parametrize("place", ["Muslim-majority", "\u0131"], ids=["a refused edge", "a dotless i"])
def test_one_place_read_apart_in_a_large_seed_is_read_around_it(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch, place: str
) -> None:
    """A new seed of 200 KB of `cafe 12 ` holding one place where the two engines may read a text
    apart (a hyphen before a number word, which Python's look-behind refuses; a character Python's
    case-insensitive match takes for `i`): Python's pass reads a stretch around it, where it read
    the whole seed (some 3 s a megabyte: minutes of CI for a seed of 100 MB)."""
    from validate.text import number_phrases

    root = make_root()
    text = "cafe 12 " * 12_500 + place + " " + "cafe 12 " * 12_500
    _add_source(root, "apart", text.encode())
    counting = _CountingPass(number_phrases._PHRASE)
    monkeypatch.setattr(number_phrases, "_PHRASE", counting)
    stretches: list[int] = []
    passes = number_phrases._local_passes

    def local(text: str, *args: object) -> list[tuple[int, int, list[tuple[int, int]]]]:
        out = passes(text, *args)  # type: ignore[arg-type]
        stretches.extend(hi - lo for lo, hi, _ in out)
        return out

    monkeypatch.setattr(number_phrases, "_local_passes", local)
    findings = check(root).findings
    assert max(counting.read, default=0) < 10_000  # no whole seed; the fixture's are a few KB
    assert 0 < sum(stretches) <= 100
    shown = [f for f in findings if f.check == "number-not-accounted" and f.file == "seeds/apart.txt"]
    assert len(shown) == 1000
    [more] = [f.message for f in findings if f.check == MORE_FINDINGS and f.file == "seeds/apart.txt"]
    assert more.startswith(f"{text.count('12') - 1000} more number-not-accounted findings")


def _claims_of_one_statistic(root: Path, n: int) -> int:
    """n claims of statistic detainers-declined-2019, each citing a sentence of its own (n copies
    of one quote would be one citation n times); the row number of the last."""
    rows = read_rows(root / CLAIMS)
    header = rows[0]
    for i, quote in enumerate(
        sentences_of_their_own(root, "county-report", "The jail declined 1,500 requests by {}.", n)
    ):
        cells = {
            "claim_id": f"declined-{i}",
            "source_id": "county-report",
            "statistic_id": "detainers-declined-2019",
            "quote": quote,
            "value_text": "1,500",
            "value": "1500",
            "qualifier": "exact",
            "counted_as": "requests",
            "meaning": "same",
        }
        rows.append([cells.get(name, "") for name in header])
    write_rows(root / CLAIMS, rows)
    return len(rows)


@pytest.mark.parametrize("n", [MAX_CLAIMS_PER_STATISTIC - 1, MAX_CLAIMS_PER_STATISTIC + 5])
def test_a_statistic_of_more_claims_than_the_bound_is_refused_once(make_root: MakeRoot, kernels: bool, n: int) -> None:
    root = make_root()
    before = sum(r[2] == "detainers-declined-2019" for r in read_rows(root / CLAIMS)[1:])
    last = _claims_of_one_statistic(root, n - before)
    status, out = _check(root, kernels=kernels)
    findings = json.loads(out)
    if n <= MAX_CLAIMS_PER_STATISTIC:
        assert (status, findings) == (0, [])
        return
    # One finding for the statistic, on its first claim past the bound (claims build then never
    # compares its n(n-1)/2 pairs).
    first_past = last - (n - MAX_CLAIMS_PER_STATISTIC) + 1
    assert [(f["check"], f["row"], f["column"]) for f in findings] == [
        ("statistic-too-many-claims", first_past, "statistic_id")
    ]
    assert f"has {n:,} claims, more than the {MAX_CLAIMS_PER_STATISTIC:,}" in findings[0]["message"]
