"""The members page: a tenant admin invites staff by email (whether or not they have an account,
the answer is the same), and bad input changes nothing."""

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


async def test_inviting_an_account_and_a_stranger_look_alike(as_alice, cast):
    """The page does not tell the admin whether an email has an account."""
    person = await factories.user(name="Erin 新同事")
    stranger = f"{factories.unique('nobody')}@example.test"
    before = await membership_count(cast.tenant_a)
    answers = []
    for email in (person.email, stranger):
        response = await as_alice.post(members_url(cast), {"email": email, "positions": "agent"}, htmx=True)
        assert response.status_code == 200
        assert is_fragment(response.text, "members")
        assert f"An invitation was sent to {email}." in response.text
        assert 'id="invite-link"' in response.text
        answers.append(response.text.replace(email, "EMAIL"))
    assert person.name not in answers[0]  # the account's name would tell
    # nobody joined yet: an invitation is accepted by its holder
    assert await membership_count(cast.tenant_a) == before
    assert await membership(cast.tenant_a, person) is None
    events = await audit_events(cast.tenant_a.id, "invitation.create")
    assert {e["actor_id"] for e in events[-2:]} == {cast.alice.id}


async def test_a_full_request_shows_the_link_once(as_alice, cast):
    email = f"{factories.unique('full')}@example.test"
    response = await as_alice.post(members_url(cast), {"email": f"  {email.upper()} ", "positions": ["agent", "admin"]})
    assert response.status_code == 200 and "<html" in response.text
    assert f"An invitation was sent to {email}." in response.text
    again = await as_alice.get(members_url(cast))
    assert 'id="invite-link"' not in again.text and email in again.text


BAD_INPUT = [
    pytest.param({"email": "someone@example.test", "positions": "galactic_emperor"},
                 "positions", "Choose a value from the list.", id="unknown-position"),
    pytest.param({"email": "a" * 250 + "@example.test", "positions": "agent"},
                 "email", "At most 254 characters.", id="overlong-email"),
    pytest.param({"email": "", "positions": "agent"}, "email", "This field is required.", id="empty-email"),
    pytest.param({"email": "not-an-email", "positions": "agent"}, "email", "Enter a valid email address.", id="bad-email"),
    pytest.param({"email": "someone@example.test"}, "positions", "Choose at least one position", id="missing-position"),
    # "front_desk" exists in the property pack (tenant B), not in tenant A's insurance pack.
    pytest.param({"email": "someone@example.test", "positions": "front_desk"},
                 "positions", "Choose a value from the list.", id="another-packs-position"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "full"])
@pytest.mark.parametrize(("data", "field", "message"), BAD_INPUT)
async def test_bad_input_names_the_field_and_changes_nothing(as_alice, cast, data, field, message, htmx):
    before = await membership_count(cast.tenant_a)
    events_before = len(await audit_events(cast.tenant_a.id, "invitation.create"))
    response = await as_alice.post(members_url(cast), data, htmx=htmx)
    assert response.status_code == 422
    assert field_error(response.text, field).startswith(message)
    assert 'aria-invalid="true"' in response.text or field == "positions"
    assert is_fragment(response.text, "members") == htmx
    assert "Traceback" not in response.text
    assert await membership_count(cast.tenant_a) == before
    assert len(await audit_events(cast.tenant_a.id, "invitation.create")) == events_before


async def test_an_agent_cannot_invite(as_bob, cast):
    events_before = len(await audit_events(cast.tenant_a.id, "invitation.create"))
    response = await as_bob.post(members_url(cast), {"email": "x@example.test", "positions": "admin"})
    assert response.status_code == 403
    assert len(await audit_events(cast.tenant_a.id, "invitation.create")) == events_before


async def test_an_admin_cannot_invite_to_another_tenant(as_carol, cast):
    events_before = len(await audit_events(cast.tenant_a.id, "invitation.create"))
    response = await as_carol.post(members_url(cast), {"email": "x@example.test", "positions": "admin"})
    assert response.status_code == 404
    assert len(await audit_events(cast.tenant_a.id, "invitation.create")) == events_before
