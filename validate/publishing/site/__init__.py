"""The readers' site: static HTML pages of every statistic and source, written from the built database."""

from __future__ import annotations

from pathlib import Path

from validate.publishing.site.content import gather
from validate.publishing.site.data import Database, connect
from validate.publishing.site.pages import render_pages

SITE_FOLDER = "site"


def write_site(database: Path, folder: Path) -> list[str]:
    """Write the site of the database at `database` into the new folder `folder`; return its pages' paths."""
    con = connect(database)
    try:
        content = gather(Database(con))
    finally:
        con.close()
    folder.mkdir()
    written = []
    for path, data in render_pages(content):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(path)
    return sorted(written)
