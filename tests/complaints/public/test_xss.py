"""XSS payloads in every free-text field render escaped on the public pages."""

from __future__ import annotations

import pytest

from kefu.complaints import services
from kefu.tenancy.tables import Tenant
from tests.complaints.public.conftest import make_shop, open_form, staff, submit

PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
]
FREE_TEXT = ["complainant.name", "complainant.phone", "complainant.email", "complainant.address",
             "customer_ref", "subject", "description", "category", "complainant.relation"]


def assert_inert(page: str, payload: str) -> None:
    assert payload not in page
    for raw in ("<script>alert", "<img src=x", "<svg onload"):
        assert raw not in page


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attr-break", "single-quote"])
async def test_every_field_echoed_back_on_a_422_is_escaped(make_client, fresh_shop, payload):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    values = {name: payload for name in FREE_TEXT}
    response = await submit(c, slug, hidden, **values)
    assert response.status_code == 422
    assert_inert(response.text, payload)
    assert "&lt;" in response.text or "&#34;" in response.text or "&#39;" in response.text


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attr-break", "single-quote"])
async def test_a_saved_complaint_with_payloads_renders_escaped(make_client, fresh_shop, payload):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    fields = {"complainant.name": payload, "complainant.address": payload,
              "customer_ref": payload[:60], "subject": payload, "description": payload}
    thanks = await submit(c, slug, hidden, **fields)
    assert thanks.status_code == 200, thanks.text
    assert_inert(thanks.text, payload)
    link = thanks.text.split('id="status-link">', 1)[1].split("<", 1)[0]
    status = await c.get(link.removeprefix("http://testserver"))
    assert status.status_code == 200
    assert_inert(status.text, payload)


async def test_contact_details_and_the_tenant_name_render_escaped(make_client):
    shop = await make_shop()
    payload = PAYLOADS[0]
    await Tenant.update({Tenant.name: f"恶意 {payload}"}).where(Tenant.id == shop.tenant.id)
    admin = await staff(shop.tenant, shop.admin)
    await services.update_contact_info(
        admin, phone=PAYLOADS[1][:40], fax=PAYLOADS[2][:40], postal_address=payload,
        reception_address=PAYLOADS[1],
    )
    c = make_client()
    for path in ("contact", "complain", "status/nope"):
        page = await c.get(f"/p/{shop.tenant.slug}/{path}")
        assert page.status_code in (200, 404)
        for p in PAYLOADS:
            assert_inert(page.text, p)
    admin_client = make_client()
    await admin_client.signin(shop.admin.email)
    edit = await admin_client.get(f"/t/{shop.tenant.slug}/complaints/contact")
    assert edit.status_code == 200
    for p in PAYLOADS:
        assert_inert(edit.text, p)
