"""Reads of complaints that another module's page shows (the customer's page)."""

from __future__ import annotations

from typing import Any

from kefu.complaints.labels import STATUS_LABELS
from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped


async def customer_complaints(tenant_id: int, customer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A customer's complaints, newest first: id, number, status, subject, received_on."""
    return await scoped(
        Complaint, tenant_id, Complaint.id, Complaint.number, Complaint.status,
        Complaint.subject, Complaint.received_on,
    ).where(Complaint.customer == customer_id).order_by(Complaint.id, ascending=False).limit(limit)


def status_label(code: str) -> str:
    """The status in the reader's language."""
    return STATUS_LABELS(code)
