"""Notice actors. They take ids and are idempotent: the claim in delivery.py decides who sends."""

from __future__ import annotations

from kefu.notifications import delivery
from kefu.notifications.queries import export
from kefu.workers.registry import job, sweep
from kefu.workers.services import run_export


@job(queue="default")
async def deliver_notice(tenant_id: int, notice_id: int) -> None:
    await delivery.deliver(tenant_id, notice_id)


@sweep
@job(queue="default")
async def sweep_notices() -> None:
    """Every minute: re-enqueue each due notice, so a lost message or a dead worker loses nothing."""
    await delivery.sweep()


@job(queue="heavy", max_retries=0)
async def export_notices(tenant_id: int, job_id: int) -> None:
    """A large outbox export (queries.export.export_file), off the request."""
    await run_export(tenant_id, job_id, export.export_file)
