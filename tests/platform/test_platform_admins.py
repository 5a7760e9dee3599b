"""The platform administrators page: a platform administrator grants the role to an existing
account by email and takes it away, never from themselves; bad input changes nothing."""

from __future__ import annotations

import pytest_asyncio

from kefu.accounts.tables import User
from tests import factories
from tests.accounts.support import field_error

URL = "/admin/admins"


@pytest_asyncio.fixture(loop_scope="session")
async def root(make_client):
    person = await factories.user(name="Root 管理平台", superuser=True)
    c = make_client()
    await c.signin(person.email)
    c.user = person
    return c


async def is_admin(user) -> bool:
    return (await User.select(User.is_superuser).where(User.id == user.id).first())["is_superuser"]


async def test_granting_and_taking_the_role(root, make_client):
    person = await factories.user(name="Newly 平台管理员")
    c = make_client()
    await c.signin(person.email)
    assert (await c.get("/admin/tenants")).status_code == 403

    done = await root.post(URL, {"email": person.email.upper(), "action": "grant"})
    assert done.status_code == 302 and await is_admin(person)
    page = await root.get(URL)
    assert person.email in page.text and "Newly 平台管理员" in page.text
    assert (await c.get("/admin/tenants")).status_code == 200

    taken = await root.post(URL, {"email": person.email, "action": "revoke"})
    assert taken.status_code == 302 and not await is_admin(person)
    assert (await c.get("/admin/tenants")).status_code == 403


async def test_nobody_takes_the_role_from_themselves(root):
    refused = await root.post(URL, {"email": root.user.email, "action": "revoke"})
    assert refused.status_code == 422 and field_error(refused.text, "email")
    assert await is_admin(root.user)


async def test_bad_input_changes_nothing(root):
    for data in ({"email": "nobody-here@example.test", "action": "grant"}, {"email": "not an email", "action": "grant"},
                 {"email": "", "action": "grant"}, {"action": "grant"}):
        response = await root.post(URL, data)
        assert response.status_code == 422 and field_error(response.text, "email"), data
    person = await factories.user()
    odd = await root.post(URL, {"email": person.email, "action": "promote"})
    assert odd.status_code == 422 and not await is_admin(person)


async def test_only_platform_admins(as_alice, cast):
    assert (await as_alice.get(URL)).status_code == 403
    refused = await as_alice.post(URL, {"email": cast.alice.email, "action": "grant"})
    assert refused.status_code == 403 and not await is_admin(cast.alice)
