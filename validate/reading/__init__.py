"""Guarded reading of a dataset root's files: CSVs, Table Schemas, JSON, seed texts."""
