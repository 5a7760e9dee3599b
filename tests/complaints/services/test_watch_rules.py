"""policy.watch, table by table: which deadlines are pending in each state, and when each is
reminded (lead times in working days, escalation each working day, the pause's reminders)."""

from datetime import date

import pytest

from kefu.complaints.policy import (
    Deadlines,
    Reminder,
    Watched,
    WatchFacts,
    next_remind_on,
    next_reminder_after,
    pending_deadlines,
    reminder_on,
    watched_deadlines,
)
from kefu.core.workdays import WorkCalendar

CAL = WorkCalendar()
D = Deadlines(date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 17), False)
REPORT = date(2026, 3, 6)


def facts(status: str, paused: bool = False, report: bool = False, sent: bool = False) -> WatchFacts:
    return WatchFacts(status, D, date(2026, 3, 5) if paused else None,
                      REPORT if report else None, date(2026, 3, 5) if sent else None)


def kinds(f: WatchFacts) -> list[tuple[str, date]]:
    return [(w.kind, w.due) for w in watched_deadlines(f, CAL, 5)]


@pytest.mark.parametrize(
    ("f", "watched"),
    [
        (facts("registered"), [("materials_notice", date(2026, 3, 9)),
                               ("acceptance_notice", date(2026, 3, 16)), ("decision", date(2026, 3, 17))]),
        # Waiting for materials: the decision clock runs from receipt all the same.
        (facts("materials_incomplete"), [("acceptance_notice", date(2026, 3, 16)),
                                         ("decision", date(2026, 3, 17))]),
        (facts("under_review"), [("acceptance_notice", date(2026, 3, 16)),
                                 ("decision", date(2026, 3, 17))]),
        (facts("accepted"), [("decision", date(2026, 3, 17))]),
        (facts("investigating"), [("decision", date(2026, 3, 17))]),
        # Paused on Thu 03-05: the handler is reminded to resume five working days on.
        (facts("investigating", paused=True), [("appraisal_pause", date(2026, 3, 12))]),
        (facts("decided"), []),
        (facts("withdrawn"), []),
        # A art. 13: the regulator's report is owed whatever the state, until it is sent.
        (facts("investigating", report=True), [("regulator_report", REPORT), ("decision", date(2026, 3, 17))]),
        (facts("closed", report=True), [("regulator_report", REPORT)]),
        (facts("closed", report=True, sent=True), []),
        (facts("merged", report=True), []),
    ],
)
def test_the_pending_deadlines_in_each_state(f, watched):
    assert kinds(f) == watched


def test_the_page_and_the_sweep_agree_on_what_is_pending():
    rows = pending_deadlines(facts("investigating", paused=True, report=True))
    assert rows == [
        ("materials_notice", D.materials_notice_due, False),
        ("acceptance_notice", D.acceptance_notice_due, False),
        ("decision", D.decision_due, False),  # paused: not pending now
        ("regulator_report", REPORT, True),
    ]


DECISION = Watched(date(2026, 3, 17), "decision")  # Tue


@pytest.mark.parametrize(
    ("today", "stage", "day", "after"),
    [
        (date(2026, 3, 12), None, None, date(2026, 3, 13)),  # 2 working days before: Fri 03-13
        (date(2026, 3, 13), "before", date(2026, 3, 13), date(2026, 3, 17)),
        (date(2026, 3, 15), "before", date(2026, 3, 13), date(2026, 3, 17)),  # a late sweep
        (date(2026, 3, 17), "on_day", date(2026, 3, 17), date(2026, 3, 18)),
        (date(2026, 3, 18), "overdue", date(2026, 3, 18), date(2026, 3, 19)),
        (date(2026, 3, 20), "overdue", date(2026, 3, 20), date(2026, 3, 23)),  # Fri -> Mon
        (date(2026, 3, 21), None, None, date(2026, 3, 23)),  # Saturday: no escalation
    ],
)
def test_reminders_before_on_the_day_and_each_working_day_overdue(today, stage, day, after):
    r = reminder_on(DECISION, today, 2, CAL)
    assert ((r.stage, r.day) if r else (None, None)) == (stage, day)
    assert next_reminder_after(DECISION, today, 2, CAL) == after


def test_a_lead_time_counts_working_days_across_a_holiday():
    # Due Thu 2026-10-08, right after the National Day holiday (10-01..10-07): two working
    # days before is Tue 09-29, counted back over the holiday.
    due = Watched(date(2026, 10, 8), "acceptance_notice")
    first = next_remind_on([due], 2, CAL)
    assert first == date(2026, 9, 29)
    # Counted in natural days, the reminder would fall on 10-06, inside the holiday.
    assert reminder_on(due, date(2026, 10, 6), 2, CAL) == Reminder(
        "acceptance_notice", date(2026, 10, 8), "before", first)


def test_the_pause_reminds_to_resume_every_few_working_days():
    pause = Watched(date(2026, 3, 12), "appraisal_pause")
    assert reminder_on(pause, date(2026, 3, 11), 2, CAL) is None  # no "before" for a pause
    assert reminder_on(pause, date(2026, 3, 12), 2, CAL) == Reminder(
        "appraisal_pause", date(2026, 3, 12), "resume", date(2026, 3, 12))
    assert next_reminder_after(pause, date(2026, 3, 12), 2, CAL, 5) == date(2026, 3, 19)


def test_next_remind_on_is_the_first_reminder_of_any_pending_deadline():
    assert next_remind_on([], 2, CAL) is None
    ws = [DECISION, Watched(date(2026, 3, 16), "acceptance_notice")]  # Mon: from Thu 03-12
    assert next_remind_on(ws, 2, CAL) == date(2026, 3, 12)
