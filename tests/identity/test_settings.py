"""The identity provider settings page: saved, audited, the secret encrypted and never shown;
bad input is refused field by field and changes nothing."""

from __future__ import annotations

import logging

import pytest

from kefu.db import transaction
from kefu.identity.queries import provider_settings
from kefu.identity.tables import IdentityProvider
from tests import factories
from tests.fixtures import Client
from tests.identity.support import Journey, audit_actions

SECRET = "s3cret-" + "q" * 30


def _form(**changes) -> dict:
    values = {
        "label": "Corp SSO", "issuer": "https://login.corp.test", "client_id": "kefu",
        "client_secret": SECRET, "scopes": "openid email", "allowed_domains": "corp.test, @Sub.Corp.Test",
        "admission": "invited", "default_position": "", "is_enabled": "on", "password_signin": "on",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


async def _admin(app):
    tenant = await factories.tenant()
    admin = await factories.member(tenant, ["admin"])
    client = Client(app)
    await client.signin(admin.email)
    return tenant, client


async def test_saving_stores_the_secret_encrypted_and_never_shows_it(app, caplog):
    caplog.set_level(logging.DEBUG)
    tenant, client = await _admin(app)
    url = f"/t/{tenant.slug}/settings/identity"
    response = await client.post(url, _form())
    assert response.status_code in (302, 303), response.text[:800]
    page = await client.get(url)
    assert page.status_code == 200
    assert "login.corp.test" in page.text and "sub.corp.test" in page.text
    assert SECRET not in page.text
    async with transaction(tenant.id, write=False):
        row = await IdentityProvider.objects().where(IdentityProvider.tenant == tenant.id).first()
    assert row.client_secret_enc and SECRET not in row.client_secret_enc
    # saved again without a secret: the stored one stays
    assert (await client.post(url, _form(client_secret="", label="Corp 2"))).status_code in (302, 303)
    async with transaction(tenant.id, write=False):
        again = await IdentityProvider.objects().where(IdentityProvider.tenant == tenant.id).first()
    assert again.client_secret_enc == row.client_secret_enc and again.label == "Corp 2"
    actions = await audit_actions(tenant.id)
    saves = [after for action, after in actions if action == "identity.provider_save"]
    assert len(saves) == 2 and "changed" in saves[0] and "unchanged" in saves[1]
    assert all(SECRET not in after for _, after in actions)
    assert SECRET not in caplog.text


@pytest.mark.parametrize(("changes", "field"), [
    ({"issuer": "ftp://login.corp.test"}, "issuer"),
    ({"issuer": ""}, "issuer"),
    ({"client_id": ""}, "client_id"),
    ({"scopes": 'openid "email"'}, "scopes"),
    ({"allowed_domains": "corp.test not_a_domain"}, "allowed_domains"),
    ({"admission": "everyone"}, "admission"),
    ({"admission": "automatic", "default_position": ""}, "default_position"),
    ({"default_position": "pope"}, "default_position"),
    ({"label": "x" * 101}, "label"),
    ({"client_secret": ""}, "client_secret"),  # nothing stored yet
])
async def test_bad_input_is_refused_by_field_and_changes_nothing(app, changes, field):
    tenant, client = await _admin(app)
    client.http.cookies.set("kefu_lang", "zh_CN")
    response = await client.post(f"/t/{tenant.slug}/settings/identity", _form(**changes))
    assert response.status_code == 422, response.text[:500]
    assert f'id="{field}-error"' in response.text
    assert SECRET not in response.text
    async with transaction(tenant.id, write=False):
        assert await provider_settings(tenant.id) is None
    assert not [a for a, _ in await audit_actions(tenant.id) if a.startswith("identity.")]


async def test_only_administrators_reach_the_settings(app, cast, as_bob):
    response = await as_bob.get(f"/t/{cast.tenant_a.slug}/settings/identity")
    assert response.status_code == 403


async def test_no_button_without_a_provider_and_no_flow(app, make_client):
    tenant = await factories.tenant()
    journey = Journey(make_client(), None)  # type: ignore[arg-type]
    page = await journey.kefu.get(f"/t/{tenant.slug}/signin")
    assert page.status_code == 200 and "oidc-signin" not in page.text
    response = await journey.kefu.post(f"/t/{tenant.slug}/signin/oidc", {})
    assert response.status_code == 400


async def test_an_unknown_or_inactive_tenant_has_no_signin_page(app, make_client):
    client = make_client()
    assert (await client.get("/t/no-such-tenant-x/signin")).status_code == 404
    assert (await client.post("/t/no-such-tenant-x/signin/oidc", {})).status_code == 404
