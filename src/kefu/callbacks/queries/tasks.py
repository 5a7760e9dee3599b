"""Reads of tasks: a person's work queue (their own tasks and the unowned ones of their
positions, nearest due first, paged), one task with its attempts, record and addenda."""

from __future__ import annotations

import json
from typing import Any

from litestar.exceptions import NotFoundException

from kefu.callbacks.policy.tasks import may_work
from kefu.callbacks.tables import (
    CallbackAddendum,
    CallbackAttempt,
    CallbackCampaign,
    CallbackFile,
    CallbackRecord,
    CallbackTask,
)
from kefu.core import clock
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

PAGE_SIZE = 50
VIEW, WORK, MANAGE = "callbacks.view", "callbacks.work", "callbacks.manage"
TASK_COLUMNS = (
    CallbackTask.id, CallbackTask.campaign.as_alias("campaign_id"), CallbackTask.kind, CallbackTask.origin,
    CallbackTask.customer.as_alias("customer_id"), CallbackTask.customer_name, CallbackTask.customer_phone,
    CallbackTask.reference, CallbackTask.subject_type, CallbackTask.subject_id, CallbackTask.method,
    CallbackTask.position, CallbackTask.owner.as_alias("owner_id"), CallbackTask.owner.name.as_alias("owner_name"),
    CallbackTask.status, CallbackTask.opens_on, CallbackTask.due_on, CallbackTask.failed_attempts,
    CallbackTask.attempt_limit, CallbackTask.last_outcome, CallbackTask.next_call_at, CallbackTask.fallen_back_at,
    CallbackTask.methods, CallbackTask.method_index, CallbackTask.created_at, CallbackTask.done_at,
)


def positions_of(ctx: TenantContext) -> list[str]:
    held = getattr(ctx.membership, "held_positions", None)
    return list(held()) if callable(held) else ctx.membership.positions_list()


def _mine(ctx: TenantContext) -> Any:
    positions = positions_of(ctx) or ["-"]
    return (CallbackTask.owner == ctx.user.id) | (CallbackTask.owner.is_null() & CallbackTask.position.is_in(positions))


