"""Forgotten passwords: a reset link by email (through the outbox, over a real SMTP listener),
single use, expiring, the same answer for known and unknown emails; the reset ends every
session and is audited."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest

from kefu.core import clock
from kefu.db import transaction
from kefu.identity.tables import PasswordReset
from kefu.notifications import delivery
from kefu.notifications.tables import Notice
from tests import factories
from tests.accounts.support import audit_events, field_error, main_block
from tests.notifications.support import SmtpListener, use_smtp

URL = "/password/forgot"
NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.fixture
def smtp(monkeypatch):
    listener = SmtpListener()
    listener.start()
    use_smtp(monkeypatch, "127.0.0.1", listener.port)
    yield listener.mailbox
    listener.stop()


async def _reset_notices(tenant) -> list[Notice]:
    async with transaction(tenant.id, write=False):
        return await Notice.objects().where(Notice.tenant == tenant.id, Notice.kind == "password_reset")


async def _mailed_link(smtp, tenant, to: str) -> str:
    """Deliver the tenant's reset notice (the embedded worker may already have) and read the
    link out of the mail the SMTP listener got."""
    for _ in range(50):
        for notice in await _reset_notices(tenant):
            await delivery.deliver(tenant.id, notice.id)
        mails = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == to]
        if mails:
            body = mails[-1].get_content()
            return httpx.URL(re.search(r"(https?://\S+/password/reset/\S+)", body).group(1)).path
        await asyncio.sleep(0.1)
    raise AssertionError("no reset mail arrived")


def _answer(page: str) -> str:
    return re.sub(r'name="_csrf_token" value="[^"]*"', "", main_block(page))


async def test_a_reset_link_arrives_by_mail_works_once_and_ends_every_session(smtp, make_client):
    tenant = await factories.tenant(name="重设租户")
    person = await factories.member(tenant, ["admin"], name="Reset 用户")
    elsewhere = make_client()
    await elsewhere.signin(person.email)  # Given: a session on another device
    assert (await elsewhere.get(f"/t/{tenant.slug}/")).status_code == 200

    visitor = make_client()
    asked = await visitor.post(URL, {"email": person.email.upper()})
    assert asked.status_code == 200 and 'id="reset-sent"' in asked.text
    link = await _mailed_link(smtp, tenant, person.email)
    [mail] = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == person.email]
    assert "重设租户" in mail["Subject"] or "reset" in mail["Subject"].lower()

    assert (await visitor.get(link)).status_code == 200
    done = await visitor.post(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["location"].startswith("/signin")

    # The other device is signed out; the old password no longer works, the new one does.
    gone = await elsewhere.get(f"/t/{tenant.slug}/")
    assert gone.status_code in (302, 401) and "/signin" in gone.headers.get("location", "/signin")
    old = await make_client().post("/signin", {"email": person.email, "password": factories.PASSWORD})
    assert old.status_code == 400
    fresh = make_client()
    await fresh.signin(person.email, NEW_PASSWORD)
    assert (await fresh.get(f"/t/{tenant.slug}/")).status_code == 200
    # Single use.
    assert (await visitor.get(link)).status_code == 404
    again = await visitor.post(link, {"password": "yet-another-passphrase", "password2": "yet-another-passphrase"})
    assert again.status_code == 404
    assert [e["object_id"] for e in await audit_events(tenant.id, "password.reset_request")] == [person.id]
    assert [e["actor_id"] for e in await audit_events(tenant.id, "password.reset")] == [person.id]


async def test_known_and_unknown_emails_get_the_same_answer_and_only_one_gets_mail(smtp, make_client):
    tenant = await factories.tenant()
    person = await factories.member(tenant, ["admin"])
    unknown = f"{factories.unique('nobody')}@example.test"
    before = await PasswordReset.count()

    known_page = await make_client().post(URL, {"email": person.email})
    unknown_page = await make_client().post(URL, {"email": unknown})

    assert known_page.status_code == unknown_page.status_code == 200
    assert _answer(known_page.text) == _answer(unknown_page.text)
    assert await PasswordReset.count() == before + 1
    await _mailed_link(smtp, tenant, person.email)
    assert all(m["To"].addresses[0].addr_spec != unknown for m in smtp.messages)


async def test_an_expired_link_is_404(smtp, make_client):
    tenant = await factories.tenant()
    person = await factories.member(tenant, ["admin"])
    visitor = make_client()
    await visitor.post(URL, {"email": person.email})
    link = await _mailed_link(smtp, tenant, person.email)
    with clock.frozen(clock.now() + timedelta(hours=1, minutes=1)):
        assert (await visitor.get(link)).status_code == 404
        late = await visitor.post(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert late.status_code == 404
    await make_client().signin(person.email)  # the password did not change


async def test_bad_input_gets_field_errors_and_keeps_the_link(smtp, make_client):
    tenant = await factories.tenant()
    person = await factories.member(tenant, ["admin"])
    visitor = make_client()
    bad = await visitor.post(URL, {"email": "not an email"})
    assert bad.status_code == 422 and field_error(bad.text, "email")
    empty = await visitor.post(URL, {})
    assert empty.status_code == 422 and field_error(empty.text, "email")
    await visitor.post(URL, {"email": person.email})
    link = await _mailed_link(smtp, tenant, person.email)
    short = await visitor.post(link, {"password": "short", "password2": "short"})
    assert short.status_code == 422 and field_error(short.text, "password")
    differ = await visitor.post(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert differ.status_code == 422 and field_error(differ.text, "password2")
    nul = await visitor.post(link, {"password": "abc\x00defghijkl", "password2": "abc\x00defghijkl"})
    assert nul.status_code in (400, 422)
    await make_client().signin(person.email)  # nothing changed
    assert (await visitor.get(link)).status_code == 200  # and the link still works


async def test_unknown_links_are_404(client):
    for token in ("x", "no-such-token-" + "a" * 30, "a" * 300):
        assert (await client.get(f"/password/reset/{token}")).status_code == 404


async def test_the_signin_page_links_to_the_forgotten_password_page(client):
    page = await client.get("/signin")
    assert 'href="/password/forgot"' in page.text
    assert (await client.get("/password/forgot")).status_code == 200
