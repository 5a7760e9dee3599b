"""The estate's public bulletin page (no sign-in): what is shown today and nothing else; an
event's sign-up with its places claimed once (never beyond capacity), one per phone; bad input
named; another tenant's bulletin, a draft and a withdrawn one are the same 404."""

from __future__ import annotations

from datetime import date

import pytest

from tests.bulletins import factories
from tests.fees.support import field_invalid

SIGNUP = {"name": "李阿姨", "phone": "139 0000 1234", "unit": "3-2-1501", "people": "2"}


async def test_the_page_shows_what_is_published_today(client, estate, frozen_clock):
    frozen_clock.travel(date(2026, 12, 5))
    shown = await factories.bulletin(estate.tenant, title="今日公告", shown_from=date(2026, 12, 1))
    await factories.bulletin(estate.tenant, title="草稿公告", state="draft")
    await factories.bulletin(estate.tenant, title="撤回公告", state="withdrawn")
    await factories.bulletin(estate.tenant, title="未来公告", shown_from=date(2026, 12, 6))
    await factories.bulletin(estate.tenant, title="过期公告", shown_until=date(2026, 12, 4))
    page = await client.get(f"/p/{estate.slug}/bulletins/")
    assert page.status_code == 200 and "今日公告" in page.text
    assert not any(t in page.text for t in ("草稿公告", "撤回公告", "未来公告", "过期公告"))
    one = await client.get(f"/p/{estate.slug}/bulletins/{shown.id}")
    assert one.status_code == 200 and "今日公告" in one.text and 'id="signup-form"' not in one.text


async def test_an_event_takes_sign_ups_once_per_phone_up_to_its_places(client, estate):
    event = await factories.bulletin(estate.tenant, title="联谊会", kind="event", capacity=3)
    url = f"/p/{estate.slug}/bulletins/{event.id}"
    assert 'id="signup-form"' in (await client.get(url)).text
    first = await client.post(url, SIGNUP)
    assert first.status_code == 200 and 'id="signed-up"' in first.text
    again = await client.post(url, {**SIGNUP, "people": "1"})
    assert again.status_code == 200 and "13900001234" in [s.phone for s in await factories.signups(estate.tenant)]
    assert len(await factories.signups(estate.tenant)) == 1
    full = await client.post(url, {**SIGNUP, "phone": "13900005678", "people": "2"})
    assert full.status_code == 409 and 'id="signup-refused"' in full.text
    assert (await factories.reload(estate.tenant, event.id)).signed_up == 2
    last = await client.post(url, {**SIGNUP, "phone": "13900005678", "people": "1"})
    assert last.status_code == 200
    assert (await factories.reload(estate.tenant, event.id)).signed_up == 3


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("name", "x" * 51), ("phone", ""), ("phone", "abc"),
                                              ("unit", "x" * 31), ("people", "0"), ("people", "11"),
                                              ("people", "two"), ("name", "a\x00")])
async def test_bad_sign_up_input_is_named_and_saves_nothing(client, estate, field, value):
    event = await factories.bulletin(estate.tenant, kind="event", capacity=5)
    page = await client.post(f"/p/{estate.slug}/bulletins/{event.id}", {**SIGNUP, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), field
    assert await factories.signups(estate.tenant) == []
    assert (await factories.reload(estate.tenant, event.id)).signed_up == 0


async def test_another_tenants_draft_or_withdrawn_bulletin_is_a_404(client, estate, insurer):
    theirs = await factories.bulletin(insurer.tenant, title="别家公告", kind="event", capacity=5)
    draft = await factories.bulletin(estate.tenant, title="草稿", state="draft", kind="event", capacity=5)
    gone = await factories.bulletin(estate.tenant, title="撤回", state="withdrawn")
    for b in (theirs, draft, gone):
        for method in ("get", "post"):
            response = await getattr(client, method)(f"/p/{estate.slug}/bulletins/{b.id}", *(
                [SIGNUP] if method == "post" else []))
            assert response.status_code == 404 and "别家公告" not in response.text
    assert await factories.signups(estate.tenant) == [] and await factories.signups(insurer.tenant) == []
    assert (await client.get("/p/no-such-estate/bulletins/")).status_code == 404
