"""Campaign reads: the list with each one's progress (tasks by status, fallen back), one
campaign with its settings and progress."""

from __future__ import annotations

from typing import Any

from kefu.callbacks.queries.tasks import loaded
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

VIEW, MANAGE = "callbacks.view", "callbacks.manage"
PAGE_SIZE = 50
COLUMNS = (
    CallbackCampaign.id, CallbackCampaign.kind, CallbackCampaign.title, CallbackCampaign.plan, CallbackCampaign.opens_on,
    CallbackCampaign.window_start, CallbackCampaign.window_end, CallbackCampaign.status, CallbackCampaign.task_count,
    CallbackCampaign.manager.name.as_alias("manager_name"), CallbackCampaign.methods, CallbackCampaign.attempt_limit,
    CallbackCampaign.script, CallbackCampaign.questions, CallbackCampaign.focus, CallbackCampaign.target,
)


def _may_see(ctx: TenantContext) -> None:
    if not ctx.can(MANAGE):
        ctx.require(VIEW)


async def progress(tenant_id: int, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """campaign id -> {status: count, "fallen_back": n}."""
    found: dict[int, dict[str, int]] = {i: {} for i in campaign_ids}
    if not campaign_ids:
        return found
    rows = await scoped(CallbackTask, tenant_id, CallbackTask.campaign.as_alias("campaign_id"), CallbackTask.status,
                        CallbackTask.fallen_back_at).where(CallbackTask.campaign.is_in(campaign_ids))
    for r in rows:
        counts = found[r["campaign_id"]]
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        if r["fallen_back_at"] is not None:
            counts["fallen_back"] = counts.get("fallen_back", 0) + 1
    return found


async def campaigns(ctx: TenantContext, raw_page: str | None) -> Page:
    """Campaigns, latest opening first, with their progress. 403 without view or manage."""
    _may_see(ctx)
    number = page_number(raw_page)
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackCampaign, ctx.tenant_id, *COLUMNS).order_by(
            CallbackCampaign.opens_on, ascending=False).order_by(CallbackCampaign.id, ascending=False).limit(
            PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        total = await scoped_count(CallbackCampaign, ctx.tenant_id)
        counts = await progress(ctx.tenant_id, [r["id"] for r in rows])
    return Page([loaded(r) | {"progress": counts[r["id"]]} for r in rows], number, PAGE_SIZE, total)


async def campaign(ctx: TenantContext, campaign_id: int) -> dict[str, Any]:
    _may_see(ctx)
    async with transaction(ctx.tenant_id, write=False):
        await get_in_tenant(CallbackCampaign, ctx.tenant_id, campaign_id)
        rows = await scoped(CallbackCampaign, ctx.tenant_id, *COLUMNS).where(CallbackCampaign.id == campaign_id)
        counts = await progress(ctx.tenant_id, [campaign_id])
    row = loaded(rows[0])
    row["target"].pop("rows", None)
    return row | {"progress": counts[campaign_id]}
