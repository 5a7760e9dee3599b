"""Arrears ageing buckets (0–30, 31–90, 91–180, 180+ days past due) summed by building, and
the collection rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kefu.fees import policy

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(("late", "expected"), [
    (-1, None), (0, "0-30"), (30, "0-30"), (31, "31-90"), (90, "31-90"), (91, "91-180"),
    (180, "91-180"), (181, "180+"), (3650, "180+"),
])
def test_bucket(late, expected):
    assert policy.bucket(TODAY - timedelta(days=late), TODAY) == expected


def test_bucket_across_a_leap_day():
    assert policy.bucket(date(2024, 1, 31), date(2024, 3, 1)) == "0-30"   # 30 days with 29 Feb
    assert policy.bucket(date(2023, 1, 31), date(2023, 3, 3)) == "31-90"


def test_ageing_sums_outstanding_by_building_and_bucket():
    rows = [
        {"building": "1栋", "due_on": TODAY - timedelta(days=5), "outstanding": Decimal("100.50")},
        {"building": "1栋", "due_on": TODAY - timedelta(days=45), "outstanding": Decimal("20")},
        {"building": "2栋", "due_on": TODAY - timedelta(days=200), "outstanding": Decimal("7.25")},
        {"building": "1栋", "due_on": TODAY - timedelta(days=3), "outstanding": Decimal("0.50")},
        {"building": "2栋", "due_on": TODAY + timedelta(days=3), "outstanding": Decimal("99")},  # not due
        {"building": "3栋", "due_on": TODAY - timedelta(days=3), "outstanding": Decimal("0")},
    ]
    found = {r["building"]: r for r in policy.ageing(rows, TODAY)}
    assert set(found) == {"1栋", "2栋"}
    assert found["1栋"]["0-30"] == Decimal("101.00") and found["1栋"]["31-90"] == Decimal("20")
    assert found["1栋"]["total"] == Decimal("121.00")
    assert found["2栋"]["180+"] == Decimal("7.25") and found["2栋"]["total"] == Decimal("7.25")


@pytest.mark.parametrize(("billed", "paid", "rate"), [
    ("0", "0", None), ("200", "0", "0.0"), ("200", "150", "75.0"), ("300", "100", "33.3"), ("10", "10", "100.0"),
])
def test_collection_rate(billed, paid, rate):
    found = policy.collection_rate(Decimal(billed), Decimal(paid))
    assert (None if found is None else str(found)) == rate
