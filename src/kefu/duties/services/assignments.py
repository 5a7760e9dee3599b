"""Assignments of members to positions with start and end dates, as holder, acting holder or
deputy. A running assignment grants its position's duties and training requirement here, and
its permissions at sign-in (kefu.tenancy.queries.signed_in reads them); ending it ends both."""

from __future__ import annotations

from datetime import date

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy.assignments import check_assignment
from kefu.duties.services.grants import refresh_grants
from kefu.duties.tables import PositionAssignment
from kefu.tenancy.queries import is_active_member

MANAGE = "duties.manage"
MAX_NOTE = 200


async def assign_position(
    ctx: TenantContext, *, user_id: int, position: str, role: str, starts_on: date,
    ends_on: date | None = None, note: str = "",
) -> PositionAssignment:
    """Put a member on a position of the pack from `starts_on` until `ends_on`, the day it ends
    (None: until ended). Raises FieldError (user_id, position, role, ends_on, note), 403 (duties.manage)."""
    ctx.require(MANAGE)
    check_assignment(position, set(ctx.pack.positions), role, starts_on, ends_on)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldError("note", "At most %(max)s characters.", max=MAX_NOTE)
    async with transaction(ctx.tenant_id):
        if not await is_active_member(ctx.tenant_id, user_id):
            raise FieldError("user_id", "Choose one of the listed values.")
        row = PositionAssignment(tenant=ctx.tenant_id, user=user_id, position=position, role=role,
                                 starts_on=starts_on, ends_on=ends_on, note=note, created_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="position.assign",
                           object_type="position_assignment", object_id=row.id,
                           after={"user_id": user_id, "position": position, "role": role,
                                  "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None})
        await refresh_grants(ctx.tenant_id, clock.today_in(ctx.tenant.timezone))
    return row


async def end_assignment(ctx: TenantContext, assignment_id: int, *, ends_on: date | None = None) -> PositionAssignment:
    """End an assignment on `ends_on` (default today): from that day it grants nothing (ending
    it today takes its permissions away at once).
    Raises FieldError("ends_on"), 403 (duties.manage), 404."""
    ctx.require(MANAGE)
    day = ends_on or clock.today_in(ctx.tenant.timezone)
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(PositionAssignment, ctx.tenant_id, assignment_id)
        if day < row.starts_on:
            raise FieldError("ends_on", "The end date cannot be before the start date.")
        before = row.ends_on
        row.ends_on = day
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="position.end",
                           object_type="position_assignment", object_id=row.id,
                           before={"ends_on": before.isoformat() if before else None}, after={"ends_on": day.isoformat()})
        await refresh_grants(ctx.tenant_id, clock.today_in(ctx.tenant.timezone))
    return row
