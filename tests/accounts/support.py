"""Helpers shared by the accounts and platform tests: reading pages and the database."""

from __future__ import annotations

import html
import re

from kefu.audit.tables import AuditEvent
from kefu.db import transaction
from kefu.tenancy.tables import ApiToken, Membership, Tenant

CJK = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def _first(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match, f"{pattern!r} not found in:\n{text[:3000]}"
    return html.unescape(match.group(1)).strip()


def signin_error(page: str) -> str:
    """The message the sign-in form shows above its fields."""
    return _first(r'id="signin-error">(.*?)</p>', page)


def alert(page: str) -> str:
    """The message of an error page (403, 404, 422, ...)."""
    return _first(r'<p role="alert">(.*?)</p>', page)


def field_error(page: str, name: str) -> str:
    """The error a form shows under field `name` (the page names the field by id)."""
    return _first(rf'id="{re.escape(name)}-error">(.*?)</small>', page)


def main_block(page: str) -> str:
    return _first(r"(<main.*?</main>)", page)


def html_lang(page: str) -> str:
    return _first(r'<html lang="([^"]+)"', page)


def no_trace(response) -> None:
    """No Python traceback or source path ever reaches a response."""
    assert "Traceback" not in response.text
    assert 'File "/' not in response.text


async def membership_count(tenant) -> int:
    return await Membership.count().where(Membership.tenant == tenant.id)


async def membership(tenant, user) -> Membership | None:
    return await Membership.objects().where(
        Membership.tenant == tenant.id, Membership.user == user.id
    ).first()


async def tenant_by_slug(slug: str) -> Tenant | None:
    return await Tenant.objects().where(Tenant.slug == slug).first()


async def audit_events(tenant_id: int, action: str) -> list[dict]:
    # AuditEvent is under row-level security on PostgreSQL: read it with the tenant set.
    async with transaction(tenant_id, write=False):
        return await AuditEvent.select().where(
            AuditEvent.tenant == tenant_id, AuditEvent.action == action
        )


async def api_tokens(tenant_id: int) -> list[dict]:
    async with transaction(tenant_id, write=False):
        return await ApiToken.select().where(ApiToken.tenant == tenant_id)


SESSION_COOKIE = "kefu_session"
COOKIE_DOMAIN = "testserver.local"  # where httpx files the test server's cookies


def session_id(client) -> str | None:
    """The session id the client's cookie jar would send (the server-set cookie)."""
    values = [c.value for c in client.http.cookies.jar if c.name == SESSION_COOKIE]
    return values[-1] if values else None


def plant_cookie(client, name: str, value: str) -> None:
    client.http.cookies.set(name, value, domain=COOKIE_DOMAIN)


def is_signin_redirect(response) -> bool:
    return response.status_code in (302, 303) and response.headers["location"].startswith("/signin")
