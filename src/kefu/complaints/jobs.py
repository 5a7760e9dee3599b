"""Complaint jobs. The scheduler enqueues the reminder sweep every minute; it is idempotent
(each reminder is claimed once in the database), so a duplicate or redelivered run is harmless.
"""

from __future__ import annotations

from kefu.complaints import services
from kefu.workers.registry import job, sweep


@sweep
@job(queue="default", max_retries=3)
async def sweep_complaint_reminders() -> None:
    """Remind handlers before and on each deadline; escalate overdue ones to supervisors."""
    await services.sweep_reminders()