async def queue(ctx: TenantContext, raw_page: str | None) -> Page:
    """The person's open tasks that may be worked today, nearest due first. 403 without
    callbacks.work."""
    ctx.require(WORK)
    number = page_number(raw_page)
    today = clock.today_in(ctx.tenant.timezone)
    where = (CallbackTask.status == "open", CallbackTask.opens_on <= today, _mine(ctx))
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackTask, ctx.tenant_id, *TASK_COLUMNS).where(*where).order_by(
            CallbackTask.due_on).order_by(CallbackTask.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        total = await scoped_count(CallbackTask, ctx.tenant_id).where(*where)
    return Page([loaded(r) for r in rows], number, PAGE_SIZE, total)


def loaded(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("methods", "answers", "questions", "target"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


async def task_row(tenant_id: int, task_id: int) -> dict[str, Any]:
    rows = await scoped(CallbackTask, tenant_id, *TASK_COLUMNS).where(CallbackTask.id == task_id)
    if not rows:
        raise NotFoundException()
    return loaded(rows[0])


def can_see(ctx: TenantContext, task: dict[str, Any]) -> bool:
    if ctx.can(VIEW) or ctx.can(MANAGE):
        return True
    if not ctx.can(WORK):
        return False
    return task["owner_id"] == ctx.user.id or (task["owner_id"] is None and task["position"] in positions_of(ctx))


async def visible_task(ctx: TenantContext, task_id: int) -> dict[str, Any]:
    """The task if the member may see it (theirs, their position's, or they see the archive);
    else the same 404 as a missing one."""
    task = await task_row(ctx.tenant_id, task_id)
    if not can_see(ctx, task):
        raise NotFoundException()
    return task


async def attempts_of(tenant_id: int, task_id: int) -> list[dict[str, Any]]:
    return await scoped(
        CallbackAttempt, tenant_id, CallbackAttempt.id, CallbackAttempt.method, CallbackAttempt.attempted_at,
        CallbackAttempt.outcome, CallbackAttempt.call_back_at, CallbackAttempt.note, CallbackAttempt.recording_ref,
        CallbackAttempt.by.name.as_alias("by_name"), CallbackAttempt.source,
    ).where(CallbackAttempt.task == task_id).order_by(CallbackAttempt.attempted_at).order_by(CallbackAttempt.id)


async def record_of_task(tenant_id: int, task_id: int) -> dict[str, Any] | None:
    rows = await scoped(CallbackRecord, tenant_id, *RECORD_COLUMNS).where(CallbackRecord.task == task_id)
    return loaded(rows[0]) if rows else None


RECORD_COLUMNS = (
    CallbackRecord.id, CallbackRecord.task.as_alias("task_id"), CallbackRecord.campaign.as_alias("campaign_id"),
    CallbackRecord.kind, CallbackRecord.method, CallbackRecord.customer.as_alias("customer_id"),
    CallbackRecord.customer_name, CallbackRecord.reference, CallbackRecord.answers, CallbackRecord.notes,
    CallbackRecord.recording_ref, CallbackRecord.status, CallbackRecord.written_by.as_alias("written_by_id"),
    CallbackRecord.written_by.name.as_alias("written_by_name"), CallbackRecord.callback_on, CallbackRecord.locked_at,
    CallbackRecord.retain_until, CallbackRecord.updated_at,
)


async def addenda_of(tenant_id: int, record_id: int) -> list[dict[str, Any]]:
    return await scoped(
        CallbackAddendum, tenant_id, CallbackAddendum.id, CallbackAddendum.field, CallbackAddendum.text,
        CallbackAddendum.by.name.as_alias("by_name"), CallbackAddendum.created_at,
    ).where(CallbackAddendum.record == record_id).order_by(CallbackAddendum.id)


async def files_of(tenant_id: int, record_id: int) -> list[dict[str, Any]]:
    return await scoped(CallbackFile, tenant_id, CallbackFile.id, CallbackFile.filename, CallbackFile.size,
                        CallbackFile.created_at).where(CallbackFile.record == record_id).order_by(CallbackFile.id)


async def questions(tenant_id: int, campaign_id: int | None) -> list[dict[str, str]]:
    if campaign_id is None:
        return []
    rows = await scoped(CallbackCampaign, tenant_id, CallbackCampaign.questions).where(CallbackCampaign.id == campaign_id)
    return loaded(rows[0])["questions"] if rows else []


async def task_page(ctx: TenantContext, task_id: int) -> dict[str, Any]:
    """Everything the task's page shows; 404 unless visible_task."""
    async with transaction(ctx.tenant_id, write=False):
        task = await visible_task(ctx, task_id)
        record = await record_of_task(ctx.tenant_id, task_id)
        found: dict[str, Any] = {
            "task": task, "attempts": await attempts_of(ctx.tenant_id, task_id), "record": record,
            "questions": await questions(ctx.tenant_id, task["campaign_id"]),
            "addenda": await addenda_of(ctx.tenant_id, record["id"]) if record else [],
            "files": await files_of(ctx.tenant_id, record["id"]) if record else [],
        }
    found["may_work"] = ctx.can(WORK) and may_work(
        status=task["status"], owner_id=task["owner_id"], position=task["position"], user_id=ctx.user.id,
        positions=positions_of(ctx), can_manage=ctx.can(MANAGE))
    return found


async def file_of(ctx: TenantContext, file_id: int) -> tuple[dict[str, Any], str]:
    """A record's attachment and its stored reference, if its task is visible; else 404."""
    row = await get_in_tenant(CallbackFile, ctx.tenant_id, file_id)
    record = await get_in_tenant(CallbackRecord, ctx.tenant_id, row.record)
    await visible_task(ctx, record.task)
    return {"id": row.id, "filename": row.filename}, row.file_ref


async def visible_record(ctx: TenantContext, record_id: int) -> dict[str, Any]:
    """A record (id, task_id, campaign_id, status) whose task the member may see; else 404."""
    record = await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
    await visible_task(ctx, record.task)
    return {"id": record.id, "task_id": record.task, "campaign_id": record.campaign, "status": record.status}
