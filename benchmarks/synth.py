"""Writes a synthetic dataset root of N claims over S sources, optionally with broken rows.

    python benchmarks/synth.py OUT --rows 100000 --sources 1000 [--broken 0.01] [--seed 1]

Seed texts are a few KB of realistic sentences, each claimed once; every quote really occurs in its seed (some only
after normalisation: curly quotes, em dashes, non-breaking spaces), value_texts use every
qualifier, periods are set on most claims. With --broken, that share of claims is broken, in
turn, in every way the contract names, so a benchmark can time the check with findings.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from validate.paths import REPO_ROOT, TABLES, Layout
from validate.reading.table_schema import load_schema
from validate.rules.claimed_spans import claimed_spans
from validate.rules.coverage import unaccounted
from validate.text.normalise import normalise

# The claims' columns, from the schema: the generator writes what the contract declares.
CLAIM_COLUMNS = load_schema(Layout(REPO_ROOT).schema("claims")).names
COL = {name: i for i, name in enumerate(CLAIM_COLUMNS)}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PLACES = [
    "Cook County",
    "Denver",
    "Philadelphia",
    "Santa Clara County",
    "King County",
    "New York City",
    "Travis County",
    "Multnomah County",
    "Hennepin County",
    "Miami-Dade County",
]
SUBJECTS = [
    ("detainer requests declined by {place}", "count"),
    ("jurisdictions that refused to honor ICE detainers", "count"),
    ("people held in ICE custody in {place}", "count"),
    ("arrests made by ICE officers near {place}", "count"),
    ("the share of detainers honored in {place}", "percent"),
    ("the share of released immigrants later re-arrested in {place}", "percent"),
    ("the change in ICE arrests in {place}", "percent_change"),
    ("federal grant money withheld from {place}", "usd"),
]


@dataclass(frozen=True)
class Phrase:
    text: str
    value: str
    qualifier: str


def _phrase(rng: random.Random, unit: str) -> Phrase:
    """A value phrase with the value and qualifier it must parse to."""
    n = rng.randint(2, 99_999)
    if unit in ("percent", "percent_change"):
        pct = round(rng.uniform(0.5, 99.0), 1)
        kind = rng.randrange(4)
        if kind == 0:
            return Phrase(f"{pct} percent", f"{pct:g}", "exact")
        if kind == 1:
            return Phrase(f"nearly {pct:g}%", f"{pct:g}", "nearly")
        if kind == 2:
            return Phrase("a quarter", "25", "exact")
        return Phrase(f"about {pct:g} percent", f"{pct:g}", "approximately")
    if unit == "usd":
        m = round(rng.uniform(1.0, 99.0), 1)
        return Phrase(f"${m:g} million", f"{round(m * 1_000_000)}", "exact")
    kind = rng.randrange(9)
    forms = [
        (f"{n:,}", "exact"),
        (f"more than {n:,}", "more_than"),
        (f"approximately {n:,}", "approximately"),
        (f"nearly {n:,}", "nearly"),
        (f"at least {n:,}", "at_least"),
        (f"fewer than {n:,}", "fewer_than"),
        (f"at most {n:,}", "at_most"),
        ("tens of thousands", "order_of_magnitude"),
        (f"{n / 10:.1f} million", "exact"),
    ]
    text, qualifier = forms[kind]
    if qualifier == "order_of_magnitude":
        return Phrase(text, "10000", qualifier)
    if text.endswith("million"):
        return Phrase(text, f"{int(round(n / 10 * 10) * 100_000)}", qualifier)
    return Phrase(text, str(n), qualifier)


@dataclass(frozen=True)
class Sentence:
    raw: str  # as in the seed text
    quote: str  # as a contributor would type it (straight quotes, plain spaces)
    phrase: Phrase
    counted: str
    period: tuple[str, str]
    stat: int


def _sentence(rng: random.Random, stat: int, unit: str, template: str) -> Sentence:
    place = rng.choice(PLACES)
    counted = template.format(place=place)
    phrase = _phrase(rng, unit)
    y1 = rng.randint(2012, 2020)
    y2 = y1 + rng.randint(0, 3)
    m1, m2 = rng.randrange(12), rng.randrange(12)
    if y1 == y2 and m2 < m1:
        m1, m2 = m2, m1
    style = rng.randrange(4)
    if style == 0:
        quote = f"From {MONTHS[m1]} {y1} to {MONTHS[m2]} {y2}, {phrase.text} were counted as {counted}, officials said."
        raw = quote.replace(", officials", ",\u00a0officials")
    elif style == 1:
        quote = f"The report found {phrase.text} - {counted} - between {MONTHS[m1]} {y1} and {MONTHS[m2]} {y2}."
        raw = quote.replace(" - ", " \u2014 ")
    elif style == 2:
        quote = (
            f'"We counted {phrase.text}," the audit said of {counted} from {MONTHS[m1]} {y1} through {MONTHS[m2]} {y2}.'
        )
        raw = "\u201c" + quote[1:].replace(',"', ",\u201d")
    else:
        quote = f"Records show {phrase.text} for {counted} in the period from {MONTHS[m1]} {y1} to {MONTHS[m2]} {y2}."
        raw = quote
    period = (f"{y1}-{m1 + 1:02d}", f"{y2}-{m2 + 1:02d}")
    return Sentence(raw, quote, phrase, counted, period, stat)


def _write_exclusions(layout: Layout, claim_rows: list[list[str]], sources: int) -> None:
    """exclusions.csv for the numbers of the texts that no claim states (the years of periods,
    the headline's number), found by the toolkit's own reader, so the coverage rule holds."""
    by_source: list[list[tuple[str, str]]] = [[] for _ in range(sources)]
    for row in claim_rows:
        by_source[int(row[COL["source_id"]].removeprefix("src-"))].append((row[COL["quote"]], row[COL["value_text"]]))
    with open(layout.csv("exclusions"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        header = load_schema(layout.schema("exclusions")).names
        w.writerow(header)
        for s in range(sources):
            text = normalise((layout.seeds / f"{s:06d}.txt").read_text(encoding="utf-8"))
            for u in unaccounted(text, claimed_spans(text, by_source[s]), f"src-{s}"):
                cells = {
                    "source_id": f"src-{s}",
                    "text": u.words,
                    "occurrence": u.occurrence,
                    "reason": "date" if len(u.words) == 4 else "furniture",
                }
                w.writerow([cells.get(column, "") for column in header])


def generate(out: Path, rows: int, sources: int, broken: float = 0.0, seed: int = 1) -> Path:
    """Write a dataset root with `rows` claims over `sources` sources into `out`; return it."""
    rng = random.Random(seed)
    layout = Layout(out)
    if out.exists():
        shutil.rmtree(out)
    for folder in (layout.seeds, layout.datasets, layout.schema_dir):
        folder.mkdir(parents=True)
    for table in TABLES:
        shutil.copyfile(Layout(REPO_ROOT).schema(table), layout.schema(table))
    package = json.loads(Layout(REPO_ROOT).datapackage.read_text(encoding="utf-8"))
    package["name"] = "synthetic-claims"
    layout.datapackage.write_text(json.dumps(package, indent=2), encoding="utf-8")

    n_stats = max(1, rows // 20)
    stat_units = [SUBJECTS[i % len(SUBJECTS)] for i in range(n_stats)]
    # Each claim quotes a sentence of its own: a sentence claimed twice is a repeated claim
    # (claim-repeated), which no contributor's data holds. A million claims over 10,000 sources
    # are a hundred sentences a seed, some 13 KB.
    per_source = max(1, -(-rows // max(1, sources)))
    source_sentences: list[list[Sentence]] = []
    with open(layout.csv("sources"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        source_header = load_schema(layout.schema("sources")).names
        w.writerow(source_header)
        for s in range(sources):
            sentences: list[Sentence] = []
            quotes: set[str] = set()
            while len(sentences) < per_source:
                stat = rng.randrange(n_stats)
                template, unit = stat_units[stat]
                sentence = _sentence(rng, stat, unit, template)
                if sentence.quote not in quotes:  # the same words drawn twice would be one claim twice
                    quotes.add(sentence.quote)
                    sentences.append(sentence)
            source_sentences.append(sentences)
            body = f"Article {s}\n\n" + "\n\n".join(x.raw for x in sentences) + "\n\nLeave a Reply\n"
            data = body.encode("utf-8")
            name = f"{s:06d}.txt"
            (layout.seeds / name).write_bytes(data)
            source = {
                "source_id": f"src-{s}",
                "file": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "title": f"Synthetic article {s}",
                "publisher": "Synthetic Wire",
                "published": f"20{10 + s % 10}-0{1 + s % 9}",
                "kind": "news",
            }
            w.writerow([source.get(column, "") for column in source_header])

    cited: set[int] = set()
    claim_rows: list[list[str]] = []
    for c in range(rows):
        s = c % sources
        x = source_sentences[s][(c // sources) % per_source]
        cited.add(x.stat)
        p = x.phrase
        # A list in the schema's column order (a dict per row would cost a gigabyte at a million).
        row = [""] * len(CLAIM_COLUMNS)
        for column, value in (
            ("claim_id", f"c-{c}"),
            ("source_id", f"src-{s}"),
            ("statistic_id", f"stat-{x.stat}"),
            ("quote", x.quote),
            ("value_text", p.text),
            ("value", p.value),
            ("qualifier", p.qualifier),
            ("period_start", x.period[0]),
            ("period_end", x.period[1]),
            ("period_basis", "stated"),  # the dates are in the sentence
            ("counted_as", x.counted),
            ("meaning", "same"),
        ):
            row[COL[column]] = value
        claim_rows.append(row)
    _write_exclusions(layout, claim_rows, sources)
    broken_rows = _break(rng, claim_rows, broken)
    with open(layout.csv("claims"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CLAIM_COLUMNS)
        for i, row in enumerate(claim_rows):
            if i in broken_rows.get("blank-row", set()):
                f.write("," * (len(CLAIM_COLUMNS) - 1) + "\n")
            w.writerow(row)
    with open(layout.csv("statistics"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        header = load_schema(layout.schema("statistics")).names
        w.writerow(header)
        for i in sorted(cited):
            template, unit = stat_units[i]
            cells = {"statistic_id": f"stat-{i}", "unit": unit}
            cells["description"] = "Synthetic statistic: " + template.format(place="a jurisdiction")
            w.writerow([cells.get(name, "") for name in header])
    with open(layout.csv("relations"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(load_schema(layout.schema("relations")).names)
    return out


def _break(rng: random.Random, rows: list[list[str]], share: float) -> dict[str, set[int]]:
    """Break `share` of the rows, cycling through every fault; return which rows got which."""
    faults: list[tuple[str, Callable[[list[str]], None]]] = [
        (
            "quote-not-in-source",
            lambda r: r.__setitem__(
                COL["quote"],
                r[COL["quote"]]
                .replace("counted", "countered", 1)
                .replace("found", "fond", 1)
                .replace("show", "shew", 1)
                .replace("Records", "Record", 1),
            ),
        ),
        ("value-text-not-in-quote", lambda r: r.__setitem__(COL["value_text"], "exactly 12,345")),
        ("value-text-mismatch", lambda r: r.__setitem__(COL["value"], str(float(r[COL["value"]]) + 1))),
        ("constraint-error", lambda r: r.__setitem__(COL["qualifier"], "roughly")),
        ("type-error", lambda r: r.__setitem__(COL["value"], "lots")),
        ("foreign-key", lambda r: r.__setitem__(COL["source_id"], "src-unknown")),
        (
            "period-order",
            lambda r: (r.__setitem__(COL["period_start"], "2030-01"), r.__setitem__(COL["period_end"], "2010-01")),
        ),
        ("invalid-date", lambda r: r.__setitem__(COL["period_end"], "2019-13")),
        ("formula-injection", lambda r: r.__setitem__(COL["quote"], "=" + r[COL["quote"]])),
        ("primary-key", lambda r: r.__setitem__(COL["claim_id"], "c-0")),
        ("period-incomplete", lambda r: r.__setitem__(COL["period_end"], "")),
        ("missing-value", lambda r: r.__setitem__(COL["value_text"], "")),
        ("blank-row", lambda r: None),
    ]
    out: dict[str, set[int]] = {}
    if share <= 0:
        return out
    count = int(len(rows) * share)
    for k, index in enumerate(sorted(rng.sample(range(1, len(rows)), min(count, len(rows) - 1)))):
        name, fault = faults[k % len(faults)]
        fault(rows[index])
        out.setdefault(name, set()).add(index)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a synthetic root."""
    parser = argparse.ArgumentParser(
        prog="python benchmarks/synth.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--rows", type=int, default=10_000, help="claims to write (default 10000)")
    parser.add_argument("--sources", type=int, default=None, help="sources (default rows/100, at least 1)")
    parser.add_argument("--broken", type=float, default=0.0, help="share of claims to break, 0 to 1 (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    sources = args.sources or max(1, args.rows // 100)
    generate(args.out, args.rows, sources, args.broken, args.seed)
    print(f"wrote {args.out}: {args.rows} claims over {sources} sources, {args.broken:.1%} broken")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
