"""Every check code the validator emits, declared once: its title, scope, how to fix it, and the
Frictionless error it corresponds to. The rules table in docs/rules.md, the findings that
`--changed-since` always keeps, and the completeness tests all derive from this table.

Adding a rule (docs/rules.md says more): write it beside its table's rules
(validate/rules/<table>.py), add its code here, and add a fixture that breaks exactly that rule
(tests/fixtures/faults/<code>/: the files it breaks, and expected.csv to pin rows and columns,
or a case built in the test). A Rule with a
code not declared here is refused where it is made (its module fails to import); a finding made
outside a rule names its code through known(), which refuses one not declared.

There are no severities: every finding, whatever its code, makes the check fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["cell", "row", "file", "dataset"]


@dataclass(frozen=True)
class CheckCode:
    """One kind of finding."""

    code: str
    title: str
    # cell: one cell is wrong; row: cells of a row disagree; file: the file as a whole;
    # dataset: a finding that a change can cause in rows it did not touch (keys, references),
    # which `--changed-since` therefore always reports.
    scope: Scope
    applies_to: str
    fix: str
    frictionless: str | None = None


# fmt: off
_CODES = (
    # --- files and their structure -------------------------------------------------------------
    CheckCode("missing-file", "A table's CSV is missing", "file", "any CSV",
              "restore datasets/<table>.csv (with its header row) from the repository", "scheme-error"),
    CheckCode("stray-file", "A file in datasets/ or schema/ that is no table's", "dataset", "datasets/, schema/",
              "remove it: only datasets/<table>.csv and schema/<table>.schema.json are read, and no link", None),
    CheckCode("source-error", "A CSV cannot be read", "file", "any CSV",
              "make it a regular file in datasets/ (not a folder, FIFO, device or link) that parses as CSV",
              "source-error"),
    CheckCode("encoding-error", "Bytes that are not UTF-8", "file", "any CSV, seed file",
              "save the file as UTF-8; the message names the first bad byte", "encoding-error"),
    CheckCode("line-ending", "Line ends that are mixed", "file", "any CSV",
              "end every record with \\n, or every record with \\r\\n; never mix them", None),
    CheckCode("blank-header", "An empty file", "file", "any CSV",
              "restore the header row from the repository", "blank-header"),
    CheckCode("blank-label", "A blank column name", "file", "any CSV",
              "name the column as the schema does", "blank-label"),
    CheckCode("duplicate-label", "A repeated column name", "file", "any CSV",
              "remove the repeated column", "duplicate-label"),
    CheckCode("extra-label", "A column the schema does not declare", "file", "any CSV",
              "remove the column, or declare it in the schema with a description saying why", "extra-label"),
    CheckCode("missing-label", "A column the schema declares is missing", "file", "any CSV",
              "add the column to the header (and a cell to every row)", "missing-label"),
    CheckCode("incorrect-label", "Columns in another order than the schema's", "file", "any CSV",
              "put the columns in the schema's order", "incorrect-label"),
    CheckCode("blank-row", "A row with no value", "row", "any CSV", "remove the empty row", "blank-row"),
    CheckCode("extra-cell", "A row longer than the header", "row", "any CSV",
              "remove the extra cells, or quote a cell that holds a comma; the rules check the row's cells "
              "once it has the header's number (a split cell shifts every cell after it)", "extra-cell"),
    CheckCode("quote-error", "A quoted cell that does not end at its closing quote", "row", "any CSV",
              "put the whole cell in quotes and double each quote inside it (\"12 \"\"sanctuary\"\" counties\"); "
              "close a quote left open", None),
    CheckCode("missing-cell", "A row shorter than the header", "row", "any CSV",
              "add the missing cells (an empty cell is written as nothing between two commas)", "missing-cell"),
    CheckCode("git-attributes", "A .gitattributes that could let git change the data's bytes", "dataset",
              ".gitattributes",
              "keep the lines 'seeds/** -text' and 'datasets/*.csv -text', and no attribute that converts files "
              "(text, eol, working-tree-encoding, filter, ident); no .gitattributes inside datasets/, schema/ or seeds/",
              None),
    CheckCode("schema-error", "A Table Schema that is unreadable or breaks the contract", "file", "schema/*.json",
              "restore the schema from the repository's schema/ folder", "schema-error"),
    CheckCode("package-error", "A data package descriptor that cannot be built", "file", "datapackage.json",
              "restore datapackage.json from the repository", "package-error"),
    # --- cells -----------------------------------------------------------------------------------
    CheckCode("type-error", "A cell not of its column's type", "cell", "any CSV",
              "write numbers as plain digits with a '.' for decimals (2400000, 1.4)", "type-error"),
    CheckCode("constraint-error", "A cell that breaks its column's constraint", "cell", "any CSV",
              "fill the required cell, or fit its enum, pattern or length (the message says which)",
              "constraint-error"),
    CheckCode("formula-injection", "A text cell a spreadsheet would run as a formula", "cell", "every text column",
              "do not begin a cell with =, +, -, @, tab or carriage return (reword, or begin with a letter)", None),
    CheckCode("invalid-date", "A date that is no calendar date", "cell", "sources, claims",
              "write a real date: YYYY, YYYY-MM or YYYY-MM-DD (2017-02-28, not 2017-02-30 or 0000)", None),
    # --- keys and references -----------------------------------------------------------------------
    CheckCode("primary-key", "A key that repeats an earlier row's", "dataset", "any CSV",
              "give the row its own id", "primary-key"),
    CheckCode("unique-error", "A unique value that repeats an earlier row's", "dataset", "any CSV",
              "give the row its own value", "unique-error"),
    CheckCode("foreign-key", "A reference to a row that does not exist", "dataset",
              "claims, statistics, relations, exclusions",
              "use an id of the other table, or add its row first", "foreign-key"),
    # --- seeds -------------------------------------------------------------------------------------
    CheckCode("file-outside-seeds", "A seed path that leads outside seeds/", "cell", "sources, seeds/",
              "write file as a plain name inside seeds/ and commit the file itself, not a link", None),
    CheckCode("file-not-found", "A seed file that is not there", "cell", "sources",
              "commit the file into seeds/ (claims add-source does it), or correct the name", None),
    CheckCode("sha256-mismatch", "A seed whose bytes do not match its hash", "cell", "sources",
              "put the hash the message gives in sha256 if the seed is the right file; never edit a seed", None),
    CheckCode("seed-without-source", "A seed file with no sources row", "dataset", "seeds/",
              "add its sources row (claims add-source), or remove the file", None),
    # --- statistics and claims -------------------------------------------------------------------
    CheckCode("claim-repeated", "A claim that records the same words of a source as an earlier claim", "dataset",
              "claims", "remove the row; where the source states the number again in another place, quote that "
              "place in words that are its own", None),
    CheckCode("statistic-too-many-claims", "A statistic cited by more claims than the views compare", "dataset",
              "claims", "file claims that count something else under a statistic of their own (split it by place "
              "or period), or remove copies of one citation", None),
    CheckCode("statistic-not-cited", "A statistic no claim cites", "dataset", "statistics",
              "add a claim that cites it, or remove the statistic", None),
    CheckCode("quote-not-in-source", "A quote not found in its source text", "row", "claims",
              "copy the quote verbatim from the seed; the message shows the closest passage", None),
    CheckCode("value-text-not-in-quote", "value_text not inside the quote", "row", "claims",
              "copy value_text from the words of the quote", None),
    CheckCode("quote-cuts-word", "A quote that begins or ends inside a word or number of its source", "row", "claims",
              "quote whole words and numbers; the message shows the passage to copy", None),
    CheckCode("value-text-cuts-word", "A value_text that begins or ends inside a word or number of its quote",
              "row", "claims", "take the whole number or word; the message shows it", None),
    CheckCode("qualifier-outside-value-text", "A qualifier phrase left partly outside value_text", "row", "claims",
              "let value_text begin with the whole qualifier phrase, and qualifier say what it reads as", None),
    CheckCode("counted-as-not-in-quote", "counted_as not inside the quote", "row", "claims",
              "copy counted_as from the words of the quote", None),
    CheckCode("value-text-unparsed", "A value_text that does not read as a value", "cell", "claims",
              "write the words that state the value (more than 29,269; 2.4 million; nearly a quarter)", None),
    CheckCode("value-text-mismatch", "A value_text that reads as another value or qualifier", "row", "claims",
              "make value and qualifier what value_text says (the message gives the reading)", None),
    CheckCode("value-text-unit", "A value_text in another unit than its statistic's", "row", "claims",
              "file the claim under a statistic of the unit the words state", None),
    CheckCode("percent-out-of-range", "A percent outside 0 to 100", "cell", "claims",
              "write a share in percentage points, 0 to 100", None),
    CheckCode("period-incomplete", "One period bound without the other", "row", "claims",
              "set both period_start and period_end, or neither (a point in time has start = end)", None),
    CheckCode("period-order", "A period that starts after it ends", "row", "claims",
              "swap period_start and period_end", None),
    CheckCode("period-basis-missing", "A period without its basis", "row", "claims",
              "set period_basis: stated (the source's dates), relative (to publication) or context", None),
    CheckCode("period-basis-unused", "A period basis without a period", "row", "claims",
              "set the period, or empty period_basis (a length of time goes in duration)", None),
    CheckCode("relative-period-unanchored", "A relative period whose source has no publication date", "row",
              "claims", "set the source's published date, or read the period another way", None),
    CheckCode("attribution-missing", "A producer named without how", "row", "claims",
              "set attribution: explicit (the source names the producer) or inferred (from context)", None),
    CheckCode("attribution-unused", "An attribution without a producer", "row", "claims",
              "name the producer in attributed_to, or empty attribution", None),
    CheckCode("differs-in-missing", "A differing meaning without how it differs", "row", "claims",
              "list in differs_in how it differs: entity, status, scope, tense, time (;-separated)", None),
    CheckCode("differs-in-unused", "How it differs, on a claim of the same meaning", "row", "claims",
              "set meaning to differs, or empty differs_in", None),
    CheckCode("differs-in-repeated", "A kind of difference named twice", "cell", "claims",
              "name each kind of difference once", None),
    CheckCode("primary-reading-incomplete", "A primary reading without its qualifier or locator", "row",
              "statistics", "give primary_value with primary_qualifier and primary_locator, or none of them", None),
    CheckCode("primary-claim-mismatch", "A primary claim that reads otherwise than the primary columns", "dataset",
              "statistics", "make the primary columns what the claim named by primary_claim_id states", None),
    CheckCode("relation-operands", "A relation with the wrong operands for its kind", "row", "relations",
              "one operand for part_of, two for share, two or more for sum; each once, never the statistic itself",
              None),
    CheckCode("relation-unit", "A relation between statistics of units that do not fit", "dataset", "relations",
              "a share is a percent of two amounts of one unit; part_of and sum use one unit", None),
    CheckCode("relation-repeated", "A relation stated twice under two relation_ids", "dataset", "relations",
              "remove the later row, or merge its note into the first's (sum and part_of operands in any order)",
              None),
    CheckCode("non-ascii-digit", "Digits other than ASCII 0-9", "cell", "claims",
              "type the number with the digits 0-9; say in note if the source prints it otherwise", None),
    CheckCode("more-findings", "More findings of one kind than the cap", "file", "any file",
              "fix the findings shown and check again, or raise --max-findings (0 shows all)", None),
    CheckCode("file-name-not-portable", "A seed name that Windows or macOS refuse", "cell", "sources, seeds/",
              "rename the seed (letters, digits, '-', '_', '.') and its file cell; no two names or folders may differ "
              "only in case, and no name be both a file and a folder",
              None),
    CheckCode("file-name-too-long", "A seed name too long to check out", "cell", "sources, seeds/",
              "rename the seed: at most 255 bytes a name, 1,024 a path", None),
    CheckCode("number-not-accounted", "A number of a source that no claim states and no exclusion lists", "dataset",
              "seeds/", "add its claim (claims candidates SOURCE) or exclude it (claims exclude SOURCE TEXT --reason R)",
              None),
    CheckCode("exclusion-not-found", "An excluded phrase not in its source", "row", "exclusions",
              "copy the text as the source has it (whole words), and count its occurrences from 1", None),
    CheckCode("exclusion-without-number", "An excluded phrase that holds no number", "row", "exclusions",
              "name the words that hold the number, or remove the row", None),
    CheckCode("no-bound-with-bound", "A no-bound exclusion of words that state a bound", "row", "exclusions",
              "claim the number, or give the reason it is not a statistic (date, age, not-a-statistic...)", None),
)
# fmt: on

CODES: dict[str, CheckCode] = {c.code: c for c in _CODES}
if len(CODES) != len(_CODES):  # pragma: no cover - a declaration error, caught on import
    raise ValueError("a check code is declared twice in validate/rules/registry.py")

# Findings that a change can cause in rows it did not touch, and findings about a whole file:
# `--changed-since` reports them wherever they fall.
ALWAYS_REPORTED = frozenset(c.code for c in _CODES if c.scope in ("dataset", "file"))


def known(code: str) -> str:
    """`code` itself, once checked against the registry (a typo fails where the rule is made)."""
    if code not in CODES:
        raise ValueError(f"check code {code!r} is not declared in validate/rules/registry.py")
    return code
