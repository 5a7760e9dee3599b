"""Recurrence and period arithmetic, pure: which period a local day falls in, its first and last
day, its key (the unique key of a duty task), when to remind, and month arithmetic for
certificate expiry. Days are the tenant's local days; `local_day` turns a UTC instant into one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Days before the due date a reminder goes out, per recurrence.
REMIND_DAYS = {"daily": 0, "weekly": 1, "monthly": 3, "quarterly": 7, "half_yearly": 14, "yearly": 30}


@dataclass(frozen=True)
class Period:
    recurrence: str
    key: str  # "2026-12-06", "2026-W49", "2026-12", "2026Q4", "2026H2", "2026"
    start: date
    end: date  # the last day, inclusive: the task is due at its end

    @property
    def due_on(self) -> date:
        return self.end


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; a day past the target month's end is clamped to it
    (01-31 + 1 month = 02-28, or 02-29 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months(day: date, size: int) -> tuple[date, date]:
    first = (day.month - 1) // size * size + 1
    return date(day.year, first, 1), month_end(day.year, first + size - 1)


def period_of(recurrence: str, day: date) -> Period:
    """The period of `recurrence` that holds the local day `day`. Raises ValueError for "event"
    or an unknown recurrence (event duties have no period)."""
    if recurrence == "daily":
        return Period(recurrence, day.isoformat(), day, day)
    if recurrence == "weekly":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(recurrence, f"{year}-W{week:02d}", start, start + timedelta(days=6))
    if recurrence == "monthly":
        start, end = _months(day, 1)
        return Period(recurrence, f"{day.year}-{day.month:02d}", start, end)
    if recurrence == "quarterly":
        start, end = _months(day, 3)
        return Period(recurrence, f"{day.year}Q{(day.month - 1) // 3 + 1}", start, end)
    if recurrence == "half_yearly":
        start, end = _months(day, 6)
        return Period(recurrence, f"{day.year}H{1 if day.month <= 6 else 2}", start, end)
    if recurrence == "yearly":
        return Period(recurrence, str(day.year), date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(f"no period for recurrence {recurrence!r}")


def previous(period: Period) -> Period:
    return period_of(period.recurrence, period.start - timedelta(days=1))


def remind_on(period: Period) -> date:
    """The day the holder is reminded of an open task (never before the period starts)."""
    return max(period.start, period.end - timedelta(days=REMIND_DAYS[period.recurrence]))


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def day_start_utc(day: date, zone: str) -> datetime:
    """Midnight starting the local day `day`, as a UTC instant."""
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def is_overdue(period: Period, today: date) -> bool:
    return today > period.end


def compliance_rate(done: int, due: int) -> float | None:
    """Per cent of the due tasks done; None when nothing was due (no rate, not 0 or 100)."""
    return None if due == 0 else round(100.0 * done / due, 1)


_KEY = re.compile(r"(\d{4})(?:-(\d{2})|Q([1-4])|H([12]))?", re.ASCII)
SCORECARD_RECURRENCES = ("monthly", "quarterly", "half_yearly", "yearly")


def parse_key(key: str) -> Period | None:
    """The monthly, quarterly, half-yearly or yearly period a key names ("2026-12", "2026Q4",
    "2026H2", "2026"); None for anything else (years 2000-2099 only)."""
    found = _KEY.fullmatch(key or "")
    if not found:
        return None
    year = int(found.group(1))
    if not 2000 <= year <= 2099:
        return None
    month, quarter, half = found.group(2), found.group(3), found.group(4)
    if month is not None:
        if not 1 <= int(month) <= 12:
            return None
        return period_of("monthly", date(year, int(month), 1))
    if quarter is not None:
        return period_of("quarterly", date(year, (int(quarter) - 1) * 3 + 1, 1))
    if half is not None:
        return period_of("half_yearly", date(year, 1 if half == "1" else 7, 1))
    return period_of("yearly", date(year, 1, 1))
