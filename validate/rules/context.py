"""What each table's rules need to know about the other tables and the seed files."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from validate.reading.seeds import Seeds
from validate.rules.columns import TEXT


@dataclass
class Context:
    seeds: Seeds
    sources: pl.DataFrame  # source_id, _text (normalised seed text, null if unreadable), _published
    statistics: pl.DataFrame  # statistic_id, unit
    cited: pl.Series | None  # statistic_id of every claim; None when claims.csv could not be read
    has_sources: bool
    has_statistics: bool
    # claim_id, statistic_id, value, qualifier, period_start, period_end of every claim (the
    # columns claims.csv has), for statistics.primary_claim_id; None when claims.csv could not be read
    claims: pl.DataFrame | None = None


def readable_texts(sources: pl.DataFrame) -> pl.DataFrame:
    """Each source_id's text, as the coverage rule and the exclusions read it: its last non-null
    `_text` (a source_id listed twice is reported by its own rule), one row per source_id, with
    `_ascii` (whether the text is ASCII: its bytes are its characters then)."""
    text = pl.col(TEXT)
    return (
        sources.select(pl.col("source_id", TEXT).cast(pl.String))
        .filter(text.is_not_null())
        .unique("source_id", keep="last", maintain_order=True)
        .with_columns(_ascii=text.str.len_bytes() == text.str.len_chars())
    )
