"""The statistics' record that closes duty tasks (kefu.duties.registry.duty_record): C.i's
monthly count of occupied and vacant units and paid-service revenue is done once that month's
statistics are filed from the monthly statistics page."""

from __future__ import annotations

from kefu.db import transaction
from kefu.deskstats.queries import filed_month, filing
from kefu.duties.registry import Span, Target, duty_record, record_link


@duty_record("deskstats.month_statistics")
async def month_statistics(tenant_id: int, span: Span) -> str | None:
    if span.recurrence != "monthly":
        return None
    async with transaction(tenant_id, write=False):
        found = await filing(tenant_id, span.start)
    return f"desk_month:{found['id']}" if found else None


@record_link("desk_month", "已提交的月度统计", "Filed monthly statistics", permission="statistics.view")
async def month_page(tenant_id: int, filing_id: int) -> Target | None:
    async with transaction(tenant_id, write=False):
        month = await filed_month(tenant_id, filing_id)
    return ("deskstats.index", {}, f"period={month.isoformat()[:7]}") if month else None
