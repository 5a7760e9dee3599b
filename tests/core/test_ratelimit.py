"""kefu.core.ratelimit: a limit per key and window, the same on memory (embedded) and Redis."""

from __future__ import annotations

import asyncio

import pytest
from limits.aio.storage import MemoryStorage, RedisStorage
from tests import factories

from kefu.core import ratelimit
from kefu.settings import get_settings


async def test_the_limit_holds_per_key_and_scope():
    scope, key = "test", factories.unique("client")
    assert [await ratelimit.hit(scope, key, limit=3, window=60) for _ in range(4)] == [
        True, True, True, False,
    ]
    assert await ratelimit.hit(scope, factories.unique("client"), limit=3, window=60)
    assert await ratelimit.hit("other-scope", key, limit=3, window=60)


async def test_parallel_hits_never_pass_the_limit():
    key = factories.unique("client")
    results = await asyncio.gather(*[ratelimit.hit("par", key, limit=5, window=60) for _ in range(20)])
    assert results.count(True) == 5


async def test_the_window_ends():
    key = factories.unique("client")
    assert await ratelimit.hit("short", key, limit=1, window=1)
    assert not await ratelimit.hit("short", key, limit=1, window=1)
    await asyncio.sleep(1.1)
    assert await ratelimit.hit("short", key, limit=1, window=1)


async def test_reset_forgets_the_count():
    key = factories.unique("client")
    for _ in range(2):
        await ratelimit.hit("reset", key, limit=2, window=60)
    assert not await ratelimit.hit("reset", key, limit=2, window=60)
    await ratelimit.reset("reset", key, limit=2, window=60)
    assert await ratelimit.hit("reset", key, limit=2, window=60)


async def test_the_storage_follows_the_settings():
    storage = ratelimit._limiter().storage
    expected = RedisStorage if get_settings().redis_url else MemoryStorage
    assert isinstance(storage, expected)


async def test_addresses_are_not_stored_in_clear():
    if not get_settings().redis_url:
        pytest.skip("KEFU_TEST_REDIS_URL not set")
    from kefu.core.redis import redis_client

    key = "203.0.113.77"
    await ratelimit.hit("clear", key, limit=2, window=120)
    stored = [k async for k in redis_client().scan_iter(match="kefu:rl*")]
    assert stored and not any(key in (k.decode() if isinstance(k, bytes) else k) for k in stored)


async def test_storage_trouble_fails_open_unless_asked_not_to(monkeypatch):
    class Broken:
        async def hit(self, *args, **kwargs):
            raise ConnectionError("storage down")

    monkeypatch.setattr(ratelimit, "_limiter", lambda: Broken())
    assert await ratelimit.hit("down", "k", limit=1, window=60)
    with pytest.raises(ConnectionError):
        await ratelimit.hit("down", "k", limit=1, window=60, fail_open=False)
