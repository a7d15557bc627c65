"""Validator and toolkit for the dataset of cited statistics on sanctuary jurisdictions and ICE detainers."""

from validate.findings import Finding, Report
from validate.rules.check import check

__all__ = ["Finding", "Report", "check"]
