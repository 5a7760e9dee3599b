"""Improvement actions as plain functions: reading the form (every field at fault named) and
the overdue rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kefu.core.errors import FormErrors
from kefu.surveys.policy import actions as policy
from kefu.surveys.schemas import actions as a


def form(**over) -> dict[str, str]:
    data = {"title": "加强保洁", "description": "每日两次巡查", "owner_id": "", "owner_name": "保洁外包公司",
            "due_on": "2026-12-31", "round_id": "", "question_key": "services"}
    data.update(over)
    return data


@pytest.mark.parametrize(("over", "fields"), [
    ({"title": ""}, {"title"}),
    ({"title": "x" * 201}, {"title"}),
    ({"owner_name": "", "owner_id": ""}, {"owner_id"}),
    ({"owner_id": "abc"}, {"owner_id"}),
    ({"due_on": ""}, {"due_on"}),
    ({"due_on": "2026-02-30"}, {"due_on"}),
    ({"round_id": "x1"}, {"round_id"}),
    ({"title": "", "due_on": "soon"}, {"title", "due_on"}),
])
def test_form_errors_name_each_field(over, fields):
    with pytest.raises(FormErrors) as exc:
        a.read_form(form(**over))
    assert set(exc.value.errors) == fields


def test_a_member_owner_wins_over_an_outside_name():
    data = a.read_form(form(owner_id="12", owner_name="外包"))
    assert data.owner_id == 12 and data.owner_name == ""


@pytest.mark.parametrize(("status", "due", "expected"), [
    ("open", -1, True), ("open", 0, False), ("open", None, False), ("done", -5, False), ("dropped", -5, False),
])
def test_overdue(status, due, expected):
    day = date(2026, 11, 29)
    assert policy.is_overdue(status, day + timedelta(days=due) if due is not None else None, day) is expected
