"""Residents: the desk links a customer to a unit (role, dates), ends the link; bad input is a
field error that writes nothing; the one-off matching of free-text flats to units and its
report; names escaped."""

from __future__ import annotations

import pytest

from kefu.units import services
from kefu.units.tables import Residency
from tests.customers import factories as customer_factories
from tests.units import factories
from tests.units.support import audit_actions, count, field_invalid


async def test_the_desk_links_and_ends_a_resident(estate):
    u = await factories.unit(estate.tenant, "3栋", "1501", entrance="2")
    c = await customer_factories.customer(estate.tenant, "王芳", phone="13800001501", kind="owner")
    client = await estate.client("desk")
    made = await client.post(estate.url(f"/{u.id}/residents"),
                             {"customer": "13800001501", "role": "owner", "starts_on": "2026-01-01"})
    assert made.status_code == 303, made.text[:300]
    page = await client.get(estate.url(f"/{u.id}"))
    assert "王芳" in page.text and 'id="residents-empty"' not in page.text
    ctx = await estate.ctx("desk")
    [row] = [r for r in await _rows(estate) if r.customer == c.id]
    assert row.phone_tail == "1501" and row.ends_on is None
    await services.end_residency(ctx, row.id)
    [row] = await _rows(estate)
    assert row.ends_on is not None
    assert await audit_actions(estate.tenant, "unit") == ["residency.create", "residency.end"]


async def _rows(estate):
    from kefu.core.scoping import scoped_objects
    from kefu.db import transaction

    async with transaction(estate.tenant.id, write=False):
        return await scoped_objects(Residency, estate.tenant.id).order_by(Residency.id)


@pytest.mark.parametrize(("field", "value"), [
    ("customer", ""), ("customer", "没有这个人"), ("customer", "李"), ("role", "landlord"), ("starts_on", "2026-13-01"),
    ("starts_on", "２０２６-01-01"), ("ends_on", "2025-01-01"),
])
async def test_bad_input_is_a_field_error_and_links_nobody(estate, field, value):
    u = await factories.unit(estate.tenant)
    await customer_factories.customer(estate.tenant, "李四", phone="13900000000", kind="owner")
    good = {"customer": "李四", "role": "owner", "starts_on": "2026-01-01", "ends_on": ""}
    page = await (await estate.client("desk")).post(estate.url(f"/{u.id}/residents"), {**good, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), field
    assert await count(estate.tenant, Residency) == 0


async def test_several_customers_of_one_name_need_the_phone(estate):
    u = await factories.unit(estate.tenant)
    await customer_factories.customer(estate.tenant, "张伟", phone="13900000001", kind="owner")
    await customer_factories.customer(estate.tenant, "张伟", phone="13900000002", kind="owner")
    client = await estate.client("desk")
    page = await client.post(estate.url(f"/{u.id}/residents"), {"customer": "张伟", "role": "owner"})
    assert page.status_code == 422 and "type the whole phone number" in page.text
    ok = await client.post(estate.url(f"/{u.id}/residents"), {"customer": "13900000002", "role": "owner"})
    assert ok.status_code == 303 and await count(estate.tenant, Residency) == 1


async def test_a_name_with_markup_is_escaped_on_the_unit_page(estate):
    u = await factories.unit(estate.tenant)
    await customer_factories.customer(estate.tenant, "<img src=x onerror=alert(1)>", phone="13700000000",
                                      kind="owner")
    client = await estate.client()
    await client.post(estate.url(f"/{u.id}/residents"), {"customer": "13700000000", "role": "owner"})
    page = await client.get(estate.url(f"/{u.id}"))
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


async def test_link_customers_matches_free_text_flats_and_reports_the_rest(estate):
    a = await factories.unit(estate.tenant, "3栋", "1501", entrance="2")
    await factories.unit(estate.tenant, "4栋", "101", entrance="1")
    await factories.unit(estate.tenant, "4栋", "101", entrance="2")
    owner = await customer_factories.customer(estate.tenant, "甲", building="3栋", unit="2单元1501室", kind="owner")
    tenant = await customer_factories.customer(estate.tenant, "乙", building="3幢", unit="1501", kind="resident")
    ambiguous = await customer_factories.customer(estate.tenant, "丙", building="4栋", unit="101", kind="owner")
    missing = await customer_factories.customer(estate.tenant, "丁", building="9栋", unit="1-101", kind="owner")
    unreadable = await customer_factories.customer(estate.tenant, "戊", building="", unit="", kind="owner")
    report = await services.link_customers(estate.tenant.id, None)
    assert report.linked == 2
    reasons = {c["id"]: c["reason"] for c in report.unmatched}
    assert reasons == {ambiguous.id: "ambiguous", missing.id: "no_unit", unreadable.id: "unreadable"}
    rows = {(r.unit, r.customer, r.role) for r in await _rows(estate)}
    assert rows == {(a.id, owner.id, "owner"), (a.id, tenant.id, "resident")}
    again = await services.link_customers(estate.tenant.id, None)
    assert (again.linked, again.already) == (0, 2) and await count(estate.tenant, Residency) == 2


def test_the_cli_prints_the_report(capsys):
    from kefu.cli import main

    assert main(["units", "link-customers", "--tenant", "no-such-tenant"]) == 1
    assert "no tenant" in capsys.readouterr().err
