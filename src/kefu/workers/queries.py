"""What other modules may ask of the workers: whether the in-process worker runs (health), a
member's own jobs (their progress page and the file a job made), the job queues' numbers and
the heartbeats (the platform console)."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.imports import loaded
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.workers.embedded import embedded_worker
from kefu.workers.stats import QueueStats
from kefu.workers.tables import Heartbeat, Job

_SHOWN = (Job.id, Job.name, Job.title, Job.state, Job.params, Job.done, Job.total, Job.result, Job.output_name,
          Job.error, Job.created_at, Job.finished_at)

__all__ = ["QueueStats", "embedded_worker_alive", "heartbeats", "job_file", "job_status", "queue_stats"]


def embedded_worker_alive() -> bool:
    """Embedded mode: the web process's Dramatiq worker is running."""
    worker = embedded_worker()
    return worker is not None and worker.alive


async def job_status(ctx: TenantContext, job_id: int) -> dict[str, Any]:
    """One of the member's own jobs as its page shows it; another member's, or another
    tenant's, is the same 404 as a missing one."""
    row = await scoped(Job, ctx.tenant_id, *_SHOWN).where(
        Job.id == job_id, Job.created_by == ctx.user.id).first()
    if row is None:
        raise NotFoundException()
    row["result"] = loaded(row["result"]) or {}
    row["back"] = (loaded(row.pop("params")) or {}).get("back")  # {"route", "params"}: where the work began
    error = loaded(row["error"]) or {}
    row["error_text"] = i18n.gettext(error["message"], **error.get("vars", {})) if error.get("message") else ""
    row["error_details"] = error.get("details", [])  # already in the member's words
    row["percent"] = min(100, row["done"] * 100 // row["total"]) if row["total"] else None
    row["finished"] = row["state"] in ("done", "failed")
    return row


async def job_file(ctx: TenantContext, job_id: int) -> tuple[str, str, bytes]:
    """(name, media type, content) of the file a finished job of the member made; 404 else."""
    row = await scoped(Job, ctx.tenant_id, Job.output, Job.output_name, Job.output_type).where(
        Job.id == job_id, Job.created_by == ctx.user.id, Job.state == "done", Job.output.is_not_null()
    ).first()
    if row is None:
        raise NotFoundException()
    return row["output_name"], row["output_type"], bytes(row["output"])


async def queue_stats() -> list[QueueStats]:
    """Each Dramatiq queue's waiting, delayed, dead-lettered, done and errored messages."""
    from kefu.workers.broker import get_broker
    from kefu.workers.registry import load_jobs
    from kefu.workers.stats import queue_stats as read

    load_jobs()  # every actor's queue is declared, even before its first message
    return await asyncio.to_thread(read, get_broker())


async def heartbeats() -> list[dict[str, Any]]:
    """The last beat of each source (the scheduler's tick proves scheduler → broker → worker)."""
    return await Heartbeat.select(Heartbeat.source, Heartbeat.beat_at).order_by(Heartbeat.source)
