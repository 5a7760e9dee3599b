"""Calling hours (the pack's, in the tenant's time zone): when a call may be made, and the
next moment one may. Pure."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def within(at: datetime, tz: str, start: time, end: time, days: tuple[int, ...]) -> bool:
    """Whether `at` (aware) falls inside calling hours: on one of `days` (ISO weekdays), from
    `start` up to but not including `end`, local time."""
    local = at.astimezone(ZoneInfo(tz))
    return local.isoweekday() in days and start <= local.time().replace(tzinfo=None) < end


def next_allowed(at: datetime, tz: str, start: time, end: time, days: tuple[int, ...]) -> datetime:
    """`at` itself if inside calling hours, else the next opening (aware, in `tz`)."""
    if within(at, tz, start, end, days):
        return at
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    day = local.date()
    if local.time().replace(tzinfo=None) < start and local.isoweekday() in days:
        return datetime.combine(day, start, zone)
    for ahead in range(1, 8):
        candidate = day + timedelta(days=ahead)
        if candidate.isoweekday() in days:
            return datetime.combine(candidate, start, zone)
    raise ValueError("no calling day")  # the pack guarantees at least one
