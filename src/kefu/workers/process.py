"""The `kefu worker` and `kefu scheduler` processes (production: Redis)."""

from __future__ import annotations

import asyncio
import signal
import threading

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from kefu.settings import get_settings


class PiccoloPool(Middleware):
    """The asyncpg pool belongs to one loop: start it on Dramatiq's event-loop thread, before the
    worker's consumers start. (After boot was too late: jobs waiting in Redis ran at once, on
    connections of their own, and handed them back to the pool started meanwhile, "is not a
    member of this pool".) Added after AsyncIO, whose before_worker_boot starts that thread."""

    def before_worker_boot(self, broker, worker):
        from kefu.db import current_engine, is_postgres, start_db_pool

        engine = current_engine()
        if is_postgres(engine):
            get_event_loop_thread().run_coroutine(start_db_pool(engine, min_size=1, max_size=8))

    def before_worker_shutdown(self, broker, worker):
        from kefu.db import current_engine, is_postgres

        engine = current_engine()
        if is_postgres(engine):
            get_event_loop_thread().run_coroutine(engine.close_connection_pool())


class RedisRequired(RuntimeError):
    """The process was asked for without KEFU_REDIS_URL (the CLI prints it as one line)."""


def _require_redis(what: str) -> None:
    if not get_settings().redis_url:
        raise RedisRequired(f"{what} needs KEFU_REDIS_URL; in embedded mode `kefu serve` runs jobs itself")


def run_worker(threads: int = 4) -> None:
    _require_redis("kefu worker")
    from kefu.workers.broker import get_broker
    from kefu.workers.registry import load_jobs

    broker = get_broker()
    broker.add_middleware(PiccoloPool())
    load_jobs()
    worker = dramatiq.Worker(broker, worker_threads=threads)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    print(f"kefu worker running {len(broker.actors)} actors", flush=True)
    stop.wait()
    worker.stop()


def run_scheduler_process() -> None:
    _require_redis("kefu scheduler")
    from kefu.core.redis import redis_client
    from kefu.workers.registry import load_jobs
    from kefu.workers.scheduler import RedisLock, run_scheduler

    load_jobs()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print("kefu scheduler ticking every minute", flush=True)
        await run_scheduler(RedisLock(redis_client()), stop)

    asyncio.run(main())
