"""A published bulletin corrected: the public page shows the correction and when, the audit
trail has the wording before and after, nobody is notified again; its kind stays and an event
keeps the places taken; a withdrawn one cannot be edited. Publishing notifies each resident
once by the best way there is: a text message, else an email, else one letter to the unit.
An event's sign-ups export to Excel."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook

from kefu.audit.tables import AuditEvent
from kefu.bulletins.tables import Signup
from kefu.core.scoping import scoped_objects
from kefu.customers.tables import Customer
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.bulletins import factories
from tests.units import factories as unit_factories

FORM = {"kind": "notice", "category": "outage", "title": "12月10日停水", "body": "9点到17点停水。",
        "shown_from": "2026-12-01", "shown_until": "", "starts_at": "", "place": "", "capacity": ""}


async def _notices(tenant) -> list[Notice]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Notice, tenant.id).where(Notice.kind == "bulletin").order_by(Notice.id)


async def _resident(tenant, flat, name: str, phone: str = "", email: str = "") -> None:
    r = await unit_factories.residency(tenant, flat, name, phone=phone)
    async with transaction(tenant.id):
        await Customer.update({Customer.email: email}).where(Customer.tenant == tenant.id, Customer.id == r.customer)


async def test_a_published_notice_is_corrected_and_the_public_page_says_when(estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    client = await estate.client("manager")
    made = await client.post(estate.url("/"), FORM)
    bulletin_id = int(made.headers["location"].rsplit("/", 1)[1])
    await client.post(estate.url(f"/{bulletin_id}/publish"), {})
    public = f"/p/{estate.tenant.slug}/bulletins/{bulletin_id}"
    assert 'id="revised-at"' not in (await client.get(public)).text
    form = await client.get(estate.url(f"/{bulletin_id}/edit"))
    assert form.status_code == 200 and 'id="revision-note"' in form.text
    frozen_clock.travel(date(2026, 12, 6))
    fixed = await client.post(estate.url(f"/{bulletin_id}/edit"), {**FORM, "body": "改为9点到12点停水。"})
    assert fixed.status_code == 303
    b = await factories.reload(estate.tenant, bulletin_id)
    assert (b.state, b.body, b.revised_at is not None) == ("published", "改为9点到12点停水。", True)
    page = await client.get(public)
    assert "改为9点到12点停水。" in page.text and 'id="revised-at"' in page.text
    assert "Updated" in (await client.get(f"/p/{estate.tenant.slug}/bulletins/")).text
    async with transaction(estate.tenant.id, write=False):
        [event] = await scoped_objects(AuditEvent, estate.tenant.id).where(AuditEvent.action == "bulletin.revise")
    before, after = (json.loads(v) if isinstance(v, str) else v for v in (event.before, event.after))
    assert (before["body"], after["body"]) == ("9点到17点停水。", "改为9点到12点停水。")
    assert await _notices(estate.tenant) == []
    # A notice stays a notice; withdrawn, it cannot be corrected.
    turned = await client.post(estate.url(f"/{bulletin_id}/edit"), {
        **FORM, "kind": "event", "starts_at": "2026-12-20T09:00", "capacity": "10"})
    assert turned.status_code == 422 and 'name="kind" aria-invalid="true"' in turned.text
    await client.post(estate.url(f"/{bulletin_id}/withdraw"), {})
    await client.post(estate.url(f"/{bulletin_id}/edit"), {**FORM, "body": "再改"})
    assert (await factories.reload(estate.tenant, bulletin_id)).body == "改为9点到12点停水。"


async def test_an_event_keeps_the_places_taken(estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    b = await factories.bulletin(estate.tenant, kind="event", capacity=10, signed_up=4, title="亲子活动")
    client = await estate.client("manager")
    event = {**FORM, "kind": "event", "category": "community", "title": "亲子活动", "starts_at": "2099-01-01T10:00"}
    fewer = await client.post(estate.url(f"/{b.id}/edit"), {**event, "capacity": "3"})
    assert fewer.status_code == 422 and "4 places are taken already" in fewer.text
    assert (await factories.reload(estate.tenant, b.id)).capacity == 10
    assert (await client.post(estate.url(f"/{b.id}/edit"), {**event, "capacity": "4"})).status_code == 303
    assert (await factories.reload(estate.tenant, b.id)).capacity == 4


async def test_residents_without_a_mobile_get_an_email_or_a_letter(estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    texted = await unit_factories.unit(estate.tenant, "8栋", "101")
    mailed = await unit_factories.unit(estate.tenant, "8栋", "102")
    posted = await unit_factories.unit(estate.tenant, "8栋", "103")
    await _resident(estate.tenant, texted, "有手机", phone="13900000081")
    await _resident(estate.tenant, texted, "同住无手机")  # the household is texted: no letter
    await _resident(estate.tenant, mailed, "有邮箱", email="owner102@example.cn")
    await _resident(estate.tenant, posted, "老人甲")
    await _resident(estate.tenant, posted, "老人乙")  # one letter to the unit
    client = await estate.client("manager")
    made = await client.post(estate.url("/"), FORM)
    bulletin_id = int(made.headers["location"].rsplit("/", 1)[1])
    published = await client.post(estate.url(f"/{bulletin_id}/publish"), {"notify": "on"})
    assert published.status_code == 303
    found = {(n.channel, n.recipient_name) for n in await _notices(estate.tenant)}
    assert found == {("sms", "有手机"), ("email", "有邮箱"), ("letter", "老人甲")}
    [letter] = [n for n in await _notices(estate.tenant) if n.channel == "letter"]
    assert letter.recipient_address == "8栋103"
    [email] = [n for n in await _notices(estate.tenant) if n.channel == "email"]
    assert email.recipient_email == "owner102@example.cn"
    assert (await factories.reload(estate.tenant, bulletin_id)).notified == 3


async def test_the_sign_ups_export_to_excel(estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    b = await factories.bulletin(estate.tenant, kind="event", capacity=10, signed_up=3, title="=HYPERLINK(1)")
    async with transaction(estate.tenant.id):
        await Signup(tenant=estate.tenant.id, bulletin=b.id, name="王五", phone="13900000001", unit="3-2-1501",
                     people=2).save()
        await Signup(tenant=estate.tenant.id, bulletin=b.id, name="<b>赵六</b>", phone="13900000002",
                     people=1).save()
    for who in ("manager", "desk"):
        client = await estate.client(who)
        page = await client.get(estate.url(f"/{b.id}"))
        assert 'id="signups-export"' in page.text
        exported = await client.get(estate.url(f"/{b.id}/signups.xlsx"))
        assert exported.status_code == 200, who
        sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows[1][:4] == ["王五", "13900000001", "3-2-1501", 2] and rows[2][0] == "<b>赵六</b>"
        assert rows[-1][3] == 3 and sheet.cell(row=len(rows), column=1).data_type == "s"  # text, not a formula
    assert (await (await estate.client("manager")).get(estate.url("/999999/signups.xlsx"))).status_code == 404
