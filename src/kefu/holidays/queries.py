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


async def provisional_years() -> list[int]:
    """Years with loaded days but no final schedule: their other days are still provisional."""
    rows = await HolidayOverride.select(HolidayOverride.day)
    final = {r["year"] for r in await HolidayYear.select(HolidayYear.year)}
    return sorted({r["day"].year for r in rows} - final, reverse=True)
