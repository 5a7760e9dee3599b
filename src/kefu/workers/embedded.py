"""The in-process worker of embedded mode: jobs run as tasks on the app's event loop.

The worker's queue belongs to the loop that started it (the app's lifespan loop). Under
uvicorn that is also the loop of every request. Litestar's test clients, though, run the
lifespan in a portal thread with its own loop while requests (and tests) run on another, and
a CLI command runs its own `asyncio.run` loop: so `submit`, `join` and `stop` hand their work
to the worker's loop when called from elsewhere (asyncio queues are not thread-safe).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from kefu.workers.registry import JOBS

log = logging.getLogger("kefu.worker")

_current: EmbeddedWorker | None = None


class EmbeddedWorker:
    def __init__(self, retries: int = 3) -> None:
        self.queue: asyncio.Queue[tuple[str, tuple[Any, ...]]] = asyncio.Queue()
        self.retries = retries
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.done = 0
        self.failed = 0

    @property
    def alive(self) -> bool:
        return self.task is not None and not self.task.done()

    def _elsewhere(self) -> bool:
        """True when called from a thread or loop other than the worker's own."""
        if self.loop is None:
            return False
        try:
            return asyncio.get_running_loop() is not self.loop
        except RuntimeError:
            return True

    async def _on_worker_loop(self, coro: Coroutine[Any, Any, Any]) -> Any:
        assert self.loop is not None
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def submit(self, name: str, args: tuple[Any, ...]) -> None:
        if self._elsewhere():
            assert self.loop is not None
            self.loop.call_soon_threadsafe(self.queue.put_nowait, (name, args))
        else:
            self.queue.put_nowait((name, args))

    async def _run_one(self, name: str, args: tuple[Any, ...]) -> None:
        for attempt in range(1, self.retries + 1):
            try:
                await JOBS[name](*args)
                self.done += 1
                return
            except Exception:
                log.exception("job %s%r failed (attempt %s)", name, args, attempt)
                if attempt < self.retries:  # no pause after the last attempt: it holds the queue
                    await asyncio.sleep(min(2**attempt * 0.1, 5))
        self.failed += 1

    async def _loop(self) -> None:
        while True:
            name, args = await self.queue.get()
            try:
                await self._run_one(name, args)
            finally:
                self.queue.task_done()

    async def join(self) -> None:
        """Wait until every submitted job has run (tests, shutdown)."""
        if self._elsewhere():
            await self._on_worker_loop(self.queue.join())
        else:
            await self.queue.join()

    def start(self) -> None:
        global _current
        self.loop = asyncio.get_running_loop()
        self.task = self.loop.create_task(self._loop(), name="kefu-worker")
        _current = self

    async def stop(self) -> None:
        if self._elsewhere():
            await self._on_worker_loop(self._stop())
        else:
            await self._stop()

    async def _stop(self) -> None:
        global _current
        if self.task:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
        if _current is self:
            _current = None


def embedded_worker() -> EmbeddedWorker | None:
    return _current
