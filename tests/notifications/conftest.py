from __future__ import annotations

import pytest

from tests.notifications.support import SmtpListener, use_smtp


@pytest.fixture
def smtp(monkeypatch):
    """A real SMTP server on a free loopback port; the settings point at it."""
    listener = SmtpListener()
    listener.start()
    use_smtp(monkeypatch, "127.0.0.1", listener.port)
    yield listener.mailbox
    listener.stop()


@pytest.fixture
def enqueued(monkeypatch):
    """Jobs the code enqueues, recorded instead of run (tests call the job themselves)."""
    calls: list[tuple] = []

    async def record(name, *args):
        calls.append((name, *args))

    monkeypatch.setattr("kefu.workers.registry.enqueue", record)
    return calls
