"""Staff bulletins: the manager drafts a notice for chosen buildings, edits it, publishes it
(with an SMS owed once to each current resident of those buildings), withdraws it; bad input is
a field error that saves nothing; the desk reads but may not write; an insurer has no bulletins."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.bulletins.tables import Bulletin
from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.bulletins import factories
from tests.fees.support import count, field_invalid
from tests.units import factories as unit_factories

GOOD = {"kind": "notice", "category": "outage", "title": "12月10日停水", "body": "因管道检修停水。\n请提前储水。",
        "shown_from": "2026-12-01", "shown_until": "2026-12-31", "starts_at": "", "place": "", "capacity": ""}


async def _notices(tenant) -> list[Notice]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Notice, tenant.id).where(Notice.kind == "bulletin").order_by(Notice.id)


async def test_a_notice_for_one_building_is_drafted_published_and_texted_once(estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    flat3 = await unit_factories.unit(estate.tenant, "3栋", "1501")
    flat5 = await unit_factories.unit(estate.tenant, "5栋", "101")
    await unit_factories.residency(estate.tenant, flat3, "三栋业主", phone="13900000003")
    await unit_factories.residency(estate.tenant, flat5, "五栋业主", phone="13900000005")
    b3 = (await unit_factories.building(estate.tenant, "3栋")).id
    client = await estate.client("manager")

    made = await client.post(estate.url("/"), {**GOOD, "buildings": str(b3)})
    assert made.status_code == 303, made.text[:500]
    [b] = [x async for x in _all(estate.tenant)]
    assert (b.state, b.buildings, b.building_names) == ("draft", str(b3), "3栋")
    edited = await client.post(estate.url(f"/{b.id}/edit"), {**GOOD, "buildings": str(b3), "title": "12月11日停水"})
    assert edited.status_code == 303
    published = await client.post(estate.url(f"/{b.id}/publish"), {"notify": "on"})
    assert published.status_code == 303
    b = await factories.reload(estate.tenant, b.id)
    assert (b.title, b.state, b.notified) == ("12月11日停水", "published", 1)
    [notice] = await _notices(estate.tenant)
    assert (notice.recipient_phone, notice.channel) == ("13900000003", "sms")
    # Published once: a second publish is refused and owes nothing more.
    await client.post(estate.url(f"/{b.id}/publish"), {"notify": "on"})
    assert len(await _notices(estate.tenant)) == 1
    page = await client.get(estate.url(f"/{b.id}"))
    assert "12月11日停水" in page.text and 'id="withdraw-form"' in page.text and 'id="publish-form"' not in page.text
    assert (await client.post(estate.url(f"/{b.id}/withdraw"), {})).status_code == 303
    assert (await factories.reload(estate.tenant, b.id)).state == "withdrawn"


async def _all(tenant):
    async with transaction(tenant.id, write=False):
        for row in await scoped_objects(Bulletin, tenant.id).order_by(Bulletin.id):
            yield row


async def test_an_event_keeps_its_start_place_and_places(estate):
    client = await estate.client("manager")
    made = await client.post(estate.url("/"), {**GOOD, "kind": "event", "category": "community", "title": "中秋联谊会",
                                               "starts_at": "2026-12-20T14:30", "place": "会所二楼", "capacity": "40"})
    assert made.status_code == 303, made.text[:500]
    [b] = [x async for x in _all(estate.tenant)]
    assert (b.capacity, b.place, b.starts_at.isoformat()) == (40, "会所二楼", "2026-12-20T06:30:00+00:00")


@pytest.mark.parametrize(("field", "value"), [
    ("kind", "party"), ("category", "gossip"), ("title", ""), ("title", "x" * 101), ("title", "a\x00b"),
    ("body", ""), ("buildings", "999999"), ("buildings", "abc"), ("buildings", "³"), ("shown_from", ""), ("shown_from", "2026-02-30"),
    ("shown_until", "2026-11-30"), ("shown_until", "2028-01-01"), ("starts_at", "2026-12-20 14:30"),
    ("place", "会所"), ("capacity", "5"),
])
async def test_bad_input_is_a_field_error_and_saves_nothing(estate, field, value):
    await unit_factories.building(estate.tenant, "1栋")  # a box to tick: only the tenant's buildings are offered
    page = await (await estate.client("manager")).post(estate.url("/"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.text[:300])
    assert await count(estate.tenant, Bulletin) == 0


@pytest.mark.parametrize(("field", "value"), [("starts_at", ""), ("capacity", "0"), ("capacity", "１０"),
                                              ("capacity", "10001")])
async def test_an_events_bad_input_is_named(estate, field, value):
    event = {**GOOD, "kind": "event", "category": "community", "starts_at": "2026-12-20T14:30", "capacity": "10"}
    page = await (await estate.client("manager")).post(estate.url("/"), {**event, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), field
    assert await count(estate.tenant, Bulletin) == 0


async def test_titles_render_escaped_and_the_desk_only_reads(estate):
    b = await factories.bulletin(estate.tenant, title="<script>alert(1)</script>", state="draft")
    client = await estate.client("desk")
    for path in ("/", f"/{b.id}"):
        page = await client.get(estate.url(path))
        assert page.status_code == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>alert(1)" not in page.text
    assert 'id="publish-form"' not in (await client.get(estate.url(f"/{b.id}"))).text
    assert (await client.post(estate.url(f"/{b.id}/publish"), {})).status_code == 403
    assert (await client.post(estate.url("/"), GOOD)).status_code == 403
    assert (await factories.reload(estate.tenant, b.id)).state == "draft"


async def test_an_insurer_has_no_bulletins(insurer):
    client = await insurer.client("manager")
    assert (await client.get(insurer.url("/"))).status_code == 403
