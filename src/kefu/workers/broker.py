"""The Dramatiq broker. Actors are declared on it explicitly (kefu.workers.registry), so
Dramatiq never builds its own default one.

With KEFU_REDIS_URL: a RedisBroker, and `kefu worker` processes run the actors on Dramatiq's
AsyncIO loop. Without (embedded): Dramatiq's in-memory StubBroker, consumed by a
`dramatiq.Worker` that the app's lifespan starts (kefu.workers.embedded); the actors run on the
app's loop (kefu.workers.apploop). Both brokers carry Dramatiq's default middleware (retries
with backoff, age and time limits) and the same actors.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from kefu.settings import get_settings
from kefu.workers.apploop import AppLoop
from kefu.workers.stats import JobCounts


def build_broker() -> dramatiq.Broker:
    url = get_settings().redis_url
    if url:
        from dramatiq.brokers.redis import RedisBroker

        broker: dramatiq.Broker = RedisBroker(url=url, namespace="kefu")
        broker.add_middleware(AsyncIO())
        broker.add_middleware(JobCounts())
        return broker
    # fail_fast off: a message dead-lettered once would make every later join() raise.
    broker = StubBroker(fail_fast_default=False)
    broker.add_middleware(AppLoop())
    broker.add_middleware(JobCounts())
    return broker


def is_embedded(broker: dramatiq.Broker) -> bool:
    return isinstance(broker, StubBroker)


_broker: dramatiq.Broker | None = None


def get_broker() -> dramatiq.Broker:
    """The process's broker, built on first use — never at import time: the test harness (and
    any tool) may set KEFU_* after importing kefu, and a broker built then would be the wrong
    one (a StubBroker instead of Redis) for the life of the process."""
    global _broker
    if _broker is None:
        _broker = build_broker()
        dramatiq.set_broker(_broker)
    return _broker


def __getattr__(name: str) -> dramatiq.Broker:
    # `from kefu.workers.broker import broker` still works, lazily.
    if name == "broker":
        return get_broker()
    raise AttributeError(name)
