"""The scheduler ticks every minute and only enqueues. One runs at a time (a Redis lock)."""

from __future__ import annotations

import asyncio
import logging
import uuid

from kefu.workers.registry import SWEEPS, enqueue

log = logging.getLogger("kefu.scheduler")
LOCK_KEY = "kefu:scheduler:lock"
TICK_SECONDS = 60


async def tick(source: str = "scheduler") -> None:
    """Everything due each minute: the heartbeat, then every module's registered sweep."""
    await enqueue("heartbeat", source)
    for name in SWEEPS:
        await enqueue(name)


class RedisLock:
    """SET NX with expiry; renewed each tick by its holder only."""

    def __init__(self, client, ttl_seconds: int = 3 * TICK_SECONDS) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self.token = uuid.uuid4().hex

    async def acquire_or_renew(self) -> bool:
        if await self.client.set(LOCK_KEY, self.token, nx=True, ex=self.ttl):
            return True
        # Renew only if we still hold it (compare-and-expire in one atomic script).
        renewed = await self.client.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end",
            1, LOCK_KEY, self.token, self.ttl,
        )
        return bool(renewed)

    async def release(self) -> None:
        await self.client.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
            "else return 0 end",
            1, LOCK_KEY, self.token,
        )


async def run_scheduler(lock: RedisLock | None, stop: asyncio.Event, interval: float = TICK_SECONDS) -> None:
    while not stop.is_set():
        try:
            if lock is None or await lock.acquire_or_renew():
                await tick()
        except Exception:
            log.exception("scheduler tick failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
    if lock is not None:
        await lock.release()
