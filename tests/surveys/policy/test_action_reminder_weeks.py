"""Which weekly reminder an overdue improvement action owes: the first day overdue, then once a
week; none before the due day is past, none for a closed action or one without a due day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kefu.surveys.policy import actions as policy

DUE = date(2026, 6, 10)


@pytest.mark.parametrize(("status", "today", "week"), [
    ("open", DUE, None),  # due today: not overdue yet
    ("open", DUE + timedelta(days=1), 0),
    ("open", DUE + timedelta(days=7), 0),
    ("open", DUE + timedelta(days=8), 1),
    ("open", DUE + timedelta(days=15), 2),
    ("done", DUE + timedelta(days=8), None),
    ("dropped", DUE + timedelta(days=8), None),
])
def test_which_weekly_reminder_an_action_owes(status, today, week):
    assert policy.overdue_reminder_week(status, DUE, today) == week


def test_an_action_without_a_due_day_is_never_overdue():
    assert policy.overdue_reminder_week("open", None, DUE) is None
