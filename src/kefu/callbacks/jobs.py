"""The callbacks sweep, enqueued every minute: services.sweep opens campaigns on their day and
makes the follow-up of each closed complaint; each step idempotent."""

from __future__ import annotations

from kefu.callbacks.queries import archive
from kefu.callbacks.services.deadline_sweep import sweep_deadlines
from kefu.callbacks.services.policies import IMPORTED, import_policies, summary
from kefu.callbacks.services.problem_sweep import sweep_problems
from kefu.callbacks.services.sweep import sweep_all
from kefu.workers.registry import job, sweep
from kefu.workers.services import JobRun, Page, run_export, run_job


@sweep
@job(queue="default", max_retries=3)
async def sweep_callbacks() -> None:
    """Open due campaigns and create complaint follow-ups."""
    await sweep_all()


@sweep
@job(queue="default", max_retries=3)
async def sweep_callback_problems() -> None:
    """Remind and escalate open problems found in callbacks (A art. 26)."""
    await sweep_problems()


@sweep
@job(queue="default", max_retries=3)
async def sweep_callback_deadlines() -> None:
    """Remind and escalate callback tasks nearing their due day (the cooling-off watch)."""
    await sweep_deadlines()


@job(queue="heavy", max_retries=0)
async def import_new_policies(tenant_id: int, job_id: int) -> None:
    """A large upload of new policies to call back (services.policies.upload_policies)."""
    await run_job(tenant_id, job_id, _import_policies)


async def _import_policies(run: JobRun) -> Page:
    result = await import_policies(await run.member(), run.params["filename"], run.upload, run)
    return Page("callbacks.policies", message=IMPORTED, vars=summary(result))


@job(queue="heavy", max_retries=0)
async def export_callback_records(tenant_id: int, job_id: int) -> None:
    """A large archive export (queries.archive.export_file), off the request."""
    await run_export(tenant_id, job_id, archive.export_file)
