"""Positions given and taken, members deactivated (their sessions and tokens end at once), the
last admin kept; invitations resent, revoked and accepted once."""

from __future__ import annotations

import re

import httpx

from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests import factories
from tests.accounts.support import audit_events, membership
from tests.fixtures import Client


async def _admin_client(app, kind="insurance"):
    tenant = await factories.tenant(kind=kind)
    admin = await factories.member(tenant, ["admin"], name="Admin 管理员")
    client = Client(app)
    await client.signin(admin.email)
    return tenant, admin, client


def _link(page: str) -> str:
    match = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page)
    assert match, page[:2000]
    return httpx.URL(match.group(1)).path


async def _invite(client, tenant, email, positions=("agent",)) -> str:
    response = await client.post(f"/t/{tenant.slug}/members", {"email": email, "positions": list(positions)})
    assert response.status_code == 200, response.text[:800]
    return _link(response.text)


async def test_a_newcomer_accepts_once_and_is_signed_in(app, make_client):
    tenant, admin, client = await _admin_client(app)
    email = f"{factories.unique('new')}@example.test"
    link = await _invite(client, tenant, email, ("agent", "qa"))
    async with transaction(tenant.id, write=False):
        notice = await Notice.objects().where(Notice.tenant == tenant.id, Notice.kind == "staff_invitation",
                                             Notice.recipient_email == email).first()
    assert notice is not None and link in notice.data
    newcomer = make_client()
    page = await newcomer.get(link)
    assert page.status_code == 200 and tenant.name in page.text and email in page.text
    bad = await newcomer.post(link, {"name": "Nina", "password": "short", "password2": "short"})
    assert bad.status_code == 422 and 'id="password-error"' in bad.text
    differ = await newcomer.post(link, {"name": "Nina", "password": factories.PASSWORD, "password2": "other-password-1"})
    assert differ.status_code == 422 and 'id="password2-error"' in differ.text
    done = await newcomer.post(link, {"name": "Nina 新人", "password": factories.PASSWORD, "password2": factories.PASSWORD})
    assert done.status_code in (302, 303) and done.headers["location"].rstrip("/") == f"/t/{tenant.slug}"
    assert (await newcomer.get(f"/t/{tenant.slug}/")).status_code == 200
    # single use: the link is now a 404 for anyone
    assert (await make_client().get(link)).status_code == 404
    assert (await newcomer.post(link, {"name": "x", "password": factories.PASSWORD, "password2": factories.PASSWORD})).status_code == 404
    assert [e["actor_id"] for e in await audit_events(tenant.id, "invitation.accept")]


async def test_an_existing_account_accepts_with_its_password(app, make_client):
    tenant, admin, client = await _admin_client(app)
    person = await factories.user(name="Olga")
    link = await _invite(client, tenant, person.email)
    visitor = make_client()
    page = await visitor.get(link)
    assert 'name="password2"' not in page.text
    wrong = await visitor.post(link, {"password": "wrong-password-x"})
    assert wrong.status_code == 422 and await membership(tenant, person) is None
    right = await visitor.post(link, {"password": factories.PASSWORD})
    assert right.status_code in (302, 303)
    assert (await membership(tenant, person)).positions_list() == ["agent"]


async def test_resend_replaces_the_link_and_revoke_ends_it(app, make_client):
    tenant, admin, client = await _admin_client(app)
    email = f"{factories.unique('r')}@example.test"
    old = await _invite(client, tenant, email)
    page = await client.get(f"/t/{tenant.slug}/members")
    invitation_id = int(re.search(r'id="invitation-(\d+)"', page.text).group(1))
    resent = await client.post(f"/t/{tenant.slug}/invitations/{invitation_id}/resend", {})
    new = _link(resent.text)
    assert new != old
    visitor = make_client()
    assert (await visitor.get(old)).status_code == 404
    assert (await visitor.get(new)).status_code == 200
    revoked = await client.post(f"/t/{tenant.slug}/invitations/{invitation_id}/revoke", {})
    assert revoked.status_code in (302, 303)
    assert (await visitor.get(new)).status_code == 404
    assert (await client.post(f"/t/{tenant.slug}/invitations/{invitation_id}/revoke", {})).status_code == 404
    actions = [a for a in ("invitation.create", "invitation.resend", "invitation.revoke")
               if await audit_events(tenant.id, a)]
    assert len(actions) == 3


async def test_an_expired_link_opens_nothing(app, make_client, frozen_clock):
    from datetime import timedelta

    from kefu.core import clock

    tenant, admin, client = await _admin_client(app)
    link = await _invite(client, tenant, f"{factories.unique('e')}@example.test")
    frozen_clock.travel(clock.now() + timedelta(days=8))
    assert (await make_client().get(link)).status_code == 404


async def test_positions_are_given_and_taken_but_the_last_admin_stays(app):
    tenant, admin, client = await _admin_client(app)
    bob = await factories.member(tenant, ["agent"])
    page = await client.get(f"/t/{tenant.slug}/members")
    ids = dict((int(m), n) for m, n in re.findall(r'id="member-(\d+)">\s*<td>([^<]*)</td>', page.text))
    admin_mid = next(i for i, n in ids.items() if n == admin.name)
    bob_mid = (await membership(tenant, bob)).id
    url = f"/t/{tenant.slug}/members/{{}}/positions"
    assert (await client.post(url.format(bob_mid), {"position": "qa", "action": "add"})).status_code in (302, 303)
    assert sorted((await membership(tenant, bob)).positions_list()) == ["agent", "qa"]
    assert (await client.post(url.format(bob_mid), {"position": "agent", "action": "remove"})).status_code in (302, 303)
    assert (await membership(tenant, bob)).positions_list() == ["qa"]
    last = await client.post(url.format(bob_mid), {"position": "qa", "action": "remove"})
    assert last.status_code == 422  # a member keeps one position
    alone = await client.post(url.format(admin_mid), {"position": "admin", "action": "remove"})
    assert alone.status_code == 422 and 'id="position-error"' in alone.text
    assert (await client.post(f"/t/{tenant.slug}/members/{admin_mid}/deactivate", {})).status_code == 422
    assert "admin" in (await membership(tenant, admin)).positions_list()
    bad = await client.post(url.format(bob_mid), {"position": "pope", "action": "add"})
    assert bad.status_code == 422 and 'id="position-error"' in bad.text
    assert len(await audit_events(tenant.id, "member.positions")) >= 2


async def test_a_deactivated_member_loses_sessions_and_tokens_at_once(app, make_client):
    tenant, admin, client = await _admin_client(app)
    bob = await factories.member(tenant, ["agent"])
    token = await factories.api_token(tenant, bob)
    bobs = make_client()
    await bobs.signin(bob.email)
    assert (await bobs.get(f"/t/{tenant.slug}/")).status_code == 200
    api = await bobs.http.get(f"/api/t/{tenant.slug}/me", headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 200
    mid = (await membership(tenant, bob)).id
    assert (await client.post(f"/t/{tenant.slug}/members/{mid}/deactivate", {})).status_code in (302, 303)
    assert (await bobs.get(f"/t/{tenant.slug}/")).status_code == 404
    api = await make_client().http.get(f"/api/t/{tenant.slug}/me", headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert await audit_events(tenant.id, "member.deactivate")
