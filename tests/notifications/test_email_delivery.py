import asyncio
from datetime import UTC, datetime, timedelta

from kefu.audit.tables import AuditEvent
from kefu.core import clock
from kefu.db import transaction
from kefu.notifications import delivery
from kefu.notifications.channels import NO_EMAIL, NOT_CONFIGURED
from kefu.notifications.services import Recipient
from kefu.notifications.tables import Notice
from tests import factories as platform
from tests.notifications.factories import owe
from tests.notifications.support import SmtpListener, free_port, notice_row, use_smtp


async def test_email_arrives_over_smtp_with_the_rendered_chinese_subject_and_body(smtp):
    tenant = await platform.tenant(name="甲保险股份有限公司")
    notice_id = await owe(tenant, kind="acceptance_notice")

    assert await delivery.deliver(tenant.id, notice_id) == "sent"

    [message] = smtp.of(tenant.id)
    assert message["Subject"] == "【甲保险股份有限公司】投诉受理通知（投诉编号 TS-20261201-0007）"
    assert message["To"].addresses[0].addr_spec == "zhangsan@example.test"
    assert message["From"].addresses[0].display_name == "甲保险股份有限公司"
    body = message.get_content()
    assert body.startswith("张三：")
    assert "我司决定予以受理" in body and "2026年12月22日" in body
    row = await notice_row(tenant, notice_id)
    assert row.state == "sent" and row.attempts == 1 and row.sent_at is not None
    assert row.rendered_subject == message["Subject"]


async def test_two_concurrent_deliveries_send_one_mail(smtp):
    tenant = await platform.tenant()
    notice_id = await owe(tenant)

    results = await asyncio.gather(*(delivery.deliver(tenant.id, notice_id) for _ in range(3)))

    assert results.count("sent") == 1 and results.count(None) == 2
    assert len(smtp.of(tenant.id)) == 1


async def test_delivering_a_sent_notice_again_sends_nothing(smtp):
    tenant = await platform.tenant()
    notice_id = await owe(tenant)
    await delivery.deliver(tenant.id, notice_id)

    assert await delivery.deliver(tenant.id, notice_id) is None
    assert len(smtp.of(tenant.id)) == 1


async def test_a_failing_smtp_server_backs_off_then_the_notice_dies_with_its_reason(monkeypatch, as_alice, cast):
    use_smtp(monkeypatch, "127.0.0.1", free_port())  # nothing listens there
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with clock.frozen(start):
        notice_id = await owe(cast.tenant_a)
    now = start
    for attempt in range(1, 6):
        with clock.frozen(now):
            state = await delivery.deliver(cast.tenant_a.id, notice_id)
            # Not due again before its backoff has passed.
            assert await delivery.deliver(cast.tenant_a.id, notice_id) is None
        row = await notice_row(cast.tenant_a, notice_id)
        assert row.attempts == attempt
        if attempt < 5:
            assert state == "failed"
            assert row.next_attempt_at == now + delivery.backoff(attempt)
            now = row.next_attempt_at
    assert state == "dead"
    assert "Connection refused" in row.last_error

    page = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices")
    assert page.status_code == 200
    attention = page.text.split('id="attention"')[1].split("</table>")[0]
    assert f"#{notice_id}" in attention and "Connection refused" in attention
    assert "Retry now" in attention


async def test_email_without_an_smtp_host_waits_as_not_configured_and_goes_once_configured(monkeypatch, enqueued):
    use_smtp(monkeypatch, None)
    tenant = await platform.tenant()
    notice_id = await owe(tenant)

    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    row = await notice_row(tenant, notice_id)
    assert row.last_error == NOT_CONFIGURED and row.attempts == 0 and row.sent_at is None
    await delivery.sweep()  # still not configured: nothing to send
    assert ("deliver_notice", tenant.id, notice_id) not in enqueued

    listener = SmtpListener()
    listener.start()
    try:
        use_smtp(monkeypatch, "127.0.0.1", listener.port)
        await delivery.sweep()
        assert ("deliver_notice", tenant.id, notice_id) in enqueued
        assert await delivery.deliver(tenant.id, notice_id) == "sent"
    finally:
        listener.stop()
    row = await notice_row(tenant, notice_id)
    assert row.provider == "smtp" and len(listener.mailbox.of(tenant.id)) == 1


