"""A tenant admin's changes to members: positions given and taken, members deactivated."""

from __future__ import annotations

from kefu.core.tenancy import TenantContext
from kefu.tenancy import services as tenancy_services

PERMISSION = "members.manage"


async def change_position(ctx: TenantContext, membership_id: int, position: str, *, add: bool) -> None:
    ctx.require(PERMISSION)
    await tenancy_services.change_position(
        tenant=ctx.tenant, membership_id=membership_id, position=position, add=add, actor_id=ctx.user.id)


async def deactivate(ctx: TenantContext, membership_id: int) -> None:
    ctx.require(PERMISSION)
    await tenancy_services.deactivate_member(tenant=ctx.tenant, membership_id=membership_id, actor_id=ctx.user.id)
