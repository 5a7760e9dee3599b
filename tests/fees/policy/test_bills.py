"""What a unit owes for a month: days billed at month ends and in leap years, the basis, the
proration rounded to the fen, the due day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.fees import policy
from kefu.fees.policy import BillableUnit, Item


@pytest.mark.parametrize(("period", "starts", "ends", "days"), [
    (date(2026, 1, 1), [], [], 31),
    (date(2026, 2, 1), [], [], 28),
    (date(2024, 2, 1), [], [], 29),                      # leap year
    (date(2100, 2, 1), [], [], 28),                      # not a leap year (century)
    (date(2000, 2, 1), [], [], 29),                      # leap year (400)
    (date(2026, 4, 1), [date(2026, 4, 16)], [], 15),     # move-in mid-month
    (date(2024, 2, 1), [date(2024, 2, 29)], [], 1),      # the last day of a leap February
    (date(2026, 3, 1), [date(2026, 3, 31)], [], 1),
    (date(2026, 3, 1), [date(2026, 4, 1)], [], 0),       # moves in next month
    (date(2026, 3, 1), [date(2025, 12, 1)], [], 31),     # moved in long ago
    (date(2026, 3, 1), [None, date(2026, 3, 10)], [date(2026, 3, 20)], 11),
    (date(2026, 3, 1), [], [date(2026, 2, 28)], 0),      # item ended before the month
    (date(2026, 12, 15), [], [], 31),                    # any day names its month
])
def test_billed_days(period, starts, ends, days):
    assert policy.billed_days(period, starts, ends) == days


@pytest.mark.parametrize(("rate", "qty", "days", "month_days", "expected"), [
    ("2.50", "89.50", 31, 31, "223.75"),
    ("2.50", "89.50", 15, 30, "111.88"),   # 111.875 rounds half up
    ("150.00", "1", 1, 29, "5.17"),
    ("10.00", "1", 0, 31, "0.00"),
    ("0.01", "1", 1, 31, "0.00"),
    ("3.33", "100", 10, 28, "118.93"),
])
def test_amount_is_prorated_and_rounded_to_the_fen(rate, qty, days, month_days, expected):
    value = policy.amount(Decimal(rate), Decimal(qty), days, month_days)
    assert value == Decimal(expected) and isinstance(value, Decimal)


MGMT = Item(id=1, basis="area", rate=Decimal("2.50"), uses=("residential", "shop"), valid_from=date(2026, 1, 1))
PARK = Item(id=2, basis="space", rate=Decimal("150"), uses=("parking",), valid_from=date(2026, 1, 1))
FIXED = Item(id=3, basis="fixed", rate=Decimal("10"), uses=("residential",), valid_from=date(2026, 3, 11),
             valid_until=date(2026, 3, 20))


@pytest.mark.parametrize(("unit", "expected"), [
    (BillableUnit(1, "residential", Decimal("100")), {1: "250.00", 3: "3.23"}),
    (BillableUnit(2, "parking", None), {2: "150.00"}),
    (BillableUnit(3, "residential", None), {3: "3.23"}),             # no area: no management fee
    (BillableUnit(4, "shop", Decimal("40"), date(2026, 3, 17)), {1: "48.39"}),  # 100 × 15/31
    (BillableUnit(5, "residential", Decimal("100"), date(2026, 4, 2)), {}),
    (BillableUnit(6, "storage", Decimal("10")), {}),                 # no item for this use
])
def test_bill_rows(unit, expected):
    rows = policy.bill_rows(date(2026, 3, 1), [MGMT, PARK, FIXED], [unit])
    assert {r["item"]: str(r["amount"]) for r in rows} == expected
    assert all(r["unit"] == unit.id for r in rows)


@pytest.mark.parametrize(("period", "due_day", "expected"), [
    (date(2026, 2, 1), 15, date(2026, 2, 15)),
    (date(2026, 2, 1), 28, date(2026, 2, 28)),
    (date(2024, 2, 1), 28, date(2024, 2, 28)),
])
def test_due_on(period, due_day, expected):
    assert policy.due_on(period, due_day) == expected


def test_receipt_numbers_carry_the_year_and_counter():
    assert policy.receipt_number(2026, 42) == "SJ2026-000042"


@pytest.mark.parametrize(("amount", "paid", "code"), [("100", "0", None), ("100", "99.99", None),
                                                      ("100", "100", "settled")])
def test_a_settled_bill_takes_no_payment(amount, paid, code):
    refused = policy.refuse_payment(Decimal(amount), Decimal(paid))
    assert (refused.code if refused else None) == code
