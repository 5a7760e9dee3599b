"""Sign-in through a tenant's OpenID provider, end to end against a real provider on loopback."""

from __future__ import annotations

import httpx
import pytest_asyncio

from kefu.db import transaction
from kefu.identity.tables import ExternalIdentity
from kefu.tenancy.queries import is_active_member
from tests import factories
from tests.identity.support import Journey, audit_actions, idp_tenant


@pytest_asyncio.fixture(loop_scope="session")
async def browser(make_client):
    idp = httpx.AsyncClient(follow_redirects=False, timeout=10)
    yield Journey(make_client(), idp)
    await idp.aclose()


async def _member(tenant, email: str, positions=("agent",)):
    from kefu.accounts.services import create_user
    from kefu.tenancy.services import add_member

    user = await create_user(email=email, name="Member 成员", password=factories.PASSWORD, locale="en")
    await add_member(tenant=tenant, user=user, positions=list(positions))
    return user


async def _links(tenant_id: int) -> list[dict]:
    async with transaction(tenant_id, write=False):
        return await ExternalIdentity.select(ExternalIdentity.subject, ExternalIdentity.user.as_alias("user")).where(
            ExternalIdentity.tenant == tenant_id)


async def test_a_member_signs_in_through_the_provider(oidc_provider, browser):
    # Given a tenant whose provider is set up, and a member invited by email
    t = await idp_tenant(oidc_provider)
    email = f"{factories.unique('m')}@corp.test"
    member = await _member(t.tenant, email)
    page = await browser.kefu.get(f"/t/{t.tenant.slug}/signin")
    assert "Corp SSO" in page.text
    # When they sign in through the provider's login form
    url = await browser.through_provider(await browser.to_provider(t.tenant.slug), email)
    before = browser.kefu.http.cookies.get("kefu_session")
    response = await browser.back_to_kefu(url)
    # Then kefu signs them in to the tenant with a new session id, linked by the subject
    assert response.status_code == 302, response.text[:800]
    assert response.headers["location"] == f"/t/{t.tenant.slug}/"
    after = browser.kefu.http.cookies.get("kefu_session")
    assert before and after and after != before
    home = await browser.kefu.get(f"/t/{t.tenant.slug}/")
    assert home.status_code == 200 and t.tenant.name in home.text
    links = await _links(t.tenant.id)
    assert [(link["subject"], link["user"]) for link in links] == [(email, member.id)]
    assert ("identity.signin", ) == tuple(a for a, _ in (await audit_actions(t.tenant.id))[-1:])


async def test_a_linked_subject_signs_in_again_by_subject(oidc_provider, browser, make_client):
    t = await idp_tenant(oidc_provider, admission="automatic", default_position="agent")
    email = f"{factories.unique('new')}@corp.test"
    first = await browser.sign_in(t.tenant.slug, email)
    assert first.status_code == 302
    # automatic admission made an account and a membership with the default position
    links = await _links(t.tenant.id)
    assert len(links) == 1 and await is_active_member(t.tenant.id, links[0]["user"])
    second = Journey(make_client(), browser.idp)  # the provider remembers the person
    again = await second.sign_in(t.tenant.slug, email)
    assert again.status_code == 302
    assert len(await _links(t.tenant.id)) == 1


async def test_an_invitation_is_accepted_by_signing_in_through_the_provider(oidc_provider, browser, app):
    from tests.fixtures import Client

    t = await idp_tenant(oidc_provider)  # invited members only
    email = f"{factories.unique('inv')}@corp.test"
    admin = Client(app)
    await admin.signin(t.admin.email)
    invited = await admin.post(f"/t/{t.tenant.slug}/members", {"email": email, "positions": ["qa"]})
    assert invited.status_code == 200
    response = await browser.sign_in(t.tenant.slug, email)
    assert response.status_code == 302, response.text[:500]
    links = await _links(t.tenant.id)
    assert len(links) == 1 and await is_active_member(t.tenant.id, links[0]["user"])
    actions = [a for a, _ in await audit_actions(t.tenant.id)]
    assert "invitation.accept" in actions and actions[-1] == "identity.signin"
    await admin.aclose()
