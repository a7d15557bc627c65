"""Validator and toolkit for the dataset of cited statistics on sanctuary jurisdictions and ICE detainers."""

from .check import check
from .findings import Finding, Report

__all__ = ["Finding", "Report", "check"]
