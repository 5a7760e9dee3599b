"""One asyncio Redis client per event loop (a client is bound to the loop that made it)."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from kefu.settings import get_settings

_clients: dict[int, aioredis.Redis] = {}


def redis_client() -> aioredis.Redis:
    url = get_settings().redis_url
    if not url:
        raise RuntimeError("KEFU_REDIS_URL is not set")
    loop_id = id(asyncio.get_running_loop())
    client = _clients.get(loop_id)
    if client is None:
        client = aioredis.Redis.from_url(url, decode_responses=True)
        _clients[loop_id] = client
    return client


async def close_redis_clients() -> None:
    for loop_id, client in list(_clients.items()):
        if loop_id == id(asyncio.get_running_loop()):
            await client.aclose()
            del _clients[loop_id]
