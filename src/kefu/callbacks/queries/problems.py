"""Reads of problems found in callbacks (A art. 26): the list (open first, nearest due first;
a member without callbacks.view sees those assigned to them or their positions), one problem,
the problems of a record, and the problem a complaint came from (the link back)."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from kefu.callbacks.tables import CallbackProblem
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

VIEW = "callbacks.view"
PAGE_SIZE = 50
COLUMNS = (
    CallbackProblem.id, CallbackProblem.task.as_alias("task_id"), CallbackProblem.record.as_alias("record_id"),
    CallbackProblem.cause, CallbackProblem.summary, CallbackProblem.detail, CallbackProblem.position,
    CallbackProblem.assignee.as_alias("assignee_id"), CallbackProblem.assignee.name.as_alias("assignee_name"),
    CallbackProblem.due_on, CallbackProblem.status, CallbackProblem.resolution,
    CallbackProblem.complaint.as_alias("complaint_id"), CallbackProblem.raised_by.name.as_alias("raised_by_name"),
    CallbackProblem.raised_at, CallbackProblem.closed_at, CallbackProblem.task.customer_name.as_alias("customer_name"),
    CallbackProblem.task.reference.as_alias("reference"),
)


def _visible(ctx: TenantContext, positions: list[str]) -> list[Any]:
    if ctx.can(VIEW):
        return []
    return [(CallbackProblem.assignee == ctx.user.id)
            | (CallbackProblem.assignee.is_null() & CallbackProblem.position.is_in(positions or [""]))]


async def problems(ctx: TenantContext, positions: list[str], status: str, raw_page: str | None) -> Page:
    """Open (or closed) problems, nearest due first; 403 without callbacks.work or view."""
    if not (ctx.can(VIEW) or ctx.can("callbacks.work")):
        ctx.require(VIEW)
    number = page_number(raw_page)
    where = [CallbackProblem.status == ("closed" if status == "closed" else "open"), *_visible(ctx, positions)]
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackProblem, ctx.tenant_id, *COLUMNS).where(*where).order_by(
            CallbackProblem.due_on).order_by(CallbackProblem.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        total = await scoped_count(CallbackProblem, ctx.tenant_id).where(*where)
    return Page(rows, number, PAGE_SIZE, total)


async def problem(ctx: TenantContext, positions: list[str], problem_id: int) -> dict[str, Any]:
    """One problem; 404 when missing, another tenant's, or not the member's to see."""
    if not (ctx.can(VIEW) or ctx.can("callbacks.work")):
        ctx.require(VIEW)
    async with transaction(ctx.tenant_id, write=False):
        await get_in_tenant(CallbackProblem, ctx.tenant_id, problem_id)
        row = await scoped(CallbackProblem, ctx.tenant_id, *COLUMNS).where(
            CallbackProblem.id == problem_id, *_visible(ctx, positions)).first()
    if row is None:
        raise NotFoundException()
    return row


async def problems_of_record(tenant_id: int, record_id: int) -> list[dict[str, Any]]:
    return await scoped(CallbackProblem, tenant_id, CallbackProblem.id, CallbackProblem.summary,
                        CallbackProblem.status, CallbackProblem.due_on).where(
        CallbackProblem.record == record_id).order_by(CallbackProblem.id)


async def problems_of_task(tenant_id: int, task_id: int) -> list[dict[str, Any]]:
    return await scoped(CallbackProblem, tenant_id, CallbackProblem.id, CallbackProblem.summary,
                        CallbackProblem.status, CallbackProblem.due_on).where(
        CallbackProblem.task == task_id).order_by(CallbackProblem.id)


async def problem_of_complaint(tenant_id: int, complaint_id: int) -> int | None:
    """The problem a complaint was made from (the link back from the complaint), or None."""
    row = await scoped(CallbackProblem, tenant_id, CallbackProblem.id).where(
        CallbackProblem.complaint == complaint_id).first()
    return row["id"] if row else None
