"""Complaints' record that closes duty tasks (kefu.duties.registry.duty_record): A art. 20's
periodic analysis report is done once a report over a period covering the task's was issued
to management (上报公司经营管理层) from the analysis page."""

from __future__ import annotations

from kefu.complaints.queries.reports.issued import covering, issued_period
from kefu.duties.registry import Span, Target, duty_record, record_link


@duty_record("complaints.analysis_report")
async def analysis_report(tenant_id: int, span: Span) -> str | None:
    found = await covering(tenant_id, span.start, span.end)
    return f"complaint_report:{found}" if found else None


@record_link("complaint_report", "已上报的投诉分析报告", "Issued complaint analysis report",
             permission="complaints.reports")
async def issued_report_page(tenant_id: int, issue_id: int) -> Target | None:
    found = await issued_period(tenant_id, issue_id)
    return ("reports.issued_detail", {"issued_id": issue_id}, "") if found else None
