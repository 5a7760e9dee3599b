"""The members page: a tenant admin gives an existing user a position; bad input changes nothing."""

from __future__ import annotations

import pytest

from tests import factories
from tests.accounts.support import audit_events, field_error, membership, membership_count


def members_url(cast) -> str:
    return f"/t/{cast.tenant_a.slug}/members"


def is_fragment(text: str, section: str) -> bool:
    return text.lstrip().startswith(f'<section id="{section}">') and "<html" not in text and "<main" not in text


async def test_full_page_and_htmx_fragment(as_alice, cast):
    page = await as_alice.get(members_url(cast))
    assert page.status_code == 200
    assert "<html" in page.text and '<section id="members">' in page.text
    assert cast.bob.email in page.text
    fragment = await as_alice.get(members_url(cast), headers={"hx-request": "true"})
    assert fragment.status_code == 200
    assert is_fragment(fragment.text, "members")
    assert cast.bob.email in fragment.text


async def test_admin_adds_an_existing_user_with_htmx_and_gets_the_fragment(as_alice, cast, make_client):
    person = await factories.user(name="Erin 新同事")
    before = await membership_count(cast.tenant_a)
    response = await as_alice.post(
        members_url(cast), {"email": person.email, "position": "agent"}, htmx=True
    )
    assert response.status_code == 200
    assert is_fragment(response.text, "members")
    assert person.email in response.text
    assert "Erin 新同事 now holds the position." in response.text
    row = await membership(cast.tenant_a, person)
    assert row is not None and row.positions_list() == ["agent"]
    assert await membership_count(cast.tenant_a) == before + 1
    events = await audit_events(cast.tenant_a.id, "member.positions")
    assert any(e["object_id"] == row.id and e["actor_id"] == cast.alice.id for e in events)
    # The new member can now open the tenant.
    newcomer = make_client()
    await newcomer.signin(person.email)
    assert (await newcomer.get(f"/t/{cast.tenant_a.slug}/")).status_code == 200


async def test_admin_adds_a_user_with_a_full_request_and_gets_the_page(as_alice, cast):
    person = await factories.user(name="Frank 全页")
    response = await as_alice.post(
        members_url(cast), {"email": f"  {person.email.upper()} ", "position": "agent"}
    )
    assert response.status_code == 302
    assert response.headers["location"] == members_url(cast)
    page = await as_alice.get(response.headers["location"])
    assert page.status_code == 200
    assert "<html" in page.text
    assert person.email in page.text
    assert "Frank 全页 now holds the position." in page.text
    assert (await membership(cast.tenant_a, person)).positions_list() == ["agent"]


async def test_giving_a_second_position_merges(as_alice, cast):
    person = await factories.member(cast.tenant_a, ["agent"])
    before = await membership_count(cast.tenant_a)
    response = await as_alice.post(
        members_url(cast), {"email": person.email, "position": "admin"}, htmx=True
    )
    assert response.status_code == 200
    assert await membership_count(cast.tenant_a) == before
    assert sorted((await membership(cast.tenant_a, person)).positions_list()) == ["admin", "agent"]


BAD_INPUT = [
    pytest.param(lambda p: {"email": f"{factories.unique('ghost')}@example.test", "position": "agent"},
                 "email", "No user has this email.", id="unknown-email"),
    pytest.param(lambda p: {"email": p.email, "position": "galactic_emperor"},
                 "position", "Choose a value from the list.", id="unknown-position"),
    pytest.param(lambda p: {"email": "a" * 250 + p.email, "position": "agent"},
                 "email", "At most 254 characters.", id="overlong-email"),
    pytest.param(lambda p: {"email": "", "position": "agent"},
                 "email", "This field is required.", id="empty-email"),
    pytest.param(lambda p: {"email": p.email},
                 "position", "Choose a value from the list.", id="missing-position"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "full"])
@pytest.mark.parametrize(("make_data", "field", "message"), BAD_INPUT)
async def test_bad_input_names_the_field_and_changes_nothing(as_alice, cast, make_data, field, message, htmx):
    person = await factories.user()
    before = await membership_count(cast.tenant_a)
    events_before = len(await audit_events(cast.tenant_a.id, "member.positions"))
    response = await as_alice.post(members_url(cast), make_data(person), htmx=htmx)
    assert response.status_code == 422
    assert field_error(response.text, field).startswith(message)
    assert 'aria-invalid="true"' in response.text
    assert is_fragment(response.text, "members") == htmx
    assert "Traceback" not in response.text
    assert await membership_count(cast.tenant_a) == before
    assert await membership(cast.tenant_a, person) is None
    assert len(await audit_events(cast.tenant_a.id, "member.positions")) == events_before


async def test_another_tenants_position_code_is_refused(as_alice, cast):
    # "front_desk" exists in the property pack (tenant B), not in tenant A's insurance pack.
    person = await factories.user()
    response = await as_alice.post(members_url(cast), {"email": person.email, "position": "front_desk"})
    assert response.status_code == 422
    assert field_error(response.text, "position")
    assert await membership(cast.tenant_a, person) is None


async def test_an_agent_cannot_add_members(as_bob, cast):
    person = await factories.user()
    before = await membership_count(cast.tenant_a)
    response = await as_bob.post(members_url(cast), {"email": person.email, "position": "admin"})
    assert response.status_code == 403
    assert await membership_count(cast.tenant_a) == before
    assert await membership(cast.tenant_a, person) is None


async def test_an_admin_cannot_add_members_to_another_tenant(as_carol, cast):
    person = await factories.user()
    response = await as_carol.post(members_url(cast), {"email": person.email, "position": "admin"})
    assert response.status_code == 404
    assert await membership(cast.tenant_a, person) is None
