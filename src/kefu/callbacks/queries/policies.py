"""New-policy callbacks' reads: the tasks made from new policies, nearest due first, and the
watch's figures (open, due within the reminder lead, overdue; done and done on time inside
the cooling-off period)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.tables import CallbackTask
from kefu.core import clock
from kefu.core.paging import Page, page_number
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

VIEW, MANAGE = "callbacks.view", "callbacks.manage"
PAGE_SIZE = 50
STATES = ("open", "done", "unreachable")


async def policy_tasks(ctx: TenantContext, raw_page: str | None, status: str = "open") -> Page:
    """Tasks of origin "policy", by status (open: nearest due first; else latest first).
    403 without view or manage."""
    if not ctx.can(MANAGE):
        ctx.require(VIEW)
    status = status if status in STATES else "open"
    number = page_number(raw_page)
    where = (CallbackTask.origin == "policy", CallbackTask.status == status)
    async with transaction(ctx.tenant_id, write=False):
        query = scoped(CallbackTask, ctx.tenant_id, CallbackTask.id, CallbackTask.reference, CallbackTask.product,
                       CallbackTask.customer_name, CallbackTask.opens_on, CallbackTask.due_on, CallbackTask.method,
                       CallbackTask.status, CallbackTask.owner.name.as_alias("owner_name"), CallbackTask.done_at,
                       CallbackTask.reminded_at, CallbackTask.escalated_at, CallbackTask.campaign.as_alias("campaign_id"),
                       ).where(*where)
        query = query.order_by(CallbackTask.due_on) if status == "open" else query.order_by(
            CallbackTask.due_on, ascending=False)
        rows = await query.order_by(CallbackTask.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        total = await scoped_count(CallbackTask, ctx.tenant_id).where(*where)
    return Page(list(rows), number, PAGE_SIZE, total)


async def watch_figures(ctx: TenantContext, days: int = 90) -> dict[str, Any]:
    """Over the policies received in the last `days` days: open, due soon (within the
    reminder lead), overdue, done, done on time (by the cooling-off deadline), the on-time rate."""
    pack = callbacks_for(ctx.tenant.kind)
    today = clock.today_in(ctx.tenant.timezone)
    zone = ZoneInfo(ctx.tenant.timezone)
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackTask, ctx.tenant_id, CallbackTask.status, CallbackTask.due_on,
                            CallbackTask.done_at).where(
            CallbackTask.origin == "policy", CallbackTask.opens_on >= today - timedelta(days=days))
    open_ = [r for r in rows if r["status"] == "open"]
    done = [r for r in rows if r["status"] == "done"]
    on_time = sum(r["done_at"] is not None and r["done_at"].astimezone(zone).date() <= r["due_on"] for r in done)
    return {
        "days": days, "total": len(rows), "open": len(open_),
        "due_soon": sum(today <= r["due_on"] <= today + timedelta(days=pack.remind_days_before) for r in open_),
        "overdue": sum(r["due_on"] < today for r in open_), "done": len(done), "on_time": on_time,
        "late": len(done) - on_time,
        "on_time_rate": round(100.0 * on_time / len(done), 1) if done else None,
    }
