"""Recurrence and period arithmetic: month ends, quarters, half-years, leap years, time zones."""

from datetime import UTC, date, datetime

import pytest

from kefu.duties.policy.periods import (
    add_months,
    compliance_rate,
    day_start_utc,
    local_day,
    period_of,
    previous,
    remind_on,
)


@pytest.mark.parametrize(("recurrence", "day", "key", "start", "end"), [
    ("daily", date(2026, 12, 6), "2026-12-06", date(2026, 12, 6), date(2026, 12, 6)),
    ("weekly", date(2026, 12, 6), "2026-W49", date(2026, 11, 30), date(2026, 12, 6)),
    ("weekly", date(2027, 1, 1), "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),  # ISO year
    ("monthly", date(2026, 2, 10), "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("monthly", date(2028, 2, 10), "2028-02", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
    ("monthly", date(2026, 4, 30), "2026-04", date(2026, 4, 1), date(2026, 4, 30)),
    ("quarterly", date(2026, 1, 1), "2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("quarterly", date(2026, 6, 30), "2026Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("quarterly", date(2026, 9, 30), "2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("quarterly", date(2026, 12, 31), "2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("half_yearly", date(2026, 6, 30), "2026H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("half_yearly", date(2026, 7, 1), "2026H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("yearly", date(2028, 2, 29), "2028", date(2028, 1, 1), date(2028, 12, 31)),
])
def test_period_of(recurrence, day, key, start, end):
    period = period_of(recurrence, day)
    assert (period.key, period.start, period.end, period.due_on) == (key, start, end, end)


@pytest.mark.parametrize("recurrence", ["event", "", "fortnightly"])
def test_no_period_for_event_or_unknown(recurrence):
    with pytest.raises(ValueError):
        period_of(recurrence, date(2026, 1, 1))


@pytest.mark.parametrize(("recurrence", "day", "key"), [
    ("monthly", date(2026, 3, 15), "2026-02"),
    ("monthly", date(2026, 1, 15), "2025-12"),
    ("quarterly", date(2026, 1, 15), "2025Q4"),
    ("half_yearly", date(2026, 7, 1), "2026H1"),
    ("yearly", date(2026, 7, 1), "2025"),
])
def test_previous_period(recurrence, day, key):
    assert previous(period_of(recurrence, day)).key == key


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 5, 15), 12, date(2027, 5, 15)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("recurrence", "day", "expected"), [
    ("monthly", date(2026, 2, 3), date(2026, 2, 25)),
    ("quarterly", date(2026, 2, 3), date(2026, 3, 24)),
    ("half_yearly", date(2026, 2, 3), date(2026, 6, 16)),
    ("yearly", date(2026, 2, 3), date(2026, 12, 1)),
    ("daily", date(2026, 2, 3), date(2026, 2, 3)),
    ("weekly", date(2026, 12, 6), date(2026, 12, 5)),
])
def test_remind_before_the_due_date(recurrence, day, expected):
    assert remind_on(period_of(recurrence, day)) == expected


@pytest.mark.parametrize(("instant", "zone", "day"), [
    # 2026-06-30 17:00 UTC is already 07-01 in Shanghai: the second half-year there.
    (datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai", date(2026, 7, 1)),
    (datetime(2026, 6, 30, 15, 59, tzinfo=UTC), "Asia/Shanghai", date(2026, 6, 30)),
    (datetime(2026, 1, 1, 3, 0, tzinfo=UTC), "America/New_York", date(2025, 12, 31)),
])
def test_local_day_follows_the_tenant_zone(instant, zone, day):
    assert local_day(instant, zone) == day


def test_period_boundaries_in_the_tenant_zone():
    half = period_of("half_yearly", local_day(datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai"))
    assert half.key == "2026H2"
    assert day_start_utc(half.start, "Asia/Shanghai") == datetime(2026, 6, 30, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("done", "due", "rate"), [(0, 0, None), (0, 3, 0.0), (2, 3, 66.7), (4, 4, 100.0)])
def test_compliance_rate(done, due, rate):
    assert compliance_rate(done, due) == rate
