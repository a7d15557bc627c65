"""The known id closest to a mistyped one (did-you-mean), and a new id that nearly copies one."""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

# How alike two ids must be (rapidfuzz ratio, 0 to 100) for one to be a typo of the other.
NEAR_COPY = 85
# How alike for the closest to be offered at all.
_OFFERED = 60
# The distinct unknown ids of one column that the check offers a closest for: each is compared
# with every known id, and a hostile file may hold a million of them (the rest get none).
MAX_HINTED = 200


def closest(word: str, known: list[str]) -> str | None:
    """The known id most like `word`, if one is alike enough to be what was meant."""
    best = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=_OFFERED) if word and known else None
    return None if best is None else str(best[0])


def did_you_mean(word: str, known: list[str]) -> str:
    """': did you mean 'x'?' for the closest known id, or nothing."""
    best = closest(word, known)
    return f": did you mean {best!r}?" if best is not None else ""


def near_copy(new_id: str, known: list[str]) -> str | None:
    """An existing id the new one is nearly a copy of (a typo, one character off), if any."""
    best = process.extractOne(new_id, known, scorer=fuzz.ratio, score_cutoff=NEAR_COPY) if known else None
    return None if best is None or best[0] == new_id else str(best[0])


def closest_of_unknown(ids: pl.Series, known_mask: pl.Series, known: pl.Series) -> pl.Series:
    """For each of `ids` that `known_mask` says is unknown, the closest of `known` (null where
    none is alike, for a known id, and past the first MAX_HINTED distinct unknown ones)."""
    unknown = ids.filter(known_mask.not_().fill_null(False)).drop_nulls().unique(maintain_order=True)
    if unknown.is_empty():
        return pl.repeat(None, ids.len(), dtype=pl.String, eager=True)
    names = known.drop_nulls().unique(maintain_order=True).to_list()  # a tie goes to the first listed
    mapping = {u: closest(u, names) for u in unknown.head(MAX_HINTED).to_list()}
    return ids.replace_strict(mapping, default=None, return_dtype=pl.String)
