"""What the platform console shows of the job queues: per Dramatiq queue the messages waiting
(ready and delayed), dead-lettered (failed for good), done and errored (counted by the JobCounts
middleware on every broker) and the oldest waiting message's age.

With Redis the numbers come from the broker's own keys (kefu:<queue>, .DQ, .XQ; see Dramatiq's
dispatch.lua) and a hash of counters per queue, so they hold across worker processes; embedded,
from the StubBroker's in-memory queues and a counter in this process.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dramatiq
from dramatiq.broker import Broker, MessageProxy
from dramatiq.common import dq_name
from dramatiq.middleware import Middleware

NAMESPACE = "kefu"  # the RedisBroker's namespace (kefu.workers.broker)
COUNTS_KEY = "kefu:jobstats:{queue}"


class JobCounts(Middleware):
    """Counts each processed message per queue: done, or errored (an exception; Dramatiq's
    Retries then retries it or dead-letters it)."""

    def __init__(self) -> None:
        self.memory: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()

    def after_process_message(self, broker: Broker, message: MessageProxy, *, result: Any = None,
                              exception: BaseException | None = None) -> None:
        outcome = "done" if exception is None else "errored"
        client = getattr(broker, "client", None)
        if client is not None:
            try:
                client.hincrby(COUNTS_KEY.format(queue=message.queue_name), outcome, 1)
            except Exception:  # a count lost is not worth failing a job for
                return
            return
        with self.lock:
            self.memory[message.queue_name, outcome] += 1


@dataclass(frozen=True)
class QueueStats:
    queue: str
    waiting: int
    delayed: int
    dead: int
    done: int
    errored: int
    oldest_waiting_at: datetime | None


def _timestamp(encoded: bytes | str | None) -> datetime | None:
    if not encoded:
        return None
    message = dramatiq.Message.decode(encoded if isinstance(encoded, bytes) else encoded.encode())
    return datetime.fromtimestamp(message.message_timestamp / 1000, UTC)


def _counts(broker: Broker) -> JobCounts | None:
    return next((m for m in broker.middleware if isinstance(m, JobCounts)), None)


def _queues(broker: Broker) -> list[str]:
    return sorted(q for q in broker.get_declared_queues() if not q.endswith((".DQ", ".XQ")))


def _redis_stats(broker: Any, queue: str) -> QueueStats:
    client, full = broker.client, f"{NAMESPACE}:{queue}"
    first = client.lindex(full, 0)
    oldest = _timestamp(client.hget(f"{full}.msgs", first)) if first else None
    counts = {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in client.hgetall(COUNTS_KEY.format(queue=queue)).items()}
    return QueueStats(queue, int(client.llen(full)), int(client.llen(f"{NAMESPACE}:{dq_name(queue)}")),
                      int(client.zcard(f"{full}.XQ")), counts.get("done", 0), counts.get("errored", 0), oldest)


def _stub_stats(broker: Any, queue: str) -> QueueStats:
    ready = broker.queues[queue]
    with ready.mutex:  # a peek at the oldest message without taking it
        first = ready.queue[0] if ready.queue else None
    delayed = broker.queues.get(dq_name(queue))
    counts = _counts(broker)
    memory = counts.memory if counts else Counter()
    return QueueStats(queue, ready.qsize(), delayed.qsize() if delayed else 0,
                      len(broker.dead_letters_by_queue.get(queue, [])), memory[queue, "done"],
                      memory[queue, "errored"], _timestamp(first))


def queue_stats(broker: Broker) -> list[QueueStats]:
    """Blocking (Redis round trips): call it in a thread."""
    read = _redis_stats if getattr(broker, "client", None) is not None else _stub_stats
    return [read(broker, q) for q in _queues(broker)]
