"""The duty sweep, enqueued every minute: services.sweep creates each period's tasks, closes the
ones whose module record appeared, reminds and escalates; each step idempotent. A board over
many tasks is written to XLSX here, off the request."""

from __future__ import annotations

from kefu.duties.queries import board_export
from kefu.duties.services.sweep import sweep_all
from kefu.workers.registry import job, sweep
from kefu.workers.services import run_export


@sweep
@job(queue="default", max_retries=3)
async def sweep_duties() -> None:
    """Create, close, remind and escalate duty tasks as their periods come."""
    await sweep_all()


@job(queue="heavy", max_retries=0)
async def export_duty_board(tenant_id: int, job_id: int) -> None:
    """The board's workbook over many tasks (queries.board_export.export_file)."""
    await run_export(tenant_id, job_id, board_export.export_file)
