"""Complaint deadlines under the insurance defaults (document A art. 12 and 16; the 2020
《银行业保险业消费投诉处理管理办法》 art. 19) with 2026's official calendar.

Every expected 2026 date was checked against chinese_calendar's own day list.
"""

from datetime import date

import msgspec
import pytest

from kefu.complaints.policy import (
    ComplaintPolicy,
    Deadlines,
    PeriodRule,
    compute_deadlines,
    overdue_state,
)
from kefu.core.workdays import WorkCalendar

POLICY = ComplaintPolicy()
CAL = WorkCalendar({})


def deadlines(policy=POLICY, calendar=CAL, **kw):
    kw.setdefault("materials_complete_on", None)
    kw.setdefault("materials_incomplete", False)
    return compute_deadlines(policy, calendar, **kw)


def test_insurance_defaults():
    assert POLICY.materials_notice == PeriodRule(5, "working", "received")
    assert POLICY.acceptance_notice == PeriodRule(10, "working", "materials_complete")
    assert POLICY.decision == PeriodRule(15, "natural", "received", holiday_ending_rule=True)
    assert POLICY.extension_steps == [15, 30]
    assert POLICY.max_extensions == 2


def test_policy_round_trips_through_json_with_defaults_filled_in():
    raw = b'{"decision": {"days": 20, "unit": "natural", "runs_from": "received"}}'
    policy = msgspec.json.decode(raw, type=ComplaintPolicy)
    assert policy.decision == PeriodRule(20, "natural", "received")
    assert policy.materials_notice == POLICY.materials_notice
    assert msgspec.json.decode(msgspec.json.encode(POLICY), type=ComplaintPolicy) == POLICY


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 9)),  # Mon -> next Mon
        (date(2026, 2, 10), date(2026, 2, 24)),  # Feb 11, 12, 13, 14 (make-up Sat), 24
        (date(2026, 4, 29), date(2026, 5, 9)),  # Apr 30, May 6, 7, 8, 9 (make-up Sat)
        (date(2026, 9, 28), date(2026, 10, 10)),  # Sep 29, 30, Oct 8, 9, 10 (make-up Sat)
    ],
)
def test_materials_notice_is_due_five_working_days_after_receipt(received_on, due):
    d = deadlines(received_on=received_on, materials_incomplete=True)
    assert d.materials_notice_due == due
    assert d.provisional is False


@pytest.mark.parametrize("materials_complete_on", [None, date(2026, 3, 5)])
def test_materials_notice_is_owed_only_when_materials_were_incomplete_at_receipt(
    materials_complete_on,
):
    complete = deadlines(received_on=date(2026, 3, 2), materials_complete_on=date(2026, 3, 2))
    assert complete.materials_notice_due is None
    # Once owed it stays owed, whether or not the materials have come in since.
    incomplete = deadlines(
        received_on=date(2026, 3, 2),
        materials_complete_on=materials_complete_on,
        materials_incomplete=True,
    )
    assert incomplete.materials_notice_due == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("received_on", "materials_complete_on", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 16)),  # complete at receipt
        (date(2026, 2, 10), date(2026, 2, 12), date(2026, 3, 4)),  # through Spring Festival
        (date(2026, 9, 21), date(2026, 9, 25), date(2026, 10, 15)),  # completed on 中秋
    ],
)
def test_acceptance_notice_is_due_ten_working_days_after_materials_complete(
    received_on, materials_complete_on, due
):
    d = deadlines(
        received_on=received_on,
        materials_complete_on=materials_complete_on,
        materials_incomplete=received_on != materials_complete_on,
    )
    assert d.acceptance_notice_due == due


def test_acceptance_notice_is_none_until_materials_are_complete():
    d = deadlines(received_on=date(2026, 3, 2), materials_incomplete=True)
    assert d.acceptance_notice_due is None
    assert d.decision_due == date(2026, 3, 17)


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 17)),  # day 15 is a Tuesday
        (date(2026, 3, 6), date(2026, 3, 23)),  # day 15 is a Saturday
        (date(2026, 2, 1), date(2026, 2, 24)),  # day 15 is Feb 16, Spring Festival
        (date(2026, 2, 13), date(2026, 2, 28)),  # day 15 is the make-up Saturday: stays
        (date(2026, 4, 16), date(2026, 5, 6)),  # day 15 is May 1
        (date(2026, 9, 16), date(2026, 10, 8)),  # day 15 is Oct 1
    ],
)
def test_decision_is_due_fifteen_natural_days_after_receipt_with_holiday_ending_rule(
    received_on, due
):
    assert deadlines(received_on=received_on).decision_due == due


def test_decision_without_holiday_ending_rule_may_end_on_a_holiday():
    policy = ComplaintPolicy(
        decision=PeriodRule(15, "natural", "received", holiday_ending_rule=False)
    )
    d = deadlines(policy, received_on=date(2026, 2, 1))
    assert d.decision_due == date(2026, 2, 16)


