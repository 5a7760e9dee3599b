"""The platform console: a tenant created from a pack names its first administrator (invited);
the creator enters it at once; a deactivated tenant answers 404 everywhere until reactivated."""

from __future__ import annotations

import re

import httpx
import pytest_asyncio

from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests import factories
from tests.accounts.support import audit_events, tenant_by_slug

URL = "/admin/tenants"


@pytest_asyncio.fixture(loop_scope="session")
async def root(make_client):
    person = await factories.user(name="Root 平台管理员", superuser=True)
    c = make_client()
    await c.signin(person.email)
    c.user = person
    return c


async def _create(root, **changes) -> tuple[object, str]:
    slug = factories.unique("con")
    data = {"slug": slug, "name": f"控制台 {slug}", "kind": "property", "timezone": "Asia/Urumqi",
            "admin_email": f"{factories.unique('first')}@example.test", **changes}
    response = await root.post(URL, data, htmx=True)
    assert response.status_code == 200, response.text[:800]
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', response.text).group(1)
    return await tenant_by_slug(slug), httpx.URL(link).path


async def test_the_creator_enters_the_new_tenant_and_the_first_admin_is_invited(root, make_client):
    tenant, link = await _create(root)
    assert tenant.timezone == "Asia/Urumqi" and tenant.kind == "property"
    assert (await root.get(f"/t/{tenant.slug}/")).status_code == 200  # no more 404 for the creator
    async with transaction(tenant.id, write=False):
        assert await Notice.exists().where(Notice.tenant == tenant.id, Notice.kind == "staff_invitation")
    first = make_client()
    page = await first.get(link)
    assert page.status_code == 200 and tenant.name in page.text
    done = await first.post(link, {"name": "First 管理员", "password": factories.PASSWORD, "password2": factories.PASSWORD})
    assert done.status_code in (302, 303)
    members = await first.get(f"/t/{tenant.slug}/members")  # an administrator: the members page opens
    assert members.status_code == 200 and "First 管理员" in members.text
    assert await audit_events(tenant.id, "tenant.create") and await audit_events(tenant.id, "invitation.accept")


async def test_a_full_request_flashes_the_link_once(root):
    slug = factories.unique("full")
    response = await root.post(URL, {"slug": slug, "name": "Full", "kind": "insurance",
                                     "admin_email": "first@example.test"})
    assert response.status_code == 302
    page = await root.get(URL)
    assert "/invite/" in page.text and "first@example.test" in page.text
    assert "/invite/" not in (await root.get(URL)).text


async def test_a_deactivated_tenant_answers_404_everywhere_until_reactivated(root, make_client):
    tenant, link = await _create(root)
    member = await factories.member(tenant, ["admin"])
    token = await factories.api_token(tenant, member)
    staff = make_client()
    await staff.signin(member.email)
    visitor = make_client()
    urls = [f"/t/{tenant.slug}/", f"/t/{tenant.slug}/members", f"/p/{tenant.slug}/contact",
            f"/t/{tenant.slug}/signin", link]
    assert (await staff.get(urls[0])).status_code == 200
    off = await root.post(f"{URL}/{tenant.id}/deactivate", {})
    assert off.status_code in (302, 303)
    assert not (await tenant_by_slug(tenant.slug)).is_active
    for url in urls:
        assert (await staff.get(url)).status_code == 404, url
        assert (await visitor.get(url)).status_code in (302, 404), url
    api = await visitor.http.get(f"/api/t/{tenant.slug}/me", headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 404
    assert (await root.get(urls[0])).status_code == 404  # the creator too
    on = await root.post(f"{URL}/{tenant.id}/reactivate", {}, htmx=True)
    assert on.status_code == 200 and f"Tenant {tenant.name} reactivated." in on.text
    assert (await staff.get(urls[0])).status_code == 200
    assert [e["action"] for e in await audit_events(tenant.id, "tenant.deactivate")]
    assert [e["action"] for e in await audit_events(tenant.id, "tenant.activate")]


async def test_only_a_superuser_deactivates(as_alice, cast):
    response = await as_alice.post(f"{URL}/{cast.tenant_a.id}/deactivate", {})
    assert response.status_code == 403
    assert (await tenant_by_slug(cast.tenant_a.slug)).is_active


async def test_an_unknown_tenant_id_is_404(root):
    assert (await root.post(f"{URL}/999999999/deactivate", {})).status_code == 404
