"""API tokens: `kf_<tenant id>_<secret>`, valid only for their tenant, stored only as a hash."""

from __future__ import annotations

import hashlib
import re

import pytest

from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.db import transaction
from kefu.tenancy.services import create_api_token
from kefu.tenancy.tables import ApiToken, Membership
from tests import factories
from tests.accounts.support import api_tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    assert "Traceback" not in response.text
    return body


async def test_token_names_its_tenant(cast):
    token = await create_api_token(tenant=cast.tenant_a, user=cast.alice)
    assert re.fullmatch(rf"kf_{cast.tenant_a.id}_[A-Za-z0-9_-]{{20,}}", token)
    assert token != await create_api_token(tenant=cast.tenant_a, user=cast.alice)


async def test_me_answers_with_the_tenant_and_user(client, cast):
    token = await create_api_token(tenant=cast.tenant_a, user=cast.alice, label="me-test")
    response = await client.get(f"/api/t/{cast.tenant_a.slug}/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["tenant"] == {"slug": cast.tenant_a.slug, "name": cast.tenant_a.name, "kind": "insurance"}
    assert body["user"] == {"email": cast.alice.email, "name": cast.alice.name}
    assert body["positions"] == ["admin"]
    rows = [r for r in await api_tokens(cast.tenant_a.id) if r["label"] == "me-test"]
    assert len(rows) == 1 and rows[0]["last_used_at"] is not None


async def test_the_api_needs_no_session_or_csrf(app, cast):
    from tests.fixtures import Client

    token = await create_api_token(tenant=cast.tenant_a, user=cast.bob)
    fresh = Client(app)  # no cookies at all
    try:
        response = await fresh.http.get(f"/api/t/{cast.tenant_a.slug}/me", headers=bearer(token))
        assert response.status_code == 200
        assert response.json()["user"]["email"] == cast.bob.email
    finally:
        await fresh.aclose()


async def test_a_token_is_refused_on_another_tenants_slug(client, cast):
    token = await create_api_token(tenant=cast.tenant_a, user=cast.alice)
    response = await client.get(f"/api/t/{cast.tenant_b.slug}/me", headers=bearer(token))
    body = assert_json_error(response, 404)
    assert cast.tenant_b.name not in response.text and cast.tenant_a.name not in response.text
    unknown = await client.get("/api/t/no-such-tenant-here/me", headers=bearer(token))
    assert unknown.json() == body


async def test_a_forged_token_is_401_whichever_slug_it_is_used_on(client, cast):
    # The tenant id in the token only picks the tenant; the secret must still match a row, and
    # an invalid token reveals nothing about the slug (401 on every slug, known or not).
    forged = f"kf_{cast.tenant_b.id}_" + "x" * 43
    for slug in (cast.tenant_b.slug, cast.tenant_a.slug, "no-such-tenant-here"):
        response = await client.get(f"/api/t/{slug}/me", headers=bearer(forged))
        assert_json_error(response, 401)


async def test_a_revoked_token_is_401(client, cast):
    token = await create_api_token(tenant=cast.tenant_a, user=cast.alice)
    url = f"/api/t/{cast.tenant_a.slug}/me"
    assert (await client.get(url, headers=bearer(token))).status_code == 200
    digest = hashlib.sha256(token.encode()).hexdigest()
    async with transaction(cast.tenant_a.id):
        await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
            ApiToken.tenant == cast.tenant_a.id, ApiToken.token_hash == digest
        )
    assert_json_error(await client.get(url, headers=bearer(token)), 401)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer kf_1_short",
        "Bearer kf_abc_" + "x" * 40,
        "Bearer kf_99999999_" + "x" * 40,
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 10000,
    ],
)
async def test_missing_or_garbage_tokens_are_401_json(client, cast, header):
    headers = {"Authorization": header} if header is not None else {}
    response = await client.get(f"/api/t/{cast.tenant_a.slug}/me", headers=headers)
    assert_json_error(response, 401)


async def test_a_token_of_a_removed_member_stops_working(client, cast):
    person = await factories.member(cast.tenant_a, ["agent"])
    token = await create_api_token(tenant=cast.tenant_a, user=person)
    url = f"/api/t/{cast.tenant_a.slug}/me"
    assert (await client.get(url, headers=bearer(token))).status_code == 200
    await Membership.update({Membership.is_active: False}).where(
        Membership.tenant == cast.tenant_a.id, Membership.user == person.id
    )
    assert (await client.get(url, headers=bearer(token))).status_code in (401, 403, 404)


async def test_only_members_get_tokens(cast):
    with pytest.raises(FieldError):
        await create_api_token(tenant=cast.tenant_b, user=cast.alice)


async def test_the_token_is_stored_only_hashed(cast):
    token = await create_api_token(tenant=cast.tenant_a, user=cast.alice, label="hash-test")
    secret = token.split("_", 2)[2]
    rows = await api_tokens(cast.tenant_a.id)
    mine = [r for r in rows if r["token_hash"] == hashlib.sha256(token.encode()).hexdigest()]
    assert len(mine) == 1
    for row in rows:
        dumped = repr(row)
        assert token not in dumped and secret not in dumped
