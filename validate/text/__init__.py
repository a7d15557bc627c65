"""The text model of the contract: normalisation, value texts, reduced-precision dates."""
