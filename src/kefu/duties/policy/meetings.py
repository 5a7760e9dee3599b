"""Meeting rules (pure): kinds, and what an action item allows."""

from __future__ import annotations

from kefu.core.errors import Refused

KINDS = ("department", "owners_assembly", "canteen")
MAX_TEXT = 10_000


def action_refusal(status: str, *, is_owner: bool, can_manage: bool) -> Refused | None:
    if status != "open":
        return Refused("action_done", "This action item is closed already.")
    if not (is_owner or can_manage):
        return Refused("action_not_yours", "Only its owner or a manager may close this action item.")
    return None
