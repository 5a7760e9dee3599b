"""Jobs: embedded, Dramatiq's Worker on the StubBroker (the run without Redis); with Redis, the
production path with a real Dramatiq worker."""

from __future__ import annotations

import asyncio
import json

import dramatiq
import pytest

import kefu.workers.scheduler
from kefu.core import clock
from kefu.settings import get_settings
from kefu.workers.broker import get_broker
from kefu.workers.embedded import embedded_worker
from kefu.workers.registry import actor, enqueue
from kefu.workers.scheduler import LOCK_KEY, RedisLock, run_scheduler
from kefu.workers.tables import Heartbeat
from tests.factories import unique
from tests.workers.conftest import needs_redis

QUEUE_MESSAGES = "kefu:default.msgs"  # where Dramatiq's RedisBroker keeps the queue's payloads


async def beats(source: str) -> list[dict]:
    return await Heartbeat.select().where(Heartbeat.source == source)


# --- the embedded worker: Dramatiq's Worker on the StubBroker ---------------------------------


async def test_heartbeat_runs_through_the_stub_broker_on_the_apps_loop(embedded, declare_job):
    source = unique("hb")
    started = clock.now()
    await enqueue("heartbeat", source)
    await embedded.join()
    rows = await beats(source)
    assert len(rows) == 1
    assert rows[0]["beat_at"] >= started

    await enqueue("heartbeat", source)
    await enqueue("heartbeat", source)
    await embedded.join()
    again = await beats(source)
    assert len(again) == 1  # idempotent: one row per source, its time moved on
    assert again[0]["id"] == rows[0]["id"]
    assert again[0]["beat_at"] >= rows[0]["beat_at"]

    loops = []

    async def where_am_i() -> None:
        loops.append(asyncio.get_running_loop())

    declare_job(where_am_i)
    await enqueue("where_am_i")
    await embedded.join()
    # The app's lifespan runs on the tests' loop (tests.fixtures): the actor ran there, where
    # the engine's pool lives, not on a loop of Dramatiq's own.
    assert loops == [asyncio.get_running_loop()]


async def test_a_failing_job_is_retried_by_dramatiq_then_dead_lettered(embedded, declare_job):
    calls: list[int] = []

    async def always_fails(n: int) -> None:
        calls.append(n)
        raise RuntimeError("boom")

    async def fails_once(n: int) -> None:
        calls.append(n)
        if calls.count(n) == 1:
            raise RuntimeError("flaky")

    quick = {"max_retries": 1, "min_backoff": 10, "max_backoff": 20}  # ms: Dramatiq's Retries
    declare_job(always_fails, **quick)
    declare_job(fails_once, **quick)
    dead = len(embedded.broker.dead_letters)

    await enqueue("always_fails", 1)
    await enqueue("fails_once", 2)
    await embedded.join()
    assert sorted(calls) == [1, 1, 2, 2]  # each retried once, after its backoff
    letters = embedded.broker.dead_letters[dead:]
    assert [(m.actor_name, m.args) for m in letters] == [("always_fails", (1,))]
    assert embedded.alive

    source = unique("after")
    await enqueue("heartbeat", source)  # the worker still runs jobs
    await embedded.join()
    assert len(await beats(source)) == 1


async def test_unknown_job_is_refused():
    with pytest.raises(KeyError, match="no_such_job"):
        await enqueue("no_such_job")


async def test_embedded_scheduler_ticks_once(embedded, declare_job, monkeypatch):
    swept = asyncio.Event()
    sweeps: list[str] = []

    async def test_sweep() -> None:
        sweeps.append("swept")
        swept.set()

    declare_job(test_sweep)
    monkeypatch.setattr(kefu.workers.scheduler, "SWEEPS", ["test_sweep"])  # not the modules' sweeps
    started = clock.now()
    stop = asyncio.Event()
    task = asyncio.create_task(run_scheduler(None, stop, interval=60))
    await asyncio.wait_for(swept.wait(), timeout=10)  # the first tick runs at once
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    await embedded.join()
    assert sweeps == ["swept"]  # one tick: the sweep once…
    rows = await beats("scheduler")  # …and its heartbeat
    assert len(rows) == 1
    assert rows[0]["beat_at"] >= started


