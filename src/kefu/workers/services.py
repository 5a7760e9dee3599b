"""Heavy work off the request, with progress: one mechanism every module's long work uses
(imports, large exports, reports).

A request stores the work (`start_job`: a Job row with its parameters and any uploaded file,
in the request's transaction) and answers at once with the job's page (`jobs.detail`), which
polls a fragment until the work is done, then goes to the result (a page, or a file to
fetch). A worker runs the module's job (`run_job`): it claims the row with a conditional
UPDATE (queued -> running, so a message delivered twice does the work once), acts as the member
who started it with their permissions as they are now, writes its progress as it goes, and
ends the row done or failed with a message the page shows. CPU-bound steps go to a thread
(`JobRun.in_thread`) whose progress is copied to the row twice a second; in `kefu worker` the
whole job runs in another process than the web server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from kefu import i18n
from kefu.core import clock, excel
from kefu.core.errors import FieldError, Refused
from kefu.core.imports import loaded
from kefu.core.progress import Progress, Runner, counted
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.core.uploads import UploadError
from kefu.db import after_commit, in_write_transaction, outside_transaction, transaction
from kefu.workers.registry import JOBS, enqueue
from kefu.workers.tables import Job

log = logging.getLogger("kefu.jobs")
# An export: (member, its arguments, the runner its CPU work goes through) -> (file name, workbook).
Export = Callable[[TenantContext, dict[str, Any], Runner], Awaitable[tuple[str, bytes]]]
T = TypeVar("T")
POLL_SECONDS = 0.5  # how often a thread's progress is written to the row
STALE_MINUTES = 2  # a queued job older than this is sent again by the sweep
FAILED = i18n.lazy("The work stopped on an unexpected error. Nothing was changed; try again.")
GONE = i18n.lazy("The member who started this work can no longer do it.")


@dataclass
class Page:
    """A finished job's result: the page to go to (a route name and its parameters)."""

    route: str
    params: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # a msgid the page then shows (flashed), with its variables
    vars: dict[str, Any] = field(default_factory=dict)
    category: str = "success"


@dataclass
class File:
    """A finished job's result: a file the member fetches from the job's page."""

    name: str
    media_type: str
    content: bytes


async def start_job(ctx: TenantContext, name: str, title: str, *, params: dict[str, Any] | None = None,
                    upload: bytes | None = None) -> Job:
    """Store the work as a Job of the acting member and send it to a worker once the open
    transaction commits (at once when none is open). `name` is a registered job taking
    (tenant_id, job_id); `title` a msgid naming the work on its page."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    job = Job(tenant=ctx.tenant_id, name=name, title=title, params=params or {}, upload=upload,
              created_by=ctx.user.id)
    async with transaction(ctx.tenant_id, write=True):
        await job.save()

        async def send() -> None:
            await enqueue(name, ctx.tenant_id, job.id)

        if not after_commit(send):
            await send()
    return job


class JobRun:
    """What a running job works with: its parameters, its file, its member, its progress."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.tenant_id: int = job.tenant
        self.params: dict[str, Any] = loaded(job.params) or {}
        self.upload: bytes = bytes(job.upload or b"")

    async def member(self) -> TenantContext:
        from kefu.tenancy.context import member_context

        ctx = await member_context(self.tenant_id, self.job.created_by) if self.job.created_by else None
        if ctx is None:
            raise Refused("job_member_gone", GONE)
        i18n.set_locale(ctx.user.locale)  # what the work writes (a workbook's headers) is in their language
        return ctx

    async def progress(self, done: int, total: int | None = None) -> None:
        values: dict[Any, Any] = {Job.done: done}
        if total is not None:
            values[Job.total] = total
        async with transaction(self.tenant_id, write=True):
            await Job.update(values).where(Job.tenant == self.tenant_id, Job.id == self.job.id)

    async def in_thread(self, work: Callable[[Progress], T], total: int = 0) -> T:
        """`work(progress)` in a worker thread, never on the event loop; what it counts in
        `progress` reaches the job's page while it runs."""
        counter = Progress(total)
        task = asyncio.ensure_future(asyncio.to_thread(counted, work, counter))
        written = (-1, -1)
        while not task.done():
            await asyncio.wait([task], timeout=POLL_SECONDS)
            # Inside a write transaction (the work's own writes) SQLite's one writer would wait
            # for it: the thread's work shows only at the end there.
            if (counter.done, counter.total) != written and not task.done() and not in_write_transaction():
                written = (counter.done, counter.total)
                # Its own commit: inside the work's open read (an export's) it shows at once.
                await outside_transaction(partial(self.progress, *written))
        return task.result()


async def _claim(tenant_id: int, job_id: int) -> Job | None:
    async with transaction(tenant_id, write=True):
        claimed = await Job.update({Job.state: "running"}).where(
            Job.tenant == tenant_id, Job.id == job_id, Job.state == "queued"
        ).returning(Job.id)
        if len(claimed) != 1:
            return None
        return await get_in_tenant(Job, tenant_id, job_id)


async def _end(tenant_id: int, job_id: int, values: dict[Any, Any]) -> None:
    values = {Job.upload: None, Job.finished_at: clock.now(), **values}
    async with transaction(tenant_id, write=True):
        await Job.update(values).where(Job.tenant == tenant_id, Job.id == job_id)


