"""Complaints' rows on the performance scorecard (kefu.duties.registry): complaints decided in
the period and the share decided by their due date (A art. 16, 27), per handler; and the
complaint as a record a commendation or criticism may cite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kefu.complaints.queries.performance import complaint_title, handling_by_handler
from kefu.duties.registry import Figure, citable, scorecard_metric


@scorecard_metric("complaints.decided", "办结投诉件数", "Complaints decided", unit="count", order=30)
async def decided(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    found = await handling_by_handler(tenant_id, user_ids, start, end)
    return {uid: Figure.count(h.decided) for uid, h in found.items()}


@scorecard_metric("complaints.on_time", "投诉按时办结率", "Complaints decided on time", unit="percent", order=31)
async def on_time(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    found = await handling_by_handler(tenant_id, user_ids, start, end)
    return {uid: Figure.rate(h.on_time, h.decided) for uid, h in found.items()}


@citable("complaint", "投诉", "Complaint")
async def complaint(tenant_id: int, complaint_id: int) -> str | None:
    return await complaint_title(tenant_id, complaint_id)
