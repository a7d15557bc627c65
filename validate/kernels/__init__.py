"""Per-cell passes over whole columns (C extension with a polars reference path)."""
