"""The public price list (C.c): a centre's catalogue with its prices, no sign-in; an insurer
(no catalogue), an unknown and an inactive slug are the same 404."""

from __future__ import annotations

from tests import factories


async def test_the_price_list_shows_the_catalogue(centre, make_client):
    page = await make_client().get(f"/p/{centre.slug}/services")
    assert page.status_code == 200
    assert 'data-code="cleaning"' in page.text and "50.00" in page.text and centre.tenant.name in page.text


async def test_no_price_list_for_an_insurer_or_an_unknown_slug(insurer, make_client):
    client = make_client()
    assert (await client.get(f"/p/{insurer.slug}/services")).status_code == 404
    assert (await client.get("/p/no-such-centre/services")).status_code == 404
    closed = await factories.tenant(kind="property", name="停业物业 " + factories.unique("d"))
    from kefu.tenancy.tables import Tenant

    await Tenant.update({Tenant.is_active: False}).where(Tenant.id == closed.id)
    assert (await client.get(f"/p/{closed.slug}/services")).status_code == 404
