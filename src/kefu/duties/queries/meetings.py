"""Reads of meetings: the list, one meeting with its action items, and the minutes that are a
duty's evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.duties.tables import Meeting, MeetingAction


async def meeting_list(tenant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    async with transaction(tenant_id, write=False):
        return await scoped(Meeting, tenant_id, Meeting.id, Meeting.kind, Meeting.title, Meeting.held_on).order_by(
            Meeting.held_on, ascending=False).order_by(Meeting.id, ascending=False).limit(limit)


async def meeting(tenant_id: int, meeting_id: int) -> dict[str, Any]:
    """The meeting (404 if not the tenant's) with its action items."""
    async with transaction(tenant_id, write=False):
        row = await get_in_tenant(Meeting, tenant_id, meeting_id)
        actions = await scoped(
            MeetingAction, tenant_id, MeetingAction.id, MeetingAction.title, MeetingAction.due_on,
            MeetingAction.status, MeetingAction.done_on, MeetingAction.owner.as_alias("owner_id"),
            MeetingAction.owner.name.as_alias("owner_name"),
        ).where(MeetingAction.meeting == row.id).order_by(MeetingAction.due_on).order_by(MeetingAction.id)
    return {"meeting": row.to_dict(), "actions": actions}


async def minutes_between(tenant_id: int, kind: str, start: date, end: date) -> int | None:
    """The first meeting of `kind` held from `start` to `end` (inclusive) with minutes; its id."""
    async with transaction(tenant_id, write=False):
        found = await scoped(Meeting, tenant_id, Meeting.id).where(
            Meeting.kind == kind, Meeting.held_on >= start, Meeting.held_on <= end, Meeting.minutes != "",
        ).order_by(Meeting.held_on).order_by(Meeting.id).first()
    return found["id"] if found else None


async def meeting_of_item(tenant_id: int, item_id: int) -> int:
    """The meeting of an action item (404 if the item is not the tenant's)."""
    async with transaction(tenant_id, write=False):
        return (await get_in_tenant(MeetingAction, tenant_id, item_id)).meeting
