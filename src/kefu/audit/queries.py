"""Reads of the audit trail for the pages that show it."""

from __future__ import annotations

from typing import Any

from kefu.audit.tables import AuditEvent
from kefu.core.scoping import scoped


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
