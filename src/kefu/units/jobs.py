"""Unit jobs: an uploaded import file checked, then imported, and a large export written, off
the request (kefu.workers.services)."""

from __future__ import annotations

from kefu.units import queries, services
from kefu.workers.registry import job, sweep
from kefu.workers.services import JobRun, Page, run_export, run_job


@job(queue="heavy", max_retries=0)
async def check_unit_import(tenant_id: int, job_id: int) -> None:
    await run_job(tenant_id, job_id, _check)


async def _check(run: JobRun) -> Page:
    imp = await services.preview_import(await run.member(), run.params["filename"], run.upload, run)
    return Page("units.preview", {"import_id": imp.id})


@job(queue="heavy", max_retries=0)
async def confirm_unit_import(tenant_id: int, job_id: int) -> None:
    await run_job(tenant_id, job_id, _confirm)


async def _confirm(run: JobRun) -> Page:
    _, counts = await services.confirm_import(await run.member(), run.params["import_id"], run)
    if counts is None:
        return Page("units.list", message=services.ALREADY_IMPORTED, category="info")
    return Page("units.list", message=services.IMPORTED, vars=counts)


@job(queue="heavy", max_retries=0)
async def export_units(tenant_id: int, job_id: int) -> None:
    await run_export(tenant_id, job_id, queries.export_file)


@sweep
@job(queue="default")
async def forget_stale_imports() -> None:
    """Every minute: uploads' rows past the job retention dropped, stale previews discarded."""
    await services.forget_stale_imports()
