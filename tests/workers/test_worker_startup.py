"""`kefu worker` started while notices wait in Redis: on PostgreSQL no job runs before the
worker's connection pool is ready, and every waiting notice is delivered (a real SMTP listener
receives it), with no error in the worker's output."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from kefu.db import current_engine, is_postgres
from kefu.notifications import services
from tests import factories
from tests.notifications import factories as nf
from tests.notifications.support import SmtpListener, notice_row
from tests.workers.conftest import needs_redis

WAITING = 6


@needs_redis
async def test_the_worker_starts_with_notices_waiting(app):
    if not is_postgres(current_engine()):
        pytest.skip("the worker's connection pool is PostgreSQL's")
    listener = SmtpListener()
    listener.start()
    tenant = await factories.tenant(kind="insurance")
    # A staff notice: customers' ones wait for the tenant's sending hours, whatever the clock says.
    ids = [await nf.owe(tenant, channel="email", kind="deadline_reminder") for _ in range(WAITING)]
    await services.nudge(tenant.id, ids)  # the messages wait in Redis; no worker runs yet
    env = {**os.environ, "KEFU_SMTP_HOST": "127.0.0.1", "KEFU_SMTP_PORT": str(listener.port)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "kefu.cli", "worker"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        states: list[str] = []
        while time.monotonic() < deadline:
            states = [(await notice_row(tenant, i)).state for i in ids]
            if all(s == "sent" for s in states):
                break
            await asyncio.sleep(0.5)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        listener.stop()
    assert states == ["sent"] * WAITING, (states, output[-3000:])
    assert len(listener.mailbox.messages) >= WAITING
    assert "Traceback" not in output and "pool" not in output.lower(), output[-3000:]
