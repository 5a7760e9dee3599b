"""Tenant A's provider never signs anyone into tenant B; sign-out ends both sessions; a tenant
that refuses passwords refuses password sessions."""

from __future__ import annotations

import httpx
import pytest_asyncio

from tests import factories
from tests.identity.support import Journey, idp_tenant, reason


@pytest_asyncio.fixture(loop_scope="session")
async def browser(make_client):
    idp = httpx.AsyncClient(follow_redirects=False, timeout=10)
    yield Journey(make_client(), idp)
    await idp.aclose()


async def _member(tenant, email: str, password: str = factories.PASSWORD):
    from kefu.accounts.queries import user_by_email
    from kefu.accounts.services import create_user
    from kefu.tenancy.services import add_member

    user = await user_by_email(email) or await create_user(email=email, name="Member", password=password, locale="en")
    await add_member(tenant=tenant, user=user, positions=["agent"])
    return user


async def test_a_callback_for_tenant_a_is_refused_at_tenant_b(oidc_provider, browser):
    a = await idp_tenant(oidc_provider, "a")
    b = await idp_tenant(oidc_provider, "b")
    email = f"{factories.unique('m')}@corp.test"
    await _member(a.tenant, email)
    await _member(b.tenant, email)
    url = await browser.through_provider(await browser.to_provider(a.tenant.slug), email)
    crossed = url.replace(f"/t/{a.tenant.slug}/", f"/t/{b.tenant.slug}/")
    response = await browser.back_to_kefu(crossed)
    assert response.status_code == 400 and reason(response.text) == "state"
    assert (await browser.kefu.get(f"/t/{b.tenant.slug}/")).status_code in (302, 303)


async def test_a_session_from_tenant_a_provider_does_not_enter_tenant_b(oidc_provider, browser):
    a = await idp_tenant(oidc_provider, "a")
    b = await factories.tenant()
    email = f"{factories.unique('m')}@corp.test"
    await _member(a.tenant, email)
    await _member(b, email)  # a member of both, B with passwords allowed
    assert (await browser.sign_in(a.tenant.slug, email)).status_code == 302
    assert (await browser.kefu.get(f"/t/{a.tenant.slug}/")).status_code == 200
    assert (await browser.kefu.get(f"/t/{b.slug}/")).status_code == 404
    switcher = await browser.kefu.get("/account/tenants")
    assert a.tenant.name in switcher.text and b.name not in switcher.text
    # the same person signing in with a password enters B, and not A if A refuses passwords


async def test_a_tenant_that_refuses_passwords_refuses_password_sessions(oidc_provider, make_client):
    t = await idp_tenant(oidc_provider, password_signin=False)
    member = await factories.member(t.tenant, ["agent"])
    client = make_client()
    await client.signin(member.email)  # the account's password is right
    assert (await client.get(f"/t/{t.tenant.slug}/")).status_code == 404
    page = await client.get(f"/t/{t.tenant.slug}/signin")
    assert 'name="password"' not in page.text and "Corp SSO" in page.text


async def test_the_provider_subject_of_tenant_a_is_not_linked_in_tenant_b(oidc_provider, browser, make_client):
    a = await idp_tenant(oidc_provider, "a")
    b = await idp_tenant(oidc_provider, "b")
    email = f"{factories.unique('m')}@corp.test"
    await _member(a.tenant, email)
    assert (await browser.sign_in(a.tenant.slug, email)).status_code == 302
    # not a member of B: B's own provider flow refuses the same person
    other = Journey(make_client(), browser.idp)
    response = await other.sign_in(b.tenant.slug, email)
    assert response.status_code == 400 and reason(response.text) == "not_member"


async def test_sign_out_ends_the_provider_session_too(oidc_provider, browser):
    t = await idp_tenant(oidc_provider)
    email = f"{factories.unique('m')}@corp.test"
    await _member(t.tenant, email)
    assert (await browser.sign_in(t.tenant.slug, email)).status_code == 302
    out = await browser.kefu.post("/signout", {})
    assert out.status_code == 303
    logout = out.headers["location"]
    assert logout.startswith(oidc_provider.issuer + "/session/end")
    assert (await browser.kefu.get(f"/t/{t.tenant.slug}/")).status_code in (302, 303)
    back = await browser.through_provider(logout, email)  # the provider's "sign out?" form
    assert back.endswith(f"/t/{t.tenant.slug}/signin")
    # the provider forgot the person: the next sign-in shows its login form again
    start = await browser.to_provider(t.tenant.slug)
    page = await browser.idp.get(start)
    while page.status_code in (302, 303):
        page = await browser.idp.get(httpx.URL(str(page.url)).join(page.headers["location"]))
    assert 'name="login"' in page.text


async def test_a_password_sign_out_goes_to_the_sign_in_page(make_client, cast):
    client = make_client()
    await client.signin(cast.bob.email)
    out = await client.post("/signout", {})
    assert out.headers["location"] == "/signin"
