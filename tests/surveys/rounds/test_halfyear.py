"""The half-year rules as plain functions: which half a day is in, when its round opens and
closes (Asia/Shanghai), whether it is due, and which past half-year went without a round."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kefu.core.errors import FieldError
from kefu.core.workdays import WorkCalendar
from kefu.surveys.policy.schedule import (
    ScheduleRules,
    check_rules,
    day_in_year,
    half_bounds,
    half_year_of,
    is_due,
    missed_half,
    previous_half,
    reminder_due,
    round_window,
    window_days,
)

RULES = ScheduleRules("05-01", "11-01", 14, 7)


@pytest.mark.parametrize(("day", "label"), [
    (date(2026, 1, 1), "2026H1"), (date(2026, 6, 30), "2026H1"),
    (date(2026, 7, 1), "2026H2"), (date(2026, 12, 31), "2026H2"),
])
def test_half_year_of(day, label):
    assert half_year_of(day) == label


@pytest.mark.parametrize(("label", "bounds", "previous"), [
    ("2026H1", (date(2026, 1, 1), date(2026, 6, 30)), "2025H2"),
    ("2026H2", (date(2026, 7, 1), date(2026, 12, 31)), "2026H1"),
])
def test_bounds_and_previous(label, bounds, previous):
    assert half_bounds(label) == bounds
    assert previous_half(label) == previous


@pytest.mark.parametrize(("mm_dd", "year", "day"), [
    ("05-01", 2026, date(2026, 5, 1)), ("02-29", 2028, date(2028, 2, 29)), ("02-29", 2026, date(2026, 2, 28)),
])
def test_day_in_year(mm_dd, year, day):
    assert day_in_year(mm_dd, year) == day


@pytest.mark.parametrize("bad", ["5-1", "13-01", "04-31", "00-10", "", "ab-cd"])
def test_day_in_year_refuses_non_days(bad):
    with pytest.raises(ValueError):
        day_in_year(bad, 2026)


def test_window_in_shanghai_opens_at_nine_and_closes_at_midnight():
    # 1 May 09:00 in Shanghai is 1 May 01:00 UTC; it closes at midnight 14 days after 1 May.
    opens, closes = round_window(RULES, "2026H1", "Asia/Shanghai")
    assert opens == datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
    assert closes == datetime(2026, 5, 14, 16, 0, tzinfo=UTC)
    assert window_days(RULES, "2026H2") == (date(2026, 11, 1), date(2026, 11, 15))


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 4, 30), False), (date(2026, 5, 1), True), (date(2026, 5, 14), True),
    (date(2026, 5, 15), False), (date(2026, 11, 1), True), (date(2026, 10, 31), False),
])
def test_is_due(today, due):
    assert is_due(RULES, half_year_of(today), today) is due


@pytest.mark.parametrize(("opened", "days", "now", "due"), [
    (datetime(2026, 5, 1, tzinfo=UTC), 7, datetime(2026, 5, 7, 23, tzinfo=UTC), False),
    (datetime(2026, 5, 1, tzinfo=UTC), 7, datetime(2026, 5, 8, tzinfo=UTC), True),
    (datetime(2026, 5, 1, tzinfo=UTC), 0, datetime(2026, 6, 1, tzinfo=UTC), False),
])
def test_reminder_due(opened, days, now, due):
    assert reminder_due(opened, days, now) is due


@pytest.mark.parametrize(("today", "closed", "since", "missed"), [
    (date(2026, 7, 2), set(), None, "2026H1"),
    (date(2026, 7, 2), {"2026H1"}, None, None),
    (date(2026, 7, 2), set(), date(2026, 7, 1), None),  # the tenant did not exist in H1
    (date(2026, 7, 2), set(), date(2026, 6, 30), "2026H1"),
    (date(2027, 1, 5), {"2026H1"}, None, "2026H2"),
    (date(2026, 3, 1), {"2025H2"}, None, None),
])
def test_missed_half(today, closed, since, missed):
    assert missed_half(today, closed, since) == missed


@pytest.mark.parametrize(("rules", "field"), [
    (ScheduleRules("07-01", "11-01", 14, 7), "first_half_opens"),
    (ScheduleRules("05-01", "03-01", 14, 7), "second_half_opens"),
    (ScheduleRules("06-25", "11-01", 14, 7), "first_half_opens"),  # would still run on 1 July
    (ScheduleRules("05-01", "11-01", 0, 0), "duration_days"),
    (ScheduleRules("05-01", "11-01", 14, 14), "reminder_after_days"),
    (ScheduleRules("5-1", "11-01", 14, 7), "first_half_opens"),
])
def test_check_rules_names_the_field(rules, field):
    with pytest.raises(FieldError) as caught:
        check_rules(rules)
    assert caught.value.field == field


def test_check_rules_accepts_the_usual_setting():
    check_rules(RULES)
    check_rules(ScheduleRules("06-17", "12-18", 14, 0))


@pytest.mark.parametrize(("rules", "label", "window"), [
    (RULES, "2026H1", (date(2026, 5, 6), date(2026, 5, 20))),  # 1 May: Labour Day holiday to 5 May
    (RULES, "2026H2", (date(2026, 11, 2), date(2026, 11, 16))),  # 1 Nov 2026 is a Sunday
    (ScheduleRules("05-11", "10-01", 14, 7), "2026H1", (date(2026, 5, 11), date(2026, 5, 25))),  # a Monday
    (ScheduleRules("05-11", "10-01", 14, 7), "2026H2", (date(2026, 10, 8), date(2026, 10, 22))),  # National Day
    (ScheduleRules("06-19", "11-01", 12, 7), "2026H1", (date(2026, 6, 22), date(2026, 7, 1))),  # never past 30 June
])
def test_an_opening_day_off_work_moves_to_the_next_working_day(rules, label, window):
    assert window_days(rules, label, WorkCalendar()) == window


def test_is_due_follows_the_moved_opening_day():
    calendar = WorkCalendar()
    assert is_due(RULES, "2026H1", date(2026, 5, 1), calendar) is False
    assert is_due(RULES, "2026H1", date(2026, 5, 6), calendar) is True
    opens, _ = round_window(RULES, "2026H1", "Asia/Shanghai", calendar)
    assert opens == datetime(2026, 5, 6, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("today", "counted", "since", "missed"), [
    (date(2026, 7, 2), set(), None, ["2026H1"]),
    (date(2026, 7, 2), set(), date(2025, 3, 1), ["2025H1", "2025H2", "2026H1"]),  # every half since the start
    (date(2026, 7, 2), {"2025H2"}, date(2025, 3, 1), ["2025H1", "2026H1"]),
    (date(2026, 7, 2), {"2025H1", "2025H2", "2026H1"}, date(2025, 3, 1), []),
    (date(2026, 7, 2), set(), date(2026, 7, 1), []),  # started this half: nothing past
    (date(2027, 1, 5), set(), date(2026, 12, 30), ["2026H2"]),
])
def test_missed_halves(today, counted, since, missed):
    from kefu.surveys.policy.schedule import missed_halves

    assert missed_halves(today, counted, since) == missed
