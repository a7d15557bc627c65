"""The rules of the contract and the check that runs them over a dataset root."""
