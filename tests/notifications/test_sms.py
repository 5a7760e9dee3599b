import dataclasses
import json
import logging

import pytest

import kefu.settings
from kefu.db import transaction
from kefu.notifications import aliyun, delivery, services
from kefu.notifications.channels import NO_PHONE, SMS_NOT_CONFIGURED
from kefu.notifications.services import Recipient, SmsSettings
from kefu.notifications.sms import NO_TEMPLATE_CODE
from kefu.notifications.tables import DeliverySetting
from kefu.settings import get_settings
from tests import factories as platform
from tests.fixtures import context
from tests.notifications.aliyun_fake import KEYS, FakeAliyun
from tests.notifications.factories import owe
from tests.notifications.support import notice_row

KEY_ID = "LTAI5tTestKeyId"


@pytest.fixture
def fake_aliyun(monkeypatch):
    with FakeAliyun() as fake:
        settings = dataclasses.replace(get_settings(), aliyun_sms_endpoint=fake.url)
        monkeypatch.setattr(kefu.settings, "_settings", settings)
        yield fake


async def _admin(tenant):
    return await context(tenant, await platform.member(tenant, ["admin"]))


async def _configure(tenant, *, key_id: str = KEY_ID, secret: str = KEYS[KEY_ID], templates=None) -> list[int]:
    sms = SmsSettings(provider="aliyun", access_key_id=key_id, secret=secret, sign_name="乙物业",
                      templates={"acceptance_notice": "SMS_100000001"} if templates is None else templates)
    async with transaction(tenant.id):
        return await services.save_sms_settings(await _admin(tenant), sms)


async def test_without_a_provider_an_sms_waits_as_not_configured_and_is_never_marked_sent(caplog):
    tenant = await platform.tenant(name="乙物业")
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")

    with caplog.at_level(logging.INFO, logger="kefu.notifications"):
        assert await delivery.deliver(tenant.id, notice_id) == "waiting"

    row = await notice_row(tenant, notice_id)
    assert (row.state, row.sent_at, row.last_error, row.attempts) == ("waiting", None, SMS_NOT_CONFIGURED, 0)
    assert await delivery.deliver(tenant.id, notice_id) is None  # not claimable while waiting
    assert "13800138000" not in caplog.text


async def test_configuring_aliyun_releases_the_waiting_sms_and_the_provider_accepts_it(fake_aliyun, enqueued):
    tenant = await platform.tenant(name="乙物业")
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")
    assert await delivery.deliver(tenant.id, notice_id) == "waiting"

    assert await _configure(tenant) == [notice_id]
    assert ("deliver_notice", tenant.id, notice_id) in enqueued
    assert await delivery.deliver(tenant.id, notice_id) == "sent"

    [request] = fake_aliyun.requests
    assert request["PhoneNumbers"] == "13800138000" and request["SignName"] == "乙物业"
    assert request["TemplateCode"] == "SMS_100000001" and request["OutId"] == f"notice-{tenant.id}-{notice_id}"
    params = json.loads(request["TemplateParam"])
    assert params["complaint_number"] == "TS-20261201-0007" and params["recipient_name"] == "张三"
    row = await notice_row(tenant, notice_id)
    assert (row.state, row.provider) == ("sent", "aliyun") and row.provider_ref.startswith("900619746936498440^")


@pytest.mark.parametrize(("code", "state", "attempts"), [
    ("isv.BUSINESS_LIMIT_CONTROL", "failed", 1),  # flow control: retried later
    ("isv.MOBILE_NUMBER_ILLEGAL", "dead", 1),  # a bad number never gets better
])
async def test_aliyun_error_codes_decide_retry_or_failed_for_good(fake_aliyun, code, state, attempts):
    tenant = await platform.tenant()
    await _configure(tenant)
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")
    fake_aliyun.answer_code = code

    assert await delivery.deliver(tenant.id, notice_id) == state
    row = await notice_row(tenant, notice_id)
    assert code in row.last_error and row.attempts == attempts and row.sent_at is None


