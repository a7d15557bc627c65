"""What a valid dataset becomes: the DuckDB database, the data package, queries on them."""
