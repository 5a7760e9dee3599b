"""Jobs: async functions declared as Dramatiq actors on the process's broker (kefu.workers.broker).

Actors take ids, never objects, and are idempotent: the database outbox and the scheduler's
sweeps guarantee the work; a message only nudges (STACK-NOTES: redelivery after kill -9 can
take minutes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq

JobFn = Callable[..., Awaitable[Any]]
JOBS: dict[str, JobFn] = {}
ACTORS: dict[str, dramatiq.Actor] = {}
_ACTOR_OPTIONS: dict[str, dict[str, Any]] = {}


def job(*, queue: str = "default", max_retries: int = 5) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        name = fn.__name__
        JOBS[name] = fn
        # The Dramatiq actor is declared on first use (actor()), not here: importing a jobs
        # module must not read the settings (kefu.workers.broker.get_broker).
        _ACTOR_OPTIONS[name] = {
            "queue_name": queue, "max_retries": max_retries, "min_backoff": 1_000, "max_backoff": 300_000,
        }
        return fn

    return register


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
    """Register a job (already decorated with @job) to be enqueued on every scheduler tick."""
    if fn.__name__ not in SWEEPS:
        SWEEPS.append(fn.__name__)
    return fn
