"""Reads of a tenant's identity provider: the settings form (never the secret) and the
sign-in page's button."""

from __future__ import annotations

from typing import Any

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.identity.tables import IdentityProvider


async def provider_settings(tenant_id: int) -> dict[str, Any] | None:
    """The settings form's values, with `has_secret` in place of the secret."""
    row = await scoped(
        IdentityProvider, tenant_id, IdentityProvider.label, IdentityProvider.issuer,
        IdentityProvider.client_id, IdentityProvider.scopes, IdentityProvider.allowed_domains,
        IdentityProvider.admission, IdentityProvider.default_position, IdentityProvider.is_enabled,
        IdentityProvider.client_secret_enc,
    ).first()
    if row is None:
        return None
    row["has_secret"] = bool(row.pop("client_secret_enc"))
    return row


async def signin_button(tenant_id: int) -> str | None:
    """The label of the tenant's enabled provider, for "Sign in with …" (None: no button)."""
    async with transaction(tenant_id, write=False):
        row = await scoped(IdentityProvider, tenant_id, IdentityProvider.label).where(
            IdentityProvider.is_enabled.eq(True)
        ).first()
    return row["label"] if row else None


async def provider_issuer(tenant_id: int) -> str | None:
    """The issuer URL of the tenant's enabled provider (the sign-in page lets its form lead there)."""
    async with transaction(tenant_id, write=False):
        row = await scoped(IdentityProvider, tenant_id, IdentityProvider.issuer).where(
            IdentityProvider.is_enabled.eq(True)
        ).first()
    return row["issuer"] if row else None


async def open_invitations(tenant_id: int) -> list[dict[str, Any]]:
    """The members page's pending invitations, newest first (expired ones too, marked)."""
    from kefu.core import clock
    from kefu.identity.tables import Invitation

    rows = await scoped(
        Invitation, tenant_id, Invitation.id, Invitation.email, Invitation.positions,
        Invitation.created_at, Invitation.expires_at, Invitation.sent_count,
    ).where(Invitation.accepted_at.is_null(), Invitation.revoked_at.is_null()).order_by(
        Invitation.id, ascending=False).output(load_json=True)
    now = clock.now()
    for row in rows:
        row["expired"] = row["expires_at"] <= now
    return rows
