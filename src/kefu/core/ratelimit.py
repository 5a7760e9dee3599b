"""The shared rate limiter: at most `limit` hits per key in a window of `window` seconds.

The `limits` library counts with one strategy (a fixed window) on either storage, so embedded
mode (memory, one process) and production (Redis, across processes) behave the same. Keys
are hashed, so client addresses are never stored in clear.

Redis trouble fails open by default (the hit is allowed and logged): this guards against
floods, it does not authenticate, and a complainant must not be turned away because a cache
is down. The sign-in throttle asks for fail_open=False.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter

from kefu.settings import get_settings

log = logging.getLogger("kefu.ratelimit")
_limiters: dict[tuple[str | None, int], FixedWindowRateLimiter] = {}


def _limiter() -> FixedWindowRateLimiter:
    """One limiter per storage URL and event loop (a Redis connection belongs to its loop)."""
    url = get_settings().redis_url
    slot = (url, id(asyncio.get_running_loop()) if url else 0)
    if slot not in _limiters:
        storage: Storage = (
            RedisStorage("async+" + url, implementation="redispy", key_prefix="kefu:rl")
            if url else MemoryStorage()
        )
        _limiters[slot] = FixedWindowRateLimiter(storage)
    return _limiters[slot]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


async def hit(scope: str, key: str, *, limit: int, window: int, fail_open: bool = True) -> bool:
    """Count one hit for `key` in `scope`; False when `limit` hits were already counted in the
    window (the caller answers 429). With fail_open=False a storage error propagates."""
    item = RateLimitItemPerSecond(limit, window)
    try:
        return await _limiter().hit(item, scope, _digest(key))
    except Exception:  # fail open, see the module docstring
        if not fail_open:
            raise
        log.exception("rate limiter: storage failed; allowing the request")
        return True


async def reset(scope: str, key: str, *, limit: int, window: int) -> None:
    """Forget the hits counted for `key` in `scope` (e.g. after a successful sign-in)."""
    await _limiter().clear(RateLimitItemPerSecond(limit, window), scope, _digest(key))
