"""The Dramatiq broker. Imported before any actor: Dramatiq otherwise builds its own default.

With KEFU_REDIS_URL: a RedisBroker, and `kefu worker` processes run the actors. Without
(embedded): a StubBroker that never receives messages — `enqueue()` hands jobs to the
in-process worker on the app's event loop instead (kefu.workers.embedded).
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from kefu.settings import get_settings


def build_broker() -> dramatiq.Broker:
    url = get_settings().redis_url
    if url:
        from dramatiq.brokers.redis import RedisBroker

        broker: dramatiq.Broker = RedisBroker(url=url, namespace="kefu")
    else:
        broker = StubBroker()
    broker.add_middleware(AsyncIO())
    return broker


broker = build_broker()
dramatiq.set_broker(broker)
