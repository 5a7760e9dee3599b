"""The desk's rules as table tests: which step each state allows, what an order costs, on
which month's bill it goes, a renovation's period and when it may be completed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.desk import policy


@pytest.mark.parametrize(("what", "action", "state", "ok"), [
    ("order", "assign", "open", True), ("order", "assign", "assigned", True), ("order", "assign", "done", False),
    ("order", "complete", "open", False), ("order", "complete", "assigned", True),
    ("order", "complete", "done", False), ("order", "cancel", "assigned", True),
    ("order", "cancel", "cancelled", False), ("order", "cancel", "done", False),
    ("renovation", "approve", "applied", True), ("renovation", "approve", "approved", False),
    ("renovation", "reject", "approved", False), ("renovation", "inspect", "applied", False),
    ("renovation", "inspect", "approved", True), ("renovation", "complete", "approved", True),
    ("renovation", "complete", "completed", False), ("renovation", "inspect", "rejected", False),
    ("enquiry", "answer", "open", True), ("enquiry", "answer", "closed", False),
    ("enquiry", "assign", "closed", False),
])
def test_allowed_steps(what, action, state, ok):
    assert policy.allowed(what, action, state) is ok
    if not ok:
        with pytest.raises(policy.NotNow):
            policy.check(what, action, state)


@pytest.mark.parametrize(("price", "qty", "amount"), [
    ("50.00", 1, "50.00"), ("50.00", 3, "150.00"), ("33.33", 3, "99.99"), ("0.01", 99, "0.99"),
])
def test_order_amount(price, qty, amount):
    assert policy.order_amount(Decimal(price), qty) == Decimal(amount)


@pytest.mark.parametrize(("done", "period"), [
    (date(2026, 12, 6), date(2027, 1, 1)), (date(2026, 1, 31), date(2026, 2, 1)),
    (date(2026, 11, 1), date(2026, 12, 1)),
])
def test_a_service_is_charged_on_next_months_bill(done, period):
    assert policy.charge_period(done) == period


@pytest.mark.parametrize(("starts", "ends", "problem"), [
    (date(2026, 12, 1), date(2026, 12, 1), False), (date(2026, 12, 1), date(2026, 11, 30), True),
    (date(2026, 12, 1), date(2027, 5, 29), False), (date(2026, 12, 1), date(2027, 5, 30), True),
])
def test_renovation_period(starts, ends, problem):
    assert (policy.period_problem(starts, ends, 180) is not None) is problem


@pytest.mark.parametrize(("results", "ok"), [
    ([], False), (["fail"], False), (["pass"], True), (["pass", "fail"], False), (["fail", "pass"], True),
])
def test_completion_needs_the_last_inspection_passed(results, ok):
    if ok:
        policy.check_completion(results)
    else:
        with pytest.raises(policy.NotInspected):
            policy.check_completion(results)


def test_the_property_pack_has_a_catalogue_and_the_insurance_pack_has_none():
    assert policy.desk_pack("property").service("cleaning").amount == Decimal("50.00")
    assert policy.desk_pack("property").renovation.deposit == "2000.00"
    assert not policy.desk_pack("insurance").enabled
