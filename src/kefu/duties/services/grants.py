"""Permissions follow assignments: the positions a member's running assignments grant today are
stored on their membership (kefu.tenancy.services.set_granted_positions), which the sign-in read
already loads, so no request pays an extra query. Refreshed at every assignment change and by the
sweep, so an assignment starting or ending on a later day takes effect that day."""

from __future__ import annotations

from datetime import date

from kefu.db import transaction
from kefu.duties.queries.holders import assignments_on
from kefu.tenancy.queries.positions import member_positions
from kefu.tenancy.services import set_granted_positions


async def refresh_grants(tenant_id: int, day: date) -> int:
    """Store each member's granted positions as of `day`; how many memberships changed."""
    async with transaction(tenant_id):
        grants: dict[int, list[str]] = {row["user"]: [] for row in await member_positions(tenant_id)}
        for row in await assignments_on(tenant_id, day):
            if row["user"] in grants:
                grants[row["user"]].append(row["position"])
        return await set_granted_positions(tenant_id, grants)
