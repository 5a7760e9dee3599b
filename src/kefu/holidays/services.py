"""The official holiday schedule beyond what chinesecalendar knows: loaded by a platform admin
when the State Council publishes a new year, then every deadline is computed on it.
"""

from __future__ import annotations

from datetime import date

from kefu.core.errors import FieldError
from kefu.core.workdays import WorkCalendar
from kefu.db import transaction
from kefu.holidays.tables import HolidayOverride, HolidayYear

# Listeners run after a year is loaded (e.g. complaints recompute provisional deadlines).
AFTER_LOAD: list = []


async def load_calendar() -> WorkCalendar:
    overrides = {r["day"]: r["is_workday"] for r in await HolidayOverride.select(HolidayOverride.day, HolidayOverride.is_workday)}
    years = frozenset(r["year"] for r in await HolidayYear.select(HolidayYear.year))
    return WorkCalendar(overrides=overrides, known_years=years)


def parse_schedule(year: int, text: str) -> dict[date, tuple[bool, str]]:
    """Lines `YYYY-MM-DD off|work [note]`: the holidays and make-up working days of one year."""
    days: dict[date, tuple[bool, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(maxsplit=2)
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise FieldError("schedule", "Line %(n)s: expected a date as YYYY-MM-DD.", n=number) from None
        if day.year != year:
            raise FieldError("schedule", "Line %(n)s: the date is not in %(year)s.", n=number, year=year)
        if len(parts) < 2 or parts[1] not in ("off", "work"):
            raise FieldError("schedule", "Line %(n)s: say off (holiday) or work (make-up working day).", n=number)
        days[day] = (parts[1] == "work", parts[2][:100] if len(parts) > 2 else "")
    if not days:
        raise FieldError("schedule", "The schedule is empty.")
    return days


async def load_year(year: int, text: str) -> int:
    if not 2000 <= year <= 2100:
        raise FieldError("year", "Enter a year between 2000 and 2100.")
    days = parse_schedule(year, text)
    async with transaction():
        await HolidayOverride.delete().where(
            (HolidayOverride.day >= date(year, 1, 1)) & (HolidayOverride.day <= date(year, 12, 31))
        )
        await HolidayOverride.insert(
            *[HolidayOverride(day=d, is_workday=w, note=n) for d, (w, n) in sorted(days.items())]
        )
        if not await HolidayYear.exists().where(HolidayYear.year == year):
            await HolidayYear.insert(HolidayYear(year=year))
    for listener in AFTER_LOAD:
        await listener(year)
    return len(days)
