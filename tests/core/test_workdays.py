"""China's working-day calendar: 2026 around the long holidays and 调休, and beyond 2026.

Every expected 2026 date was checked against chinese_calendar's own day list; the year-2027
overrides below are hypothetical (not the State Council's schedule), chosen to show the rules.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest

from kefu.core.workdays import DayKind, Due, WorkCalendar

CAL = WorkCalendar({})


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2026, 1, 1), False),  # 元旦
        (date(2026, 1, 4), True),  # make-up Sunday
        (date(2026, 2, 13), True),  # Friday before Spring Festival
        (date(2026, 2, 14), True),  # make-up Saturday
        (date(2026, 2, 15), False),  # Spring Festival holiday Feb 15-23
        (date(2026, 2, 17), False),
        (date(2026, 2, 23), False),  # last holiday day, a Monday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # make-up Saturday
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 5, 1), False),  # 劳动节 May 1-5
        (date(2026, 5, 5), False),
        (date(2026, 5, 6), True),
        (date(2026, 5, 9), True),  # make-up Saturday
        (date(2026, 5, 10), False),
        (date(2026, 9, 20), True),  # make-up Sunday
        (date(2026, 9, 25), False),  # 中秋 Sep 25-27
        (date(2026, 10, 1), False),  # 国庆 Oct 1-7
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 10, 11), False),
    ],
)
def test_2026_day_follows_official_schedule_and_is_final(day, workday):
    assert CAL.is_workday(day) == DayKind(workday=workday, provisional=False)


def test_every_day_of_2026_matches_chinese_calendar():
    d = date(2026, 1, 1)
    while d.year == 2026:
        assert CAL.is_workday(d).workday == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2027, 1, 1), False),  # 元旦 is fixed by law, even before the schedule is out
        (date(2027, 1, 2), False),  # Saturday
        (date(2027, 1, 4), True),  # Monday
        (date(2027, 5, 1), False),  # 劳动节 May 1-2
        (date(2027, 5, 2), False),  # (a Sunday anyway)
        (date(2027, 10, 1), False),  # 国庆 Oct 1-3
        (date(2027, 10, 4), True),  # Monday: the fallback cannot know the real holiday
        (date(2030, 5, 2), False),  # 劳动节 on a Thursday
        (date(2100, 12, 31), True),
        (date(2003, 1, 1), False),  # before chinesecalendar's data, too
    ],
)
def test_unknown_year_falls_back_to_weekends_and_fixed_holidays_provisionally(day, workday):
    assert CAL.is_workday(day) == DayKind(workday=workday, provisional=True)


def test_no_date_from_2004_to_2100_crashes():
    d = date(2004, 1, 1)
    while d.year <= 2100:
        CAL.is_workday(d)
        d += timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 9), 0, date(2026, 3, 9)),
        # Spring Festival
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 10), 5, date(2026, 2, 24)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # receipt day does not count, even a workday
        (date(2026, 2, 15), 10, date(2026, 3, 6)),  # received during the holiday
        (date(2026, 2, 24), 5, date(2026, 3, 2)),  # through make-up Saturday Feb 28
        # 劳动节
        (date(2026, 4, 30), 1, date(2026, 5, 6)),
        (date(2026, 4, 30), 4, date(2026, 5, 9)),  # make-up Saturday
        (date(2026, 4, 30), 5, date(2026, 5, 11)),
        # 中秋 and 国庆
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # make-up Sunday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # make-up Saturday
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        (date(2026, 9, 30), 10, date(2026, 10, 20)),
        # 元旦 2026 with make-up Sunday Jan 4
        (date(2026, 1, 2), 1, date(2026, 1, 4)),
    ],
)
def test_add_working_days_in_2026_is_final(start, n, due):
    assert CAL.add_working_days(start, n) == Due(due, provisional=False)


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [
        (date(2026, 12, 30), 1, date(2026, 12, 31), False),  # never looked at 2027
        (date(2026, 12, 31), 1, date(2027, 1, 4), True),  # skips Jan 1 and the weekend
        (date(2026, 12, 25), 5, date(2027, 1, 4), True),
        (date(2026, 12, 21), 10, date(2027, 1, 5), True),
    ],
)
def test_add_working_days_across_2026_into_2027(start, n, due, provisional):
    assert CAL.add_working_days(start, n) == Due(due, provisional)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # receipt day does not count
        (date(2026, 3, 2), 15, date(2026, 3, 17)),  # ends on a working day: unchanged
        (date(2026, 3, 6), 15, date(2026, 3, 23)),  # ends Saturday -> Monday
        (date(2026, 2, 1), 15, date(2026, 2, 24)),  # ends Feb 16, Spring Festival
        (date(2026, 2, 13), 15, date(2026, 2, 28)),  # ends on make-up Saturday: stays
        (date(2026, 4, 16), 15, date(2026, 5, 6)),  # ends May 1
        (date(2026, 9, 5), 15, date(2026, 9, 20)),  # ends on make-up Sunday: stays
        (date(2026, 9, 10), 15, date(2026, 9, 28)),  # ends Sep 25, 中秋
        (date(2026, 9, 16), 15, date(2026, 10, 8)),  # ends Oct 1
        (date(2026, 9, 22), 15, date(2026, 10, 8)),  # ends Oct 7
    ],
)
def test_add_natural_days_moves_an_end_on_a_day_off_to_the_next_working_day(start, n, due):
    assert CAL.add_natural_days(start, n) == Due(due, provisional=False)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 2, 1), 15, date(2026, 2, 16)),
        (date(2026, 9, 16), 15, date(2026, 10, 1)),
        (date(2026, 12, 17), 15, date(2027, 1, 1)),  # date arithmetic only: not provisional
    ],
)
def test_add_natural_days_without_holiday_rule_keeps_the_last_day(start, n, due):
    assert CAL.add_natural_days(start, n, holiday_ending_rule=False) == Due(due, False)


def test_add_natural_days_ending_on_new_year_2027_is_provisional():
    # Dec 17 + 15 = Jan 1 2027 (元旦), then Saturday and Sunday.
    assert CAL.add_natural_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 4), True)


@pytest.mark.parametrize("method", ["add_working_days", "add_natural_days"])
def test_negative_periods_are_refused(method):
    with pytest.raises(ValueError):
        getattr(CAL, method)(date(2026, 3, 2), -1)


# Hypothetical 2027 schedule loaded by an admin: a holiday on Mon Jan 4 and a make-up Sat Jan 9.
OVERRIDES_2027 = {date(2027, 1, 1): False, date(2027, 1, 4): False, date(2027, 1, 9): True}


@pytest.mark.parametrize(
    ("known_years", "day", "expected"),
    [
        (frozenset(), date(2027, 1, 4), DayKind(False, False)),  # override wins, final
        (frozenset(), date(2027, 1, 9), DayKind(True, False)),
        (frozenset(), date(2027, 1, 5), DayKind(True, True)),  # not covered: provisional
        ({2027}, date(2027, 1, 5), DayKind(True, False)),  # year fully loaded: final
        ({2027}, date(2027, 1, 10), DayKind(False, False)),
        ({2027}, date(2028, 1, 3), DayKind(True, True)),
    ],
)
def test_overrides_win_and_known_years_clear_provisional(known_years, day, expected):
    cal = WorkCalendar(OVERRIDES_2027, known_years=frozenset(known_years))
    assert cal.is_workday(day) == expected


def test_override_wins_over_chinese_calendar():
    cal = WorkCalendar({date(2026, 10, 8): False, date(2026, 10, 11): True})
    assert cal.is_workday(date(2026, 10, 8)) == DayKind(False, False)
    assert cal.is_workday(date(2026, 10, 11)) == DayKind(True, False)


@pytest.mark.parametrize(
    ("known_years", "start", "n", "due"),
    [
        (frozenset(), date(2026, 12, 31), 1, Due(date(2027, 1, 5), True)),
        (frozenset({2027}), date(2026, 12, 31), 1, Due(date(2027, 1, 5), False)),
        (frozenset({2027}), date(2027, 1, 8), 1, Due(date(2027, 1, 9), False)),  # make-up Sat
        (frozenset(), date(2027, 1, 8), 1, Due(date(2027, 1, 9), False)),  # only override seen
    ],
)
def test_add_working_days_with_a_loaded_2027(known_years, start, n, due):
    cal = WorkCalendar(OVERRIDES_2027, known_years=known_years)
    assert cal.add_working_days(start, n) == due
