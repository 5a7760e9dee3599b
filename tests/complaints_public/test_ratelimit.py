"""kefu.core.ratelimit: a limit per key and window, in memory or on Redis."""

from __future__ import annotations

import pytest

from kefu.core import ratelimit
from kefu.settings import get_settings
from tests import factories


async def test_the_limit_holds_per_key():
    scope, key = "test", factories.unique("client")
    assert [await ratelimit.hit(scope, key, limit=3, window=60) for _ in range(4)] == [
        True, True, True, False,
    ]
    assert await ratelimit.hit(scope, factories.unique("client"), limit=3, window=60)
    assert await ratelimit.hit("other-scope", key, limit=3, window=60)


def test_the_memory_window_slides(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    memory = ratelimit._Memory()
    assert memory.take("k", 2, 60) and memory.take("k", 2, 60)
    assert not memory.take("k", 2, 60)
    now[0] += 61
    assert memory.take("k", 2, 60)


def test_memory_forgets_idle_keys(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(ratelimit._Memory, "PRUNE_AT", 3)
    memory = ratelimit._Memory()
    for k in "abc":
        memory.take(k, 5, 10)
    now[0] += 11
    memory.take("d", 5, 10)
    assert set(memory._hits) == {"d"}


async def test_on_redis_the_counter_expires_with_the_window():
    if not get_settings().redis_url:
        pytest.skip("KEFU_TEST_REDIS_URL not set")
    from kefu.core.redis import redis_client

    key = factories.unique("client")
    assert await ratelimit.hit("test", key, limit=2, window=120)
    ttl = await redis_client().ttl(ratelimit._key("test", key))
    assert 0 < ttl <= 120
    assert key not in ratelimit._key("test", key)  # addresses are not stored in clear


async def test_redis_trouble_fails_open(monkeypatch):
    if not get_settings().redis_url:
        pytest.skip("KEFU_TEST_REDIS_URL not set")
    import kefu.core.redis as rc

    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(rc, "redis_client", broken)
    assert await ratelimit.hit("test", factories.unique("client"), limit=1, window=60)
