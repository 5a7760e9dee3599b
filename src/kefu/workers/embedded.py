"""The in-process worker of embedded mode: jobs run as tasks on the app's event loop."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from kefu.workers.registry import JOBS

log = logging.getLogger("kefu.worker")

_current: EmbeddedWorker | None = None


class EmbeddedWorker:
    def __init__(self, retries: int = 3) -> None:
        self.queue: asyncio.Queue[tuple[str, tuple[Any, ...]]] = asyncio.Queue()
        self.retries = retries
        self.task: asyncio.Task | None = None
        self.done = 0
        self.failed = 0

    @property
    def alive(self) -> bool:
        return self.task is not None and not self.task.done()

    def submit(self, name: str, args: tuple[Any, ...]) -> None:
        self.queue.put_nowait((name, args))

    async def _run_one(self, name: str, args: tuple[Any, ...]) -> None:
        for attempt in range(1, self.retries + 1):
            try:
                await JOBS[name](*args)
                self.done += 1
                return
            except Exception:
                log.exception("job %s%r failed (attempt %s)", name, args, attempt)
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
        await self.queue.join()

    def start(self) -> None:
        global _current
        self.task = asyncio.get_running_loop().create_task(self._loop(), name="kefu-worker")
        _current = self

    async def stop(self) -> None:
        global _current
        if self.task:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
        _current = None


def embedded_worker() -> EmbeddedWorker | None:
    return _current
