"""A art. 13: the register of regulator-transferred complaints, with the report each regulator
asked for, its due date and the day it was sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped
from kefu.db import transaction

REGISTER_LIMIT = 2_000

_COLUMNS = (
    Complaint.id, Complaint.number, Complaint.status, Complaint.received_on, Complaint.subject,
    Complaint.regulator_unit, Complaint.regulator_ref, Complaint.regulator_report_requested,
    Complaint.regulator_report_due, Complaint.regulator_report_sent_on,
)


def report_state(due: date | None, sent_on: date | None, today: date) -> str:
    """sent | sent_late | overdue | due_today | open | no_due_date."""
    if sent_on is not None:
        return "sent_late" if due is not None and sent_on > due else "sent"
    if due is None:
        return "no_due_date"
    if today > due:
        return "overdue"
    return "due_today" if today == due else "open"


async def regulator_register(tenant_id: int, channel: str, today: date) -> list[dict[str, Any]]:
    """The complaints received on `channel` (the pack's regulator transfer), the reports still
    owed first by due date, then the sent ones, newest first; each with its `state`."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(Complaint, tenant_id, *_COLUMNS).where(
            Complaint.channel == channel
        ).order_by(Complaint.received_on, ascending=False).order_by(
            Complaint.id, ascending=False).limit(REGISTER_LIMIT)
    for r in rows:
        r["state"] = report_state(r["regulator_report_due"], r["regulator_report_sent_on"], today)
    owed = sorted((r for r in rows if r["regulator_report_sent_on"] is None),
                  key=lambda r: (r["regulator_report_due"] is None, r["regulator_report_due"] or today))
    return owed + [r for r in rows if r["regulator_report_sent_on"] is not None]
