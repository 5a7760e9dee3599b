"""Renovation (装修, C.m): an application per unit; approval raises the deposit bill (fees) and
shows the unit 'under renovation' (units); inspections by the pack's departments; completion
only after a passed inspection and a paid deposit, refunding it (fees) and giving the unit its
occupancy back; the front desk cannot approve; bad input names its field and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.desk.tables import Inspection, Renovation
from kefu.fees.tables import Bill, Refund
from kefu.units.tables import OccupancyChange, Unit
from tests.desk import factories
from tests.fees.support import field_invalid
from tests.units import factories as unit_factories

TODAY = date(2026, 12, 6)
GOOD = {"unit": "5栋802", "applicant": "张三", "phone": "13900001111", "contractor": "好家装饰公司",
        "contractor_phone": "021-5555 6666", "scope": "厨卫改造，不动承重墙", "starts_on": "2026-12-10",
        "ends_on": "2027-02-10", "deposit": "2000.00"}


async def _unit(centre, occupancy: str = "let"):
    return await unit_factories.unit(centre.tenant, "5栋", "802", occupancy=occupancy)


async def _approved(centre, occupancy: str = "let", deposit: str = "2000.00"):
    unit = await _unit(centre, occupancy)
    row = await factories.renovation(centre.tenant, unit_row=unit, deposit=deposit)
    made = await (await centre.client("manager")).post(centre.url(f"/renovations/{row.id}/approve"), {"note": "同意"})
    assert made.status_code == 303, made.text[:800]
    return unit, await factories.reload(centre.tenant, Renovation, row.id)


async def _pay(centre, bill_id: int, amount: str) -> None:
    paid = await (await centre.client("desk")).post(
        f"/t/{centre.slug}/fees/bills/{bill_id}/payments",
        {"amount": amount, "method": "cash", "paid_on": TODAY.isoformat(), "reference": ""})
    assert paid.status_code == 303, paid.text[:500]


async def test_the_desk_takes_an_application(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    unit = await _unit(centre)
    made = await (await centre.client("desk")).post(centre.url("/renovations"), GOOD)
    assert made.status_code == 303, made.text[:800]
    [row] = await factories.rows(centre.tenant, Renovation)
    assert (row.unit, row.state, row.contractor, row.contractor_phone) == (unit.id, "applied", "好家装饰公司", "02155556666")
    assert Decimal(str(row.deposit)) == Decimal("2000.00")
    assert (await factories.reload(centre.tenant, Unit, unit.id)).occupancy == "let"  # not yet


async def test_approval_raises_the_deposit_and_marks_the_unit_under_renovation(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    unit, row = await _approved(centre)
    assert row.state == "approved" and row.prior_occupancy == "let"
    assert (await factories.reload(centre.tenant, Unit, unit.id)).occupancy == "renovation"
    [bill] = await factories.rows(centre.tenant, Bill)
    assert bill.id == row.deposit_bill_id and Decimal(str(bill.amount)) == Decimal("2000.00")
    assert (bill.unit, bill.due_on) == (unit.id, TODAY)
    [change] = await factories.rows(centre.tenant, OccupancyChange)
    assert (change.from_state, change.to_state) == ("let", "renovation")
    page = await (await centre.client("desk")).get(f"/t/{centre.slug}/units/{unit.id}")
    assert 'data-occupancy="renovation"' in page.text or "renovation" in page.text


async def test_completion_refunds_the_paid_deposit_and_gives_the_occupancy_back(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    unit, row = await _approved(centre)
    await _pay(centre, row.deposit_bill_id, "2000.00")
    desk = await centre.client("desk")
    failed = await desk.post(centre.url(f"/renovations/{row.id}/inspections"),
                             {"department": "engineering", "inspected_on": "2026-12-06", "result": "fail",
                              "note": "防水层未做闭水试验"})
    assert failed.status_code == 303
    manager = await centre.client("manager")
    early = await manager.post(centre.url(f"/renovations/{row.id}/complete"), {})
    assert early.status_code == 409 and 'id="form-refused"' in early.text
    assert (await factories.reload(centre.tenant, Renovation, row.id)).state == "approved"
    passed = await desk.post(centre.url(f"/renovations/{row.id}/inspections"),
                             {"department": "engineering", "inspected_on": "2026-12-06", "result": "pass"})
    assert passed.status_code == 303
    done = await manager.post(centre.url(f"/renovations/{row.id}/complete"), {"note": "验收合格"})
    assert done.status_code == 303, done.text[:800]
    again = await factories.reload(centre.tenant, Renovation, row.id)
    assert again.state == "completed" and Decimal(str(again.refunded)) == Decimal("2000.00")
    [refund] = await factories.rows(centre.tenant, Refund)
    assert refund.bill == row.deposit_bill_id and Decimal(str(refund.amount)) == Decimal("2000.00")
    assert (await factories.reload(centre.tenant, Unit, unit.id)).occupancy == "let"
    page = await desk.get(centre.url(f"/renovations/{row.id}"))
    assert 'data-state="completed"' in page.text and "2000.00" in page.text
    bill = await desk.get(f"/t/{centre.slug}/fees/bills/{row.deposit_bill_id}")
    assert 'id="refunds"' in bill.text and f'data-id="{refund.id}"' in bill.text


async def test_an_unpaid_deposit_holds_the_completion(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    unit, row = await _approved(centre, occupancy="vacant")
    await factories.inspection(centre.tenant, row, result="pass", on=TODAY)
    await _pay(centre, row.deposit_bill_id, "500.00")  # part of it
    refused = await (await centre.client("manager")).post(centre.url(f"/renovations/{row.id}/complete"), {})
    assert refused.status_code == 409
    assert await factories.rows(centre.tenant, Refund) == []
    assert (await factories.reload(centre.tenant, Unit, unit.id)).occupancy == "renovation"
    assert (await factories.reload(centre.tenant, Renovation, row.id)).state == "approved"


async def test_a_unit_under_renovation_cannot_start_a_second_one(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    unit, _ = await _approved(centre)
    second = await factories.renovation(centre.tenant, unit_row=unit)
    refused = await (await centre.client("manager")).post(centre.url(f"/renovations/{second.id}/approve"), {})
    assert refused.status_code == 409
    assert (await factories.reload(centre.tenant, Renovation, second.id)).state == "applied"
    assert len(await factories.rows(centre.tenant, Bill)) == 1


async def test_rejection_needs_a_reason_and_touches_nothing_else(centre):
    unit = await _unit(centre)
    row = await factories.renovation(centre.tenant, unit_row=unit)
    manager = await centre.client("manager")
    bad = await manager.post(centre.url(f"/renovations/{row.id}/reject"), {"note": " "})
    assert bad.status_code == 422 and field_invalid(bad.text, "note")
    made = await manager.post(centre.url(f"/renovations/{row.id}/reject"), {"note": "涉及拆改承重墙"})
    assert made.status_code == 303
    again = await factories.reload(centre.tenant, Renovation, row.id)
    assert again.state == "rejected" and again.decision_note == "涉及拆改承重墙"
    assert (await factories.reload(centre.tenant, Unit, unit.id)).occupancy == "let"
    assert await factories.rows(centre.tenant, Bill) == []


async def test_the_front_desk_may_not_approve_or_complete(centre):
    row = await factories.renovation(centre.tenant)
    desk = await centre.client("desk")
    assert (await desk.post(centre.url(f"/renovations/{row.id}/approve"), {})).status_code == 403
    assert (await desk.post(centre.url(f"/renovations/{row.id}/complete"), {})).status_code == 403
    assert (await factories.reload(centre.tenant, Renovation, row.id)).state == "applied"


async def test_inspections_only_while_under_way(centre):
    row = await factories.renovation(centre.tenant)  # applied, not approved
    page = await (await centre.client("desk")).post(centre.url(f"/renovations/{row.id}/inspections"),
                                                    {"department": "security", "inspected_on": "2026-01-05",
                                                     "result": "pass"})
    assert page.status_code == 409
    assert await factories.rows(centre.tenant, Inspection) == []


@pytest.mark.parametrize(("field", "value"), [
    ("unit", ""), ("unit", "5栋999"), ("applicant", ""), ("applicant", "x" * 51), ("phone", "abc"),
    ("contractor", ""), ("contractor", "x" * 101), ("contractor", "a\x00b"), ("contractor_phone", "电话"),
    ("scope", "x" * 2001), ("starts_on", ""), ("starts_on", "2026-13-01"), ("ends_on", ""),
    ("ends_on", "2026-12-09"), ("ends_on", "2027-12-31"), ("deposit", ""), ("deposit", "-1"),
    ("deposit", "1.234"), ("deposit", "1000000"), ("deposit", "２０００"),
])
async def test_bad_application_input_names_the_field_and_writes_nothing(centre, field, value):
    await _unit(centre)
    page = await (await centre.client("desk")).post(centre.url("/renovations"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.status_code)
    assert await factories.rows(centre.tenant, Renovation) == []


@pytest.mark.parametrize(("field", "value"), [
    ("department", ""), ("department", "kitchen"), ("inspected_on", ""), ("inspected_on", "2027-01-01"),
    ("result", ""), ("result", "maybe"), ("note", "x" * 1001),
])
async def test_bad_inspection_input_names_the_field_and_writes_nothing(centre, frozen_clock, field, value):
    frozen_clock.travel(TODAY)
    row = await factories.renovation(centre.tenant, state="approved")
    good = {"department": "engineering", "inspected_on": "2026-12-06", "result": "pass", "note": ""}
    page = await (await centre.client("desk")).post(centre.url(f"/renovations/{row.id}/inspections"),
                                                    {**good, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.status_code)
    assert await factories.rows(centre.tenant, Inspection) == []


async def test_a_failed_inspection_says_why(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    row = await factories.renovation(centre.tenant, state="approved")
    page = await (await centre.client("desk")).post(centre.url(f"/renovations/{row.id}/inspections"), {
        "department": "engineering", "inspected_on": "2026-12-06", "result": "fail", "note": ""})
    assert page.status_code == 422 and field_invalid(page.text, "note")
