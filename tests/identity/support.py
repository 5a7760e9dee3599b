"""A browser for the sign-in journey: kefu (in process) and the provider (on loopback), each
with its own cookies, following redirects between them and filling the provider's forms."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from kefu.audit.tables import AuditEvent
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.identity import services
from kefu.identity.schemas import ProviderInput
from kefu.tenancy.services import create_tenant
from tests import factories
from tests.fixtures import Client
from tests.identity.provider import PUBLIC_URL, RunningProvider

FORM_RE = re.compile(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.S)
INPUT_RE = re.compile(r"<input([^>]*)>")
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def _form(page: str) -> tuple[str, dict[str, str]]:
    match = FORM_RE.search(page)
    assert match, f"no form on the provider's page:\n{page[:1500]}"
    fields = {}
    for raw in INPUT_RE.findall(match.group(2)):
        attrs = dict(ATTR_RE.findall(raw))
        if "name" in attrs:
            fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return html.unescape(match.group(1)), fields


@dataclass
class Journey:
    kefu: Client
    idp: httpx.AsyncClient

    async def to_provider(self, slug: str, next_path: str = "") -> str:
        response = await self.kefu.post(f"/t/{slug}/signin/oidc", {"next": next_path})
        assert response.status_code == 303, response.text[:800]
        return response.headers["location"]

    async def through_provider(self, url: str, login: str) -> str:
        """Follows the provider (login and consent forms) until it sends the browser back to
        kefu; returns that URL."""
        response = await self.idp.get(url)
        for _ in range(12):
            if response.status_code in (302, 303):
                target = urljoin(str(response.url), response.headers["location"])
                if target.startswith(PUBLIC_URL):
                    return target
                response = await self.idp.get(target)
                continue
            assert response.status_code == 200, f"{response.status_code} {response.text[:800]}"
            action, fields = _form(response.text)
            if "login" in fields:
                fields.update(login=login, password="any-password")
            if 'name="logout"' in response.text:  # "Yes, sign me out" (its button, not an input)
                fields["logout"] = "yes"
            response = await self.idp.post(urljoin(str(response.url), action), data=fields)
        raise AssertionError("the provider never sent the browser back")

    async def back_to_kefu(self, url: str) -> httpx.Response:
        return await self.kefu.get(url.removeprefix(PUBLIC_URL))

    async def sign_in(self, slug: str, login: str, next_path: str = "") -> httpx.Response:
        url = await self.through_provider(await self.to_provider(slug, next_path), login)
        return await self.back_to_kefu(url)


def reason(page: str) -> str:
    match = re.search(r'id="signin-failure" data-reason="([^"]*)"', page)
    assert match, page[:1500]
    return match.group(1)


@dataclass
class IdpTenant:
    tenant: object
    admin: object
    ctx: TenantContext


async def idp_tenant(provider: RunningProvider, client: str = "a", *, kind: str = "insurance",
                     domains: tuple[str, ...] = ("corp.test",), admission: str = "invited",
                     default_position: str = "", password_signin: bool = True,
                     issuer: str | None = None, secret: str | None = None) -> IdpTenant:
    slug = provider.slugs.pop()
    tenant = await create_tenant(slug=slug, name=f"IdP tenant {slug}", kind=kind)
    admin = await factories.member(tenant, ["admin"], name="Admin 管理员")
    ctx = await context_of(tenant, admin)
    static = provider.clients[client]
    await services.save_provider(ctx, ProviderInput(
        label="Corp SSO", issuer=issuer or provider.issuer, client_id=static.client_id,
        client_secret=secret or static.client_secret, scopes=["openid", "email", "profile"],
        allowed_domains=list(domains), admission=admission, default_position=default_position,
        password_signin=password_signin, is_enabled=True,
    ))
    return IdpTenant(tenant, admin, await context_of(tenant, admin))


async def context_of(tenant, user) -> TenantContext:
    from kefu.core.packs import get_pack
    from kefu.tenancy.queries import get_tenant, member_tenant

    fresh = await get_tenant(tenant.id)
    found = await member_tenant(fresh.slug, user.id)
    assert found is not None
    pack = get_pack(fresh.kind)
    return TenantContext(tenant=found[0], user=user, membership=found[1], pack=pack,
                         permissions=pack.permissions_of(found[1].positions_list()))


async def audit_actions(tenant_id: int) -> list[tuple[str, str]]:
    """(action, after-JSON) of the tenant's audit events, oldest first."""
    async with transaction(tenant_id, write=False):
        rows = await AuditEvent.select(AuditEvent.action, AuditEvent.after).where(
            AuditEvent.tenant == tenant_id).order_by(AuditEvent.id)
    return [(r["action"], str(r["after"])) for r in rows]
