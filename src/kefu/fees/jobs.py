"""The fee reminder sweep (C.j), enqueued every minute: services.reminders.sweep_all owes each
unit's due reminder once through the outbox. A report over many bills is written here, off the
request."""

from __future__ import annotations

from kefu.fees import queries
from kefu.fees.services.reminders import sweep_all
from kefu.workers.registry import job, sweep
from kefu.workers.services import run_export


@sweep
@job(queue="default", max_retries=3)
async def sweep_fee_reminders() -> None:
    """Owe the fee reminders that have come due."""
    await sweep_all()


@job(queue="heavy", max_retries=0)
async def export_fees_report(tenant_id: int, job_id: int) -> None:
    """The arrears and collection workbook over many bills (queries.export_file)."""
    await run_export(tenant_id, job_id, queries.export_file)
