"""Check, build, query and grow the ledger of cited statistics on sanctuary jurisdictions and ICE detainers.

The public API (the CLI calls only these):

- `check(root)`: every rule of the contract over a dataset root; a `Report` of `Finding`s.
- `build(root)`: check, then write `build/claims.duckdb`, the data package and the site.
- `query(root, sql)`: a read-only query on the built database (rebuilt first when stale).
- `add_source(root, file, ...)`, `add_claim(root, ...)`: append a checked row, or refuse it.
- `candidates(root, source_id)`: the numbers of a source's text that no claim covers yet.

Every function takes the dataset root (the folder with `datapackage.json`) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from validate.findings import Finding, Report
from validate.rules.check import check

if TYPE_CHECKING:
    from validate.contributing.add import add_claim, add_source
    from validate.contributing.candidates import candidates
    from validate.publishing.build import build
    from validate.publishing.query import query

__all__ = ["Finding", "Report", "add_claim", "add_source", "build", "candidates", "check", "query"]

# Imported when first used: a check need not load DuckDB or the contributors' tools.
_LAZY = {
    "build": "validate.publishing.build",
    "query": "validate.publishing.query",
    "add_source": "validate.contributing.add",
    "add_claim": "validate.contributing.add",
    "candidates": "validate.contributing.candidates",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'validate' has no attribute {name!r}")
