from kefu.core import crypto
from kefu.db import transaction
from kefu.notifications import delivery
from kefu.notifications.tables import DeliverySetting
from tests import factories as platform
from tests.fixtures import Client
from tests.notifications.factories import owe

SECRET = "s3cr3t-never-shown-again"


def _form(**overrides):
    data = {"sms_provider": "aliyun", "sms_access_key_id": "LTAI5tPageKey", "sms_secret": SECRET,
            "sms_sign_name": "甲保险", "template_acceptance_notice": "SMS_200000001"}
    return data | overrides


async def _admin_of_new_tenant(app):
    tenant = await platform.tenant()
    client = Client(app)
    await client.signin((await platform.member(tenant, ["admin"])).email)
    return tenant, client


async def test_an_admin_saves_aliyun_settings_and_the_secret_is_never_shown_again(app, caplog):
    tenant, client = await _admin_of_new_tenant(app)
    url = f"/t/{tenant.slug}/notices/settings"
    response = await client.post(f"{url}/sms", data=_form())
    assert response.status_code in (302, 303)

    page = await client.get(url)
    assert page.status_code == 200
    assert SECRET not in page.text and "LTAI5tPageKey" in page.text and "SMS_200000001" in page.text
    assert 'id="secret-state"' in page.text
    assert SECRET not in caplog.text
    async with transaction(tenant.id, write=False):
        row = await DeliverySetting.select().where(DeliverySetting.tenant == tenant.id).first()
    assert SECRET not in str(row) and crypto.decrypt(row["sms_secret_sealed"]) == SECRET
    await client.aclose()


async def test_missing_fields_are_422_by_field_and_the_typed_secret_is_not_echoed(as_alice, cast):
    url = f"/t/{cast.tenant_a.slug}/notices/settings/sms"
    response = await as_alice.post(url, data=_form(sms_access_key_id="", template_acceptance_notice="<script>"))
    assert response.status_code == 422
    assert 'id="sms_access_key_id-error"' in response.text
    assert 'id="template_acceptance_notice-error"' in response.text
    assert SECRET not in response.text and "<script>" not in response.text


async def test_sending_hours_are_saved_and_a_bad_time_is_422(app):
    tenant, client = await _admin_of_new_tenant(app)
    url = f"/t/{tenant.slug}/notices/settings/hours"
    bad = await client.post(url, data={"send_from": "25:00", "send_until": "21:00"})
    assert bad.status_code == 422 and 'id="send_from-error"' in bad.text
    ok = await client.post(url, data={"send_from": "09:30", "send_until": "20:00"})
    assert ok.status_code in (302, 303)
    page = await client.get(f"/t/{tenant.slug}/notices/settings")
    assert 'value="09:30"' in page.text and 'value="20:00"' in page.text
    await client.aclose()


async def test_staff_without_the_permission_get_403_on_the_settings(as_bob, cast):
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/notices/settings")).status_code == 403


async def test_a_waiting_sms_shows_as_not_configured_in_the_notices_list(app):
    tenant, client = await _admin_of_new_tenant(app)
    notice_id = await owe(tenant, channel="sms", kind="materials_notice")
    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    page = await client.get(f"/t/{tenant.slug}/notices")
    attention = page.text.split('id="attention"')[1].split("</table>")[0]
    assert f"#{notice_id}" in attention and "SMS is not configured" in attention
    await client.aclose()
