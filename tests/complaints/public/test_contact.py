"""A art. 11: the public contact page, and its edit form for complaints.settings."""

from __future__ import annotations

import html

from kefu.complaints import services
from tests.complaints.public.conftest import staff

GOOD = {
    "phone": "95500", "fax": "021-5888 0000", "email": "complaints@alpha.example",
    "postal_address": "上海市浦东新区陆家嘴环路1000号 投诉处理中心",
    "reception_address": "上海市浦东新区世纪大道100号1楼客服大厅",
}


def edit_url(tenant) -> str:
    return f"/t/{tenant.slug}/complaints/contact"


async def test_a_tenant_without_details_shows_a_clear_empty_state(make_client, fresh_shop):
    page = await make_client().get(f"/p/{fresh_shop.tenant.slug}/contact")
    assert page.status_code == 200
    assert 'id="contact-empty"' in page.text and 'id="contact-details"' not in page.text
    assert fresh_shop.tenant.name in page.text
    assert f"/p/{fresh_shop.tenant.slug}/complain" in page.text  # the way that always works


async def test_an_admin_publishes_the_details(as_alice, cast, make_client):
    form = await as_alice.get(edit_url(cast.tenant_a))
    assert form.status_code == 200 and 'name="postal_address"' in form.text
    response = await as_alice.post(edit_url(cast.tenant_a), GOOD)
    assert response.status_code in (302, 303), response.text
    assert response.headers["location"] == edit_url(cast.tenant_a)
    page = await make_client().get(f"/p/{cast.tenant_a.slug}/contact")
    assert page.status_code == 200 and 'id="contact-details"' in page.text
    for value in GOOD.values():
        assert html.escape(value) in page.text
    assert 'href="tel:95500"' in page.text
    # The online form offers the same phone.
    form = await make_client().get(f"/p/{cast.tenant_a.slug}/complain")
    assert 'href="tel:95500"' in form.text
    # And nothing of it shows on tenant B's page.
    other = await make_client().get(f"/p/{cast.tenant_b.slug}/contact")
    assert GOOD["postal_address"] not in other.text


async def test_htmx_save_answers_with_the_form_fragment(as_alice, cast):
    response = await as_alice.post(edit_url(cast.tenant_a), GOOD, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="contact-form">')
    assert "kefu-flash-success" in response.text


async def test_over_long_or_bad_values_are_422_naming_each_field(as_alice, cast):
    before = await services.get_contact_info(cast.tenant_a)
    bad = {"phone": "9" * 41, "fax": "8" * 41, "postal_address": "址" * 301,
           "reception_address": "厅" * 301, "email": "x" * 255}
    response = await as_alice.post(edit_url(cast.tenant_a), bad)
    assert response.status_code == 422
    for name in bad:
        assert f'id="{name}-error"' in response.text, name
    not_an_email = await as_alice.post(edit_url(cast.tenant_a), {**GOOD, "email": "not-an-email"})
    assert not_an_email.status_code == 422 and 'id="email-error"' in not_an_email.text
    after = await services.get_contact_info(cast.tenant_a)
    assert (before and before.postal_address) == (after and after.postal_address)


async def test_bob_the_agent_may_not_edit_and_carol_does_not_see_it(as_bob, as_carol, cast):
    assert (await as_bob.get(edit_url(cast.tenant_a))).status_code == 403
    refused = await as_bob.post(edit_url(cast.tenant_a), {**GOOD, "phone": "110-bob"})
    assert refused.status_code == 403
    assert (await as_carol.get(edit_url(cast.tenant_a))).status_code == 404
    assert (await as_carol.post(edit_url(cast.tenant_a), {**GOOD, "phone": "110-carol"})).status_code == 404
    info = await services.get_contact_info(cast.tenant_a)
    assert info is None or info.phone not in ("110-bob", "110-carol")


async def test_edits_are_audited_through_the_core(cast):
    admin = await staff(cast.tenant_a, cast.alice)
    row = await services.update_contact_info(admin, phone="95501")
    assert row.phone == "95501"
