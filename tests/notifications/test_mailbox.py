"""The embedded default: in development without SMTP, email goes to var/mail/ (one .eml per
message, accepted by that local provider and labelled so) and a page lists it; in test and
production nothing changes unless configured."""

import dataclasses
import email
from email.policy import default as default_policy

import pytest

import kefu.settings
from kefu.notifications import delivery
from kefu.notifications.channels import NOT_CONFIGURED
from kefu.notifications.services import Recipient
from kefu.settings import get_settings
from tests import factories as platform
from tests.fixtures import Client
from tests.notifications.factories import owe
from tests.notifications.support import notice_row


def _env(monkeypatch, tmp_path, env: str, smtp_host: str | None = None) -> None:
    settings = dataclasses.replace(get_settings(), env=env, smtp_host=smtp_host, var_dir=tmp_path)
    monkeypatch.setattr(kefu.settings, "_settings", settings)


async def test_in_development_without_smtp_email_goes_to_the_local_mailbox(monkeypatch, tmp_path, app):
    _env(monkeypatch, tmp_path, "development")
    tenant = await platform.tenant(name="演示保险")
    notice_id = await owe(tenant, kind="acceptance_notice")

    assert await delivery.deliver(tenant.id, notice_id) == "sent"

    row = await notice_row(tenant, notice_id)
    assert row.provider == "mailbox" and row.provider_ref.endswith(f"notice-{tenant.id}-{notice_id}.eml")
    [path] = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert message["To"].addresses[0].addr_spec == "zhangsan@example.test"
    assert "TS-20261201-0007" in message.get_content()

    client = Client(app)
    await client.signin((await platform.member(tenant, ["admin"])).email)
    outbox = await client.get(f"/t/{tenant.slug}/notices")
    assert 'id="mailbox-link"' in outbox.text and "local mailbox only" in outbox.text
    page = await client.get(f"/t/{tenant.slug}/notices/mailbox")
    assert page.status_code == 200 and path.name in page.text and f"#{notice_id}" in page.text
    assert str(tmp_path / "mail") in page.text
    await client.aclose()


@pytest.mark.parametrize("env", ["test", "production"])
async def test_elsewhere_without_smtp_email_still_waits_as_not_configured(monkeypatch, tmp_path, env):
    _env(monkeypatch, tmp_path, env)
    tenant = await platform.tenant()
    notice_id = await owe(tenant)
    assert await delivery.deliver(tenant.id, notice_id) == "waiting"
    assert (await notice_row(tenant, notice_id)).last_error == NOT_CONFIGURED
    assert not (tmp_path / "mail").exists()


async def test_with_smtp_configured_development_sends_by_smtp(monkeypatch, tmp_path, smtp):
    settings = dataclasses.replace(get_settings(), env="development", var_dir=tmp_path)
    monkeypatch.setattr(kefu.settings, "_settings", settings)
    tenant = await platform.tenant()
    # An address of its own: the embedded worker may deliver other tests' notices meanwhile.
    address = f"mailbox-{tenant.id}@example.test"
    notice_id = await owe(tenant, recipient=Recipient(name="张三", email=address, locale="zh_CN"))
    assert await delivery.deliver(tenant.id, notice_id) == "sent"
    mine = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == address]
    assert (await notice_row(tenant, notice_id)).provider == "smtp" and len(mine) == 1
    assert not (tmp_path / "mail").exists()
