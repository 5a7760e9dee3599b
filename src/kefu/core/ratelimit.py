"""A small shared rate limiter: at most `limit` hits per key in a window of `window` seconds.

With KEFU_REDIS_URL set, a fixed window counted by Redis INCR + EXPIRE NX (one pipeline, so it
holds across processes and under parallel requests); embedded (one process), a sliding window
in memory. Keys are hashed, so client addresses are never stored in clear.

Redis trouble fails open (the hit is allowed and logged): this guards against floods, it does
not authenticate, and a complainant must not be turned away because a cache is down.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from kefu.settings import get_settings

log = logging.getLogger("kefu.ratelimit")


def _key(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"kefu:rl:{scope}:{digest}"


class _Memory:
    # Once this many keys are held, drop the idle ones (at most once a window), so one-off
    # clients do not accumulate.
    PRUNE_AT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {}
        self._pruned_at = float("-inf")

    def take(self, key: str, limit: int, window: int) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._hits) >= self.PRUNE_AT and now - self._pruned_at > window:
                self._prune(now, window)
            hits = [t for t in self._hits.get(key, []) if t > now - window]
            allowed = len(hits) < limit
            if allowed:
                hits.append(now)
            self._hits[key] = hits
            return allowed

    def _prune(self, now: float, window: int) -> None:
        self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - window}
        self._pruned_at = now

    def clear(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._hits.clear()
            else:
                self._hits.pop(key, None)


_memory = _Memory()


async def hit(scope: str, key: str, *, limit: int, window: int, fail_open: bool = True) -> bool:
    """Count one hit for `key` in `scope`; False when `limit` hits were already counted in the
    window (the caller answers 429). With fail_open=False a Redis error propagates."""
    name = _key(scope, key)
    if not get_settings().redis_url:
        return _memory.take(name, limit, window)
    from kefu.core.redis import redis_client

    try:
        async with redis_client().pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window, nx=True)
            count, _ = await pipe.execute()
    except Exception:  # fail open, see the module docstring
        if not fail_open:
            raise
        log.exception("rate limiter: Redis failed; allowing the request")
        return True
    return int(count) <= limit


async def reset(scope: str, key: str) -> None:
    """Forget the hits counted for `key` in `scope` (e.g. after a successful sign-in)."""
    name = _key(scope, key)
    if not get_settings().redis_url:
        _memory.clear(name)
        return
    from kefu.core.redis import redis_client

    await redis_client().delete(name)
