"""Platform jobs. Module jobs live in their module's jobs.py and are imported by load_jobs()."""

from __future__ import annotations

from kefu.core import clock
from kefu.workers.registry import job, sweep
from kefu.workers.tables import Heartbeat


@job(queue="default")
async def heartbeat(source: str) -> None:
    """Proves scheduler → broker → worker → database; running it twice is harmless."""
    now = clock.now()
    await Heartbeat.insert(Heartbeat(source=source[:40], beat_at=now)).on_conflict(
        target=Heartbeat.source, action="DO UPDATE", values=[(Heartbeat.beat_at, now)]
    )


@sweep
@job(queue="default")
async def resend_jobs() -> None:
    """Every minute: send again the heavy jobs still waiting (kefu.workers.services)."""
    from kefu.workers.services import resend_stale

    await resend_stale()


@sweep
@job(queue="default")
async def delete_old_jobs() -> None:
    """Every minute: delete the finished jobs past their retention, and their files."""
    from kefu.workers.services import delete_finished

    await delete_finished()


@job(queue="heavy", max_retries=0)
async def print_pdf(tenant_id: int, job_id: int) -> None:
    """A report's HTML printed to PDF (kefu.workers.services.start_pdf)."""
    from kefu.workers import services

    await services.run_job(tenant_id, job_id, services.print_pdf)
