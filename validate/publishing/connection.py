"""Opens every DuckDB connection of the toolkit with the same restricted settings.

A database may have come with a pull request (a committed build/ folder), and a query may be
anyone's: no connection may read or write files besides its own database, install or load
extensions from anywhere, or change those settings once open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validate.errors import UsageError
from validate.publishing.stamp import wal_path

if TYPE_CHECKING:  # imported where a connection is made: the CLI reads the limits below without it
    import duckdb

# DuckDB takes each of these at connect time; lock_configuration then refuses any SET.
RESTRICTED: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,
}

# A user's query (claims sql) is anyone's, a README's example or a pasted line: it gets this much
# memory and these threads, nothing spilled to disk, and this many seconds before it is stopped.
QUERY_LIMITS: dict[str, Any] = {"memory_limit": "1GB", "threads": 2, "max_temp_directory_size": "0B"}
QUERY_TIMEOUT = 60.0
# How much the `claims sql` process may grow while its query runs: DuckDB's 1GB and the rows
# fetched into Python. memory_limit alone leaves a value a function makes unbounded
# (validate/publishing/query.py: capped_growth).
QUERY_ADDRESS_SPACE = 2 << 30


def connect(path: Path | str, *, read_only: bool, **settings: Any) -> duckdb.DuckDBPyConnection:
    """A connection to the database at `path` with the restricted settings, plus `settings`
    (which cannot loosen them: they are given at connect time and then locked)."""
    loosened = {k for k in settings if k in RESTRICTED}
    if loosened:
        raise ValueError(f"the restricted settings cannot be overridden: {', '.join(sorted(loosened))}")
    # DuckDB replays a log it finds beside the database into it, even read-only: one that came
    # with a pull request would change every answer (validate/publishing/stamp.py: wal_path).
    wal = wal_path(Path(path))
    if os.path.lexists(wal):
        raise UsageError(
            f"{wal.name} lies beside {Path(path).name}: a log DuckDB would replay into it, which this toolkit never "
            "leaves; remove it (claims build removes it and builds the database anew)"
        )
    import duckdb

    return duckdb.connect(str(path), read_only=read_only, config={**settings, **RESTRICTED})
