"""The monthly statistics as plain functions: which month a snapshot belongs to and when it
ended, one row per building from the other modules' figures, and the whole estate's total row."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

OCCUPIED = frozenset({"owner_occupied", "let"})
COUNTS = ("units", "occupied", "vacant", "renovation", "move_in", "move_out")


def month_bounds(period: date) -> tuple[date, date]:
    first = period.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def next_month(period: date) -> date:
    first = period.replace(day=1)
    return first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s: the month the sweep snapshots."""
    first = today.replace(day=1)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1)


def month_end(period: date, tz: str) -> datetime:
    """The moment `period`'s month ends: midnight of the next month's first day, in the tenant's zone."""
    return datetime.combine(next_month(period), time.min, tzinfo=ZoneInfo(tz))


def is_ended(period: date, today: date) -> bool:
    """Whether `period`'s month is over on `today` (a snapshot can be taken of it)."""
    return next_month(period) <= today


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part as a percentage of whole, to one decimal; None when whole is nothing."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def _blank(name: str) -> dict[str, Any]:
    return {"building": name, **{k: 0 for k in COUNTS}, "billed": Decimal(0), "paid": Decimal(0)}


def building_rows(occupancy: list[dict[str, Any]], moves: list[dict[str, Any]],
                  collection: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows by building name, then the total (building None): units by occupancy, moves of the
    month, fees billed and paid with the collection rate and the occupancy rate."""
    names = {r["building_id"]: r["building"] for r in occupancy}
    rows: dict[str, dict[str, Any]] = {}
    for r in occupancy:
        row = rows.setdefault(r["building"], _blank(r["building"]))
        row["units"] += r["n"]
        state = r["occupancy"]
        key = "occupied" if state in OCCUPIED else state if state in ("vacant", "renovation") else None
        if key:
            row[key] += r["n"]
    for m in moves:
        name = names.get(m["building_id"])
        if name is not None and m["kind"] in ("move_in", "move_out"):
            rows[name][m["kind"]] += m["n"]
    for c in collection:
        if c["building"] is not None:
            row = rows.setdefault(c["building"], _blank(c["building"]))
            row["billed"], row["paid"] = Decimal(c["billed"]), Decimal(c["paid"])
    found = [rows[k] for k in sorted(rows)]
    total = _blank("")
    total["building"] = None
    for row in found:
        for k in (*COUNTS, "billed", "paid"):
            total[k] += row[k]
    return [{**r, "occupancy_rate": rate(r["occupied"], r["units"]), "collection_rate": rate(r["paid"], r["billed"])}
            for r in [*found, total]]


def _plain(value: Any) -> Any:
    """A figure as JSON keeps it: money and rates as exact decimal text, dates as ISO days."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


FILED = ("rows", "revenue", "revenue_total", "enquiries", "complaints", "fees_shown", "ended")


def filed_figures(found: dict[str, Any]) -> dict[str, Any]:
    """The month's figures (queries.monthly) as a filing freezes them: plain JSON, the month
    first; the parts the filer could not see (fees, enquiries, complaints) stay None."""
    return {"month": found["period"].isoformat()[:7], **{k: _plain(found[k]) for k in FILED}}
