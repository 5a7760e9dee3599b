"""The API tokens page: a token made in the page works once shown, its use is recorded, and a
revoked one stops at once; bad input changes nothing."""

from __future__ import annotations

import re

from tests import factories
from tests.accounts.support import audit_events
from tests.fixtures import Client


async def test_create_use_and_revoke_a_token(app, make_client):
    tenant = await factories.tenant()
    admin = await factories.member(tenant, ["admin"], name="Token 管理员")
    client = Client(app)
    await client.signin(admin.email)
    url = f"/t/{tenant.slug}/settings/tokens"
    made = await client.post(url, {"label": "ERP 导入"})
    assert made.status_code == 200
    secret = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', made.text).group(1)
    assert secret.startswith(f"kf_{tenant.id}_")
    page = await client.get(url)
    assert "ERP 导入" in page.text and secret not in page.text and "Never" in page.text
    api = await make_client().http.get(f"/api/t/{tenant.slug}/me", headers={"authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    page = await client.get(url)
    assert "Never" not in page.text  # the last use is shown
    token_id = int(re.search(r'id="token-(\d+)"', page.text).group(1))
    assert (await client.post(f"{url}/{token_id}/revoke", {})).status_code in (302, 303)
    api = await make_client().http.get(f"/api/t/{tenant.slug}/me", headers={"authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    assert (await client.post(f"{url}/{token_id}/revoke", {})).status_code == 404
    assert await audit_events(tenant.id, "api_token.create") and await audit_events(tenant.id, "api_token.revoke")
    await client.aclose()


async def test_a_nameless_token_is_refused(as_alice, cast):
    before = len(await audit_events(cast.tenant_a.id, "api_token.create"))
    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/settings/tokens", {"label": "  "})
    assert response.status_code == 422 and 'id="label-error"' in response.text
    assert len(await audit_events(cast.tenant_a.id, "api_token.create")) == before


async def test_an_agent_has_no_tokens_page(as_bob, cast):
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/settings/tokens")).status_code == 403
