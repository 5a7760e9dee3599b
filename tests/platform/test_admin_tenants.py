"""The platform administrator's tenants page: create tenants; bad input names the field."""

from __future__ import annotations

import pytest
import pytest_asyncio

from kefu.tenancy.tables import Tenant
from tests import factories
from tests.accounts.support import alert, audit_events, field_error, tenant_by_slug

URL = "/admin/tenants"
# Every new tenant names its first administrator, who is invited.
ADMIN = {"admin_email": "first-admin@example.test"}


@pytest_asyncio.fixture(loop_scope="session")
async def superuser(make_client):
    person = await factories.user(name="Root 平台管理员", superuser=True)
    c = make_client()
    await c.signin(person.email)
    c.user = person
    return c


def fresh_slug() -> str:
    return factories.unique("new")


async def tenant_count() -> int:
    return await Tenant.count()


async def newest_tenant_id() -> int:
    row = await Tenant.select(Tenant.id).order_by(Tenant.id, ascending=False).first()
    return row["id"] if row else 0


def is_fragment(text: str) -> bool:
    return text.lstrip().startswith('<section id="tenants">') and "<html" not in text


async def test_page_lists_tenants(superuser, cast):
    page = await superuser.get(URL)
    assert page.status_code == 200
    assert cast.tenant_a.slug in page.text and cast.tenant_b.slug in page.text
    fragment = await superuser.get(URL, headers={"hx-request": "true"})
    assert fragment.status_code == 200 and is_fragment(fragment.text)


async def test_superuser_creates_a_tenant(superuser):
    slug = fresh_slug()
    response = await superuser.post(URL, {"slug": slug, "name": "丙保险 Gamma", "kind": "insurance", **ADMIN})
    assert response.status_code == 302
    assert response.headers["location"] == URL
    tenant = await tenant_by_slug(slug)
    assert tenant is not None
    assert (tenant.name, tenant.kind, tenant.is_active) == ("丙保险 Gamma", "insurance", True)
    assert tenant.timezone == "Asia/Shanghai" and tenant.locale == "zh_CN"
    page = await superuser.get(URL)
    assert slug in page.text and "丙保险 Gamma" in page.text
    assert "Tenant 丙保险 Gamma created." in page.text
    events = await audit_events(tenant.id, "tenant.create")
    assert len(events) == 1
    assert events[0]["object_id"] == tenant.id and events[0]["actor_id"] == superuser.user.id


async def test_superuser_creates_a_tenant_with_htmx(superuser):
    slug = fresh_slug()
    response = await superuser.post(URL, {"slug": slug, "name": "丁物业 Delta", "kind": "property", **ADMIN}, htmx=True)
    assert response.status_code == 200
    assert is_fragment(response.text)
    assert slug in response.text and "Tenant 丁物业 Delta created." in response.text
    tenant = await tenant_by_slug(slug)
    assert tenant is not None and tenant.kind == "property"
    assert len(await audit_events(tenant.id, "tenant.create")) == 1


async def test_slug_is_stored_lowercase_and_trimmed(superuser):
    slug = fresh_slug()
    response = await superuser.post(URL, {"slug": f"  {slug.upper()} ", "name": "Case", "kind": "insurance", **ADMIN})
    assert response.status_code == 302
    assert await tenant_by_slug(slug) is not None


async def test_duplicate_slug_is_refused(superuser, cast):
    before = await tenant_count()
    response = await superuser.post(
        URL, {"slug": cast.tenant_a.slug, "name": "Impostor", "kind": "property", **ADMIN}
    )
    assert response.status_code == 422
    assert field_error(response.text, "slug") == "This slug is already taken."
    assert await tenant_count() == before
    unchanged = await tenant_by_slug(cast.tenant_a.slug)
    assert (unchanged.name, unchanged.kind) == (cast.tenant_a.name, "insurance")


