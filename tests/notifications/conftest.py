from __future__ import annotations

import pytest

from tests.notifications.support import AcceptingSms, SmtpListener, use_smtp


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


@pytest.fixture(autouse=True)
def open_sending_hours(request, monkeypatch):
    """Tests here deliver at whatever hour they run: sending hours are open all day unless a
    test asks for the `quiet_hours` fixture (the real rule)."""
    if "quiet_hours" not in request.fixturenames:
        monkeypatch.setattr("kefu.notifications.delivery._quiet_until", lambda row, config, tz: None)


@pytest.fixture
def quiet_hours():
    """The tenant's sending hours apply (see open_sending_hours)."""


@pytest.fixture
def accepting_sms(monkeypatch):
    """An SMS provider that accepts every message; the Outgoing messages it got."""
    provider = AcceptingSms()
    monkeypatch.setattr("kefu.notifications.sms._installed", provider)
    return provider.sent
