"""Complaint jobs. The scheduler enqueues the reminder sweep every minute; it is idempotent
(each reminder is claimed once in the database), so a duplicate or redelivered run is harmless.
"""

from __future__ import annotations

from kefu.complaints import services
from kefu.complaints.controllers import reports_export
from kefu.complaints.queries import worklist_export
from kefu.workers.registry import job, sweep
from kefu.workers.services import run_export


@sweep
@job(queue="default", max_retries=3)
async def sweep_complaint_reminders() -> None:
    """Remind handlers before and on each deadline; escalate overdue ones to supervisors."""
    await services.sweep_reminders()


@job(queue="heavy", max_retries=0)
async def export_complaints(tenant_id: int, job_id: int) -> None:
    """A large worklist export (worklist_export.export_file), off the request."""
    await run_export(tenant_id, job_id, worklist_export.export_file)


@job(queue="heavy", max_retries=0)
async def export_complaint_analysis(tenant_id: int, job_id: int) -> None:
    """An analysis workbook over many complaints (controllers.reports_export.analysis_file)."""
    await run_export(tenant_id, job_id, reports_export.analysis_file)


@job(queue="heavy", max_retries=0)
async def export_notice_compliance(tenant_id: int, job_id: int) -> None:
    """A notice-compliance workbook over many complaints (controllers.reports_export.compliance_file)."""
    await run_export(tenant_id, job_id, reports_export.compliance_file)
