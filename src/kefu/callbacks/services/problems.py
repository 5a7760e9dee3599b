"""Problems found in callbacks (A art. 26): raised from a record, or at once from a task when a
new policy's holder says they did not sign or did not understand (A art. 24(1)); assigned to
the responsible department (a position) or a person with a due date; closed with what was done;
made a complaint in one step through the complaints module's public service (linked both ways:
the problem keeps the complaint, the complaint's reference and text name the problem, and the
idempotency key makes a retried step return the same complaint)."""

from __future__ import annotations

from datetime import date

from kefu.audit import services as audit
from kefu.callbacks.policy import quality as rules
from kefu.callbacks.problem_schemas import ProblemInput
from kefu.callbacks.services.tasks import MANAGE, WORK
from kefu.callbacks.tables import CallbackProblem, CallbackRecord, CallbackTask
from kefu.complaints import services as complaints
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import is_postgres, transaction
from kefu.tenancy.queries import is_active_member


async def _lock(tenant_id: int, problem_id: int) -> CallbackProblem:
    problem = await get_in_tenant(CallbackProblem, tenant_id, problem_id)
    if is_postgres():
        locked = await scoped_objects(CallbackProblem, tenant_id).where(
            CallbackProblem.id == problem_id).lock_rows().first()
        assert locked is not None
        problem = locked
    return problem


async def _check_assignee(ctx: TenantContext, assignee_id: int | None) -> None:
    if assignee_id is not None and not await is_active_member(ctx.tenant_id, assignee_id):
        raise FieldError("assignee_id", "Choose a member of this organisation.")


async def _new(ctx: TenantContext, task: CallbackTask, record_id: int | None, data: ProblemInput) -> CallbackProblem:
    pack = rules.quality_for(ctx.tenant.kind)
    await _check_assignee(ctx, data.assignee_id)
    today = clock.today_in(ctx.tenant.timezone)
    problem = CallbackProblem(
        tenant=ctx.tenant_id, task=task.id, record=record_id, cause=data.cause, summary=data.summary,
        detail=data.detail, position=data.position or pack.default_position, assignee=data.assignee_id,
        due_on=data.due_on or rules.problem_due(today, pack), raised_by=ctx.user.id, raised_at=clock.now())
    await problem.save()
    await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_problem.raise",
                       object_type="callback_problem", object_id=problem.id,
                       after={"task_id": task.id, "record_id": record_id, "cause": data.cause, "summary": data.summary,
                              "position": problem.position, "assignee_id": data.assignee_id,
                              "due_on": problem.due_on.isoformat()})
    return problem


async def raise_from_record(ctx: TenantContext, record_id: int, data: ProblemInput) -> CallbackProblem:
    """A problem found in a written record (draft or submitted). 403 without callbacks.work, 404."""
    ctx.require(WORK)
    async with transaction(ctx.tenant_id):
        record = await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
        task = await get_in_tenant(CallbackTask, ctx.tenant_id, record.task)
        return await _new(ctx, task, record.id, data)


async def raise_from_task(ctx: TenantContext, task_id: int, data: ProblemInput) -> CallbackProblem:
    """At once, during the call: only the pack's `immediate` causes (did not sign, did not
    understand). Raises FieldError (cause), 403, 404."""
    ctx.require(WORK)
    cause = rules.quality_for(ctx.tenant.kind).cause(data.cause)
    if cause is None or not cause.immediate:
        raise FieldError("cause", "Only a cause raised at once can be raised from the task.")
    async with transaction(ctx.tenant_id):
        task = await get_in_tenant(CallbackTask, ctx.tenant_id, task_id)
        return await _new(ctx, task, None, data)


async def assign_problem(ctx: TenantContext, problem_id: int, *, position: str, assignee_id: int | None,
                         due_on: date) -> CallbackProblem:
    """A manager sends a problem to a department or person with a due date; the reminder and the
    escalation start again for the new date. Raises Refused (problem_closed), FieldError, 403, 404."""
    ctx.require(MANAGE)
    async with transaction(ctx.tenant_id):
        problem = await _lock(ctx.tenant_id, problem_id)
        if why := rules.change_refusal(problem.status):
            raise why
        await _check_assignee(ctx, assignee_id)
        before = {"position": problem.position, "assignee_id": problem.assignee, "due_on": problem.due_on.isoformat()}
        problem.position, problem.assignee, problem.due_on = position, assignee_id, due_on
        problem.reminded_at = problem.escalated_at = None
        await problem.save([CallbackProblem.position, CallbackProblem.assignee, CallbackProblem.due_on,
                            CallbackProblem.reminded_at, CallbackProblem.escalated_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_problem.assign",
                           object_type="callback_problem", object_id=problem.id, before=before,
                           after={"position": position, "assignee_id": assignee_id, "due_on": due_on.isoformat()})
    return problem


def _may_close(ctx: TenantContext, problem: CallbackProblem, positions: list[str]) -> bool:
    return ctx.can(MANAGE) or problem.assignee == ctx.user.id or (problem.assignee is None
                                                                  and problem.position in positions)


async def close_problem(ctx: TenantContext, problem_id: int, resolution: str, positions: list[str]) -> CallbackProblem:
    """Closed with what was done, by its assignee (or the department's people) or a manager.
    Raises Refused (problem_closed, not_yours), 403, 404."""
    ctx.require(WORK)
    async with transaction(ctx.tenant_id):
        problem = await _lock(ctx.tenant_id, problem_id)
        if why := rules.change_refusal(problem.status):
            raise why
        if not _may_close(ctx, problem, positions):
            raise Refused("not_yours", "This problem is assigned to someone else.")
        problem.status, problem.resolution, problem.closed_at = "closed", resolution, clock.now()
        await problem.save([CallbackProblem.status, CallbackProblem.resolution, CallbackProblem.closed_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_problem.close",
                           object_type="callback_problem", object_id=problem.id,
                           before={"status": "open"}, after={"status": "closed", "resolution": resolution})
    return problem


async def problem_to_complaint(ctx: TenantContext, problem_id: int) -> int:
    """The problem becomes a complaint in one step (complaints.register_complaint_once: its
    permission, training gate and rules hold); the problem keeps the complaint's id. A retry
    returns the same complaint. Raises Refused (already_complaint, problem_closed), 403, 404."""
    ctx.require(MANAGE)
    pack = rules.quality_for(ctx.tenant.kind)
    async with transaction(ctx.tenant_id):
        problem = await _lock(ctx.tenant_id, problem_id)
        if why := rules.complaint_refusal(problem.status, problem.complaint):
            raise why
        task = await get_in_tenant(CallbackTask, ctx.tenant_id, problem.task)
        complaint, _ = await complaints.register_complaint_once(ctx, {
            "channel": pack.complaint_channel, "category": pack.complaint_category,
            "received_on": clock.today_in(ctx.tenant.timezone).isoformat(),
            "complainant": {"name": task.customer_name or "—", "phone": task.customer_phone},
            "subject": problem.summary[:200], "customer_ref": task.reference[:64],
            "description": f"回访发现问题 #{problem.id} / Callback problem #{problem.id}\n\n{problem.detail}"[:10_000],
            "idempotency_key": f"callback-problem:{ctx.tenant_id}:{problem.id}",
        }, source="staff")
        problem.complaint = complaint.id
        await problem.save([CallbackProblem.complaint])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_problem.to_complaint",
                           object_type="callback_problem", object_id=problem.id,
                           after={"complaint_id": complaint.id})
    return int(complaint.id)
