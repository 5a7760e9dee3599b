"""The plain functions behind A art. 15 merging and the appraisal pause, table by table."""

from datetime import date

import pytest

from kefu.complaints.policy import PeriodRule, merge_refusal, paused_length, restarts_period
from kefu.core.workdays import WorkCalendar

CAL = WorkCalendar()
EARLIER = (date(2026, 3, 2), 10)
DUE = date(2026, 3, 17)


@pytest.mark.parametrize(
    ("repeat", "code"),
    [
        ((date(2026, 3, 10), 11), None),
        ((date(2026, 3, 17), 11), None),  # the last day of the period still counts
        ((date(2026, 3, 18), 11), "merge_after_period"),
        ((date(2026, 3, 1), 9), "merge_not_later"),
        ((date(2026, 3, 2), 9), "merge_not_later"),  # same day, registered first
        (EARLIER, "merge_not_later"),
    ],
)
def test_only_a_later_complaint_within_the_period_merges(repeat, code):
    assert merge_refusal(repeat, EARLIER, DUE) == code


@pytest.mark.parametrize(
    ("today", "restarts"),
    [(date(2026, 3, 10), True), (DUE, True), (date(2026, 3, 18), False)],
)
def test_an_overdue_period_is_not_restarted(today, restarts):
    assert restarts_period(DUE, today) is restarts


@pytest.mark.parametrize(
    ("unit", "since", "until", "days"),
    [
        ("natural", date(2026, 3, 4), date(2026, 3, 11), 7),
        ("working", date(2026, 3, 4), date(2026, 3, 11), 5),  # Wed to Wed: 5 working days
        ("working", date(2026, 9, 30), date(2026, 10, 8), 1),  # over National Day: only 10-08
        ("working", date(2026, 3, 6), date(2026, 3, 8), 0),  # a weekend
        ("natural", date(2026, 3, 6), date(2026, 3, 6), 0),
    ],
)
def test_a_pause_adds_days_in_the_periods_unit(unit, since, until, days):
    assert paused_length(PeriodRule(10, unit, "received"), CAL, since, until) == days
