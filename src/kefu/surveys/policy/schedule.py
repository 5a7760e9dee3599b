"""The half-year survey (C.d: at least once every half year): which half-year a day is in, when its
round opens and closes, whether it is due, whether a past half-year went without a closed
round, and what one tenant's scheduler tick has to do. Pure functions on plain values (tested
as tables); the setting is read in queries.dashboard and saved in services.schedule.

A half-year is labelled "2026H1" (January–June) or "2026H2" (July–December). A round opens at
OPENS_AT_HOUR of its opening day in the tenant's time zone (inside the default sending hours,
so its invitations go out at once) and runs until midnight `duration_days` days later; it must
close inside its half-year, so "H1 ended without a closed round" cannot be caused by a round
that was still running on 30 June. An opening day that falls on a holiday or rest day moves to
the next working day (kefu.core.workdays), the close moving with it but never past the half.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.workdays import WorkCalendar

LABEL_RE = re.compile(r"^(\d{4})H([12])$")
MM_DD_RE = re.compile(r"^(\d{2})-(\d{2})$")
MAX_DURATION = 90
OPENS_AT_HOUR = 9  # a scheduled round opens at 09:00, tenant time


@dataclass(frozen=True)
class ScheduleRules:
    first_half_opens: str = "05-01"
    second_half_opens: str = "11-01"
    duration_days: int = 14
    reminder_after_days: int = 7


def half_year_of(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def parse_label(label: str) -> tuple[int, int]:
    match = LABEL_RE.match(label or "")
    if not match:
        raise ValueError(f"not a half-year label: {label!r}")
    return int(match.group(1)), int(match.group(2))


def half_bounds(label: str) -> tuple[date, date]:
    """The first and last day of the half-year."""
    year, half = parse_label(label)
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def previous_half(label: str) -> str:
    year, half = parse_label(label)
    return f"{year - 1}H2" if half == 1 else f"{year}H1"


def label_text(label: str) -> str:
    """"2026年上半年" / "H1 2026", in the current language."""
    year, half = parse_label(label)
    if half == 1:
        return i18n.gettext("H1 %(year)s", year=year)
    return i18n.gettext("H2 %(year)s", year=year)


def day_in_year(mm_dd: str, year: int) -> date:
    """"MM-DD" in `year`; 29 February is the 28th in a common year. ValueError if not a day."""
    match = MM_DD_RE.match(mm_dd or "")
    if not match:
        raise ValueError(f"not MM-DD: {mm_dd!r}")
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise ValueError(f"not a day: {mm_dd!r}")
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, month, day)


def window_days(rules: ScheduleRules, label: str, calendar: WorkCalendar | None = None) -> tuple[date, date]:
    """The opening day and the day after the last day of the half-year's round. With a
    calendar, an opening day off work moves to the next working day."""
    year, half = parse_label(label)
    opens = day_in_year(rules.first_half_opens if half == 1 else rules.second_half_opens, year)
    if calendar is None:
        return opens, opens + timedelta(days=rules.duration_days)
    moved = calendar.next_workday(opens).date
    after_half = half_bounds(label)[1] + timedelta(days=1)
    return moved, min(moved + timedelta(days=rules.duration_days), max(after_half, moved + timedelta(days=1)))


def local_midnight(day: date, tz_name: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz_name)).astimezone(UTC)


def round_window(
    rules: ScheduleRules, label: str, tz_name: str, calendar: WorkCalendar | None = None
) -> tuple[datetime, datetime]:
    """(opens_at, closes_at) in UTC for the half-year's round."""
    opens, ends = window_days(rules, label, calendar)
    opens_at = datetime.combine(opens, time(OPENS_AT_HOUR), ZoneInfo(tz_name)).astimezone(UTC)
    return opens_at, local_midnight(ends, tz_name)


