"""A new task's fields and who may work a task. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kefu.callbacks.policy.pack import CallbackPack

# The columns a bulk insert writes (services.campaigns, services.followups), in this order.
COLUMNS = (
    "tenant_id", "campaign_id", "kind", "origin", "unique_key", "customer_id", "customer_name", "customer_phone",
    "reference", "subject_type", "subject_id", "methods", "method_index", "method", "position", "attempt_limit",
    "failed_attempts", "status", "opens_on", "due_on", "last_outcome", "product", "created_at",
)


@dataclass(frozen=True)
class NewTask:
    kind: str
    origin: str
    methods: tuple[str, ...]
    attempt_limit: int
    opens_on: date
    due_on: date
    campaign_id: int | None = None
    unique_key: str | None = None
    customer_id: int | None = None
    customer_name: str = ""
    customer_phone: str = ""
    reference: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    product: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def values(self, tenant_id: int, pack: CallbackPack, now: datetime) -> list[Any]:
        """The row for COLUMNS: the first method of the order, owned by its position."""
        first = self.methods[0]
        return [
            tenant_id, self.campaign_id, self.kind, self.origin, self.unique_key, self.customer_id,
            self.customer_name[:100], self.customer_phone[:30], self.reference[:64], self.subject_type,
            self.subject_id, json.dumps(list(self.methods)), 0, first, pack.position_of(first), self.attempt_limit,
            0, "open", self.opens_on, self.due_on, "", self.product, now,
        ]


def may_work(*, status: str, owner_id: int | None, position: str, user_id: int, positions: list[str],
             can_manage: bool) -> bool:
    """An open task is worked by its owner, or, while nobody owns it, by anyone in its
    position; a manager may work any."""
    if status != "open":
        return False
    if can_manage:
        return True
    return owner_id == user_id if owner_id is not None else position in positions


def hours_apply(method: str) -> bool:
    """Calling hours bind calls and visits; an online questionnaire is answered any time."""
    return method in ("phone", "onsite")
