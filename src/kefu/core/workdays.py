"""China's official working-day calendar and statutory period arithmetic.

Pure functions: no I/O, no clock. The caller loads the holiday overrides (a table a platform
admin fills when the State Council publishes a new year's schedule) and passes them in.

A working day follows the State Council's yearly holiday notice, including the make-up working
days (调休) on Saturdays or Sundays. chinesecalendar knows 2004-2026 and raises
NotImplementedError for any other year; for those years we answer on what the law fixes for
every year and mark the answer provisional, so the caller can recompute once the year is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar
import msgspec

__all__ = ["DayKind", "Due", "WorkCalendar"]

_ONE_DAY = dt.timedelta(days=1)

# Holidays whose Gregorian date is the same every year, per 《全国年节及纪念日放假办法》
# (revised by State Council Order No. 795, in force 2025-01-01) art. 2: 元旦 Jan 1,
# 劳动节 May 1-2, 国庆节 Oct 1-3. The lunar holidays (春节, 端午, 中秋) and 清明 move each year
# and cannot be known here; the provisional flag covers them.
_FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


class DayKind(msgspec.Struct, frozen=True):
    """Whether a date is a working day, and whether that answer may still change."""

    workday: bool
    provisional: bool


class Due(msgspec.Struct, frozen=True):
    """The last day of a period, and whether any day it was computed from was provisional."""

    date: dt.date
    provisional: bool


class WorkCalendar:
    """The official calendar plus admin overrides.

    overrides: date -> True (working day) / False (day off); these win over everything.
    known_years: years the overrides fully cover (every holiday and make-up day of the year was
    loaded), so the fallback rule is final there rather than provisional.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        known_years: frozenset[int] = frozenset(),
    ) -> None:
        self._overrides: dict[dt.date, bool] = dict(overrides or {})
        self._known_years = frozenset(known_years)

    def is_workday(self, d: dt.date) -> DayKind:
        if d in self._overrides:
            return DayKind(self._overrides[d], provisional=False)
        try:
            return DayKind(chinese_calendar.is_workday(d), provisional=False)
        except NotImplementedError:
            pass  # a year the installed chinesecalendar does not cover
        # 《国务院关于职工工作时间的规定》 art. 7: Saturday and Sunday are the weekly rest days.
        workday = d.weekday() < 5 and (d.month, d.day) not in _FIXED_HOLIDAYS
        return DayKind(workday, provisional=d.year not in self._known_years)

    def next_workday(self, d: dt.date) -> Due:
        """The first working day on or after d."""
        provisional = False
        while True:
            kind = self.is_workday(d)
            provisional = provisional or kind.provisional
            if kind.workday:
                return Due(d, provisional)
            d += _ONE_DAY

    def add_working_days(self, start: dt.date, n: int) -> Due:
        """The n-th working day after start.

        The start day (the day of receipt) does not count, even when it is a working day
        (民法典 art. 201: 开始的当日不计入，自下一日开始计算).
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d, provisional = start, False
        while n > 0:
            d += _ONE_DAY
            kind = self.is_workday(d)
            provisional = provisional or kind.provisional
            if kind.workday:
                n -= 1
        return Due(d, provisional)

    def working_days_before(self, end: dt.date, n: int) -> Due:
        """The n-th working day before end (end itself for n = 0): a lead time counted in
        working days, so a reminder never falls inside the holiday that hides the last ones."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d, provisional = end, False
        while n > 0:
            d -= _ONE_DAY
            kind = self.is_workday(d)
            provisional = provisional or kind.provisional
            if kind.workday:
                n -= 1
        return Due(d, provisional)

    def next_workday_after(self, d: dt.date) -> dt.date:
        """The first working day strictly after d."""
        return self.next_workday(d + _ONE_DAY).date

    def add_natural_days(self, start: dt.date, n: int, holiday_ending_rule: bool = True) -> Due:
        """The last day of a period of n natural (calendar) days from start.

        The start day does not count (民法典 art. 201), so the period ends on start + n.
        With holiday_ending_rule, a period whose last day is a 法定休假日 (statutory holiday or
        weekly rest day) ends on the first working day after it (民法典 art. 203).
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        last = start + dt.timedelta(days=n)
        if not holiday_ending_rule:
            return Due(last, provisional=False)
        return self.next_workday(last)
