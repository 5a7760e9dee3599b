"""A deactivated tenant's jobs stop: a notice's delivery job queued for it does nothing and says
so in the log (run by the real worker: the embedded one, or Dramatiq's on Redis), and the
scheduler's sweeps pass it by; reactivated, the same job delivers."""

from __future__ import annotations

import asyncio
import logging

import pytest

from kefu.notifications import delivery
from kefu.notifications.services import Recipient
from kefu.workers import registry
from kefu.workers.broker import get_broker
from kefu.workers.embedded import embedded_worker
from kefu.workers.registry import enqueue
from tests import factories
from tests.notifications.factories import owe
from tests.notifications.support import SmtpListener, notice_row, use_smtp
from tests.workers.test_workers import run_dramatiq_worker_until_idle


@pytest.fixture
def smtp(monkeypatch):
    listener = SmtpListener()
    listener.start()
    use_smtp(monkeypatch, "127.0.0.1", listener.port)
    yield listener.mailbox
    listener.stop()


async def run_queued_jobs() -> None:
    worker = embedded_worker()
    if worker is not None:
        await worker.join()
    else:
        await asyncio.to_thread(run_dramatiq_worker_until_idle)


async def test_a_deactivated_tenants_delivery_job_does_nothing_and_says_so(app, smtp, make_client, caplog, monkeypatch):
    root = make_client()
    await root.signin((await factories.user(superuser=True)).email)
    tenant = await factories.tenant(name="停用后不发送")
    # A staff notice (no quiet hours) to an address of its own: the sweep below may deliver
    # other tests' notices to the same SMTP listener.
    notice_id = await owe(tenant, kind="password_reset", recipient=Recipient(
        name="停用", email=f"deactivated-{tenant.id}@example.test", locale="zh_CN"))
    assert (await root.post(f"/admin/tenants/{tenant.id}/deactivate", {})).status_code == 302

    # Earlier tests' messages (delayed retries among them) would keep the queue from draining.
    get_broker().flush_all()
    with caplog.at_level(logging.INFO):
        await enqueue("deliver_notice", tenant.id, notice_id)
        await run_queued_jobs()
        # The sweep walks the active tenants only. What it queues is recorded, not sent: every
        # other tenant's due notices would otherwise keep the worker busy with their retries.
        queued: list[tuple] = []

        async def recorded(name: str, *args: object) -> None:
            queued.append((name, *args))

        with monkeypatch.context() as patched:
            patched.setattr(registry, "enqueue", recorded)
            assert await delivery.sweep() == len(queued)
        assert ("deliver_notice", tenant.id, notice_id) not in queued

    row = await notice_row(tenant, notice_id)
    assert row.state == "pending" and row.attempts == 0 and row.sent_at is None
    assert [m for m in smtp.messages if f"deactivated-{tenant.id}@" in str(m["To"])] == []
    assert f"job deliver_notice skipped: tenant {tenant.id} is deactivated" in caplog.text
    assert "sweep skips deactivated tenants" in caplog.text and str(tenant.id) in caplog.text

    # Reactivated: the same job delivers (the test above could have failed).
    assert (await root.post(f"/admin/tenants/{tenant.id}/reactivate", {})).status_code == 302
    await enqueue("deliver_notice", tenant.id, notice_id)
    await run_queued_jobs()
    assert (await notice_row(tenant, notice_id)).state == "sent"
    assert len([m for m in smtp.messages if f"deactivated-{tenant.id}@" in str(m["To"])]) == 1
