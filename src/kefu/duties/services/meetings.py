"""Meetings (B.j, B.r department meetings; B.g, C.l owners' assembly; B.h canteen committee):
agenda, attendees and minutes, and action items with owners and due dates followed to closure.
A department meeting's minutes close B.j's task of that week (services.sweep)."""

from __future__ import annotations

from datetime import date

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy import meetings as rules
from kefu.duties.tables import Meeting, MeetingAction
from kefu.tenancy.queries import is_active_member

MANAGE = "duties.board"


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FieldError(field, "This field is required.")
    if len(value) > limit:
        raise FieldError(field, "At most %(max)s characters.", max=limit)
    return value


async def record_meeting(
    ctx: TenantContext, *, kind: str, title: str, held_on: date, agenda: str = "", attendees: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting held. Raises FieldError (kind, title, held_on, agenda, attendees,
    minutes), 403 (duties.board)."""
    ctx.require(MANAGE)
    if kind not in rules.KINDS:
        raise FieldError("kind", "Choose one of the listed values.")
    title = _text("title", title, 200, required=True)
    if held_on > clock.today_in(ctx.tenant.timezone):
        raise FieldError("held_on", "The date cannot be in the future.")
    agenda, attendees = _text("agenda", agenda, rules.MAX_TEXT), _text("attendees", attendees, rules.MAX_TEXT)
    minutes = _text("minutes", minutes, rules.MAX_TEXT)
    async with transaction(ctx.tenant_id):
        row = Meeting(tenant=ctx.tenant_id, kind=kind, title=title, held_on=held_on, agenda=agenda,
                      attendees=attendees, minutes=minutes, created_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="meeting.record",
                           object_type="meeting", object_id=row.id,
                           after={"kind": kind, "held_on": held_on.isoformat(), "minutes_chars": len(minutes)})
    return row


async def add_action(ctx: TenantContext, meeting_id: int, *, title: str, owner_id: int, due_on: date) -> MeetingAction:
    """An action item of a meeting, owned by a member. Raises FieldError (title, owner_id,
    due_on), 403 (duties.board), 404."""
    ctx.require(MANAGE)
    title = _text("title", title, 200, required=True)
    async with transaction(ctx.tenant_id):
        meeting = await get_in_tenant(Meeting, ctx.tenant_id, meeting_id)
        if not await is_active_member(ctx.tenant_id, owner_id):
            raise FieldError("owner_id", "Choose one of the listed values.")
        if due_on < meeting.held_on:
            raise FieldError("due_on", "The due date cannot be before the meeting.")
        row = MeetingAction(tenant=ctx.tenant_id, meeting=meeting.id, title=title, owner=owner_id, due_on=due_on)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="meeting.action",
                           object_type="meeting", object_id=meeting.id,
                           after={"action_id": row.id, "owner_id": owner_id, "due_on": due_on.isoformat()})
    return row


async def close_action(ctx: TenantContext, action_id: int) -> MeetingAction:
    """Close an action item (its owner or a manager). Raises Refused (action_done,
    action_not_yours), 404."""
    async with transaction(ctx.tenant_id):
        await MeetingAction.update({MeetingAction.status: MeetingAction.status}).where(
            MeetingAction.tenant == ctx.tenant_id, MeetingAction.id == action_id)
        row = await get_in_tenant(MeetingAction, ctx.tenant_id, action_id)
        why = rules.action_refusal(row.status, is_owner=row.owner == ctx.user.id, can_manage=ctx.can(MANAGE))
        if why is not None:
            raise why
        row.status, row.done_on = "done", clock.today_in(ctx.tenant.timezone)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="meeting.action_done",
                           object_type="meeting", object_id=row.meeting, after={"action_id": row.id})
    return row
