"""A user in several tenants lists and switches between them, and only between them."""

from __future__ import annotations

import re

from kefu.core.packs import ADMIN_POSITION
from kefu.tenancy.services import add_member
from tests import factories
from tests.accounts.support import main_block


def switcher_slugs(page: str) -> list[str]:
    match = re.search(r'<form[^>]*id="tenant-switcher".*?</form>', page, re.S)
    assert match, "no tenant switcher on the page"
    return re.findall(r'<option value="([^"]+)"', match.group(0))


async def two_tenant_user(cast):
    person = await factories.member(cast.tenant_a, ["agent"], name="Dana 双租户")
    await add_member(tenant=cast.tenant_b, user=person, positions=[ADMIN_POSITION])
    return person


async def test_user_in_two_tenants_sees_both_in_the_list_and_the_switcher(make_client, cast):
    person = await two_tenant_user(cast)
    c = make_client()
    await c.signin(person.email)
    start = await c.get("/")
    assert start.status_code == 200  # two tenants: the chooser, not a redirect
    listing = await c.get("/account/tenants")
    assert listing.status_code == 200
    for tenant in (cast.tenant_a, cast.tenant_b):
        assert tenant.name in listing.text
        assert re.search(rf'href="/t/{tenant.slug}/?"', listing.text)
        assert tenant.name in start.text
    home = await c.get(f"/t/{cast.tenant_a.slug}/")
    assert sorted(switcher_slugs(home.text)) == sorted([cast.tenant_a.slug, cast.tenant_b.slug])
    assert re.search(rf'<option value="{cast.tenant_a.slug}" selected', home.text)


async def test_switching_to_an_own_tenant_goes_there(make_client, cast):
    person = await two_tenant_user(cast)
    c = make_client()
    await c.signin(person.email)
    response = await c.post("/account/switch", {"slug": cast.tenant_b.slug})
    assert response.status_code == 302
    assert response.headers["location"].rstrip("/") == f"/t/{cast.tenant_b.slug}"
    page = await c.get(response.headers["location"])
    assert page.status_code == 200
    assert cast.tenant_b.name in page.text
    assert re.search(rf'<option value="{cast.tenant_b.slug}" selected', page.text)


async def test_a_single_tenant_user_goes_straight_to_it_and_has_no_switcher(as_bob, cast):
    start = await as_bob.get("/")
    assert start.status_code == 302
    assert start.headers["location"].rstrip("/") == f"/t/{cast.tenant_a.slug}"
    home = await as_bob.get(start.headers["location"])
    assert 'id="tenant-switcher"' not in home.text
    listing = await as_bob.get("/account/tenants")
    assert cast.tenant_a.name in listing.text
    assert cast.tenant_b.name not in listing.text


async def test_switching_to_a_foreign_tenant_does_not_go_there(as_bob, cast):
    for slug in (cast.tenant_b.slug, "no-such-tenant-" + factories.unique("x"), "", "../admin"):
        response = await as_bob.post("/account/switch", {"slug": slug})
        assert response.status_code == 302, slug
        assert response.headers["location"] == "/account/tenants"
    listing = await as_bob.get("/account/tenants")
    assert "Choose a tenant from the list." in listing.text
    assert cast.tenant_b.name not in listing.text
    foreign = await as_bob.get(f"/t/{cast.tenant_b.slug}/")
    assert foreign.status_code == 404
    assert cast.tenant_b.name not in foreign.text


async def test_a_user_without_tenants_is_told_so(make_client):
    person = await factories.user()
    c = make_client()
    await c.signin(person.email)
    page = await c.get("/")
    assert page.status_code == 200
    assert "You are not a member of any tenant yet." in main_block(page.text)


async def test_switching_requires_signing_in(client, cast):
    response = await client.post("/account/switch", {"slug": cast.tenant_a.slug})
    assert response.status_code == 302
    assert response.headers["location"].startswith("/signin")


async def test_signing_in_with_several_tenants_lands_on_the_chooser(make_client, cast):
    person = await two_tenant_user(cast)
    c = make_client()
    signed = await c.signin(person.email)
    assert signed.headers["location"] == "/"
    chooser = await c.get("/")
    assert chooser.status_code == 200
    for tenant in (cast.tenant_a, cast.tenant_b):
        assert re.search(rf'href="/t/{tenant.slug}/?"', chooser.text)


async def test_a_deactivated_tenant_is_never_offered(make_client, cast):
    from kefu.tenancy.services import set_tenant_active

    person = await factories.member(cast.tenant_a, ["agent"], name="Eve 双租户")
    other = await factories.tenant(name="即将停用的租户")
    await add_member(tenant=other, user=person, positions=[ADMIN_POSITION])
    c = make_client()
    await c.signin(person.email)
    assert (await c.get("/")).status_code == 200  # two tenants: the chooser
    await set_tenant_active(tenant_id=other.id, active=False, actor_id=None)

    start = await c.get("/")
    assert start.status_code == 302  # one tenant left: straight to it
    assert start.headers["location"].rstrip("/") == f"/t/{cast.tenant_a.slug}"
    listing = await c.get("/account/tenants")
    assert other.name not in listing.text and other.slug not in listing.text
    home = await c.get(f"/t/{cast.tenant_a.slug}/")
    assert 'id="tenant-switcher"' not in home.text and other.name not in home.text
    refused = await c.post("/account/switch", {"slug": other.slug})
    assert refused.headers["location"] == "/account/tenants"
