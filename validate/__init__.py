"""Check, build, query and grow the ledger of cited statistics on sanctuary jurisdictions and ICE detainers.

The public API; the `claims` command calls these for every operation (its own modules only turn
results into text, CSV, JSON or Markdown):

- `check(root)`: every rule of the contract over a dataset root; a `Report` of `Finding`s
  (`changed_since=REF`: only what a change since that git ref touches, as CI annotates it).
- `build(root)`: check, then write `build/claims.duckdb`, the data package and the site.
- `query(root, sql)`: one read-only query on the built database (rebuilt first when stale).
- `update_docs(root)`: regenerate the docs' live figures, tables and SQL answers.
- `add_source(root, file, ...)`, `add_claim(root, ...)`: append a checked row, or refuse it.
- `candidates(root, source_id)`: the numbers of a source's text that no claim covers yet, with
  the existing statistics each may cite (the first 1,000 a source; `.more` counts the rest).
- `exclude(root, source_id, text, reason)`: record a number that is deliberately not a claim.
- `search_statistics(root, words, value_text)`: the statistics, ranked by words or value.
- `list_claims(root)`, `edit_claim(root, claim_id, changes)`, `remove_claim(root, claim_id)`.
- `claim_standing(root, claim_id)`: how the views judge one claim (its fidelity label and the
  claims it disagrees with), as `add-claim` and `edit-claim` print it.
- `diff(root, ref)`: the claims a change adds, changes and removes, and the agreement it moves.

Every function takes the dataset root (the folder with `datapackage.json`) first, with no
default; docs/python-api.md shows each one at work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from validate.findings import Finding, Report
from validate.rules.check import check

if TYPE_CHECKING:
    from validate.contributing.add import add_claim, add_source
    from validate.contributing.candidates import candidates
    from validate.contributing.claims_edit import edit_claim, list_claims, remove_claim
    from validate.contributing.diff import diff
    from validate.contributing.exclude import exclude
    from validate.contributing.standing import claim_standing
    from validate.contributing.statistics_search import search as search_statistics
    from validate.publishing.build import build
    from validate.publishing.docs import update_docs
    from validate.publishing.query import query

__all__ = [
    "Finding",
    "Report",
    "add_claim",
    "add_source",
    "build",
    "candidates",
    "check",
    "claim_standing",
    "diff",
    "edit_claim",
    "exclude",
    "list_claims",
    "query",
    "remove_claim",
    "search_statistics",
    "update_docs",
]

# Imported when first used: a check need not load DuckDB or the contributors' tools.
# name: (module, attribute)
_LAZY = {
    "build": ("validate.publishing.build", "build"),
    "query": ("validate.publishing.query", "query"),
    "update_docs": ("validate.publishing.docs", "update_docs"),
    "add_source": ("validate.contributing.add", "add_source"),
    "add_claim": ("validate.contributing.add", "add_claim"),
    "candidates": ("validate.contributing.candidates", "candidates"),
    "exclude": ("validate.contributing.exclude", "exclude"),
    "search_statistics": ("validate.contributing.statistics_search", "search"),
    "list_claims": ("validate.contributing.claims_edit", "list_claims"),
    "edit_claim": ("validate.contributing.claims_edit", "edit_claim"),
    "remove_claim": ("validate.contributing.claims_edit", "remove_claim"),
    "claim_standing": ("validate.contributing.standing", "claim_standing"),
    "diff": ("validate.contributing.diff", "diff"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'validate' has no attribute {name!r}")
