"""The platform console's bulk actions on a tenant's outbox (services.bulk): send again every
notice in one state through the real delivery path, or cancel them so that no later job sends
them; each audited once in the tenant's trail with the count."""

from __future__ import annotations

import json

import pytest

from kefu.audit.tables import AuditEvent
from kefu.db import transaction
from kefu.notifications import delivery
from kefu.notifications.services import Recipient, cancel_all, retry_all
from kefu.notifications.tables import Notice
from kefu.workers.embedded import embedded_worker
from tests import factories as platform
from tests.notifications.factories import owe
from tests.notifications.support import notice_row
from tests.workers.conftest import embedded_only


def _own(tenant) -> Recipient:
    """An address of the test's own: the embedded worker may deliver other tests' notices to
    the same SMTP listener while this test runs."""
    return Recipient(name="张三", email=f"bulk-{tenant.id}@example.test", locale="zh_CN")


def _mine(smtp, tenant) -> list:
    return [m for m in smtp.messages if f"bulk-{tenant.id}@" in str(m["To"])]


async def _set_state(tenant, notice_id: int, state: str, attempts: int = 5) -> None:
    async with transaction(tenant.id):
        await Notice.update({Notice.state: state, Notice.attempts: attempts, Notice.last_error: "boom"}).where(
            Notice.tenant == tenant.id, Notice.id == notice_id)


async def _audits(tenant, action: str) -> list[dict]:
    async with transaction(tenant.id, write=False):
        rows = await AuditEvent.select(AuditEvent.actor.id.as_alias("actor"), AuditEvent.before, AuditEvent.after).where(
            AuditEvent.tenant == tenant.id, AuditEvent.action == action)
    return [{k: json.loads(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("state", ["dead", "failed", "waiting"])
async def test_retry_all_sends_the_notices_again_over_smtp(smtp, enqueued, state):
    tenant = await platform.tenant(name="甲保险股份有限公司")
    root = await platform.user(superuser=True)
    ids = [await owe(tenant, recipient=_own(tenant)) for _ in range(3)]
    for i in ids:
        await _set_state(tenant, i, state)
    other = await owe(tenant, recipient=_own(tenant))  # pending: not touched

    assert await retry_all(tenant.id, state, actor_id=root.id) == 3

    assert sorted(c[2] for c in enqueued if c[0] == "deliver_notice") == sorted(ids)  # nudged after commit
    for i in ids:
        assert await delivery.deliver(tenant.id, i) == "sent"
        row = await notice_row(tenant, i)
        assert row.state == "sent" and row.attempts == 1
    assert len(_mine(smtp, tenant)) == 3
    assert (await notice_row(tenant, other)).state == "pending"
    assert await retry_all(tenant.id, state, actor_id=root.id) == 0  # idempotent: none left
    [event] = await _audits(tenant, "notice.bulk_retry")
    assert event["actor"] == root.id and event["after"]["count"] == 3 and event["after"]["platform"] is True


async def test_retry_all_touches_only_its_own_tenant(smtp, enqueued):
    tenant_a, tenant_b = await platform.tenant(), await platform.tenant()
    root = await platform.user(superuser=True)
    a, b = await owe(tenant_a), await owe(tenant_b)
    await _set_state(tenant_a, a, "dead")
    await _set_state(tenant_b, b, "dead")

    assert await retry_all(tenant_a.id, "dead", actor_id=root.id) == 1

    assert (await notice_row(tenant_a, a)).state == "pending"
    assert (await notice_row(tenant_b, b)).state == "dead"
    assert await _audits(tenant_b, "notice.bulk_retry") == []


@pytest.mark.parametrize("state", ["pending", "failed", "dead", "waiting"])
async def test_a_cancelled_notice_is_never_sent_even_when_its_job_runs_later(smtp, enqueued, state):
    tenant = await platform.tenant()
    root = await platform.user(superuser=True)
    ids = [await owe(tenant, recipient=_own(tenant)) for _ in range(2)]
    if state != "pending":
        for i in ids:
            await _set_state(tenant, i, state, attempts=1)

    assert await cancel_all(tenant.id, state, actor_id=root.id) == 2

    for i in ids:
        assert await delivery.deliver(tenant.id, i) is None  # the delivery job does nothing
        row = await notice_row(tenant, i)
        assert row.state == "cancelled" and row.sent_at is None
    enqueued.clear()
    await delivery.sweep()
    assert not [c for c in enqueued if c[0] == "deliver_notice" and c[1] == tenant.id]
    assert _mine(smtp, tenant) == []
    assert await retry_all(tenant.id, "dead", actor_id=root.id) == 0  # a cancelled notice stays cancelled
    [event] = await _audits(tenant, "notice.bulk_cancel")
    assert event["before"]["state"] == state and event["after"]["count"] == 2


async def test_a_state_the_action_does_not_apply_to_is_refused():
    tenant = await platform.tenant()
    with pytest.raises(ValueError):
        await retry_all(tenant.id, "sent", actor_id=1)
    with pytest.raises(ValueError):
        await cancel_all(tenant.id, "ready", actor_id=1)


@embedded_only
async def test_retry_all_from_the_console_is_delivered_by_the_embedded_worker(app, smtp, make_client):
    worker = embedded_worker()
    assert worker is not None
    await worker.join()
    tenant = await platform.tenant(name="甲保险股份有限公司")
    root = await platform.user(superuser=True)
    client = make_client()
    await client.signin(root.email)
    ids = [await owe(tenant, recipient=_own(tenant)) for _ in range(3)]
    for i in ids:
        await _set_state(tenant, i, "dead")

    response = await client.post(f"/admin/outbox/{tenant.id}", {"action": "retry", "state": "dead"})
    assert response.status_code == 302
    await worker.join()

    assert len(_mine(smtp, tenant)) == 3
    for i in ids:
        assert (await notice_row(tenant, i)).state == "sent"
    page = await client.get(response.headers["location"])
    assert "3 notices re-queued for sending." in page.text
