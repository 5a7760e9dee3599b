"""The platform console's bulk actions on one tenant's outbox, one state at a time: send its
notices again, or cancel them for good. Each is one transaction with its own audit event in the
tenant's trail (actor: the platform administrator, `platform: true`, the number changed)."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core import clock
from kefu.db import transaction
from kefu.notifications import policy
from kefu.notifications.services.outbox import nudge
from kefu.notifications.tables import Notice


async def retry_all(tenant_id: int, state: str, *, actor_id: int) -> int:
    """Every notice of the tenant in `state` (failed for good, retrying, waiting for a channel)
    goes back to pending with a fresh set of attempts and is handed to the delivery job after
    commit. Returns how many changed; running it again finds none (idempotent)."""
    if state not in policy.BULK_RETRY_STATES:
        raise ValueError(f"retry_all: {state!r} is not one of {policy.BULK_RETRY_STATES}")
    async with transaction(tenant_id):
        rows = await (
            Notice.update({Notice.state: "pending", Notice.attempts: 0, Notice.next_attempt_at: clock.now()})
            .where(Notice.tenant == tenant_id, Notice.state == state)
            .returning(Notice.id)
        )
        ids = [r["id"] for r in rows]
        if ids:
            await audit.record(
                tenant_id=tenant_id, actor_id=actor_id, action="notice.bulk_retry", object_type="notice",
                before={"state": state}, after={"state": "pending", "count": len(ids), "platform": True},
            )
    await nudge(tenant_id, ids)
    return len(ids)


async def cancel_all(tenant_id: int, state: str, *, actor_id: int) -> int:
    """Every notice of the tenant in `state` (pending, retrying, failed for good, waiting) ends
    as cancelled: never sent (the delivery job claims only pending and retrying notices).
    A notice a worker is sending at this very moment may still leave; its outcome is not
    recorded over the cancellation. Returns how many changed."""
    if state not in policy.BULK_CANCEL_STATES:
        raise ValueError(f"cancel_all: {state!r} is not one of {policy.BULK_CANCEL_STATES}")
    async with transaction(tenant_id):
        rows = await (
            Notice.update({Notice.state: policy.CANCELLED})
            .where(Notice.tenant == tenant_id, Notice.state == state)
            .returning(Notice.id)
        )
        if rows:
            await audit.record(
                tenant_id=tenant_id, actor_id=actor_id, action="notice.bulk_cancel", object_type="notice",
                before={"state": state}, after={"state": policy.CANCELLED, "count": len(rows), "platform": True},
            )
    return len(rows)
