"""Working a callback task: take it from the position's pool, log each attempt (art. 23: after
the limit of failed attempts the task falls back to the next method and its position, whose
people then see it), hand it to someone. Only staff cleared by their training take callback
work (A art. 8, the duties module's gate)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from kefu.audit import services as audit
from kefu.callbacks import schemas
from kefu.callbacks.policy import attempts as rules
from kefu.callbacks.policy import hours
from kefu.callbacks.policy.online import ONLINE
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import COLUMNS, NewTask, hours_apply, may_work
from kefu.callbacks.services.online import send_online
from kefu.callbacks.tables import CallbackAttempt, CallbackTask
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.imports import insert_rows
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import is_postgres, transaction
from kefu.duties.services import require_cleared
from kefu.tenancy.queries import is_active_member

WORK = "callbacks.work"
MANAGE = "callbacks.manage"


def my_positions(ctx: TenantContext) -> list[str]:
    """The member's positions, those their running assignments grant included."""
    held = getattr(ctx.membership, "held_positions", None)
    return list(held()) if callable(held) else ctx.membership.positions_list()


def methods_of(task: CallbackTask) -> tuple[str, ...]:
    value = task.methods
    return tuple(json.loads(value) if isinstance(value, str) else value)


async def lock_task(tenant_id: int, task_id: int) -> CallbackTask:
    """The task, locked for this transaction on PostgreSQL (SQLite writers are serialised). 404."""
    task = await get_in_tenant(CallbackTask, tenant_id, task_id)
    if is_postgres():
        locked = await scoped_objects(CallbackTask, tenant_id).where(CallbackTask.id == task_id).lock_rows().first()
        assert locked is not None
        task = locked
    return task


def check_may_work(ctx: TenantContext, task: CallbackTask) -> None:
    if task.status != "open":
        raise Refused("task_closed", "This callback is no longer open.")
    if not may_work(status=task.status, owner_id=task.owner, position=task.position, user_id=ctx.user.id,
                    positions=my_positions(ctx), can_manage=ctx.can(MANAGE)):
        raise Refused("not_yours", "This callback belongs to someone else.")


async def take_task(ctx: TenantContext, task_id: int) -> CallbackTask:
    """Take an open task of one's position. Raises Refused (task_closed, not_yours,
    training_missing), 403 (callbacks.work), 404."""
    ctx.require(WORK)
    await require_cleared(ctx, ctx.user.id, WORK)  # A art. 8
    async with transaction(ctx.tenant_id):
        task = await lock_task(ctx.tenant_id, task_id)
        check_may_work(ctx, task)
        if task.owner != ctx.user.id:
            before = task.owner
            task.owner = ctx.user.id
            await task.save([CallbackTask.owner])
            await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_task.take",
                               object_type="callback_task", object_id=task.id,
                               before={"owner_id": before}, after={"owner_id": ctx.user.id})
    return task


async def assign_task(ctx: TenantContext, task_id: int, user_id: int) -> CallbackTask:
    """A manager hands an open task to a member (who must be cleared). Raises FieldError
    (user_id), Refused, 403 (callbacks.manage), 404."""
    ctx.require(MANAGE)
    async with transaction(ctx.tenant_id):
        task = await lock_task(ctx.tenant_id, task_id)
        if task.status != "open":
            raise Refused("task_closed", "This callback is no longer open.")
        if not await is_active_member(ctx.tenant_id, user_id):
            raise FieldError("user_id", "Choose one of the listed values.")
        await require_cleared(ctx, user_id, WORK)
        before, task.owner = task.owner, user_id
        await task.save([CallbackTask.owner])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_task.assign",
                           object_type="callback_task", object_id=task.id,
                           before={"owner_id": before}, after={"owner_id": user_id})
    return task


def _hours_refusal(ctx: TenantContext, method: str, at: Any) -> Refused | None:
    pack = callbacks_for(ctx.tenant.kind)
    if hours_apply(method) and not hours.within(at, ctx.tenant.timezone, pack.calling_start, pack.calling_end,
                                                pack.calling_days):
        return Refused("outside_calling_hours", "Calls are made only within calling hours (%(start)s–%(end)s).",
                       start=pack.calling_start.strftime("%H:%M"), end=pack.calling_end.strftime("%H:%M"))
    return None