async def test_email_to_a_recipient_without_an_address_is_dead_at_once(smtp):
    tenant = await platform.tenant()
    notice_id = await owe(tenant, recipient=Recipient(name="王五", phone="13900000000"))

    assert await delivery.deliver(tenant.id, notice_id) == "dead"
    row = await notice_row(tenant, notice_id)
    assert row.attempts == 1 and row.last_error == NO_EMAIL
    assert smtp.of(tenant.id) == []


async def test_a_notice_whose_worker_died_mid_send_is_swept_and_sent_after_the_lease(smtp, enqueued):
    tenant = await platform.tenant()
    start = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    with clock.frozen(start):
        notice_id = await owe(tenant)
        # Given a worker that claimed the notice and died before sending it
        assert await delivery.claim(tenant.id, notice_id) is not None
        await delivery.sweep()
    assert ("deliver_notice", tenant.id, notice_id) not in enqueued  # leased, not due yet

    with clock.frozen(start + delivery.LEASE + timedelta(seconds=1)):
        await delivery.sweep()
        assert ("deliver_notice", tenant.id, notice_id) in enqueued
        assert await delivery.deliver(tenant.id, notice_id) == "sent"
    assert len(smtp.of(tenant.id)) == 1
    assert (await notice_row(tenant, notice_id)).attempts == 2


async def test_a_sent_notice_leaves_an_audit_event(accepting_sms):
    tenant = await platform.tenant()
    notice_id = await owe(tenant, channel="sms")
    await delivery.deliver(tenant.id, notice_id)
    async with transaction(tenant.id, write=False):
        events = await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.tenant == tenant.id, AuditEvent.object_type == "notice", AuditEvent.object_id == notice_id
        )
    assert [e["action"] for e in events] == ["notice.sent"]


async def test_retry_now_sends_a_dead_notice_again(smtp, enqueued, as_alice, cast):
    notice_id = await owe(cast.tenant_a, recipient=Recipient(name="赵六"))
    assert await delivery.deliver(cast.tenant_a.id, notice_id) == "dead"
    # The address is fixed in the data (by whoever owns the recipient) — here, directly.
    async with transaction(cast.tenant_a.id):
        await Notice.update({Notice.recipient_email: "zhaoliu@example.test"}).where(
            Notice.tenant == cast.tenant_a.id, Notice.id == notice_id
        )

    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/{notice_id}/retry")

    assert response.status_code == 302
    assert ("deliver_notice", cast.tenant_a.id, notice_id) in enqueued  # nudged after commit
    row = await notice_row(cast.tenant_a, notice_id)
    assert row.state == "pending" and row.attempts == 0
    assert await delivery.deliver(cast.tenant_a.id, notice_id) == "sent"
    assert [m["To"].addresses[0].addr_spec for m in smtp.of(cast.tenant_a.id)] == ["zhaoliu@example.test"]
    async with transaction(cast.tenant_a.id, write=False):
        actions = await AuditEvent.select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.tenant == cast.tenant_a.id, AuditEvent.object_id == notice_id, AuditEvent.object_type == "notice"
        )
    assert [a["action"] for a in actions] == ["notice.dead", "notice.retry", "notice.sent"]
    assert {"action": "notice.retry", "actor_id": cast.alice.id} in actions


async def test_retrying_a_notice_that_is_not_failed_is_refused_with_422(as_alice, cast):
    notice_id = await owe(cast.tenant_a)
    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/{notice_id}/retry")
    assert response.status_code == 422
    assert 'id="state-error"' in response.text
