"""Embedded mode's worker: a `dramatiq.Worker` consuming the in-memory StubBroker in this process.

Messages go through Dramatiq's own machinery (middleware, retries with backoff, dead letters)
as they would through Redis; only the transport is memory. The worker's threads hand each
async actor to the app's event loop (kefu.workers.apploop), where the database engine and its
pool live. So `start()` runs on that loop, and whatever blocks on the worker (`join`, `stop`)
runs in a thread, leaving the loop free to run the jobs being waited for.
"""

from __future__ import annotations

import asyncio

import dramatiq

from kefu.workers.broker import get_broker, is_embedded

# One thread: SQLite has a single writer, and jobs ran one at a time before; the app's loop
# still serves requests while a job awaits the database.
THREADS = 1
IDLE_POLL_MS = 200  # how soon an idle worker thread notices stop()
STOP_TIMEOUT_MS = 30_000

_current: EmbeddedWorker | None = None


class EmbeddedWorker:
    def __init__(self, threads: int = THREADS) -> None:
        self.broker = get_broker()
        if not is_embedded(self.broker):
            raise RuntimeError("the embedded worker needs the StubBroker (KEFU_REDIS_URL is set)")
        self.threads = threads
        self.worker: dramatiq.Worker | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def alive(self) -> bool:
        worker, loop = self.worker, self.loop
        return (
            worker is not None and loop is not None and not loop.is_closed()
            and bool(worker.workers) and all(t.is_alive() for t in worker.workers)
        )

    def start(self) -> None:
        """Start consuming; call it on the app's loop (the actors' loop)."""
        global _current
        self.loop = asyncio.get_running_loop()
        self.worker = dramatiq.Worker(self.broker, worker_threads=self.threads, worker_timeout=IDLE_POLL_MS)
        self.worker.start()
        _current = self

    def _join(self) -> None:
        assert self.worker is not None, "the embedded worker is not running"
        broker = self.broker
        for queue in broker.get_declared_queues() - broker.get_declared_delay_queues():
            broker.join(queue)  # the queue and its delay queue (retries waiting out their backoff)
        self.worker.join()

    async def join(self) -> None:
        """Wait until every message sent so far, retries included, has been processed: the
        broker's join, then the worker's (Dramatiq's testing pattern)."""
        await asyncio.to_thread(self._join)

    async def stop(self) -> None:
        """Finish the jobs in progress and stop the threads. Messages still queued stay in
        memory until the worker starts again, or are lost with the process (the sweeps
        re-send what matters)."""
        global _current
        worker, self.worker = self.worker, None
        if worker is not None:
            await asyncio.to_thread(worker.stop, STOP_TIMEOUT_MS)
            # Dramatiq leaves a stopped worker's middleware on the broker; a queue declared
            # later would start a consumer for the dead worker.
            self.broker.middleware[:] = [
                m for m in self.broker.middleware if getattr(m, "worker", None) is not worker
            ]
        if _current is self:
            _current = None


def embedded_worker() -> EmbeddedWorker | None:
    return _current
