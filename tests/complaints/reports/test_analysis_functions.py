"""The pure functions of kefu.complaints.queries.reports.compute, table by table (no server, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from kefu.complaints.queries.reports import compute as a
from kefu.core import clock

D = date


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    ("month", D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
    ("month", D(2028, 2, 29), D(2028, 2, 1), D(2028, 2, 29)),  # leap year
    ("month", D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
    ("quarter", D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
    ("quarter", D(2026, 6, 30), D(2026, 4, 1), D(2026, 6, 30)),
    ("quarter", D(2026, 10, 1), D(2026, 10, 1), D(2026, 12, 31)),
    ("half", D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30)),
    ("half", D(2026, 7, 1), D(2026, 7, 1), D(2026, 12, 31)),
])
def test_calendar_period_contains_the_day(kind, day, start, end):
    assert a.calendar_period(kind, day) == a.Period(kind, start, end)


@pytest.mark.parametrize(("period", "previous"), [
    (a.Period("month", D(2026, 3, 1), D(2026, 3, 31)), a.Period("month", D(2026, 2, 1), D(2026, 2, 28))),
    (a.Period("month", D(2026, 1, 1), D(2026, 1, 31)), a.Period("month", D(2025, 12, 1), D(2025, 12, 31))),
    (a.Period("quarter", D(2026, 1, 1), D(2026, 3, 31)), a.Period("quarter", D(2025, 10, 1), D(2025, 12, 31))),
    (a.Period("quarter", D(2026, 7, 1), D(2026, 9, 30)), a.Period("quarter", D(2026, 4, 1), D(2026, 6, 30))),
    (a.Period("half", D(2026, 1, 1), D(2026, 6, 30)), a.Period("half", D(2025, 7, 1), D(2025, 12, 31))),
    (a.Period("half", D(2026, 7, 1), D(2026, 12, 31)), a.Period("half", D(2026, 1, 1), D(2026, 6, 30))),
    # A custom range: as many days immediately before (10 days -> the 10 days before).
    (a.Period("custom", D(2026, 3, 1), D(2026, 3, 10)), a.Period("custom", D(2026, 2, 19), D(2026, 2, 28))),
    (a.Period("custom", D(2026, 1, 1), D(2026, 1, 1)), a.Period("custom", D(2025, 12, 31), D(2025, 12, 31))),
])
def test_previous_period(period, previous):
    assert period.previous() == previous
    if period.kind == "custom":
        assert previous.days == period.days


@pytest.mark.parametrize(("params", "start", "end"), [
    ({}, D(2026, 4, 1), D(2026, 4, 30)),  # the month of today
    ({"period": "month", "year": "2026", "month": "3"}, D(2026, 3, 1), D(2026, 3, 31)),
    ({"period": "quarter"}, D(2026, 4, 1), D(2026, 6, 30)),
    ({"period": "quarter", "year": "2025", "quarter": "4"}, D(2025, 10, 1), D(2025, 12, 31)),
    ({"period": "half"}, D(2026, 1, 1), D(2026, 6, 30)),
    ({"period": "half", "year": "2026", "half": "2"}, D(2026, 7, 1), D(2026, 12, 31)),
    ({"period": "custom"}, D(2026, 4, 1), D(2026, 4, 15)),  # this month so far
    ({"period": "custom", "from": "2026-01-05", "to": "2026-02-10"}, D(2026, 1, 5), D(2026, 2, 10)),
    ({"period": " month ", "year": " 2026 ", "month": "12"}, D(2026, 12, 1), D(2026, 12, 31)),
])
def test_parse_period(params, start, end):
    choice = a.parse_period(params, D(2026, 4, 15))
    assert not choice.errors
    assert (choice.period.start, choice.period.end) == (start, end)


@pytest.mark.parametrize(("params", "field"), [
    ({"period": "week"}, "period"),
    ({"period": "month", "month": "13"}, "month"),
    ({"period": "month", "month": "0"}, "month"),
    ({"period": "month", "year": "1999"}, "year"),
    ({"period": "month", "year": "twenty"}, "year"),
    ({"period": "quarter", "quarter": "5"}, "quarter"),
    ({"period": "half", "half": "3"}, "half"),
    ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "from"),
    ({"period": "custom", "from": "2026-03-01", "to": "next week"}, "to"),
    ({"period": "custom", "from": "2026-03-10", "to": "2026-03-01"}, "to"),
    ({"period": "custom", "from": "2020-01-01", "to": "2026-03-01"}, "from"),
])
def test_parse_period_names_the_bad_field(params, field):
    choice = a.parse_period(params, D(2026, 4, 15))
    assert field in choice.errors
    assert choice.period == a.Period("month", D(2026, 4, 1), D(2026, 4, 30))  # a safe default


def test_the_default_month_follows_the_tenants_time_zone():
    # 31 March 16:30 UTC is already 1 April 00:30 in Shanghai: the default period is April.
    with clock.frozen(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)):
        shanghai = a.parse_period({}, clock.today_in("Asia/Shanghai")).period
        utc = a.parse_period({}, clock.today_in("UTC")).period
    assert (shanghai.start, shanghai.end) == (D(2026, 4, 1), D(2026, 4, 30))
    assert (utc.start, utc.end) == (D(2026, 3, 1), D(2026, 3, 31))


# --- breakdowns -----------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "decision", "outcome"), [
    ("closed", "upheld", "upheld"),
    ("decided", "partly", "partly"),
    ("closed", "not_upheld", "not_upheld"),
    ("not_accepted", "", "not_accepted"),
    ("transferred_internal", "", "transferred_internal"),
    ("transferred_out", "", "transferred_out"),
    ("withdrawn", "", "withdrawn"),
    ("merged", "", "merged"),
    ("registered", "", "open"),
    ("investigating", "", "open"),
    ("closed", "", "open"),  # a closed complaint without a decision is not an outcome we know
])
def test_outcome_of(status, decision, outcome):
    assert a.outcome_of(status, decision) == outcome


def test_counts_and_outcome_counts_sum_grouped_rows():
    rows = [{"department": "理赔部", "count": 2}, {"department": None, "count": 1},
            {"department": "", "count": 3}]
    assert a.counts(rows, "department") == {"理赔部": 2, "": 4}
    rows = [{"status": "closed", "decision": "upheld", "count": 2},
            {"status": "decided", "decision": "upheld", "count": 1},
            {"status": "registered", "decision": None, "count": 4}]
    assert a.outcome_counts(rows) == {"upheld": 3, "open": 4}


def test_lines_keep_the_order_then_the_largest_first_with_the_change():
    out = a.lines({"email": 3, "x": 1, "y": 5}, {"hotline": 2, "x": 4}, order=("hotline", "email", "fax"))
    assert [(line.code, line.current, line.previous) for line in out] == [
        ("hotline", 0, 2), ("email", 3, 0), ("fax", 0, 0), ("y", 5, 0), ("x", 1, 4),
    ]
    assert [line.change for line in out] == [-2, 3, 0, 5, -3]
    assert [line.change_ratio for line in out] == [-1.0, None, None, None, -0.75]


# --- handling days and repeat complainants ---------------------------------------------------


@pytest.mark.parametrize(("rows", "expected"), [
    ([], a.Average(0, None)),
    ([{"received_on": D(2026, 3, 2), "closed_on": D(2026, 3, 12), "count": 1}], a.Average(1, 10.0)),
    # Weighted by count: (10 * 2 + 21) / 3 = 13.67 -> 13.7
    ([{"received_on": D(2026, 3, 2), "closed_on": D(2026, 3, 12), "count": 2},
      {"received_on": D(2026, 2, 10), "closed_on": D(2026, 3, 3), "count": 1}], a.Average(3, 13.7)),
    # Across the turn of the year, and closed the day it arrived; SQLite may hand back text.
    ([{"received_on": "2025-12-30", "closed_on": "2026-01-04", "count": 1},
      {"received_on": D(2026, 1, 5), "closed_on": D(2026, 1, 5), "count": 1}], a.Average(2, 2.5)),
])
def test_average_days(rows, expected):
    assert a.average_days(rows) == expected


def _g(phone, email, count, name="张三"):
    return {"phone": phone, "email": email, "count": count, "name": name}


@pytest.mark.parametrize(("rows", "expected"), [
    ([], []),
    ([_g("13800000001", "", 1)], []),
    ([_g("13800000001", "", 2)], [(2, ("13800000001",), ())]),
    # The same person by phone (with and without +86 and spaces) and by email (any case).
    ([_g("13800000001", "", 1), _g("+86 138 0000 0001", "li@example.test", 1),
      _g("", "LI@example.test", 1), _g("13900000002", "", 1)],
     [(3, ("+86 138 0000 0001", "13800000001"), ("li@example.test",))]),
    # Two people, most complaints first; rows with neither phone nor email are nobody.
    ([_g("13900000002", "", 2, "王五"), _g("13800000001", "a@x.test", 1), _g("13800000001", "b@x.test", 2),
      _g("", "", 9)],
     [(3, ("13800000001",), ("a@x.test", "b@x.test")), (2, ("13900000002",), ())]),
])
def test_repeat_complainants(rows, expected):
    found = a.repeat_complainants(rows)
    assert [(r.complaints, r.phones, r.emails) for r in found] == expected


def test_a_repeat_complainant_is_named_by_one_of_their_names():
    found = a.repeat_complainants([_g("13800000001", "", 1, ""), _g("13800000001", "", 1, "李四")])
    assert found[0].name == "李四"


# --- notices: compliance and on-time rate ---------------------------------------------------


@dataclass
class KindRow:
    kind: str
    owed: int
    on_time: int
    late: int
    open: int
    overdue: int


def test_split_pending_by_today_and_pause():
    today = D(2026, 4, 15)
    rows = [
        {"due": D(2026, 4, 14), "count": 2, "paused": False},  # overdue
        {"due": D(2026, 4, 15), "count": 1, "paused": False},  # due today: still open
        {"due": D(2026, 4, 1), "count": 3, "paused": True},  # the clock is stopped
        {"due": "2026-04-20", "count": 4},
    ]
    assert a.split_pending(rows, today) == (8, 2)


def test_duty_figures_add_the_notice_kinds_of_a_duty_and_the_unwritten_ones():
    kinds = [
        KindRow("acceptance_notice", 3, 2, 1, 0, 0),
        KindRow("rejection_notice", 2, 1, 0, 0, 1),
        KindRow("decision_notice", 2, 1, 1, 0, 0),
        KindRow("assignment_notice", 9, 9, 0, 0, 0),  # not a statutory notice
    ]
    out = {d.duty: d for d in a.duty_figures(kinds, {"decision_notice": (1, 2)})}
    assert list(out) == ["materials_notice", "acceptance_notice", "decision_notice", "extension_notice"]
    assert out["acceptance_notice"] == a.DutyFigures("acceptance_notice", 5, 3, 1, 0, 1, 0)
    assert out["decision_notice"] == a.DutyFigures("decision_notice", 5, 1, 1, 1, 2, 3)
    assert out["materials_notice"] == a.DutyFigures("materials_notice", 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(("figures", "rate"), [
    (a.DutyFigures("d", 0, 0, 0, 0, 0), None),  # nothing owed
    (a.DutyFigures("d", 2, 0, 0, 2, 0), None),  # nothing due yet
    (a.DutyFigures("d", 4, 3, 1, 0, 0), 0.75),
    (a.DutyFigures("d", 5, 1, 1, 2, 1), 1 / 3),  # open ones not yet due do not count
    (a.DutyFigures("d", 1, 0, 0, 0, 1), 0.0),
])
def test_on_time_rate(figures, rate):
    assert figures.on_time_rate == (pytest.approx(rate) if rate is not None else None)


def test_rate_line_change_in_points():
    cur, prev = a.DutyFigures("d", 4, 3, 1, 0, 0), a.DutyFigures("d", 2, 1, 1, 0, 0)
    assert a.RateLine("d", cur, prev).change_points == 25.0
    assert a.RateLine("d", cur, a.DutyFigures("d", 0, 0, 0, 0, 0)).change_points is None


def test_late_items_sorted_with_state_and_days_late():
    today = D(2026, 4, 15)
    items = a.late_items(
        [{"subject_id": 7, "kind": "decision_notice", "due_on": D(2026, 3, 20), "sent_on": D(2026, 3, 25)},
         {"subject_id": 9, "kind": "materials_notice", "due_on": D(2026, 3, 30), "sent_on": None}],
        [{"id": 3, "number": "TS2026-000003", "duty": "decision_notice", "due": D(2026, 3, 25)}],
        {7: "TS2026-000007"},
    )
    assert [(i.number, i.state, i.days_late(today), i.duty) for i in items] == [
        ("TS2026-000007", "late", 5, "decision_notice"),
        ("TS2026-000003", "unwritten", 21, "decision_notice"),
        ("", "overdue", 16, "materials_notice"),  # a number the caller did not find
    ]