async def test_an_unknown_access_key_leaves_the_sms_waiting_as_not_configured(fake_aliyun):
    tenant = await platform.tenant()
    await _configure(tenant, key_id="LTAI5tNoSuchKey")
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")

    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    assert "InvalidAccessKeyId.NotFound" in (await notice_row(tenant, notice_id)).last_error


async def test_a_wrong_secret_fails_the_signature_check_and_waits(fake_aliyun):
    tenant = await platform.tenant()
    await _configure(tenant, secret="not-the-secret")
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")

    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    assert "SignatureDoesNotMatch" in (await notice_row(tenant, notice_id)).last_error


async def test_a_kind_without_a_template_code_waits_as_not_configured(fake_aliyun):
    tenant = await platform.tenant()
    await _configure(tenant)
    notice_id = await owe(tenant, channel="sms", kind="decision_notice")

    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    assert (await notice_row(tenant, notice_id)).last_error == NO_TEMPLATE_CODE
    assert fake_aliyun.requests == []


async def test_the_secret_is_stored_sealed_and_kept_when_the_form_leaves_it_blank(fake_aliyun):
    tenant = await platform.tenant()
    await _configure(tenant)
    async with transaction(tenant.id):
        await services.save_sms_settings(await _admin(tenant), SmsSettings(
            provider="aliyun", access_key_id=KEY_ID, secret="", sign_name="乙物业",
            templates={"acceptance_notice": "SMS_100000001"}))
        sealed = await DeliverySetting.select(DeliverySetting.sms_secret_sealed).where(DeliverySetting.tenant == tenant.id).first()
    assert KEYS[KEY_ID] not in sealed["sms_secret_sealed"]
    notice_id = await owe(tenant, channel="sms", kind="acceptance_notice")
    assert await delivery.deliver(tenant.id, notice_id) == "sent"


async def test_an_sms_to_a_recipient_without_a_phone_is_dead_at_once():
    tenant = await platform.tenant()
    notice_id = await owe(tenant, channel="sms", recipient=Recipient(name="无电话"))
    assert await delivery.deliver(tenant.id, notice_id) == "dead"
    assert (await notice_row(tenant, notice_id)).last_error == NO_PHONE


@pytest.mark.parametrize(("value", "encoded"), [
    ("a b", "a%20b"), ("a*b", "a%2Ab"), ("a~b", "a~b"), ("中", "%E4%B8%AD"), ("a+b/c=", "a%2Bb%2Fc%3D"),
])
def test_aliyun_percent_encoding(value, encoded):
    assert aliyun.percent_encode(value) == encoded


def test_aliyun_signature_matches_the_documented_example():
    # The example of Aliyun's RPC signature documentation (SendSms, 2017-05-25).
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
        "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
    }
    assert aliyun.sign(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.mark.parametrize(("state", "channel", "address", "configured", "expected"), [
    ("sent", "email", "a@b.test", True, "sent"),
    ("pending", "email", "a@b.test", True, "queued"),
    ("pending", "email", "a@b.test", False, "not_configured"),
    ("waiting", "sms", "13800138000", False, "not_configured"),
    ("pending", "email", "", True, "failed"),
    ("failed", "email", "a@b.test", True, "failed"),
    ("dead", "sms", "13800138000", True, "failed"),
    ("pending", "letter", "", True, "queued"),
])
def test_the_outlook_of_a_notice_just_owed(state, channel, address, configured, expected):
    from kefu.notifications.policy import outlook

    assert outlook(state, channel, address, configured) == expected


async def test_a_survey_sms_carries_the_opt_out_line_and_a_complaint_sms_does_not(accepting_sms):
    tenant = await platform.tenant()
    survey = await owe(tenant, channel="sms", kind="survey_invitation")
    complaint = await owe(tenant, channel="sms", kind="acceptance_notice")
    assert await delivery.deliver(tenant.id, survey) == "sent"
    assert await delivery.deliver(tenant.id, complaint) == "sent"
    texts = {out.kind: out.wording.body for out in accepting_sms}
    assert texts["survey_invitation"].endswith("回T退订，或在问卷页底部点“退订”")
    assert "退订" not in texts["acceptance_notice"]
    assert "退订" in (await notice_row(tenant, survey)).rendered_body
