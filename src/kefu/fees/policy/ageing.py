"""Arrears ageing: how long a bill has been overdue, in the buckets managers read (0–30,
31–90, 91–180, more than 180 days past its due day), summed by building."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

BUCKETS = ("0-30", "31-90", "91-180", "180+")
ZERO = Decimal("0.00")


def bucket(due: date, today: date) -> str | None:
    """The bucket of a bill due on `due`, or None when it is not due yet."""
    late = (today - due).days
    if late < 0:
        return None
    if late <= 30:
        return "0-30"
    if late <= 90:
        return "31-90"
    if late <= 180:
        return "91-180"
    return "180+"


def ageing(rows: Iterable[Mapping[str, Any]], today: date) -> list[dict[str, Any]]:
    """Rows of {building, due_on, outstanding} → one row per building (in first-seen order)
    with the outstanding amount per bucket and the total; bills not due yet are left out."""
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        which = bucket(r["due_on"], today)
        if which is None or r["outstanding"] <= 0:
            continue
        row = found.setdefault(r["building"], {"building": r["building"], "total": ZERO,
                                               **{b: ZERO for b in BUCKETS}})
        row[which] += r["outstanding"]
        row["total"] += r["outstanding"]
    return list(found.values())


def collection_rate(billed: Decimal, paid: Decimal) -> Decimal | None:
    """Paid as a percentage of billed, to one decimal; None when nothing was billed (B.e)."""
    if billed <= 0:
        return None
    return (paid * 100 / billed).quantize(Decimal("0.1"))