BAD = [
    pytest.param({"slug": "Bad Slug!"}, "slug", id="slug-with-space-and-bang"),
    pytest.param({"slug": "-x"}, "slug", id="slug-leading-hyphen"),
    pytest.param({"slug": "x-"}, "slug", id="slug-trailing-hyphen"),
    pytest.param({"slug": "a" * 64}, "slug", id="slug-64-chars"),
    pytest.param({"slug": "a" * 500}, "slug", id="slug-500-chars"),
    pytest.param({"slug": "租户"}, "slug", id="slug-not-ascii"),
    pytest.param({"slug": ""}, "slug", id="slug-empty"),
    pytest.param({"kind": "bank"}, "kind", id="unknown-kind"),
    pytest.param({"kind": ""}, "kind", id="empty-kind"),
    pytest.param({"name": "名" * 201}, "name", id="name-201-chars"),
    pytest.param({"name": "   "}, "name", id="name-blank"),
    pytest.param({"timezone": "Mars/Olympus"}, "timezone", id="unknown-time-zone"),
    pytest.param({"admin_email": ""}, "admin_email", id="no-first-admin"),
    pytest.param({"admin_email": "not an email"}, "admin_email", id="bad-first-admin"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "full"])
@pytest.mark.parametrize(("override", "field"), BAD)
async def test_bad_input_names_the_field_and_creates_nothing(superuser, override, field, htmx):
    marker = factories.unique("marker")
    data = {"slug": fresh_slug(), "name": f"Bad {marker}", "kind": "insurance", **ADMIN, **override}
    newest = await newest_tenant_id()
    response = await superuser.post(URL, data, htmx=htmx)
    assert response.status_code == 422
    assert field_error(response.text, field)
    assert 'aria-invalid="true"' in response.text
    assert is_fragment(response.text) == htmx
    assert "Traceback" not in response.text
    created = await Tenant.select(Tenant.id, Tenant.slug, Tenant.name).where(Tenant.id > newest)
    assert created == [], created
    assert not await Tenant.exists().where(Tenant.name == data["name"])
    assert not await Tenant.exists().where(Tenant.slug == data["slug"].strip().lower())


async def test_a_64_character_slug_is_refused_with_the_length(superuser):
    response = await superuser.post(URL, {"slug": "a" * 64, "name": "Long", "kind": "insurance", **ADMIN})
    assert field_error(response.text, "slug") == "At most 63 characters."


async def test_a_63_character_slug_is_accepted(superuser):
    slug = ("a" * 53) + factories.unique("")[1:]  # 53 + 10 hex digits
    assert len(slug) == 63
    response = await superuser.post(URL, {"slug": slug, "name": "Longest", "kind": "insurance", **ADMIN})
    assert response.status_code == 302
    assert await tenant_by_slug(slug) is not None


async def test_tenant_admin_who_is_not_superuser_gets_403(as_alice):
    before = await tenant_count()
    page = await as_alice.get(URL)
    assert page.status_code == 403
    assert alert(page.text) == "You do not have permission to do this."
    slug = fresh_slug()
    response = await as_alice.post(URL, {"slug": slug, "name": "Sneaky", "kind": "insurance", **ADMIN})
    assert response.status_code == 403
    assert await tenant_by_slug(slug) is None
    assert await tenant_count() == before


async def test_signed_out_visitor_is_sent_to_signin(client):
    response = await client.get(URL)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/signin")
    slug = fresh_slug()
    response = await client.post(URL, {"slug": slug, "name": "Anon", "kind": "insurance", **ADMIN})
    assert response.status_code == 302
    assert await tenant_by_slug(slug) is None


async def test_only_superusers_see_the_platform_link(superuser, as_alice, cast):
    assert f'href="{URL}"' in (await superuser.get("/account/tenants")).text
    assert f'href="{URL}"' not in (await as_alice.get(f"/t/{cast.tenant_a.slug}/")).text
