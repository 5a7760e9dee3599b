"""The online method's pure rules: what the questionnaire asks, how long its link stays open,
and the answers as the record keeps them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.callbacks.policy.online import DEFAULT_QUESTIONS, closes_at, questions_for, record_answers
from kefu.callbacks.schemas import parse_questions
from kefu.surveys.policy.definition import KEY_RE

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_campaigns_questions_are_asked_with_their_codes():
    asked = questions_for(parse_questions("您签字了吗？\n\n还有建议吗？"))
    assert [(q.key, q.title, q.required) for q in asked] == [("q1", "您签字了吗？", True), ("q2", "还有建议吗？", True)]
    assert all(KEY_RE.match(q.key) for q in asked)  # keys the survey definition accepts


def test_a_task_without_questions_asks_the_default_pair():
    assert questions_for([]) == list(DEFAULT_QUESTIONS)
    assert [q.required for q in DEFAULT_QUESTIONS] == [True, False]


@pytest.mark.parametrize(("due_on", "today", "last_day"), [
    (date(2026, 3, 20), date(2026, 3, 2), date(2026, 3, 20)),  # the due day is later than a week
    (date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 9)),  # at least a week from today
    (date(2026, 2, 1), date(2026, 3, 2), date(2026, 3, 9)),  # overdue already: still a week
])
def test_the_link_stays_open_to_the_end_of_the_later_day(due_on, today, last_day):
    end = closes_at(due_on, today, "Asia/Shanghai")
    assert end == datetime(last_day.year, last_day.month, last_day.day, tzinfo=SHANGHAI) + timedelta(days=1)


def test_answers_are_kept_as_text_per_code_in_order():
    kept = record_answers({"q2": "  好  ", "q1": None, "other": "x"}, ["q1", "q2"])
    assert kept == {"q1": "", "q2": "好"} and list(kept) == ["q1", "q2"]
    assert len(record_answers({"q1": "字" * 3000}, ["q1"])["q1"]) == 2000