async def run_job(tenant_id: int, job_id: int, work: Callable[[JobRun], Awaitable[Page | File]]) -> None:
    """Do a stored job once: claim it, run `work`, record its result or its failure. A refusal
    the member can act on (a file that cannot be used, a rule) is shown on the job's page; any
    other error too, as a generic message, and is logged. Either way nothing is retried: the
    work's own transactions rolled back, and the member starts again."""
    job = await _claim(tenant_id, job_id)
    if job is None:
        return  # done, failed or running elsewhere: a message delivered twice
    try:
        result = await work(JobRun(job))
    except (UploadError, Refused, FieldError) as refused:
        details = [str(d) for d in getattr(refused, "details", ())]  # a refusal's every problem (a file's rows)
        await _end(tenant_id, job_id, {Job.state: "failed", Job.error: {
            "message": refused.message, "vars": {k: str(v) for k, v in refused.variables.items()},
            "details": details}})
        return
    except Exception:
        log.exception("job %s %s of tenant %s failed", job.name, job_id, tenant_id)
        await _end(tenant_id, job_id, {Job.state: "failed", Job.error: {"message": FAILED, "vars": {}}})
        return
    values: dict[Any, Any]
    if isinstance(result, File):
        values = {Job.output: result.content, Job.output_name: result.name[:255],
                  Job.output_type: result.media_type[:100]}
    else:
        values = {Job.result: {"route": result.route, "params": result.params, "message": result.message,
                               "vars": {k: str(v) for k, v in result.vars.items()}, "category": result.category}}
    await _end(tenant_id, job_id, {Job.state: "done", **values})


async def start_export(ctx: TenantContext, name: str, title: str, args: dict[str, Any], back: str,
                       back_params: dict[str, Any] | None = None) -> Job:
    """A large export written by the job `name` (its body: `run_export`). `args` are what its
    read takes (the page's filters, the record's id), as JSON; `back` the route of the page the
    export belongs to, which the job's page links to when the work fails."""
    return await start_job(ctx, name, title, params={
        "args": args, "back": {"route": back, "params": back_params or {}}})


async def run_export(tenant_id: int, job_id: int, export: Export) -> None:
    """The body of every export job: `export` (the same function the request's small export
    calls, there with kefu.core.progress.UNWATCHED) as the member who started it, in their
    permissions now and in their tenant; its CPU work runs in a thread through the JobRun. The
    job's page offers the file to that member only (queries.job_file)."""

    async def work(run: JobRun) -> File:
        ctx = await run.member()
        async with transaction(run.tenant_id, write=False):  # a job has no request transaction: RLS needs the tenant
            name, content = await export(ctx, run.params.get("args", {}), run)
        return File(name, excel.MEDIA_TYPE, content)

    await run_job(tenant_id, job_id, work)


async def resend_stale() -> int:
    """The sweep: send again every job still queued a while after it was made (a lost
    message, a worker that died first), tenant by tenant (RLS needs the tenant set). The
    claim makes a second delivery harmless."""
    from kefu.tenancy.queries import active_tenant_ids

    before = clock.now() - timedelta(minutes=STALE_MINUTES)
    sent = 0
    for tenant_id in await active_tenant_ids():
        async with transaction(tenant_id, write=False):
            stale = await scoped(Job, tenant_id, Job.id, Job.name).where(
                Job.state == "queued", Job.created_at < before).limit(500)
        for row in stale:
            await enqueue(row["name"], tenant_id, row["id"])
            sent += 1
    return sent


SWEPT_PER_TENANT = 500  # finished jobs deleted per tenant per sweep: short transactions


async def delete_finished(retention: timedelta | None = None) -> int:
    """The sweep: delete every finished job (done or failed) that ended longer ago than the
    retention (KEFU_JOB_RETENTION_DAYS), and with it the file it read or made (both live in the
    row), tenant by tenant (RLS needs the tenant set). Queued and running jobs stay whatever
    their age; running it again deletes nothing more."""
    from kefu.settings import get_settings
    from kefu.tenancy.queries import active_tenant_ids

    before = clock.now() - (retention or timedelta(days=get_settings().job_retention_days))
    deleted = 0
    for tenant_id in await active_tenant_ids():
        async with transaction(tenant_id, write=True):
            old = await scoped(Job, tenant_id, Job.id).where(
                Job.state.is_in(["done", "failed"]), Job.finished_at < before).limit(SWEPT_PER_TENANT)
            ids = [row["id"] for row in old]
            if ids:
                await Job.delete().where(Job.tenant == tenant_id, Job.id.is_in(ids))
        deleted += len(ids)
    if deleted:
        log.info("deleted %s finished jobs", deleted)
    return deleted


PRINTING = "print_pdf"


async def start_pdf(ctx: TenantContext, html: str, filename: str, title: str, *,
                    back: dict[str, Any] | None = None) -> Job:
    """A report printed to PDF by a job (print_pdf): the request renders the page's HTML (its
    queries, in the member's permissions), the worker lays it out (WeasyPrint: seconds of CPU
    for a long report, more than a request should hold). `back` ({"route", "params"}) is the
    page the job's page offers when printing fails."""
    params: dict[str, Any] = {"filename": filename[:255]}
    if back:
        params["back"] = back
    return await start_job(ctx, PRINTING, title, params=params, upload=html.encode())


async def print_pdf(run: JobRun) -> File:
    from kefu.core import pdf

    html = run.upload.decode()
    try:
        content = await run.in_thread(lambda _: pdf.write_pdf(html))
    except pdf.PdfUnavailable:
        raise Refused("pdf_unavailable", pdf.NO_PDF) from None
    return File(run.params["filename"], "application/pdf", content)
