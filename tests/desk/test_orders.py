"""Paid services (有偿服务, C.c): the desk takes an order for a unit at the catalogue's price,
assigns it, and when it is done the amount goes on the unit's bill of next month (through the
fees module); a second order of the same service that month adds to that bill; a cancelled
order charges nothing; bad input names its field and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.desk.tables import ServiceOrder
from kefu.fees.tables import Bill, FeeItem
from tests.desk import factories
from tests.fees.support import field_invalid
from tests.units import factories as unit_factories

GOOD = {"unit": "3-2-1501", "service": "cleaning", "quantity": "3", "contact": "李四",
        "phone": "138 0013 8000", "wanted_on": "2026-12-08", "notes": "下午两点后"}


async def _unit(centre, occupancy: str = "owner_occupied"):
    return await unit_factories.unit(centre.tenant, "3栋", "1501", entrance="2", occupancy=occupancy)


async def test_the_desk_takes_an_order_at_the_catalogue_price(centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    unit = await _unit(centre)
    client = await centre.client("desk")
    made = await client.post(centre.url("/orders"), GOOD)
    assert made.status_code == 303, made.text[:800]
    [order] = await factories.rows(centre.tenant, ServiceOrder)
    assert (order.unit, order.service, order.quantity) == (unit.id, "cleaning", 3)
    assert Decimal(str(order.amount)) == Decimal("150.00") and order.phone == "13800138000"
    assert order.state == "open"
    page = await client.get(centre.url("/orders"))
    assert f'data-id="{order.id}" data-state="open"' in page.text and "150.00" in page.text


async def test_done_charges_the_units_next_bill_and_a_second_order_adds_to_it(centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    unit = await _unit(centre)
    client = await centre.client("desk")
    desk_id = centre.users["desk"].id
    first = await factories.order(centre.tenant, unit_row=unit, quantity=2)
    second = await factories.order(centre.tenant, unit_row=unit, quantity=1)
    for o in (first, second):
        assert (await client.post(centre.url(f"/orders/{o.id}/assign"), {"assignee": str(desk_id)})).status_code == 303
        done = await client.post(centre.url(f"/orders/{o.id}/complete"), {"note": "已完成"})
        assert done.status_code == 303, done.text[:800]
    [bill] = await factories.rows(centre.tenant, Bill)
    assert (bill.unit, bill.period) == (unit.id, date(2027, 1, 1))
    assert Decimal(str(bill.amount)) == Decimal("150.00") and Decimal(str(bill.paid)) == 0
    [item] = await factories.rows(centre.tenant, FeeItem)
    assert item.code == "svc-cleaning" and item.uses == ""  # never billed by a bulk run
    again = await factories.reload(centre.tenant, ServiceOrder, first.id)
    assert again.state == "done" and again.bill_id == bill.id and again.assignee == desk_id
    page = await client.get(centre.url(f"/orders/{first.id}"))
    assert 'id="order-bill"' in page.text and 'id="complete-form"' not in page.text


async def test_an_order_is_done_only_once_assigned_and_never_twice(centre):
    order = await factories.order(centre.tenant)
    client = await centre.client("desk")
    early = await client.post(centre.url(f"/orders/{order.id}/complete"), {})
    assert early.status_code == 409
    assert (await factories.reload(centre.tenant, ServiceOrder, order.id)).state == "open"
    assert await factories.rows(centre.tenant, Bill) == []


async def test_a_cancelled_order_charges_nothing(centre):
    order = await factories.order(centre.tenant, state="assigned", assignee=centre.users["desk"].id)
    client = await centre.client("desk")
    refused = await client.post(centre.url(f"/orders/{order.id}/cancel"), {"reason": ""})
    assert refused.status_code == 422 and field_invalid(refused.text, "reason")
    made = await client.post(centre.url(f"/orders/{order.id}/cancel"), {"reason": "业主改期"})
    assert made.status_code == 303
    again = await factories.reload(centre.tenant, ServiceOrder, order.id)
    assert again.state == "cancelled" and again.done_note == "业主改期"
    assert (await client.post(centre.url(f"/orders/{order.id}/complete"), {})).status_code == 409
    assert await factories.rows(centre.tenant, Bill) == []


@pytest.mark.parametrize(("field", "value"), [
    ("unit", ""), ("unit", "99-9-9999"), ("unit", "x" * 61), ("unit", "3-2-1501\x00"),
    ("service", ""), ("service", "massage"), ("quantity", ""), ("quantity", "0"), ("quantity", "100"),
    ("quantity", "１"), ("quantity", "1.5"), ("contact", "x" * 51), ("contact", "a\x07b"),
    ("phone", "not a phone"), ("phone", "1" * 25), ("wanted_on", "2026-02-30"), ("wanted_on", "tomorrow"),
    ("notes", "x" * 1001), ("notes", "a\x00b"),
])
async def test_bad_input_names_the_field_and_writes_nothing(centre, field, value):
    await _unit(centre)
    page = await (await centre.client("desk")).post(centre.url("/orders"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.status_code)
    assert await factories.rows(centre.tenant, ServiceOrder) == []


@pytest.mark.parametrize("value", ["", "999999", "abc"])
async def test_an_order_is_assigned_only_to_a_desk_member(centre, value):
    order = await factories.order(centre.tenant)
    page = await (await centre.client("desk")).post(centre.url(f"/orders/{order.id}/assign"), {"assignee": value})
    assert page.status_code == 422 and field_invalid(page.text, "assignee")
    again = await factories.reload(centre.tenant, ServiceOrder, order.id)
    assert again.assignee is None and again.state == "open"


async def test_names_and_notes_render_escaped(centre):
    order = await factories.order(centre.tenant, notes="<script>alert(1)</script>")
    page = await (await centre.client("desk")).get(centre.url(f"/orders/{order.id}"))
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


async def test_an_insurer_sees_none_of_it(insurer):
    client = await insurer.client("manager")
    assert (await client.get(insurer.url("/orders"))).status_code == 403
    assert (await client.post(insurer.url("/orders"), GOOD)).status_code == 403
    home = await client.get(f"/t/{insurer.slug}/")
    assert "/desk/" not in home.text


async def test_the_desk_menu_has_the_entries(centre):
    home = await (await centre.client("desk")).get(f"/t/{centre.slug}/")
    for path in ("/desk/orders", "/desk/renovations", "/desk/enquiries", "/desk/day"):
        assert f"/t/{centre.slug}{path}" in home.text, path


async def test_a_units_page_leads_to_an_order_form_with_its_address(centre):
    unit = await _unit(centre)
    client = await centre.client("desk")
    page = await client.get(f"/t/{centre.slug}/units/{unit.id}")
    assert f'/desk/orders?unit={unit.id}' in page.text
    form = await client.get(centre.url(f"/orders?unit={unit.id}"))
    assert 'name="unit" maxlength="60" placeholder="3-2-1501" value="3栋-2-1501"' in form.text
    foreign = await client.get(centre.url("/orders?unit=99999999999"))
    assert foreign.status_code == 200 and 'placeholder="3-2-1501" value=""' in foreign.text


async def test_service_revenue_counts_the_orders_done_in_the_period(centre, frozen_clock):
    from kefu.db import transaction
    from kefu.desk.queries import service_revenue

    frozen_clock.travel(date(2026, 11, 30))
    client = await centre.client("desk")
    desk_id = str(centre.users["desk"].id)
    for when, service in ((date(2026, 11, 30), "pipe"), (date(2026, 12, 1), "pipe"), (date(2026, 12, 2), "lock")):
        frozen_clock.travel(when)
        order = await factories.order(centre.tenant, service=service, quantity=1,
                                      price="80.00" if service == "pipe" else "120.00")
        await client.post(centre.url(f"/orders/{order.id}/assign"), {"assignee": desk_id})
        assert (await client.post(centre.url(f"/orders/{order.id}/complete"), {})).status_code == 303
    await factories.order(centre.tenant, service="lock", quantity=1, price="120.00")  # not done
    async with transaction(centre.tenant.id, write=False):
        december = await service_revenue(centre.tenant.id, date(2026, 12, 1), date(2026, 12, 31),
                                         centre.tenant.timezone)
    assert december == {"pipe": Decimal("80.00"), "lock": Decimal("120.00")}
