import logging

from kefu.notifications import channels, delivery
from kefu.notifications.channels import NO_PHONE
from kefu.notifications.services import Recipient
from tests import factories as platform
from tests.notifications.factories import owe
from tests.notifications.support import notice_row


async def test_the_default_sms_adapter_logs_the_rendered_text(caplog):
    tenant = await platform.tenant(name="乙物业")
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")

    with caplog.at_level(logging.INFO, logger="kefu.notifications"):
        assert await delivery.deliver(tenant.id, notice_id) == "sent"

    [record] = [r for r in caplog.records if "sms notice-" in r.getMessage()]
    text = record.getMessage()
    assert "【乙物业】张三您好，您的投诉（编号TS-20261201-0007）已受理" in text
    assert "138****8000" in text and "13800138000" not in text  # the number is masked in logs
    assert (await notice_row(tenant, notice_id)).state == "sent"


async def test_an_installed_sms_adapter_receives_phone_text_and_reference(monkeypatch):
    sent = []

    class Provider:
        async def send(self, *, phone, text, reference):
            sent.append((phone, text, reference))

    monkeypatch.setattr(channels, "_sms_adapter", Provider())
    tenant = await platform.tenant()
    notice_id = await owe(tenant, channel="sms")

    await delivery.deliver(tenant.id, notice_id)

    assert sent == [("13800138000", sent[0][1], f"notice-{tenant.id}-{notice_id}")]


async def test_an_sms_adapter_that_fails_leaves_the_notice_failed_for_a_retry(monkeypatch):
    class Broken:
        async def send(self, *, phone, text, reference):
            raise channels.DeliveryFailed("gateway timeout")

    monkeypatch.setattr(channels, "_sms_adapter", Broken())
    tenant = await platform.tenant()
    notice_id = await owe(tenant, channel="sms")

    assert await delivery.deliver(tenant.id, notice_id) == "failed"
    assert (await notice_row(tenant, notice_id)).last_error == "gateway timeout"


async def test_an_sms_to_a_recipient_without_a_phone_is_dead_at_once():
    tenant = await platform.tenant()
    notice_id = await owe(tenant, channel="sms", recipient=Recipient(name="无电话"))
    assert await delivery.deliver(tenant.id, notice_id) == "dead"
    assert (await notice_row(tenant, notice_id)).last_error == NO_PHONE
