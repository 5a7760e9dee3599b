"""Complaint handling per person, for the performance scorecard (A art. 27): the complaints a
handler decided in a period and how many of them by their decision due date; and a complaint's
short title when a commendation or criticism cites it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kefu.complaints.tables import Complaint
from kefu.core.scoping import MAX_ID, scoped
from kefu.db import transaction


@dataclass(frozen=True)
class Handling:
    decided: int
    on_time: int  # decided on or before the decision due date (A art. 16)


async def handling_by_handler(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Handling]:
    """Per handler among `user_ids`: complaints decided from `start` to `end` (inclusive)."""
    if not user_ids:
        return {}
    async with transaction(tenant_id, write=False):
        rows = await scoped(Complaint, tenant_id, Complaint.handler.as_alias("handler"), Complaint.decided_on,
                            Complaint.decision_due).where(
            Complaint.handler.is_in(list(user_ids)), Complaint.decided_on >= start, Complaint.decided_on <= end)
    found: dict[int, list[int]] = {}
    for row in rows:
        cell = found.setdefault(row["handler"], [0, 0])
        cell[0] += 1
        due = row["decision_due"]
        if due is None or row["decided_on"] <= due:
            cell[1] += 1
    return {uid: Handling(*cell) for uid, cell in found.items()}


async def complaint_title(tenant_id: int, complaint_id: int) -> str | None:
    """"<number> <subject>" of the tenant's complaint, None if it has none of that id."""
    if not 1 <= complaint_id <= MAX_ID:
        return None
    async with transaction(tenant_id, write=False):
        row = await scoped(Complaint, tenant_id, Complaint.number, Complaint.subject).where(
            Complaint.id == complaint_id).first()
    return f"{row['number']} {row['subject']}" if row else None
