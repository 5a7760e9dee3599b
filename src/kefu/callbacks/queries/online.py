"""A task's online questionnaire (services.online), as its page shows it: when the link went out,
how, and when the customer answered."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from kefu.callbacks.queries.tasks import visible_task
from kefu.callbacks.tables import CallbackOnline
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction


async def online_of(tenant_id: int, task_id: int) -> dict[str, Any] | None:
    async with transaction(tenant_id, write=False):
        return await scoped(CallbackOnline, tenant_id, CallbackOnline.channel, CallbackOnline.sent_at,
                            CallbackOnline.answered_at, CallbackOnline.round_id).where(
            CallbackOnline.task == task_id).first()


async def still_visible(ctx: TenantContext, task_id: int) -> bool:
    """Whether the member may still see the task (after a fallback it may be another position's)."""
    try:
        async with transaction(ctx.tenant_id, write=False):
            await visible_task(ctx, task_id)
    except NotFoundException:
        return False
    return True
