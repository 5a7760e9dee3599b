"""Permissions from the packs guard routes; a forbidden action is a clear 403 in the user's language."""

from __future__ import annotations

import pytest

from tests import factories
from tests.accounts.support import alert, has_chinese, html_lang, main_block

FORBIDDEN_EN = "You do not have permission to do this."


def guarded(cast) -> list[str]:
    slug = cast.tenant_a.slug
    return [f"/t/{slug}/audit/", f"/t/{slug}/members"]


async def test_agent_gets_403_with_a_clear_message(as_bob, cast):
    for path in guarded(cast):
        response = await as_bob.get(path)
        assert response.status_code == 403, path
        assert alert(response.text) == FORBIDDEN_EN
        assert html_lang(response.text) == "en"
        assert "Traceback" not in response.text
        assert "permission:" not in response.text  # the internal detail stays internal


async def test_agent_gets_403_on_an_audit_event_too(as_bob, cast):
    event_id = await factories.audit_event(cast.tenant_a, "bob must not read this")
    response = await as_bob.get(f"/t/{cast.tenant_a.slug}/audit/{event_id}")
    assert response.status_code == 403
    assert "bob must not read this" not in response.text


async def test_agent_gets_403_on_htmx_requests(as_bob, cast):
    for path in guarded(cast):
        response = await as_bob.get(path, headers={"hx-request": "true"})
        assert response.status_code == 403
        assert FORBIDDEN_EN in response.text


async def test_admin_gets_200(as_alice, cast):
    for path in guarded(cast):
        response = await as_alice.get(path)
        assert response.status_code == 200, path


async def test_navigation_shows_only_what_the_user_may_open(as_alice, as_bob, cast):
    slug = cast.tenant_a.slug
    members, audit = f'href="/t/{slug}/members"', f'href="/t/{slug}/audit'
    admin_home = (await as_alice.get(f"/t/{slug}/")).text
    agent_home = (await as_bob.get(f"/t/{slug}/")).text
    assert members in admin_home and audit in admin_home
    assert members not in agent_home and audit not in agent_home


async def test_403_page_is_in_chinese_for_a_chinese_user(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="zh_CN")
    c = make_client()
    await c.signin(person.email)
    for path in guarded(cast):
        response = await c.get(path)
        assert response.status_code == 403
        assert html_lang(response.text) == "zh-CN"
        message = alert(response.text)
        assert has_chinese(message) and message != FORBIDDEN_EN


@pytest.mark.parametrize("position", ["ops_head", "cs_head"])
async def test_positions_with_audit_view_open_the_audit_log_only(make_client, cast, position):
    person = await factories.member(cast.tenant_a, [position])
    c = make_client()
    await c.signin(person.email)
    assert (await c.get(f"/t/{cast.tenant_a.slug}/audit/")).status_code == 200
    assert (await c.get(f"/t/{cast.tenant_a.slug}/members")).status_code == 403


async def test_a_deactivated_membership_loses_access(make_client, cast):
    from kefu.tenancy.tables import Membership

    person = await factories.member(cast.tenant_a, ["admin"])
    c = make_client()
    await c.signin(person.email)
    assert (await c.get(f"/t/{cast.tenant_a.slug}/members")).status_code == 200
    await Membership.update({Membership.is_active: False}).where(
        Membership.tenant == cast.tenant_a.id, Membership.user == person.id
    )
    gone = await c.get(f"/t/{cast.tenant_a.slug}/members")
    assert gone.status_code == 404
    unknown = await c.get("/t/no-such-tenant-at-all/members")
    assert main_block(gone.text) == main_block(unknown.text)