async def log_attempt(ctx: TenantContext, task_id: int, data: schemas.AttemptInput,
                      source: str = "staff") -> CallbackAttempt:
    """Log a call or visit and apply its outcome (policy.attempts). The attempt's time is now
    unless given (not in the future, nor before the task was made); a call must fall within
    calling hours. Raises Refused (task_closed, not_yours, outside_calling_hours,
    call_back_time, training_missing), FieldError (attempted_at), 403, 404."""
    ctx.require(WORK)
    await require_cleared(ctx, ctx.user.id, WORK)  # A art. 8
    now = clock.now()
    at = data.attempted_at or now
    async with transaction(ctx.tenant_id):
        task = await lock_task(ctx.tenant_id, task_id)
        check_may_work(ctx, task)
        if at > now + timedelta(minutes=5) or at < task.created_at - timedelta(minutes=5):
            raise FieldError("attempted_at", "The time must be between the task's creation and now.")
        methods = methods_of(task)
        state = rules.TaskState(methods, task.method_index, task.failed_attempts, task.attempt_limit, task.status)
        why = rules.refusal(state, data.outcome, data.call_back_at, now) or _hours_refusal(ctx, task.method, at)
        if why:
            raise why
        attempt = CallbackAttempt(tenant=ctx.tenant_id, task=task.id, method=task.method, attempted_at=at,
                                  outcome=data.outcome, call_back_at=data.call_back_at, note=data.note,
                                  recording_ref=data.recording_ref, by=ctx.user.id, source=source)
        await attempt.save()
        await _apply(ctx, task, methods, rules.apply(state, data.outcome, data.call_back_at), data.outcome)
    return attempt


async def _apply(ctx: TenantContext, task: CallbackTask, methods: tuple[str, ...], result: rules.Result,
                 outcome: str) -> None:
    before = {"method": task.method, "position": task.position, "owner_id": task.owner, "status": task.status}
    task.failed_attempts, task.last_outcome, task.next_call_at = result.failed_attempts, outcome, result.call_back_at
    task.status = result.status
    if result.fell_back:  # art. 23(2): another method, owned by its position; nobody in it yet
        task.method_index = result.method_index
        task.method = result.method(methods)
        task.position = callbacks_for(ctx.tenant.kind).position_of(task.method)
        task.owner = None
        task.fallen_back_at = clock.now()
    if result.status != "open":
        task.done_at = clock.now()
    await task.save([CallbackTask.failed_attempts, CallbackTask.last_outcome, CallbackTask.next_call_at,
                     CallbackTask.status, CallbackTask.method_index, CallbackTask.method, CallbackTask.position,
                     CallbackTask.owner, CallbackTask.fallen_back_at, CallbackTask.done_at])
    after = {"method": task.method, "position": task.position, "owner_id": task.owner, "status": task.status}
    await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_task.attempt",
                       object_type="callback_task", object_id=task.id,
                       before=before, after=after | {"outcome": outcome, "fell_back": result.fell_back})
    if result.fell_back and task.method == ONLINE:  # the customer gets the questionnaire's link now
        await send_online(ctx.tenant, task)


async def add_task(ctx: TenantContext, task: NewTask) -> CallbackTask:
    """One task made by hand or by the API (a new policy to call back, say). 403
    (callbacks.manage). The unique key, if any, makes a repeated call return the first task."""
    ctx.require(MANAGE)
    pack = callbacks_for(ctx.tenant.kind)
    async with transaction(ctx.tenant_id):
        if task.unique_key:
            found = await scoped_objects(CallbackTask, ctx.tenant_id).where(
                CallbackTask.unique_key == task.unique_key).first()
            if found is not None:
                return found
        ids = await insert_rows(CallbackTask, list(COLUMNS), [task.values(ctx.tenant_id, pack, clock.now())])
        row = await get_in_tenant(CallbackTask, ctx.tenant_id, ids[0])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_task.create",
                           object_type="callback_task", object_id=row.id,
                           after={"kind": task.kind, "origin": task.origin, "method": row.method})
    return row
