"""A tenant's identity provider settings (the client secret encrypted, never shown)."""

from __future__ import annotations

from typing import Any

from kefu.audit import services as audit
from kefu.core import clock, crypto
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.identity.schemas import ProviderInput
from kefu.identity.tables import IdentityProvider
from kefu.tenancy import services as tenancy_services

PERMISSION = "tenant.settings"


async def provider_row(tenant_id: int) -> IdentityProvider | None:
    return await scoped_objects(IdentityProvider, tenant_id).first()


async def save_provider(ctx: TenantContext, values: ProviderInput) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        row = await provider_row(ctx.tenant_id)
        if row is None and not values.client_secret:
            raise FieldError("client_secret", "Enter the client secret.")
        row = row or IdentityProvider(tenant=ctx.tenant_id)
        before = _public(row) if row._exists_in_db else None
        changed_secret = bool(values.client_secret)
        row.label, row.issuer, row.client_id = values.label, values.issuer, values.client_id
        row.scopes, row.allowed_domains = " ".join(values.scopes), " ".join(values.allowed_domains)
        row.admission, row.default_position = values.admission, values.default_position
        row.is_enabled, row.updated_at = values.is_enabled, clock.now()
        if changed_secret:
            row.client_secret_enc = crypto.encrypt(values.client_secret)
        await row.save()
        await tenancy_services.set_password_signin(
            tenant_id=ctx.tenant_id, allowed=values.password_signin or not values.is_enabled, actor_id=ctx.user.id
        )
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="identity.provider_save",
            object_type="identity_provider", object_id=row.id, before=before,
            after={**_public(row), "client_secret": "changed" if changed_secret else "unchanged"},
        )


def _public(row: IdentityProvider) -> dict[str, Any]:
    """The provider's settings as pages and audit events show them: never the secret."""
    return {
        "label": row.label, "issuer": row.issuer, "client_id": row.client_id, "scopes": row.scopes,
        "allowed_domains": row.allowed_domains, "admission": row.admission,
        "default_position": row.default_position, "is_enabled": row.is_enabled,
    }


