"""Client addresses behind proxies, throttles that count per account and every attempt, and
public links that never come from the Host header."""

from __future__ import annotations

import dataclasses
import html
import re
from ipaddress import ip_network

import pytest
from litestar import Request

from kefu import settings as settings_module
from kefu.complaints.controllers import public as public_controller
from kefu.core.public import client_address
from kefu.settings import SettingsError, load_settings
from tests import factories
from tests.complaints.public.conftest import make_shop, open_form, public_form


@pytest.fixture
def trusted(monkeypatch):
    """KEFU_TRUSTED_PROXIES=127.0.0.0/8,10.0.0.0/8 for the test (the test client is 127.0.0.1)."""

    def apply(**over):
        base = settings_module.get_settings()
        changed = dataclasses.replace(
            base, trusted_proxies=(ip_network("127.0.0.0/8"), ip_network("10.0.0.0/8")), **over)
        monkeypatch.setattr(settings_module, "_settings", changed)
        return changed

    return apply


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 5000),
                    "query_string": b"", "root_path": "", "path_params": {}, "app": None})  # type: ignore[typeddict-item]


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(trusted):
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # nobody trusted yet
    trusted()
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # a client forging it
    assert client_address(_request("10.1.2.3", "198.51.100.7")) == "198.51.100.7"
    # read from the right: what the client put first is not believed past the first untrusted hop
    assert client_address(_request("10.1.2.3", "1.1.1.1, 198.51.100.7, 10.9.9.9")) == "198.51.100.7"
    assert client_address(_request("10.1.2.3", "1.1.1.1", "198.51.100.7")) == "198.51.100.7"
    assert client_address(_request("10.1.2.3", "not-an-ip")) == "10.1.2.3"
    assert client_address(_request("10.1.2.3")) == "10.1.2.3"


def test_trusted_proxies_setting_is_checked():
    env = {"KEFU_SECRET_KEY": "s" * 40, "KEFU_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}
    assert [str(n) for n in load_settings(env).trusted_proxies] == ["10.0.0.0/8", "::1/128"]
    assert load_settings({"KEFU_SECRET_KEY": "s" * 40}).trusted_proxies == ()
    with pytest.raises(SettingsError, match="KEFU_TRUSTED_PROXIES"):
        load_settings({**env, "KEFU_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"})


async def test_signin_throttle_counts_per_account_across_addresses(trusted, make_client, cast):
    trusted(signin_account_max_failures=4)
    user = await factories.member(cast.tenant_a, ["agent"], name="Throttled 账户")
    client = make_client()
    for i in range(4):  # a different address each time: the per-address limit (5) never bites
        response = await client.post("/signin", {"email": user.email, "password": "wrong"},
                                     headers={"x-forwarded-for": f"198.51.100.{i}"})
        assert response.status_code == 400
    # the right password from a fifth address: the account's limit holds
    response = await client.post("/signin", {"email": user.email, "password": factories.PASSWORD},
                                 headers={"x-forwarded-for": "198.51.100.99"})
    assert response.status_code == 429


async def test_forged_forwarded_for_does_not_escape_the_signin_throttle(make_client, cast):
    user = await factories.member(cast.tenant_a, ["agent"], name="Forger 伪造")
    client = make_client()
    for i in range(5):
        await client.post("/signin", {"email": user.email, "password": "wrong"},
                          headers={"x-forwarded-for": f"203.0.113.{i}"})
    response = await client.post("/signin", {"email": user.email, "password": factories.PASSWORD},
                                 headers={"x-forwarded-for": "203.0.113.200"})
    assert response.status_code == 429  # no proxy is trusted: every try came from 127.0.0.1


async def test_the_public_form_limit_counts_invalid_attempts_too(monkeypatch, make_client):
    monkeypatch.setattr(public_controller, "ATTEMPT_LIMIT", 3)
    shop = await make_shop()
    client = make_client()
    hidden = await open_form(client, shop.tenant.slug)
    for _ in range(3):
        bad = await client.http.post(f"/p/{shop.tenant.slug}/complain", data={**hidden, "subject": ""})
        assert bad.status_code == 422
    limited = await client.http.post(f"/p/{shop.tenant.slug}/complain", data={**hidden, **public_form()})
    assert limited.status_code == 429


async def test_the_status_link_comes_from_the_public_url_not_the_host_header(make_client, settings):
    shop = await make_shop()
    client = make_client()
    hidden = await open_form(client, shop.tenant.slug)
    response = await client.http.post(f"/p/{shop.tenant.slug}/complain", data={**hidden, **public_form()},
                                      headers={"host": "evil.example"})
    assert response.status_code == 200, response.text[:500]
    link = html.unescape(re.search(r'id="status-link">([^<]+)<', response.text).group(1))
    assert link.startswith(settings_module.get_settings().public_url + f"/p/{shop.tenant.slug}/status/")
    assert "evil.example" not in response.text
