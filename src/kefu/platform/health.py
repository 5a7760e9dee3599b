"""`/healthz`: the database answers, and the broker is up (Redis answers; embedded: the
in-process Dramatiq worker runs)."""

from __future__ import annotations

import asyncio

from kefu.db import current_engine
from kefu.settings import get_settings
from kefu.workers.queries import embedded_worker_alive


async def _db_ok() -> bool:
    try:
        await asyncio.wait_for(current_engine().run_ddl("SELECT 1"), timeout=3)
        return True
    except Exception:
        return False


async def _broker_ok() -> bool:
    if not get_settings().redis_url:
        return embedded_worker_alive()
    try:
        from kefu.core.redis import redis_client

        return bool(await asyncio.wait_for(redis_client().ping(), timeout=3))
    except Exception:
        return False


async def check_health() -> dict[str, str]:
    db, broker = await asyncio.gather(_db_ok(), _broker_ok())
    report = {"db": "ok" if db else "failing", "broker": "ok" if broker else "failing"}
    return {"status": "ok" if db and broker else "failing", **report}
