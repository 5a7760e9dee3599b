"""Text as people read it on a page or a chart."""

from __future__ import annotations

import unicodedata


def short(text: str, width: int = 24) -> str:
    """`text` cut to about `width` columns (a CJK character takes two), for chart labels."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > width:
            return text[: max(i - 1, 1)] + "…"
    return text