@pytest.mark.parametrize(
    ("extensions_granted", "paused_days", "due"),
    [
        (0, 0, date(2026, 3, 17)),  # 15 days
        (1, 0, date(2026, 4, 1)),  # extended to 30 days
        (2, 0, date(2026, 5, 6)),  # 60 days: May 1, 劳动节 -> May 6
        (3, 0, date(2026, 5, 6)),  # beyond the policy's steps: nothing more added
        (0, 10, date(2026, 3, 27)),  # 25 days, appraisal pause
        (1, 5, date(2026, 4, 7)),  # 35 days: Apr 6, 清明 -> Apr 7
    ],
)
def test_decision_extensions_and_pauses_lengthen_the_period(extensions_granted, paused_days, due):
    d = deadlines(
        received_on=date(2026, 3, 2),
        extensions_granted=extensions_granted,
        paused_days=paused_days,
    )
    assert d.decision_due == due


@pytest.mark.parametrize(
    ("materials_complete_on", "due"),
    [
        (None, None),
        (date(2026, 3, 10), date(2026, 3, 25)),
    ],
)
def test_decision_can_run_from_materials_complete(materials_complete_on, due):
    policy = ComplaintPolicy(decision=PeriodRule(15, "natural", "materials_complete"))
    d = deadlines(
        policy,
        received_on=date(2026, 3, 2),
        materials_complete_on=materials_complete_on,
        materials_incomplete=True,
    )
    assert d.decision_due == due


@pytest.mark.parametrize(
    ("received_on", "complete_on", "calendar", "expected"),
    [
        # Everything inside 2026: final.
        (
            date(2026, 12, 1),
            date(2026, 12, 2),
            CAL,
            Deadlines(date(2026, 12, 8), date(2026, 12, 16), date(2026, 12, 16), False),
        ),
        # Acceptance and decision run into 2027, which chinesecalendar does not know yet:
        # computed on weekends and 元旦, and marked provisional.
        (
            date(2026, 12, 20),
            date(2026, 12, 21),
            CAL,
            Deadlines(date(2026, 12, 25), date(2027, 1, 5), date(2027, 1, 4), True),
        ),
        # The same once an admin has loaded 2027 (hypothetical: Jan 1-4 off).
        (
            date(2026, 12, 20),
            date(2026, 12, 21),
            WorkCalendar(
                {date(2027, 1, 1): False, date(2027, 1, 4): False}, known_years=frozenset({2027})
            ),
            Deadlines(date(2026, 12, 25), date(2027, 1, 6), date(2027, 1, 5), False),
        ),
    ],
)
def test_provisional_propagates_from_any_deadline(received_on, complete_on, calendar, expected):
    d = deadlines(
        calendar=calendar,
        received_on=received_on,
        materials_complete_on=complete_on,
        materials_incomplete=True,
    )
    assert d == expected


def test_provisional_only_when_a_computed_deadline_touched_an_unknown_year():
    # Materials notice (Dec 25) is final; the decision (day 15 = Jan 4 2027) is provisional.
    d = deadlines(received_on=date(2026, 12, 20), materials_incomplete=True)
    assert d.materials_notice_due == date(2026, 12, 25)
    assert d.decision_due == date(2027, 1, 4)
    assert d.provisional is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"extensions_granted": -1},
        {"paused_days": -1},
    ],
)
def test_negative_extensions_or_pauses_are_refused(kwargs):
    with pytest.raises(ValueError):
        deadlines(received_on=date(2026, 3, 2), **kwargs)


def test_unknown_runs_from_is_refused():
    policy = ComplaintPolicy(decision=PeriodRule(15, "natural", "closed"))
    with pytest.raises(ValueError, match="runs_from"):
        deadlines(policy, received_on=date(2026, 3, 2))


@pytest.mark.parametrize(
    ("due", "today", "soon_days", "state"),
    [
        (None, date(2026, 3, 10), 2, "none"),
        (date(2026, 3, 10), date(2026, 3, 5), 2, "ok"),
        (date(2026, 3, 10), date(2026, 3, 7), 2, "ok"),
        (date(2026, 3, 10), date(2026, 3, 8), 2, "due_soon"),
        (date(2026, 3, 10), date(2026, 3, 9), 2, "due_soon"),
        (date(2026, 3, 10), date(2026, 3, 10), 2, "due_today"),
        (date(2026, 3, 10), date(2026, 3, 11), 2, "overdue"),
        (date(2026, 3, 10), date(2027, 1, 1), 2, "overdue"),
        (date(2026, 3, 10), date(2026, 3, 9), 0, "ok"),
        (date(2026, 3, 10), date(2026, 3, 5), 5, "due_soon"),
    ],
)
def test_overdue_state(due, today, soon_days, state):
    assert overdue_state(due, today, soon_days=soon_days) == state
