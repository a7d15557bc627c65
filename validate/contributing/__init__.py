"""Commands that help a contributor add rows: add-source, add-claim, candidates."""
