"""Closed complaints for other modules (kefu.callbacks follows each one up, A art. 24(2);
campaigns target the complainants of a period): complaints never import their readers."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped

COLUMNS = (
    Complaint.id, Complaint.number, Complaint.customer.as_alias("customer_id"), Complaint.complainant_name,
    Complaint.complainant_phone, Complaint.closed_on,
)


async def closed_between(tenant_id: int, start: date, end: date, limit: int = 100_000) -> list[dict[str, Any]]:
    """Complaints closed (decided, then closed) from `start` to `end` inclusive, by id: id,
    number, customer_id, complainant_name, complainant_phone, closed_on."""
    return await scoped(Complaint, tenant_id, *COLUMNS).where(
        Complaint.status == "closed", Complaint.closed_on >= start, Complaint.closed_on <= end,
    ).order_by(Complaint.id).limit(limit)
