"""What the site shows of a text from the data: characters that would mislead or break a page,
written as their code points instead."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from validate.render import BIDI_CONTROLS

# Characters that reorder what a reader sees (bidi marks, embeddings, overrides, isolates) or that
# HTML shows no glyph for (C0 and C1 controls but tab and line ends). A seed or a cell holding
# "identified \u202e576\u202c" showed 675 beside a claim of 576, and a title ending in U+202E
# turned the next citation's "more than 29,269" into "962,92 naht erom": what the site shows
# must be what was checked, so each is written as its code point ([U+202E]), wherever data is.
# With them the noncharacters U+FFFE and U+FFFF: like the C0 controls, XML cannot hold them, and
# the chart renderer, given a title with one, aborted the whole build (a panic, not an error).
_SHOWN_AS_CODE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}\ufffe\uffff]")


def shown(value: Any) -> Any:
    """A value as a page shows it: the characters of _SHOWN_AS_CODE written as [U+XXXX]. Applied to
    every value a template writes (Jinja's finalize), HTML already made (highlighted texts, charts)
    included, and every text a chart draws; the replacement holds no character HTML or XML treats
    specially, in text or an attribute."""
    if not isinstance(value, str) or not _SHOWN_AS_CODE.search(value):
        return value
    text = _SHOWN_AS_CODE.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
    return Markup(text) if isinstance(value, Markup) else text
