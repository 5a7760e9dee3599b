"""How far a long step has got, written by the thread doing the work and read by the job
that waits for it (kefu.workers.services.JobRun.in_thread writes it to the job's row, which
the job's page polls). Plain attributes: one writer, one reader, ints are replaced atomically."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from typing import Protocol, TypeVar


class Progress:
    def __init__(self, total: int = 0) -> None:
        self.done = 0
        self.total = total  # 0: not known yet (a file is being read)

    def advance(self, count: int = 1) -> None:
        self.done += count

    def __repr__(self) -> str:
        return f"Progress({self.done}/{self.total})"


T = TypeVar("T")
# The thread's own counter, for plumbing deep in the work that has no argument to take it (the
# Excel writer counts the rows it writes: a large export shows them on the job's page).
_CURRENT: ContextVar[Progress | None] = ContextVar("kefu_progress", default=None)


def current() -> Progress | None:
    return _CURRENT.get()


def counted(work: Callable[[Progress], T], counter: Progress) -> T:
    """`work(counter)` with `counter` as current() (call it in the thread that does the work)."""
    token = _CURRENT.set(counter)
    try:
        return work(counter)
    finally:
        _CURRENT.reset(token)


class Runner(Protocol):
    """What long work runs its steps with: a job's (kefu.workers.services.JobRun: progress
    shown on the job's page), or UNWATCHED when a request or a test calls the service."""

    async def in_thread(self, work: Callable[[Progress], T]) -> T: ...

    async def progress(self, done: int, total: int | None = None) -> None: ...


class Unwatched:
    async def in_thread(self, work: Callable[[Progress], T]) -> T:
        """`work(progress)` in a worker thread, never on the event loop; nobody watches."""
        return await asyncio.to_thread(counted, work, Progress())

    async def progress(self, done: int, total: int | None = None) -> None:
        return None


UNWATCHED = Unwatched()
