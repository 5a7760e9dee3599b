"""The yearly callback plan against what happened (A art. 22(1)): per kind and month the
campaigns planned, opened and scheduled, and the year's tasks done and done on time."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from kefu.callbacks.policy import plans as rules
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.tables import CallbackCampaign, CallbackPlan, CallbackTask
from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction


async def plan_years(ctx: TenantContext) -> list[int]:
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackPlan, ctx.tenant_id, CallbackPlan.year).order_by(CallbackPlan.year)
    return [r["year"] for r in rows]


async def _campaigns(ctx: TenantContext, year: int) -> list[dict[str, Any]]:
    zone = ZoneInfo(ctx.tenant.timezone)
    start, end = date(year, 1, 1), date(year, 12, 31)
    campaigns = await scoped(CallbackCampaign, ctx.tenant_id, CallbackCampaign.id, CallbackCampaign.kind,
                             CallbackCampaign.opens_on, CallbackCampaign.status).where(
        CallbackCampaign.opens_on >= start, CallbackCampaign.opens_on <= end)
    tasks = await scoped(CallbackTask, ctx.tenant_id, CallbackTask.campaign.as_alias("campaign_id"),
                         CallbackTask.status, CallbackTask.due_on, CallbackTask.done_at).where(
        CallbackTask.campaign.opens_on >= start, CallbackTask.campaign.opens_on <= end)
    counts: dict[int, dict[str, int]] = {}
    for t in tasks:
        c = counts.setdefault(t["campaign_id"], {"tasks": 0, "done": 0, "on_time": 0})
        c["tasks"] += 1
        if t["status"] == "done":
            c["done"] += 1
            if t["done_at"] is not None and t["done_at"].astimezone(zone).date() <= t["due_on"]:
                c["on_time"] += 1
    return [c | counts.get(c["id"], {}) for c in campaigns]


async def plan(ctx: TenantContext, year: int) -> dict[str, Any]:
    """The year's plan (an empty one when none is saved) with its progress rows and totals."""
    kinds = list(callbacks_for(ctx.tenant.kind).kinds)
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackPlan, ctx.tenant_id, CallbackPlan.id, CallbackPlan.grid, CallbackPlan.note,
                            CallbackPlan.updated_at).where(CallbackPlan.year == year)
        campaigns = await _campaigns(ctx, year)
    saved = rows[0] if rows else None
    raw = saved["grid"] if saved else {}
    grid = rules.loaded_grid(json.loads(raw) if isinstance(raw, str) else raw, kinds)
    progress = rules.progress(grid, campaigns, kinds, year, clock.today_in(ctx.tenant.timezone))
    return {"year": year, "saved": saved, "note": saved["note"] if saved else "", "rows": progress,
            "totals": rules.totals(progress), "months": rules.MONTHS, "cell_name": rules.cell_name}
