"""Improvement actions (B.l: survey, analyse, organise improvements; C.d: the report management
acts on): what will be done about a finding, by whom, by when, followed to closure.

One function per change; each checks surveys.actions, writes an audit event in the same
transaction, and changes nothing when it raises: FormErrors (field -> translated message) for
bad input, Refused when the action's state does not allow the change (policy.actions).
"""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FormErrors, Refused
from kefu.core.scoping import get_in_tenant, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.surveys.policy import actions as policy
from kefu.surveys.schemas.actions import ActionInput, read_closing
from kefu.surveys.tables import ImprovementAction, SurveyRound
from kefu.tenancy.queries import is_active_member

PERMISSION = "surveys.actions"


async def _check_links(ctx: TenantContext, data: ActionInput, current_owner: int | None = None) -> None:
    """The owner a member of this tenant (or the one the action already has, who may have left
    since), the round one of its rounds."""
    errors = {}
    if data.owner_id is not None and data.owner_id != current_owner and not await is_active_member(
            ctx.tenant_id, data.owner_id):
        errors["owner_id"] = i18n.gettext("Choose a value from the list.")
    if data.round_id is not None and not await scoped_count(SurveyRound, ctx.tenant_id).where(
            SurveyRound.id == data.round_id):
        errors["round_id"] = i18n.gettext("Choose a value from the list.")
    if errors:
        raise FormErrors(errors)


def _fields(data: ActionInput) -> dict:
    return {
        ImprovementAction.title: data.title, ImprovementAction.description: data.description,
        ImprovementAction.owner: data.owner_id, ImprovementAction.owner_name: data.owner_name,
        ImprovementAction.due_on: data.due_on, ImprovementAction.round: data.round_id,
        ImprovementAction.question_key: data.question_key,
    }


def _snapshot(data: ActionInput) -> dict[str, Any]:
    return {"title": data.title, "owner_id": data.owner_id, "owner_name": data.owner_name,
            "due_on": str(data.due_on) if data.due_on else None, "round_id": data.round_id,
            "question_key": data.question_key}


async def create_action(ctx: TenantContext, data: ActionInput) -> ImprovementAction:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        await _check_links(ctx, data)
        now = clock.now()
        row = ImprovementAction(tenant=ctx.tenant_id, created_by=ctx.user.id, created_at=now, updated_at=now)
        for column, value in _fields(data).items():
            setattr(row, column._meta.name, value)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_created",
                           object_type="improvement_action", object_id=row.id, after=_snapshot(data))
    return row


async def update_action(ctx: TenantContext, action_id: int, data: ActionInput) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        before = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        await _check_links(ctx, data, current_owner=before.owner)
        await ImprovementAction.update({**_fields(data), ImprovementAction.updated_at: clock.now()}).where(
            ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_updated",
            object_type="improvement_action", object_id=action_id,
            before={"title": before.title, "owner_id": before.owner, "owner_name": before.owner_name,
                    "due_on": str(before.due_on) if before.due_on else None},
            after=_snapshot(data),
        )


async def close_action(ctx: TenantContext, action_id: int, *, status: str, outcome: str,
                       closed_on: str = "") -> None:
    """Done (what was achieved) or dropped (why), schemas.actions.read_closing says what counts."""
    ctx.require(PERMISSION)
    closing = read_closing(status, outcome, closed_on, clock.today_in(ctx.tenant.timezone))
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        _refuse_unless(policy.CLOSE, row.status)
        await ImprovementAction.update({
            ImprovementAction.status: closing.status, ImprovementAction.outcome: closing.outcome,
            ImprovementAction.closed_on: closing.closed_on, ImprovementAction.updated_at: clock.now(),
        }).where(ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"surveys.action_{closing.status}",
                           object_type="improvement_action", object_id=action_id,
                           before={"status": "open"}, after={"status": closing.status, "closed_on": str(closing.closed_on)})


async def reopen_action(ctx: TenantContext, action_id: int) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        _refuse_unless(policy.REOPEN, row.status)
        await ImprovementAction.update({
            ImprovementAction.status: policy.OPEN, ImprovementAction.closed_on: None,
            ImprovementAction.updated_at: clock.now(),
        }).where(ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_reopened",
                           object_type="improvement_action", object_id=action_id,
                           before={"status": row.status}, after={"status": "open"})


def _refuse_unless(action: str, status: str) -> None:
    refused = policy.refusal(action, status)
    if refused is not None:
        raise Refused(*refused)
