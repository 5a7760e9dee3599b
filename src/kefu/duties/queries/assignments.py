"""Reads of assignments: the tenant's list, newest first, and one for its page's checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.duties.policy.assignments import running
from kefu.duties.tables import PositionAssignment


async def assignment_list(tenant_id: int, today: date, limit: int = 300) -> list[dict[str, Any]]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(
            PositionAssignment, tenant_id, PositionAssignment.id, PositionAssignment.position, PositionAssignment.role,
            PositionAssignment.starts_on, PositionAssignment.ends_on, PositionAssignment.note,
            PositionAssignment.user.name.as_alias("name"),
        ).order_by(PositionAssignment.starts_on, ascending=False).order_by(PositionAssignment.id, ascending=False).limit(limit)
    for row in rows:
        row["running"] = running(row["starts_on"], row["ends_on"], today)
    return rows


async def assignment_exists(tenant_id: int, assignment_id: int) -> None:
    """404 unless the assignment is the tenant's."""
    async with transaction(tenant_id, write=False):
        await get_in_tenant(PositionAssignment, tenant_id, assignment_id)
