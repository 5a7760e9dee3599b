"""Reads of the audit trail for the pages that show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kefu.audit.tables import AuditEvent
from kefu.core.paging import Page
from kefu.core.scoping import get_in_tenant, scoped, scoped_count


async def object_trail(
    tenant_id: int, object_type: str, object_id: int, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The events of one object, oldest first: id, action, created_at, before, after (as
    dicts) and actor_name."""
    query = scoped(
        AuditEvent, tenant_id, AuditEvent.id, AuditEvent.action, AuditEvent.created_at,
        AuditEvent.before, AuditEvent.after, AuditEvent.actor.name.as_alias("actor_name"),
    ).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == object_id
    ).order_by(AuditEvent.id)
    if limit is not None:
        query = query.limit(limit)
    return await query.output(load_json=True)


async def recent_events(tenant_id: int, limit: int = 5) -> list[dict[str, Any]]:
    """The tenant's latest events, newest first: action, created_at."""
    return await (
        scoped(AuditEvent, tenant_id, AuditEvent.action, AuditEvent.created_at)
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
    )


PAGE_SIZE = 50


@dataclass(frozen=True)
class EventFilters:
    action: str = ""
    object_type: str = ""
    since: datetime | None = None  # inclusive, UTC
    until: datetime | None = None  # exclusive, UTC


async def search_events(tenant_id: int, filters: EventFilters, number: int) -> Page:
    """One page of the tenant's audit trail, newest first, with the actor's name."""
    conditions = []
    if filters.action:
        conditions.append(AuditEvent.action.like(f"{filters.action}%"))
    if filters.object_type:
        conditions.append(AuditEvent.object_type == filters.object_type)
    if filters.since:
        conditions.append(AuditEvent.created_at >= filters.since)
    if filters.until:
        conditions.append(AuditEvent.created_at < filters.until)
    query = scoped(
        AuditEvent, tenant_id, AuditEvent.id, AuditEvent.action, AuditEvent.object_type,
        AuditEvent.object_id, AuditEvent.created_at, AuditEvent.request_id,
        AuditEvent.actor.name.as_alias("actor_name"),
    )
    count = scoped_count(AuditEvent, tenant_id)
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.order_by(AuditEvent.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    return Page(rows=rows, number=number, size=PAGE_SIZE, total=await count)


async def get_event(tenant_id: int, event_id: int) -> tuple[AuditEvent, Any]:
    """The event and its actor (None for the system); 404 if not the tenant's."""
    event = await get_in_tenant(AuditEvent, tenant_id, event_id)
    actor = await event.get_related(AuditEvent.actor) if event.actor else None
    return event, actor
