"""Scorecard rules as plain functions: period keys, who sees whose card, what a commendation or
criticism must carry."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.core.errors import FieldError
from kefu.duties.policy.pack import duties_for
from kefu.duties.policy.periods import parse_key
from kefu.duties.policy.scorecards import check_note, visible


@pytest.mark.parametrize(("key", "start", "end"), [
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_period_keys_name_their_days(key, start, end):
    period = parse_key(key)
    assert period is not None and (period.key, period.start, period.end) == (key, start, end)


@pytest.mark.parametrize("key", ["", "2026-13", "2026-00", "2026Q5", "2026H3", "1999", "2026-1", "x2026",
                                 "2026-12 ", "２０２６", "2026-W49", "2026-12-01"])
def test_other_period_keys_name_nothing(key):
    assert parse_key(key) is None


def test_a_manager_sees_their_department_and_below_a_person_their_own():
    pack = duties_for("insurance")
    # 1 head of the CS office, 2 agent (service centre, under the office), 3 sales (business
    # development), 4 administrator (no department), 5 head of operations (above the office).
    positions = {1: ["cs_head"], 2: ["agent"], 3: ["sales"], 4: ["admin"], 5: ["ops_head"]}
    people = [1, 2, 3, 4, 5]
    assert visible(pack, 1, can_board=True, positions=positions, people=people) == [1, 2]
    assert visible(pack, 5, can_board=True, positions=positions, people=people) == [1, 2, 5]
    assert visible(pack, 4, can_board=True, positions=positions, people=people) == people
    assert visible(pack, 2, can_board=False, positions=positions, people=people) == [2]
    assert visible(pack, 3, can_board=False, positions=positions, people=people) == [3]


@pytest.mark.parametrize(("args", "field"), [
    (("praise", "好", "", None), "kind"),
    (("commendation", "  ", "", None), "reason"),
    (("commendation", "x" * 2001, "", None), "reason"),
    (("commendation", "好", "invoice", 3), "cites_kind"),
    (("commendation", "好", "complaint", None), "cites_id"),
    (("criticism", "差", "", 3), "cites_id"),
])
def test_a_note_needs_a_kind_a_reason_and_a_whole_citation(args, field):
    with pytest.raises(FieldError) as bad:
        check_note(*args, kinds=["complaint"])
    assert bad.value.field == field


def test_a_good_note_keeps_its_reason_trimmed():
    assert check_note("criticism", "  迟到三次 ", "complaint", 7, kinds=["complaint"]) == "迟到三次"
