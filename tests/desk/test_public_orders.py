"""A resident orders a paid service from the public price list on a phone, no sign-in (C.c):
it lands on the desk as an open order marked online, at the catalogue's price, for a unit the
estate has; the resident follows it behind a secret link, which another tenant's slug or a
made-up token cannot open. Bad input is named and saves nothing; notes render escaped; the form
is rate limited; an insurer has no order form."""

from __future__ import annotations

from datetime import date

from kefu.audit.tables import AuditEvent
from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.desk.controllers import public as public_controller
from kefu.desk.tables import ServiceOrder
from tests.desk import factories
from tests.fees.support import field_invalid
from tests.units import factories as unit_factories

ORDER = {"service": "cleaning", "quantity": "2", "unit": "3-2-1501", "contact": "李阿姨", "phone": "139 0000 1234",
         "wanted_on": "2026-12-08", "notes": "下午两点后"}


async def _orders(tenant) -> list[ServiceOrder]:
    return await factories.rows(tenant, ServiceOrder)


async def test_a_resident_orders_and_follows_the_order(centre, make_client, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    await unit_factories.unit(centre.tenant, "3栋", "1501", entrance="2")
    phone = make_client()
    listing = await phone.get(f"/p/{centre.slug}/services")
    assert f'/p/{centre.slug}/services/order?service=cleaning' in listing.text
    form = await phone.get(f"/p/{centre.slug}/services/order?service=cleaning")
    assert form.status_code == 200 and '<option value="cleaning" selected' in form.text
    placed = await phone.post(f"/p/{centre.slug}/services/order", ORDER)
    assert placed.status_code == 200, placed.text[:500]
    assert 'id="status-link"' in placed.text and placed.headers["cache-control"] == "no-store"
    [order] = await _orders(centre.tenant)
    assert (order.state, order.source, order.quantity, order.contact, order.phone) == (
        "open", "public", 2, "李阿姨", "13900001234")
    assert str(order.amount) in ("100.00", "100") and order.created_by is None and len(order.public_token) >= 32
    status_path = f"/p/{centre.slug}/services/orders/{order.public_token}"
    assert status_path in placed.text
    status = await phone.get(status_path)
    assert status.status_code == 200 and "待指派" in status.text and "3栋-2-1501" in status.text
    # On the desk it is an open order, marked online.
    desk = await centre.client("desk")
    listed = await desk.get(centre.url("/orders/?state=open"))
    assert "Online" in listed.text
    page = await desk.get(centre.url(f"/orders/{order.id}"))
    assert 'id="order-source"' in page.text
    async with transaction(centre.tenant.id, write=False):
        [event] = await scoped_objects(AuditEvent, centre.tenant.id).where(
            AuditEvent.action == "service_order.create", AuditEvent.object_id == order.id)
    assert event.actor is None
    assigned = await desk.post(centre.url(f"/orders/{order.id}/assign"), {"assignee": str(centre.users["desk"].id)})
    assert assigned.status_code == 303
    assert "已指派" in (await phone.get(status_path)).text  # the public page speaks Chinese


async def test_bad_input_is_named_and_saves_nothing(centre, make_client, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    await unit_factories.unit(centre.tenant, "3栋", "1501", entrance="2")
    phone = make_client()
    cases = [
        ({"unit": "9-9-9999"}, "unit"), ({"contact": ""}, "contact"), ({"phone": ""}, "phone"),
        ({"phone": "abc"}, "phone"), ({"service": "rocket"}, "service"), ({"quantity": "0"}, "quantity"),
        ({"quantity": "100"}, "quantity"), ({"wanted_on": "2026-12-01"}, "wanted_on"), ({"wanted_on": "x"}, "wanted_on"),
        ({"notes": "x" * 1001}, "notes"),
    ]
    for change, field in cases:
        response = await phone.post(f"/p/{centre.slug}/services/order", {**ORDER, **change})
        assert response.status_code == 422 and field_invalid(response.text, field), (change, response.text[:300])
    assert await _orders(centre.tenant) == []


async def test_notes_render_escaped_on_the_desk(centre, make_client, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    await unit_factories.unit(centre.tenant, "3栋", "1501", entrance="2")
    await make_client().post(f"/p/{centre.slug}/services/order",
                             {**ORDER, "contact": "<script>x()</script>", "notes": "<img src=x onerror=alert(1)>"})
    [order] = await _orders(centre.tenant)
    page = await (await centre.client("desk")).get(centre.url(f"/orders/{order.id}"))
    assert "<script>x()</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text


async def test_the_status_link_is_the_residents_alone(centre, insurer, make_client, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    order = await factories.order(centre.tenant)
    async with transaction(centre.tenant.id):
        await ServiceOrder.update({ServiceOrder.public_token: "secret-token-of-the-centre-0123456789ab"}).where(
            ServiceOrder.tenant == centre.tenant.id, ServiceOrder.id == order.id)
    phone = make_client()
    assert (await phone.get(f"/p/{centre.slug}/services/orders/secret-token-of-the-centre-0123456789ab")).status_code == 200
    for path in (f"/p/{centre.slug}/services/orders/made-up", f"/p/{centre.slug}/services/orders/a%20b",
                 f"/p/{insurer.slug}/services/orders/secret-token-of-the-centre-0123456789ab",
                 f"/p/{insurer.slug}/services/order"):
        assert (await phone.get(path)).status_code == 404, path


async def test_the_form_is_rate_limited(centre, make_client, frozen_clock, monkeypatch):
    frozen_clock.travel(date(2026, 12, 6))
    monkeypatch.setattr(public_controller, "ATTEMPT_LIMIT", 2)
    phone = make_client()
    for _ in range(2):
        assert (await phone.post(f"/p/{centre.slug}/services/order", {**ORDER, "unit": "no"})).status_code == 422
    limited = await phone.post(f"/p/{centre.slug}/services/order", ORDER)
    assert limited.status_code == 429 and 'id="order-refused"' in limited.text
    assert await _orders(centre.tenant) == []
