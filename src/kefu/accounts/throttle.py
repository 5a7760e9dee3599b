"""Sign-in throttling: attempts counted per (email, client address) in a time window.

Each attempt is counted atomically *before* the password is checked, and a successful
sign-in clears the count, so what accumulates is failures. Counting first is what makes the
limit hold when attempts arrive in parallel: checking the count and recording the failure
after the (slow) password hash let every one of 20 concurrent guesses through.

With Redis the counter is an atomic INCR shared by every process; embedded (one process)
it lives in memory.
"""

from __future__ import annotations

import hashlib
import threading
import time

from kefu.settings import get_settings


def _key(email: str, client: str) -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{client}".encode()).hexdigest()[:32]
    return f"kefu:signin-fail:{digest}"


class _MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {}

    def count(self, key: str, window: int) -> int:
        cutoff = time.monotonic() - window
        with self._lock:
            hits = [t for t in self._hits.get(key, []) if t > cutoff]
            self._hits[key] = hits
            return len(hits)

    def add(self, key: str, window: int) -> None:
        with self._lock:
            self._hits.setdefault(key, []).append(time.monotonic())

    def take(self, key: str, window: int, limit: int) -> bool:
        """Count one attempt unless `limit` are already counted in the window (one step)."""
        now = time.monotonic()
        with self._lock:
            hits = [t for t in self._hits.get(key, []) if t > now - window]
            allowed = len(hits) < limit
            if allowed:
                hits.append(now)
            self._hits[key] = hits
            return allowed

    def clear(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


_memory = _MemoryCounter()


async def _redis():
    from kefu.workers.redis_client import redis_client

    return redis_client()


async def take_attempt(email: str, client: str) -> bool:
    """Count this attempt; False when the limit for this email and client is used up."""
    settings = get_settings()
    key = _key(email, client)
    if settings.redis_url:
        client_ = await _redis()
        async with client_.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, settings.signin_window_seconds, nx=True)
            count, _ = await pipe.execute()
        return int(count) <= settings.signin_max_failures
    return _memory.take(key, settings.signin_window_seconds, settings.signin_max_failures)


async def is_locked(email: str, client: str) -> bool:
    settings = get_settings()
    key = _key(email, client)
    if settings.redis_url:
        value = await (await _redis()).get(key)
        return int(value or 0) >= settings.signin_max_failures
    return _memory.count(key, settings.signin_window_seconds) >= settings.signin_max_failures


async def record_failure(email: str, client: str) -> None:
    settings = get_settings()
    key = _key(email, client)
    if settings.redis_url:
        client_ = await _redis()
        async with client_.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, settings.signin_window_seconds, nx=True)
            await pipe.execute()
    else:
        _memory.add(key, settings.signin_window_seconds)


async def clear_failures(email: str, client: str) -> None:
    key = _key(email, client)
    if get_settings().redis_url:
        await (await _redis()).delete(key)
    else:
        _memory.clear(key)
