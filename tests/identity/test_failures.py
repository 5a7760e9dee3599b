"""Every way a sign-in through the provider fails: a clear page in the visitor's language, an
audit event of the tenant, and nobody signed in."""

from __future__ import annotations

import socket

import httpx
import pytest
import pytest_asyncio

from tests import factories
from tests.identity.support import Journey, audit_actions, idp_tenant, reason


@pytest_asyncio.fixture(loop_scope="session")
async def browser(make_client):
    idp = httpx.AsyncClient(follow_redirects=False, timeout=10)
    yield Journey(make_client(), idp)
    await idp.aclose()


async def _member(tenant, email: str):
    from kefu.accounts.services import create_user
    from kefu.tenancy.services import add_member

    user = await create_user(email=email, name="Member", password=factories.PASSWORD, locale="en")
    await add_member(tenant=tenant, user=user, positions=["agent"])
    return user


async def _assert_refused(browser: Journey, tenant, response: httpx.Response, expected: str, status: int = 400):
    assert response.status_code == status, response.text[:800]
    assert reason(response.text) == expected
    assert "登录失败" in response.text  # the tenant's language for a visitor who chose none
    home = await browser.kefu.get(f"/t/{tenant.slug}/")
    assert home.status_code in (302, 303) and home.headers["location"].startswith("/signin")
    actions = await audit_actions(tenant.id)
    assert actions[-1][0] == "identity.signin_failed" and expected in actions[-1][1]


@pytest.mark.parametrize(("mode", "expected"), [
    ("wrong_aud", "audience"), ("expired", "expired"), ("tampered", "bad_signature"), ("no_nonce", "nonce"),
])
async def test_a_bad_id_token_signs_nobody_in(oidc_provider, browser, mode, expected):
    t = await idp_tenant(oidc_provider)
    email = f"{factories.unique('m')}@corp.test"
    await _member(t.tenant, email)
    url = await browser.through_provider(await browser.to_provider(t.tenant.slug), email)
    oidc_provider.next_token(mode)
    response = await browser.back_to_kefu(url)
    await _assert_refused(browser, t.tenant, response, expected)


@pytest.mark.parametrize(("login", "expected"), [
    ("unverified-{}@corp.test", "email_unverified"),
    ("{}@elsewhere.test", "domain"),
    ("{}@corp.test", "not_member"),
])
async def test_who_the_provider_vouches_for_is_not_enough(oidc_provider, browser, login, expected):
    t = await idp_tenant(oidc_provider)
    response = await browser.sign_in(t.tenant.slug, login.format(factories.unique("x")))
    await _assert_refused(browser, t.tenant, response, expected)


async def test_an_account_elsewhere_is_not_a_member_under_invitation(oidc_provider, browser):
    t = await idp_tenant(oidc_provider)
    other = await factories.tenant()
    email = f"{factories.unique('m')}@corp.test"
    await _member(other, email)  # an account, but in another tenant
    response = await browser.sign_in(t.tenant.slug, email)
    await _assert_refused(browser, t.tenant, response, "not_member")


async def test_a_replayed_or_missing_state_is_refused(oidc_provider, browser, make_client):
    t = await idp_tenant(oidc_provider)
    email = f"{factories.unique('m')}@corp.test"
    await _member(t.tenant, email)
    url = await browser.through_provider(await browser.to_provider(t.tenant.slug), email)
    assert (await browser.back_to_kefu(url)).status_code == 302
    # the same callback again (the same browser, then another one) is refused
    replay = Journey(make_client(), browser.idp)
    for journey in (browser, replay):
        response = await journey.back_to_kefu(url)
        assert response.status_code == 400 and reason(response.text) == "state"
    stranger = Journey(make_client(), browser.idp)
    await stranger.to_provider(t.tenant.slug)
    missing = await stranger.kefu.get(f"/t/{t.tenant.slug}/signin/oidc/callback?code=abc")
    await _assert_refused(stranger, t.tenant, missing, "state")


async def test_a_provider_that_is_down_gets_a_page(oidc_provider, browser):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    t = await idp_tenant(oidc_provider, issuer=f"http://127.0.0.1:{closed}")
    response = await browser.kefu.post(f"/t/{t.tenant.slug}/signin/oidc", {})
    await _assert_refused(browser, t.tenant, response, "provider_down", status=502)


async def test_an_error_from_the_provider_gets_a_page(oidc_provider, browser):
    t = await idp_tenant(oidc_provider)
    location = await browser.to_provider(t.tenant.slug)
    state = httpx.URL(location).params["state"]
    response = await browser.kefu.get(
        f"/t/{t.tenant.slug}/signin/oidc/callback?error=access_denied&state={state}")
    await _assert_refused(browser, t.tenant, response, "provider_error")


async def test_the_failure_page_speaks_english_to_an_english_visitor(oidc_provider, browser):
    t = await idp_tenant(oidc_provider)
    browser.kefu.http.cookies.set("kefu_lang", "en")
    response = await browser.kefu.get(f"/t/{t.tenant.slug}/signin/oidc/callback?code=x&state=y")
    assert response.status_code == 400
    assert "Sign-in failed" in response.text and "already used" in response.text
