"""The yearly callback plan (A art. 22(1)): saved whole, one per tenant and year, audited with
what it was before."""

from __future__ import annotations

import json
from typing import Any

from kefu.audit import services as audit
from kefu.callbacks.tables import CallbackPlan
from kefu.core import clock
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import is_postgres, transaction

MANAGE = "callbacks.manage"


async def save_plan(ctx: TenantContext, year: int, grid: dict[str, dict[str, int]], note: str) -> CallbackPlan:
    """Write the year's plan (made on first save). 403 (callbacks.manage)."""
    ctx.require(MANAGE)
    async with transaction(ctx.tenant_id):
        query = scoped_objects(CallbackPlan, ctx.tenant_id).where(CallbackPlan.year == year)
        row = await (query.lock_rows() if is_postgres() else query).first()
        before: dict[str, Any] | None = None
        if row is None:
            row = CallbackPlan(tenant=ctx.tenant_id, year=year)
        else:
            before = {"grid": json.loads(row.grid) if isinstance(row.grid, str) else row.grid, "note": row.note}
        row.grid = json.dumps(grid)
        row.note = note
        row.updated_by = ctx.user.id
        row.updated_at = clock.now()
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_plan.save",
                           object_type="callback_plan", object_id=row.id, before=before,
                           after={"year": year, "grid": grid, "note": note})
    return row
