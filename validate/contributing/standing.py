"""`claim_standing(root, claim_id)`: how the views judge one claim, told to the contributor who
has just added or changed it (its fidelity label, and the claims it disagrees with), so that a
dropped hedge or a reframing is seen before the pull request, not after."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from validate.errors import UsageError
from validate.paths import CONTRIBUTING_SQL_DIR, Layout, given_root, read_sql
from validate.publishing.connection import connect
from validate.publishing.database import DEFAULT_APPROXIMATELY_TOLERANCE, write_database

# A claim of a much cited statistic can disagree with hundreds: a contributor reads the first.
SHOWN_CONFLICTS = 10


@dataclass(frozen=True)
class Conflict:
    """One disagreement of the claim with another claim of its statistic (claim_conflicts)."""

    other: str  # the other claim's id
    reason: str  # value, period, meaning or qualifier
    departs: str  # which departs from the statistic's reading: this, other, both or neither


@dataclass(frozen=True)
class Standing:
    """The claim's row of claim_fidelity, and its rows of claim_conflicts."""

    claim_id: str
    label: str
    value_fidelity: str
    qualifier_fidelity: str
    period_fidelity: str
    conflicts: list[Conflict] = field(default_factory=list)  # the first SHOWN_CONFLICTS, by other claim
    more_conflicts: int = 0  # how many more there are

    def describe(self) -> list[str]:
        """The standing in lines for a person."""
        lines = [
            f"its standing: {self.label} (value {self.value_fidelity}, qualifier {self.qualifier_fidelity}, "
            f"period {self.period_fidelity})"
        ]
        for c in self.conflicts:
            lines.append(f"  disagrees with {c.other} in {c.reason}: {_DEPARTS[c.departs]}")
        if self.more_conflicts:
            lines.append(f"  and in {self.more_conflicts} more pairs (claims sql lists claim_conflicts)")
        return lines


_DEPARTS = {
    "this": "this claim departs from the statistic's reading",
    "other": "the other claim departs from the statistic's reading",
    "both": "both depart, or no reading tells which",
    "neither": "neither departs from the producer's reading",
}


def claim_standing(root: Path | str, claim_id: str) -> Standing:
    """How the views of the dataset at `root` judge claim `claim_id`, from a database built in a
    temporary folder (build/ is not touched). The dataset must be valid (claims check)."""
    layout = Layout(given_root(root))
    with tempfile.TemporaryDirectory(prefix="claims-standing-") as tmp:
        db = Path(tmp) / "standing.duckdb"
        write_database(layout, db, approximately_tolerance=DEFAULT_APPROXIMATELY_TOLERANCE)
        con = connect(db, read_only=True)
        try:
            row = con.execute(read_sql("claim_standing", CONTRIBUTING_SQL_DIR), {"claim": claim_id}).fetchone()
            if row is None:
                raise UsageError(f"no claim {claim_id!r} in datasets/claims.csv")
            found = con.execute(read_sql("claim_disagreements", CONTRIBUTING_SQL_DIR), {"claim": claim_id}).fetchall()
        finally:
            con.close()
    conflicts = [Conflict(str(o), str(r), str(d)) for o, r, d in found]
    label, value, qualifier, period = (str(v) for v in row)
    return Standing(
        claim_id,
        label,
        value,
        qualifier,
        period,
        conflicts[:SHOWN_CONFLICTS],
        max(0, len(conflicts) - SHOWN_CONFLICTS),
    )
