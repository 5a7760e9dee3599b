"""Writes of the audit trail: every service leaves its event here, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from kefu.audit.tables import AuditEvent
from kefu.core.audit import request_id_var


async def record(
    *,
    tenant_id: int,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            tenant=tenant_id,
            actor=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            request_id=request_id_var.get(),
        )
    ).run()
