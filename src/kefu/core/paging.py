from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.query import Select
from piccolo.querystring import QueryString

MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


async def capped_count(query: Select[Any], cap: int) -> int:
    """How many rows `query` matches, counting no further than `cap` + 1: an index range the
    database stops reading at the cap, answered as one row (not cap rows to convert and drop)."""
    inner = query.limit(cap + 1).querystrings[0]
    outer = QueryString("SELECT count(*) AS n FROM ({}) AS capped", inner)
    rows = await query.table._meta.db.run_querystring(outer)
    return int(rows[0]["n"])


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages
