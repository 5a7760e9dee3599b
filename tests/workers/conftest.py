"""Fixtures for the worker tests: the app's embedded Dramatiq worker, and Redis when the run has it."""

from __future__ import annotations

import os

import dramatiq
import pytest
import pytest_asyncio

from kefu.workers.broker import get_broker
from kefu.workers.embedded import embedded_worker
from kefu.workers.registry import ACTORS, JOBS

TEST_REDIS = os.environ.get("KEFU_TEST_REDIS_URL")

needs_redis = pytest.mark.skipif(not TEST_REDIS, reason="KEFU_TEST_REDIS_URL is not set")
embedded_only = pytest.mark.skipif(bool(TEST_REDIS), reason="the Redis run has no embedded worker")


@pytest_asyncio.fixture(loop_scope="session")
async def embedded(app):
    """The app's embedded worker, its queues drained first: what a test then counts (calls,
    dead letters) is its own work, not a nudge an earlier test left queued."""
    worker = embedded_worker()
    if worker is None:
        pytest.skip("the Redis run has no embedded worker")
    await worker.join()
    yield worker
    await worker.join()


@pytest.fixture
def declare_job(monkeypatch):
    """Declare a throwaway job as an actor on the process's broker, gone after the test."""
    broker = get_broker()
    monkeypatch.setattr(broker, "actors", dict(broker.actors))

    def declare(fn, **options):
        name = fn.__name__
        monkeypatch.setitem(JOBS, name, fn)
        monkeypatch.setitem(ACTORS, name, dramatiq.actor(fn, actor_name=name, broker=broker, **options))
        return fn

    return declare
