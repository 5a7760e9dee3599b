"""The official holiday schedule beyond what chinesecalendar knows: loaded by a platform admin
when the State Council publishes a new year, then every deadline is computed on it.
"""

from __future__ import annotations

from datetime import date

import msgspec

from kefu.core.errors import FieldError
from kefu.core.workdays import WorkCalendar
from kefu.db import transaction
from kefu.holidays.tables import HolidayOverride, HolidayYear

# Listeners `async (year, Loaded)` run after a year is loaded or corrected (the complaints
# recompute every open deadline the changed days touch).
AFTER_LOAD: list = []


async def load_calendar() -> WorkCalendar:
    overrides = {r["day"]: r["is_workday"] for r in await HolidayOverride.select(HolidayOverride.day, HolidayOverride.is_workday)}
    years = frozenset(r["year"] for r in await HolidayYear.select(HolidayYear.year))
    return WorkCalendar(overrides=overrides, known_years=years)


# 《全国年节及纪念日放假办法》 art. 2 (State Council Order No. 795, in force 2025-01-01): the
# holidays every year's schedule gives. A file counts as a final year only when its days off
# name each of them (in Chinese or English) and the fixed-date ones are off.
STATUTORY_HOLIDAYS: dict[str, tuple[str, ...]] = {
    "元旦": ("元旦", "new year"),
    "春节": ("春节", "spring festival"),
    "清明节": ("清明", "qingming", "tomb"),
    "劳动节": ("劳动节", "labour day", "labor day"),
    "端午节": ("端午", "dragon boat"),
    "中秋节": ("中秋", "mid-autumn", "mid autumn"),
    "国庆节": ("国庆", "national day"),
}
FIXED_DAYS_OFF = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
# A line saying only this marks the file as the year's final schedule (or --final, the page's box).
FINAL_MARK = "final"


class Schedule(msgspec.Struct, frozen=True):
    days: dict[date, tuple[bool, str]]  # day -> (is a working day, note)
    final_marked: bool  # the file says it is the year's final schedule


class Loaded(msgspec.Struct, frozen=True):
    """What a load did: how many days, whether the year is now final (and if not, what a
    final schedule would still have to name), and which days changed."""

    count: int
    final: bool
    missing: list[str]
    changed: list[date]
    final_changed: bool


def parse_schedule(year: int, text: str) -> Schedule:
    """Lines `YYYY-MM-DD off|work [note]`: the holidays and make-up working days of one year;
    a line `final` marks the year's final schedule. Two lines that give one date differently
    are refused with both line numbers."""
    days: dict[date, tuple[bool, str]] = {}
    line_of: dict[date, int] = {}
    final = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.lower() == FINAL_MARK:
            final = True
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
        workday = parts[1] == "work"
        if day in days and days[day][0] != workday:
            raise FieldError("schedule", "Lines %(first)s and %(second)s give %(day)s differently.",
                             first=line_of[day], second=number, day=day.isoformat())
        note = parts[2][:100] if len(parts) > 2 else ""
        days[day] = (workday, note or (days[day][1] if day in days else ""))
        line_of.setdefault(day, number)
    if not days:
        raise FieldError("schedule", "The schedule is empty.")
    return Schedule(days, final)


def missing_holidays(year: int, days: dict[date, tuple[bool, str]]) -> list[str]:
    """The statutory holidays a final schedule of `year` does not name (none: it is complete)."""
    notes = " ".join(note.lower() for workday, note in days.values() if not workday)
    missing = [name for name, words in STATUTORY_HOLIDAYS.items() if not any(w in notes for w in words)]
    for month, day in FIXED_DAYS_OFF:
        entry = days.get(date(year, month, day))
        if entry is None or entry[0]:
            missing.append(date(year, month, day).isoformat())
    return missing


async def load_year(year: int, text: str, *, final: bool = False) -> Loaded:
    """Load (or correct) one year's schedule. The year is final only when asked (`final`, or
    the file's own `final` line) and the file names every statutory holiday; otherwise its
    days are loaded and the rest of the year stays provisional. Then every listener (the
    complaints' deadlines) recomputes what the changed days touch."""
    if not 2000 <= year <= 2100:
        raise FieldError("year", "Enter a year between 2000 and 2100.")
    schedule = parse_schedule(year, text)
    days = schedule.days
    asked = final or schedule.final_marked
    missing = missing_holidays(year, days) if asked else []
    is_final = asked and not missing
    first, last = date(year, 1, 1), date(year, 12, 31)
    async with transaction():
        old = {r["day"]: r["is_workday"] for r in await HolidayOverride.select(
            HolidayOverride.day, HolidayOverride.is_workday).where(
            (HolidayOverride.day >= first) & (HolidayOverride.day <= last))}
        was_final = await HolidayYear.exists().where(HolidayYear.year == year)
        await HolidayOverride.delete().where((HolidayOverride.day >= first) & (HolidayOverride.day <= last))
        await HolidayOverride.insert(
            *[HolidayOverride(day=d, is_workday=w, note=n) for d, (w, n) in sorted(days.items())]
        )
        if is_final and not was_final:
            await HolidayYear.insert(HolidayYear(year=year))
        elif not is_final and was_final:
            await HolidayYear.delete().where(HolidayYear.year == year)
    new = {d: w for d, (w, _) in days.items()}
    changed = sorted(d for d in old.keys() | new.keys() if old.get(d) != new.get(d))
    loaded = Loaded(len(days), is_final, missing, changed, was_final != is_final)
    for listener in AFTER_LOAD:
        await listener(year, loaded)
    return loaded




async def set_day(day: date, is_workday: bool, note: str = "") -> Loaded:
    """One override (a correction the State Council publishes, a local adjustment), in any
    year, also one chinesecalendar knows: the day is then what this says. The listeners
    recompute what it touches, as after a load."""
    if not 2000 <= day.year <= 2100:
        raise FieldError("day", "Enter a date between 2000 and 2100.")
    if len(note) > 100:
        raise FieldError("note", "At most %(max)s characters.", max=100)
    async with transaction():
        row = await HolidayOverride.objects().where(HolidayOverride.day == day).first()
        before = row.is_workday if row is not None else None
        if row is None:
            await HolidayOverride.insert(HolidayOverride(day=day, is_workday=is_workday, note=note))
        else:
            await HolidayOverride.update({HolidayOverride.is_workday: is_workday, HolidayOverride.note: note}).where(
                HolidayOverride.day == day)
    final = await HolidayYear.exists().where(HolidayYear.year == day.year)
    loaded = Loaded(1, final, [], [day] if before != is_workday else [], False)
    for listener in AFTER_LOAD:
        await listener(day.year, loaded)
    return loaded