def is_due(rules: ScheduleRules, label: str, today: date, calendar: WorkCalendar | None = None) -> bool:
    """The round should be running today (so it is created if it does not exist, and opened
    at its hour). After its window no round is made: a late one would not be the survey the
    dates promised."""
    opens, ends = window_days(rules, label, calendar)
    return opens <= today < ends


def reminder_due(opens_at: datetime, after_days: int, now: datetime) -> bool:
    return after_days > 0 and now >= opens_at + timedelta(days=after_days)


def missed_half(today: date, closed_halves: set[str], since: date | None) -> str | None:
    """The previous half-year, if it ended without a closed round and the tenant existed then."""
    previous = previous_half(half_year_of(today))
    first, last = half_bounds(previous)
    if since is not None and since > last:
        return None
    return None if previous in closed_halves else previous


def halves_between(first: str, last: str) -> list[str]:
    """Every half-year label from `first` to `last`, both included, oldest first."""
    found: list[str] = []
    label = last
    while parse_label(label) >= parse_label(first):
        found.append(label)
        label = previous_half(label)
    return found[::-1]


def missed_halves(today: date, counted: set[str], since: date | None) -> list[str]:
    """Every past half-year since the tenant started (`since`; None: only the previous one)
    that ended without a round that counts for it (closed, with at least one valid response),
    oldest first."""
    previous = previous_half(half_year_of(today))
    if since is None:
        return [] if previous in counted else [previous]
    if since > half_bounds(previous)[1]:
        return []
    return [h for h in halves_between(half_year_of(since), previous) if h not in counted]


def check_rules(rules: ScheduleRules) -> None:
    """FieldError naming the form field: each date inside its half, the round closing inside it."""
    if not 1 <= rules.duration_days <= MAX_DURATION:
        raise FieldError("duration_days", "Enter a number from 1 to %(max)s.", max=MAX_DURATION)
    if not 0 <= rules.reminder_after_days < rules.duration_days:
        raise FieldError("reminder_after_days", "The reminder must go out before the round closes.")
    for name, half in (("first_half_opens", 1), ("second_half_opens", 2)):
        label = f"2028H{half}"  # a leap year, so 02-29 is accepted
        try:
            opens, ends = window_days(rules, label)
        except ValueError:
            raise FieldError(name, "Enter a day as MM-DD, for example 05-01.") from None
        first, last = half_bounds(label)
        if not first <= opens <= last:
            raise FieldError(name, "This day is not in that half of the year.")
        if ends > last + timedelta(days=1):
            raise FieldError(name, "The round would still be running when the half-year ends.")


# --- the tenant's setting and its tick --------------------------------------------------------

def rules_of(row: Mapping[str, Any]) -> ScheduleRules:
    return ScheduleRules(row["first_half_opens"], row["second_half_opens"], row["duration_days"],
                         row["reminder_after_days"])


@dataclass
class DueWork:
    """What one tenant's tick has to do, decided from one read (most ticks: nothing)."""

    close: list[int]
    half_year: bool
    open: list[int]
    remind: list[int]

    def __bool__(self) -> bool:
        return bool(self.close or self.half_year or self.open or self.remind)


def due_work(live: Sequence[Mapping[str, Any]], setting: Mapping[str, Any] | None, has_half_year_round: bool,
             now: datetime, today: date, calendar: WorkCalendar | None = None) -> DueWork:
    """Plain decision over the tenant's scheduled and open rounds and its half-year setting."""
    close = [r["id"] for r in live if r["closes_at"] <= now]
    running = [r for r in live if r["closes_at"] > now]
    half = False
    if setting is not None and setting["enabled"] and not has_half_year_round:
        half = is_due(rules_of(setting), half_year_of(today), today, calendar)
    opening = [r["id"] for r in running if r["status"] == "scheduled" and r["opens_at"] <= now]
    remind = [
        r["id"] for r in running
        if r["status"] == "open" and r["reminders_sent_at"] is None
        and reminder_due(r["opens_at"], r["reminder_after_days"], now)
    ]
    return DueWork(close, half, opening, remind)
