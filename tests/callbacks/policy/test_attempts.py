"""Attempts and fallback (art. 23(2)) as a table: each row is the task before, the outcome, and
the task after."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kefu.callbacks.policy.attempts import TaskState, apply, refusal

ORDER = ("phone", "online", "onsite")
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("index", "failed", "limit", "outcome", "status", "new_index", "new_failed", "fell_back"),
    [
        (0, 0, 3, "reached", "open", 0, 0, False),  # the record closes it
        (0, 0, 3, "no_answer", "open", 0, 1, False),
        (0, 1, 3, "busy", "open", 0, 2, False),
        (0, 2, 3, "no_answer", "open", 1, 0, True),  # third failure: phone -> online
        (0, 1, 2, "busy", "open", 1, 0, True),  # the campaign's own limit of 2
        (0, 0, 3, "wrong_number", "open", 1, 0, True),  # a wrong number ends the method at once
        (1, 2, 3, "no_answer", "open", 2, 0, True),  # online -> onsite
        (2, 2, 3, "no_answer", "unreachable", 2, 3, False),  # no method left
        (2, 0, 3, "wrong_number", "unreachable", 2, 1, False),
        (0, 2, 3, "refused", "refused", 0, 2, False),  # the customer declines: no other method
        (0, 2, 3, "call_back", "open", 0, 2, False),  # not a failure
    ],
)
def test_outcome_moves_the_task(index, failed, limit, outcome, status, new_index, new_failed, fell_back):
    state = TaskState(ORDER, index, failed, limit)
    result = apply(state, outcome, LATER if outcome == "call_back" else None)
    assert (result.status, result.method_index, result.failed_attempts, result.fell_back) == (
        status, new_index, new_failed, fell_back)
    assert result.method(ORDER) == ORDER[new_index]


def test_call_back_keeps_the_time():
    result = apply(TaskState(ORDER, 0, 0, 3), "call_back", LATER)
    assert result.call_back_at == LATER


def test_a_single_method_order_ends_unreachable():
    result = apply(TaskState(("phone",), 0, 0, 1), "no_answer")
    assert (result.status, result.fell_back) == ("unreachable", False)


@pytest.mark.parametrize(
    ("status", "outcome", "call_back_at", "code"),
    [
        ("done", "reached", None, "task_closed"),
        ("unreachable", "no_answer", None, "task_closed"),
        ("open", "hung_up", None, "bad_outcome"),
        ("open", "call_back", None, "call_back_time"),
        ("open", "call_back", NOW, "call_back_time"),  # not in the future
        ("open", "call_back", LATER, None),
        ("open", "busy", None, None),
    ],
)
def test_refusals(status, outcome, call_back_at, code):
    why = refusal(TaskState(ORDER, 0, 0, 3, status), outcome, call_back_at, NOW)
    assert (why.code if why else None) == code
