"""Dramatiq's AsyncIO middleware for embedded mode: async actors run on the app's own loop.

Dramatiq's AsyncIO middleware starts a new event loop in a thread and runs every async actor
there. In `kefu worker` that is right (kefu.workers.process starts the asyncpg pool on that
loop). Embedded, the app's lifespan has already started the pool on the app's loop, and an
asyncpg pool serves only the loop that made it (STACK-NOTES), so the coroutines must run on the
app's loop: Dramatiq's worker threads hand each one to it and wait for the result.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any

from dramatiq.asyncio import set_event_loop_thread
from dramatiq.middleware import Middleware
from dramatiq.threading import Interrupt

POLL_SECONDS = 0.1
KEEP_DEAD_LETTERS = 100


class LoopRunner:
    """What Dramatiq's async actors call (`run_coroutine`), backed by a loop that already runs."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def run_coroutine(self, coro: Coroutine[Any, Any, Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            # Wait in short slices: Dramatiq interrupts a worker thread (time limit, shutdown)
            # by raising in it, which a blocking wait would not notice; and a loop that closed
            # under us (the app died) must not leave the thread waiting forever.
            while True:
                try:
                    return future.result(timeout=POLL_SECONDS)
                except concurrent.futures.TimeoutError:
                    if future.done():
                        return future.result(timeout=0)
                    if self.loop.is_closed():
                        raise RuntimeError("the app's event loop closed while a job ran") from None
        except Interrupt:
            self.loop.call_soon_threadsafe(future.cancel)
            raise


class AppLoop(Middleware):
    """In place of dramatiq.middleware.AsyncIO on the embedded broker.

    `dramatiq.Worker.start()` must be called on the app's loop (the lifespan does): that loop
    is the one the actors get. `Worker.stop()` must not be (its threads may be waiting on it).
    """

    def before_worker_boot(self, broker, worker):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("start the embedded worker on the app's event loop") from None
        set_event_loop_thread(LoopRunner(loop))

    def after_worker_shutdown(self, broker, worker):
        set_event_loop_thread(None)

    def after_nack(self, broker, message):
        # The StubBroker keeps every dead letter in memory; a server running for months must
        # not. The outbox rows, not the messages, are the record of what failed.
        letters = getattr(broker, "dead_letters_by_queue", {}).get(message.queue_name)
        if letters is not None and len(letters) > KEEP_DEAD_LETTERS:
            del letters[:-KEEP_DEAD_LETTERS]
