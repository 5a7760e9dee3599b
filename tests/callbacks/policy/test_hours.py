"""Calling hours in the tenant's time zone, as a table."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from kefu.callbacks.policy.hours import next_allowed, within

START, END = time(9, 0), time(20, 0)
MON_SAT = (1, 2, 3, 4, 5, 6)
SH = "Asia/Shanghai"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "tz", "ok"),
    [
        (utc(2026, 3, 2, 1, 0), SH, True),  # Mon 09:00 Shanghai: the first minute
        (utc(2026, 3, 2, 0, 59), SH, False),  # Mon 08:59
        (utc(2026, 3, 2, 11, 59), SH, True),  # Mon 19:59
        (utc(2026, 3, 2, 12, 0), SH, False),  # Mon 20:00: the end is excluded
        (utc(2026, 3, 8, 3, 0), SH, False),  # Sunday 11:00: no calls on Sunday
        (utc(2026, 3, 7, 3, 0), SH, True),  # Saturday 11:00
        (utc(2026, 3, 2, 18, 0), SH, False),  # 02:00 Tuesday local, though 18:00 UTC Monday
        (utc(2026, 3, 2, 10, 0), "UTC", True),  # the same rule in another zone
        (utc(2026, 3, 2, 10, 0), "America/New_York", False),  # 05:00 in New York
    ],
)
def test_within_calling_hours(at, tz, ok):
    assert within(at, tz, START, END, MON_SAT) is ok


@pytest.mark.parametrize(
    ("at", "expected_local"),
    [
        (utc(2026, 3, 2, 3, 0), datetime(2026, 3, 2, 11, 0)),  # inside: itself
        (utc(2026, 3, 1, 23, 0), datetime(2026, 3, 2, 9, 0)),  # Mon 07:00 -> 09:00 the same day
        (utc(2026, 3, 2, 13, 0), datetime(2026, 3, 3, 9, 0)),  # Mon 21:00 -> Tue 09:00
        (utc(2026, 3, 7, 13, 0), datetime(2026, 3, 9, 9, 0)),  # Sat 21:00 -> Mon (Sunday skipped)
    ],
)
def test_next_allowed(at, expected_local):
    found = next_allowed(at, SH, START, END, MON_SAT)
    assert found.astimezone(__import__("zoneinfo").ZoneInfo(SH)).replace(tzinfo=None) == expected_local
