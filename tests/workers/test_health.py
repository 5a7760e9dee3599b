"""`GET /healthz`: 200 when the database and the broker answer, 503 naming the failing part."""

from __future__ import annotations

import dataclasses
import socket

import kefu.core.redis
import kefu.settings
from kefu.settings import get_settings
from kefu.workers.embedded import embedded_worker
from tests.workers.conftest import embedded_only, needs_redis


async def test_healthz_ok(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "ok", "broker": "ok"}


@embedded_only
async def test_healthz_503_when_the_embedded_worker_is_down(client):
    worker = embedded_worker()
    assert worker is not None and worker.alive
    await worker.join()
    await worker.stop()
    try:
        assert not worker.alive
        response = await client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "failing", "db": "ok", "broker": "failing"}
    finally:
        worker.start()  # on the app's loop, which is this test's (tests.fixtures)
    assert embedded_worker() is worker and worker.alive
    assert (await client.get("/healthz")).status_code == 200


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_redis
async def test_healthz_503_when_redis_is_down(client, monkeypatch):
    down = dataclasses.replace(get_settings(), redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    clients: dict = {}
    monkeypatch.setattr(kefu.settings, "_settings", down)
    monkeypatch.setattr(kefu.core.redis, "_clients", clients)  # no cached good client
    try:
        response = await client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "failing", "db": "ok", "broker": "failing"}
    finally:
        for c in clients.values():
            await c.aclose()
    monkeypatch.undo()
    assert (await client.get("/healthz")).status_code == 200