# --- Redis: the production path ----------------------------------------------------------------


async def queued_heartbeats(client, source: str) -> int:
    payloads = await client.hvals(QUEUE_MESSAGES)
    return sum(
        1 for p in payloads if json.loads(p)["actor_name"] == "heartbeat" and json.loads(p)["args"] == [source]
    )


def run_dramatiq_worker_until_idle() -> None:
    """A real Dramatiq worker in this process, on the app's RedisBroker, until the queue drains."""
    broker = get_broker()
    worker = dramatiq.Worker(broker, worker_threads=1)
    worker.start()
    try:
        broker.join("default", timeout=20_000)
        worker.join()
    finally:
        worker.stop(timeout=10_000)
        # Dramatiq leaves the stopped worker's middleware on the broker; a queue declared later
        # would start a consumer for it.
        broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]


@needs_redis
async def test_redis_run_has_no_embedded_worker(app):
    settings = get_settings()
    assert settings.redis_url and not settings.embedded_broker
    assert embedded_worker() is None
    from dramatiq.brokers.redis import RedisBroker

    assert isinstance(get_broker(), RedisBroker)
    assert actor("heartbeat").broker is get_broker()


@needs_redis
async def test_enqueue_sends_to_redis_and_a_dramatiq_worker_runs_it(app):
    from kefu.core.redis import redis_client

    assert embedded_worker() is None
    # Earlier tests' messages (notices waiting on retries among them) would keep the queue
    # from draining within the join.
    get_broker().flush_all()
    source = unique("redis")
    await enqueue("heartbeat", source)
    assert await queued_heartbeats(redis_client(), source) == 1
    assert await beats(source) == []  # nothing ran it yet

    await asyncio.to_thread(run_dramatiq_worker_until_idle)
    assert await queued_heartbeats(redis_client(), source) == 0
    assert len(await beats(source)) == 1


@needs_redis
async def test_redis_lock_has_one_holder(app):
    from kefu.core.redis import redis_client

    client = redis_client()
    await client.delete(LOCK_KEY)
    a, b = RedisLock(client, ttl_seconds=30), RedisLock(client, ttl_seconds=30)
    try:
        won = await asyncio.gather(a.acquire_or_renew(), b.acquire_or_renew())
        assert sorted(won) == [False, True]
        holder, other = (a, b) if won[0] else (b, a)
        assert await client.get(LOCK_KEY) == holder.token

        await client.expire(LOCK_KEY, 5)
        assert await holder.acquire_or_renew()  # renews for its holder
        assert await client.ttl(LOCK_KEY) > 5
        assert not await other.acquire_or_renew()
        assert await client.ttl(LOCK_KEY) > 5

        await other.release()  # not the holder: no effect
        assert await client.get(LOCK_KEY) == holder.token
        await holder.release()
        assert await client.get(LOCK_KEY) is None
        assert await other.acquire_or_renew()  # free again
        await other.release()
    finally:
        await client.delete(LOCK_KEY)


@needs_redis
async def test_scheduler_ticks_once_enqueues_a_heartbeat_and_releases_its_lock(app, monkeypatch):
    from kefu.core.redis import redis_client

    monkeypatch.setattr(kefu.workers.scheduler, "SWEEPS", [])  # the modules test their own sweeps
    client = redis_client()
    await client.delete(LOCK_KEY)
    get_broker().flush_all()  # as above: only this test's messages in the queue
    before = await queued_heartbeats(client, "scheduler")
    rival = RedisLock(client)
    lock = RedisLock(client)
    stop = asyncio.Event()
    task = asyncio.create_task(run_scheduler(lock, stop, interval=60))
    try:
        for _ in range(200):
            if await queued_heartbeats(client, "scheduler") > before:
                break
            await asyncio.sleep(0.02)
        assert await queued_heartbeats(client, "scheduler") == before + 1
        assert await client.get(LOCK_KEY) == lock.token
        assert not await rival.acquire_or_renew()  # a second scheduler would not tick
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    assert await client.get(LOCK_KEY) is None  # released on stop
    assert await queued_heartbeats(client, "scheduler") == before + 1  # ticked exactly once

    await asyncio.to_thread(run_dramatiq_worker_until_idle)  # and the beat lands in the database
    assert len(await beats("scheduler")) == 1
