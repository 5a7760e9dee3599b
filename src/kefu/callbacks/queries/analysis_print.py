"""What the printed campaign analysis adds to the page's figures (A art. 22(4)): the problems
raised in the campaign, each with its cause, state and the complaint it became."""

from __future__ import annotations

from typing import Any

from kefu.callbacks.tables import CallbackProblem
from kefu.core.scoping import scoped
from kefu.db import transaction

MAX_LISTED = 200


async def campaign_problems(tenant_id: int, campaign_id: int) -> list[dict[str, Any]]:
    """The campaign's problems, oldest first (at most MAX_LISTED; the counts are the page's)."""
    async with transaction(tenant_id, write=False):
        return await scoped(
            CallbackProblem, tenant_id, CallbackProblem.id, CallbackProblem.summary, CallbackProblem.cause,
            CallbackProblem.status, CallbackProblem.due_on, CallbackProblem.resolution,
            CallbackProblem.complaint.number.as_alias("complaint_number"),
            CallbackProblem.task.customer_name.as_alias("customer_name"),
        ).where(CallbackProblem.task.campaign == campaign_id).order_by(CallbackProblem.id).limit(MAX_LISTED)
