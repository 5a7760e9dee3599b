"""The page's Content-Security-Policy lets the provider's forms go where they must: the tenant's
sign-in page may post to kefu and lead on to its provider (a browser applies form-action to the
redirect the button's answer makes), and a session made through the provider may sign out
there; every other page's forms stay on kefu."""

from __future__ import annotations

import re

import httpx

from kefu.core.security import allow_form_target, origin_of
from tests import factories
from tests.identity.support import Journey, idp_tenant


def form_action(response: httpx.Response) -> list[str]:
    match = re.search(r"form-action ([^;]+)", response.headers["content-security-policy"])
    assert match
    return match.group(1).split()


async def test_the_signin_page_lets_its_button_lead_to_the_provider(oidc_provider, client):
    t = await idp_tenant(oidc_provider)
    page = await client.get(f"/t/{t.tenant.slug}/signin")
    assert form_action(page) == ["'self'", oidc_provider.issuer]
    plain = await factories.tenant()
    assert form_action(await client.get(f"/t/{plain.slug}/signin")) == ["'self'"]
    assert form_action(await client.get("/signin")) == ["'self'"]


async def test_a_provider_session_may_sign_out_at_the_provider(oidc_provider, make_client):
    t = await idp_tenant(oidc_provider)
    email = f"{factories.unique('csp')}@corp.test"
    await factories.member(t.tenant, ["agent"])
    from kefu.accounts.services import create_user
    from kefu.tenancy.services import add_member

    user = await create_user(email=email, name="CSP 成员", password=factories.PASSWORD)
    await add_member(tenant=t.tenant, user=user, positions=["agent"])
    idp = httpx.AsyncClient(follow_redirects=False, timeout=10)
    journey = Journey(make_client(), idp)
    try:
        home = await journey.sign_in(t.tenant.slug, email)
        assert home.status_code in (302, 303)
        page = await journey.kefu.get(f"/t/{t.tenant.slug}/")
        assert page.status_code == 200
        assert oidc_provider.issuer in form_action(page)
    finally:
        await idp.aclose()


def test_only_a_plain_origin_joins_the_policy():
    assert origin_of("https://sso.example.cn/realms/a?x=1") == "https://sso.example.cn"
    assert origin_of("http://127.0.0.1:9000/") == "http://127.0.0.1:9000"
    for bad in ("javascript:alert(1)", "https://a.example; script-src *", "ftp://x.example", "https://", "/relative"):
        assert origin_of(bad) is None, bad
    scope: dict = {}
    allow_form_target(scope, "https://evil.example'; script-src *")  # type: ignore[arg-type]
    assert not scope.get("kefu_form_targets")
