"""What a unit owes for a month: the days billed (move-in mid-month, an item's validity) and
the amount by the item's basis, prorated by days and rounded to the fen. Money is Decimal only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Item:
    id: int
    basis: str  # area | space | fixed
    rate: Decimal
    uses: tuple[str, ...]
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class BillableUnit:
    id: int
    use: str
    area: Decimal | None
    since: date | None = None  # the current residency's first day; None: billed from the start


def money(value: object) -> Decimal:
    """An amount read back from the database as Decimal to the fen (SQLite keeps NUMERIC as a
    float: 0.1 + 0.2 comes back 0.30000000000000004; PostgreSQL is exact already)."""
    return Decimal(0).quantize(FEN) if value is None else Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def month_bounds(period: date) -> tuple[date, date]:
    """The first and the last day of `period`'s month."""
    first = period.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def billed_days(period: date, starts: Sequence[date | None], ends: Sequence[date | None] = ()) -> int:
    """Days of `period`'s month from the latest of `starts` to the earliest of `ends` (both
    inclusive; None is no bound); 0 when they do not meet."""
    first, last = month_bounds(period)
    start = max([first, *(s for s in starts if s is not None)])
    end = min([last, *(e for e in ends if e is not None)])
    return max((end - start).days + 1, 0)


def quantity(item: Item, unit: BillableUnit) -> Decimal | None:
    """How many of the item's rate the unit pays a month; None when the item is not for it."""
    if unit.use not in item.uses:
        return None
    if item.basis == "area":
        return unit.area if unit.area else None
    return Decimal(1)


def amount(rate: Decimal, qty: Decimal, days: int, month_days: int) -> Decimal:
    """rate × quantity × days / days of the month, rounded half up to the fen."""
    return (rate * qty * days / month_days).quantize(FEN, rounding=ROUND_HALF_UP)


def due_on(period: date, due_day: int) -> date:
    return period.replace(day=min(due_day, month_bounds(period)[1].day))


def bill_rows(period: date, items: Iterable[Item], units: Iterable[BillableUnit]) -> list[dict[str, object]]:
    """One row per unit and item that owes something this month: unit, item, days, quantity,
    amount. A unit whose residency begins after the month, or an item not valid in it, owes nothing."""
    first, last = month_bounds(period)
    month_days = last.day
    items = list(items)
    found: list[dict[str, object]] = []
    for unit in units:
        for item in items:
            qty = quantity(item, unit)
            if qty is None:
                continue
            days = billed_days(first, [item.valid_from, unit.since], [item.valid_until])
            value = amount(item.rate, qty, days, month_days) if days else Decimal(0)
            if value > 0:
                found.append({"unit": unit.id, "item": item.id, "days": days, "quantity": qty,
                              "amount": value})
    return found


def next_month(period: date) -> date:
    return month_bounds(period)[1] + timedelta(days=1)
