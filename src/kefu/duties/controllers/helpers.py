"""What the duties pages share: the tenant's duty pack and words, and the tenant's today."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core import clock
from kefu.core.tenancy import TenantContext
from kefu.duties import labels
from kefu.duties.policy.pack import DutyPack
from kefu.duties.queries.config import pack_of


async def duty_pack(ctx: TenantContext) -> DutyPack:
    """The tenant's own duty configuration, or the pack's."""
    return await pack_of(ctx.tenant_id, ctx.tenant.kind)


def today(ctx: TenantContext) -> date:
    return clock.today_in(ctx.tenant.timezone)


async def words(ctx: TenantContext) -> dict[str, Any]:
    return labels.helpers(ctx.pack, await duty_pack(ctx)) | {"today": today(ctx)}
