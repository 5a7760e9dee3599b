"""The callbacks section of a complaint's page: the problems found in callbacks (art. 26) that
became this complaint, and the complaint-handling follow-up (art. 24(2)) with its outcome. The
complaint page loads it from callbacks' route (callbacks names complaints, so complaints does
not import callbacks), as the customer page loads complaints and surveys."""

from __future__ import annotations

import json
from typing import Any

from litestar.exceptions import NotFoundException

from kefu.callbacks.tables import CallbackProblem, CallbackRecord, CallbackTask
from kefu.complaints.queries.performance import complaint_title
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction


async def complaint_section(ctx: TenantContext, complaint_id: int) -> dict[str, Any]:
    """The complaint's title, its callback problems and its follow-ups; 404 when the tenant has
    no such complaint."""
    title = await complaint_title(ctx.tenant_id, complaint_id)
    if title is None:
        raise NotFoundException()
    async with transaction(ctx.tenant_id, write=False):
        problems = await scoped(
            CallbackProblem, ctx.tenant_id, CallbackProblem.id, CallbackProblem.summary, CallbackProblem.cause,
            CallbackProblem.status, CallbackProblem.due_on, CallbackProblem.resolution,
            CallbackProblem.task.as_alias("task_id"), CallbackProblem.task.customer_name.as_alias("customer_name"),
            CallbackProblem.task.kind.as_alias("kind"),
        ).where(CallbackProblem.complaint == complaint_id).order_by(CallbackProblem.id)
        followups = await scoped(
            CallbackTask, ctx.tenant_id, CallbackTask.id, CallbackTask.kind, CallbackTask.status, CallbackTask.method,
            CallbackTask.opens_on, CallbackTask.due_on, CallbackTask.last_outcome, CallbackTask.done_at,
        ).where(CallbackTask.subject_type == "complaint", CallbackTask.subject_id == complaint_id).order_by(
            CallbackTask.id)
        records = await scoped(
            CallbackRecord, ctx.tenant_id, CallbackRecord.id, CallbackRecord.task.as_alias("task_id"),
            CallbackRecord.status, CallbackRecord.method, CallbackRecord.callback_on, CallbackRecord.answers,
            CallbackRecord.notes,
        ).where(CallbackRecord.task.is_in([f["id"] for f in followups] or [0]))
    by_task = {r["task_id"]: r | {"answers": _answers(r["answers"])} for r in records}
    for f in followups:
        f["record"] = by_task.get(f["id"])
    return {"complaint_id": complaint_id, "complaint_title": title, "problems": problems, "followups": followups}


def _answers(value: Any) -> dict[str, str]:
    return dict(json.loads(value) if isinstance(value, str) else value or {})
