"""Jobs: async functions that are Dramatiq actors and can also run on the app's own loop.

Actors take ids, never objects, and are idempotent: the database outbox and the scheduler's
sweeps guarantee the work; a message only nudges (STACK-NOTES: redelivery after kill -9 can
take minutes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq

from kefu.workers import broker as _broker  # noqa: F401 — the broker must exist before actors

JobFn = Callable[..., Awaitable[Any]]
JOBS: dict[str, JobFn] = {}
ACTORS: dict[str, dramatiq.Actor] = {}


def job(*, queue: str = "default", max_retries: int = 5) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        name = fn.__name__
        ACTORS[name] = dramatiq.actor(
            fn, actor_name=name, queue_name=queue, max_retries=max_retries,
            min_backoff=1_000, max_backoff=300_000,
        )
        JOBS[name] = fn
        return fn

    return register


async def enqueue(name: str, *args: Any) -> None:
    """Send a job. Call it after the transaction that made the work has committed."""
    from kefu.workers.embedded import embedded_worker

    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    worker = embedded_worker()
    if worker is not None:
        worker.submit(name, args)
        return
    # .send() to Redis is blocking I/O: keep it off the event loop.
    await asyncio.to_thread(ACTORS[name].send, *args)


def load_jobs() -> None:
    """Import every module that defines jobs, so the registry is complete."""
    from kefu.modules import load_jobs as load_module_jobs

    load_module_jobs()


# Jobs the scheduler enqueues every minute (sweeps); each takes no arguments.
SWEEPS: list[str] = []


def sweep(fn: JobFn) -> JobFn:
    """Register a job (already decorated with @job) to be enqueued on every scheduler tick."""
    if fn.__name__ not in SWEEPS:
        SWEEPS.append(fn.__name__)
    return fn
