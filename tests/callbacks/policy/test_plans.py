"""The yearly callback plan as plain functions: the grid read from a form (bad cells named),
and each month's cell set against the campaigns opened and scheduled."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.callbacks.policy import plans as rules

KINDS = ["service_satisfaction", "fraudulent_sales"]


def test_the_grid_keeps_the_planned_cells():
    grid, errors = rules.read_grid({"n_service_satisfaction_1": "2", "n_service_satisfaction_2": "0",
                                    "n_fraudulent_sales_12": " 1 ", "n_other_kind_3": "4", "note": "x"}, KINDS)
    assert errors == {} and grid == {"service_satisfaction": {"1": 2}, "fraudulent_sales": {"12": 1}}


@pytest.mark.parametrize("value", ["-1", "51", "1.5", "两", "1e2", "²", "①", "1²"])
def test_a_bad_cell_is_named(value: str):
    grid, errors = rules.read_grid({"n_fraudulent_sales_3": value}, KINDS)
    assert list(errors) == ["n_fraudulent_sales_3"] and grid == {}


def test_a_stored_grid_drops_kinds_and_months_the_pack_no_longer_has():
    stored = {"service_satisfaction": {"1": 2, "13": 1, "x": 1}, "gone": {"2": 1}}
    assert rules.loaded_grid(stored, KINDS) == {"service_satisfaction": {1: 2}}


def campaign(kind: str, day: date, status: str = "open", **counts: int) -> dict:
    return {"kind": kind, "opens_on": day, "status": status, **counts}


def test_progress_sets_each_month_against_the_plan():
    grid = {"service_satisfaction": {1: 1, 3: 2, 6: 1}, "fraudulent_sales": {2: 1}}
    campaigns = [
        campaign("service_satisfaction", date(2026, 1, 10), tasks=10, done=8, on_time=6),
        campaign("service_satisfaction", date(2026, 3, 1)),
        campaign("service_satisfaction", date(2026, 3, 20), "draft"),
        campaign("service_satisfaction", date(2026, 4, 2), "closed", tasks=2, done=2, on_time=2),
        campaign("fraudulent_sales", date(2025, 2, 1)),  # another year
    ]
    rows = {r.kind: r for r in rules.progress(grid, campaigns, KINDS, 2026, date(2026, 3, 15))}
    sat, fraud = rows["service_satisfaction"], rows["fraudulent_sales"]
    assert [sat.cells[m].state for m in (1, 3, 4, 6)] == ["met", "scheduled", "unplanned", "due"]
    assert fraud.cells[2].state == "missed" and fraud.cells[1].state == ""
    assert (sat.planned, sat.opened, sat.tasks, sat.done, sat.on_time) == (4, 2, 12, 10, 8)
    assert sat.on_time_rate == 80.0 and fraud.on_time_rate is None
    totals = rules.totals(list(rows.values()))
    assert (totals["planned"], totals["opened"], totals["percent"], totals["missed"]) == (5, 2, 40.0, 1)


def test_a_month_opened_beyond_its_plan_counts_its_plan_only():
    rows = rules.progress({"fraudulent_sales": {5: 1}}, [campaign("fraudulent_sales", date(2026, 5, 1)),
                                                        campaign("fraudulent_sales", date(2026, 5, 2))],
                          KINDS, 2026, date(2026, 6, 1))
    fraud = next(r for r in rows if r.kind == "fraudulent_sales")
    assert fraud.cells[5].opened == 2 and fraud.opened == 1 and fraud.cells[5].state == "met"


@pytest.mark.parametrize(("text", "year"), [("2026", 2026), ("1999", None), ("2101", None), ("x", None), ("", None)])
def test_year_of(text: str, year: int | None):
    assert rules.year_of(text) == year
