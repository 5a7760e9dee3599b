"""Fixtures for the worker tests: the embedded worker, and Redis when the run has it."""

from __future__ import annotations

import os

import pytest
import pytest_asyncio

from kefu.workers.embedded import EmbeddedWorker, embedded_worker

TEST_REDIS = os.environ.get("KEFU_TEST_REDIS_URL")

needs_redis = pytest.mark.skipif(not TEST_REDIS, reason="KEFU_TEST_REDIS_URL is not set")
embedded_only = pytest.mark.skipif(bool(TEST_REDIS), reason="the Redis run has no embedded worker")


@pytest_asyncio.fixture(loop_scope="session")
async def embedded(app):
    """The app's embedded worker; on the Redis run (where the app has none) a temporary one."""
    worker = embedded_worker()
    if worker is not None:
        yield worker
        await worker.join()
        return
    worker = EmbeddedWorker()
    worker.start()
    try:
        yield worker
    finally:
        await worker.join()
        await worker.stop()
    assert embedded_worker() is None
