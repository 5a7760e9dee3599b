"""Reads of the holiday schedule for the platform admin's page."""

from __future__ import annotations

from typing import Any

from kefu.holidays.tables import HolidayOverride, HolidayYear

RECENT_DAYS = 60


async def loaded_years() -> list[dict[str, Any]]:
    """The years whose official schedule is loaded, newest first."""
    return await HolidayYear.select().order_by(HolidayYear.year, ascending=False)


async def recent_days(limit: int = RECENT_DAYS) -> list[dict[str, Any]]:
    """The latest days of the schedule (days off and make-up working days), latest first."""
    return await HolidayOverride.select().order_by(HolidayOverride.day, ascending=False).limit(limit)
