"""The monthly statistics' rows as plain functions: units by occupancy, moves and fees merged by
building, the total row, and the rates (none where there is nothing to divide by)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.deskstats import policy

OCCUPANCY = [
    {"building_id": 1, "building": "1栋", "occupancy": "owner_occupied", "n": 6},
    {"building_id": 1, "building": "1栋", "occupancy": "let", "n": 2},
    {"building_id": 1, "building": "1栋", "occupancy": "vacant", "n": 2},
    {"building_id": 2, "building": "2栋", "occupancy": "renovation", "n": 1},
]


def test_rows_by_building_and_the_total():
    moves = [{"building_id": 1, "kind": "move_in", "n": 3}, {"building_id": 2, "kind": "move_out", "n": 1}]
    collection = [{"building": "1栋", "billed": Decimal("1000"), "paid": Decimal("875")},
                  {"building": None, "billed": Decimal("1000"), "paid": Decimal("875")}]
    one, two, total = policy.building_rows(OCCUPANCY, moves, collection)
    assert (one["building"], one["units"], one["occupied"], one["vacant"], one["move_in"]) == ("1栋", 10, 8, 2, 3)
    assert (one["occupancy_rate"], one["collection_rate"]) == (Decimal("80.0"), Decimal("87.5"))
    assert (two["renovation"], two["move_out"], two["occupancy_rate"], two["collection_rate"]) == (1, 1, Decimal("0.0"), None)
    assert (total["building"], total["units"], total["occupied"], total["billed"]) == (None, 11, 8, Decimal("1000"))
    assert total["occupancy_rate"] == Decimal("72.7")


def test_an_empty_estate_has_a_total_of_nothing():
    [total] = policy.building_rows([], [], [])
    assert (total["units"], total["occupancy_rate"], total["collection_rate"]) == (0, None, None)


@pytest.mark.parametrize(("period", "bounds"), [
    (date(2026, 2, 14), (date(2026, 2, 1), date(2026, 2, 28))),
    (date(2028, 2, 1), (date(2028, 2, 1), date(2028, 2, 29))),
    (date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
])
def test_month_bounds(period, bounds):
    assert policy.month_bounds(period) == bounds


@pytest.mark.parametrize(("today", "month"), [
    (date(2026, 12, 1), date(2026, 11, 1)), (date(2027, 1, 31), date(2026, 12, 1)), (date(2026, 3, 15), date(2026, 2, 1)),
])
def test_the_month_a_sweep_snapshots_is_the_one_before_today(today, month):
    assert policy.previous_month(today) == month


def test_a_month_ends_at_midnight_of_the_next_in_the_tenants_zone():
    from datetime import UTC, datetime

    assert policy.month_end(date(2026, 11, 1), "Asia/Shanghai") == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert policy.month_end(date(2026, 12, 9), "Asia/Shanghai") == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert policy.is_ended(date(2026, 11, 1), date(2026, 12, 1))
    assert not policy.is_ended(date(2026, 12, 1), date(2026, 12, 31))
