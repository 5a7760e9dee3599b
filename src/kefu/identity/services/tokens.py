"""API tokens made and revoked by a tenant's administrators in a page (the CLI stays)."""

from __future__ import annotations

from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.tenancy import services as tenancy_services

PERMISSION = "api.tokens"
MAX_LABEL = 100


async def create_token(ctx: TenantContext, label: str) -> str:
    """A token acting as the admin who makes it; the secret is returned once, only its hash kept."""
    ctx.require(PERMISSION)
    label = label.strip()
    if not label:
        raise FieldError("label", "Enter a name.")
    return await tenancy_services.create_api_token(tenant=ctx.tenant, user=ctx.user, label=label[:MAX_LABEL])


async def revoke_token(ctx: TenantContext, token_id: int) -> None:
    ctx.require(PERMISSION)
    await tenancy_services.revoke_api_token(tenant_id=ctx.tenant_id, token_id=token_id, actor_id=ctx.user.id)
