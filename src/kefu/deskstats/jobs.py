"""The month-end snapshot sweep, enqueued every minute: services.sweep_all writes each property
centre's last month once (a cheap look at the month's marker row otherwise)."""

from __future__ import annotations

from kefu.deskstats.services import sweep_all
from kefu.workers.registry import job, sweep


@sweep
@job(queue="default", max_retries=3)
async def sweep_month_end_snapshots() -> None:
    """Take the month-end occupancy snapshot of every centre whose month has just ended."""
    await sweep_all()
