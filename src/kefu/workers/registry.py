"""Jobs: async functions declared as Dramatiq actors on the process's broker (kefu.workers.broker).

Actors take ids, never objects, and are idempotent: the database outbox and the scheduler's
sweeps guarantee the work; a message only nudges (STACK-NOTES: redelivery after kill -9 can
take minutes).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq

log = logging.getLogger("kefu.workers")

JobFn = Callable[..., Awaitable[Any]]
JOBS: dict[str, JobFn] = {}
ACTORS: dict[str, dramatiq.Actor] = {}
_ACTOR_OPTIONS: dict[str, dict[str, Any]] = {}


def job(*, queue: str = "default", max_retries: int = 5) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        name = fn.__name__
        JOBS[name] = for_active_tenant(fn)
        # The Dramatiq actor is declared on first use (actor()), not here: importing a jobs
        # module must not read the settings (kefu.workers.broker.get_broker).
        _ACTOR_OPTIONS[name] = {
            "queue_name": queue, "max_retries": max_retries, "min_backoff": 1_000, "max_backoff": 300_000,
        }
        return fn

    return register


def for_active_tenant(fn: JobFn) -> JobFn:
    """A job whose first argument is `tenant_id` does nothing, and says so in the log, once its
    tenant is deactivated: a message queued before (or a retry after) the deactivation must
    not act for it. Sweeps walk only the active tenants (kefu.tenancy.queries.active_tenants)."""
    params = list(inspect.signature(fn).parameters)
    if not params or params[0] != "tenant_id":
        return fn

    @functools.wraps(fn)
    async def guarded(tenant_id: int, *args: Any, **kwargs: Any) -> Any:
        from kefu.tenancy.queries import tenant_is_active

        if not await tenant_is_active(tenant_id):
            log.info("job %s skipped: tenant %s is deactivated (or gone)", fn.__name__, tenant_id)
            return None
        return await fn(tenant_id, *args, **kwargs)

    return guarded


def actor(name: str) -> dramatiq.Actor:
    """The Dramatiq actor of a job, declared on the broker the first time it is needed."""
    found = ACTORS.get(name)
    if found is None:
        from kefu.workers.broker import get_broker

        declare = dramatiq.actor(actor_name=name, broker=get_broker(), **_ACTOR_OPTIONS[name])
        found = ACTORS[name] = declare(JOBS[name])
    return found


async def enqueue(name: str, *args: Any) -> None:
    """Send a job. Call it after the transaction that made the work has committed."""
    from kefu.workers.broker import get_broker, is_embedded

    if name not in JOBS:
        load_jobs()  # a caller outside the app (a CLI command) may not have loaded the jobs yet
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    if is_embedded(get_broker()):
        actor(name).send(*args)  # an in-memory queue: nothing to wait for
        return
    # .send() to Redis is blocking I/O: keep it off the event loop.
    await asyncio.to_thread(actor(name).send, *args)


def load_jobs() -> None:
    """Import every module that defines jobs, so the registry is complete."""
    from kefu.modules import load_jobs as load_module_jobs

    load_module_jobs()
    for name in JOBS:  # a Dramatiq worker consumes only the queues of declared actors
        actor(name)


# Jobs the scheduler enqueues every minute (sweeps); each takes no arguments.
SWEEPS: list[str] = []


def sweep(fn: JobFn) -> JobFn:
    """Register a job (already decorated with @job) to be enqueued on every scheduler tick; each
    run that completes records its time (a Heartbeat row "sweep:<name>", the console shows it)."""
    name = fn.__name__
    if name not in SWEEPS:
        SWEEPS.append(name)
    inner = JOBS[name]
    if not getattr(inner, "records_sweep", False):

        @functools.wraps(inner)
        async def recorded(*args: Any, **kwargs: Any) -> Any:
            result = await inner(*args, **kwargs)
            await _record_sweep(name)
            return result

        recorded.records_sweep = True  # type: ignore[attr-defined]
        JOBS[name] = recorded
    return fn


async def _record_sweep(name: str) -> None:
    from kefu.core import clock
    from kefu.workers.tables import Heartbeat

    now = clock.now()
    await Heartbeat.insert(Heartbeat(source=f"sweep:{name}"[:40], beat_at=now)).on_conflict(
        target=Heartbeat.source, action="DO UPDATE", values=[(Heartbeat.beat_at, now)]
    )
