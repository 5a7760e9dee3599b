"""The status page behind the secret link: status, dates, what happens next; nothing internal."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from kefu.complaints import services
from kefu.core import clock
from tests.complaints.public.conftest import make_shop, public_form, staff


async def file_online(shop, **over):
    data = public_form(**over)
    nested = {"complainant": {}}
    for key, value in data.items():
        head, _, tail = key.partition(".")
        if tail:
            nested["complainant"][tail] = value
        else:
            nested[key] = value
    return await services.register_public_complaint(shop.tenant, nested)


def status_url(shop, complaint) -> str:
    return f"/p/{shop.tenant.slug}/status/{complaint.public_token}"


def visible_text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


async def test_status_page_walks_with_the_complaint_and_never_shows_internal_data(make_client, fresh_shop):
    shop = fresh_shop
    c = make_client()
    complaint = await file_online(shop)
    url = status_url(shop, complaint)

    page = await c.get(url)
    assert page.status_code == 200
    assert complaint.number in page.text
    assert "已登记" in page.text or "已收到" in page.text or "Received" in page.text
    assert "2026年3月2日" in page.text  # received on, in Chinese
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in page.headers["x-robots-tag"]

    admin = await staff(shop.tenant, shop.admin)
    secret_note = "内部备注：此人是老客户，可酌情赔付 NOTE-7c1e"
    await services.add_note(admin, complaint.id, body=secret_note)
    await services.mark_materials_complete(admin, complaint.id)
    reviewing = await c.get(url)
    # Under review: the art. 16 answer is due 10 working days after complete materials.
    assert "2026年3月16日" in reviewing.text
    assert 'id="status-next"' in reviewing.text

    await services.review_complaint(admin, complaint.id, outcome="accept", reason="事实清楚 REASON-91b")
    handled = await services.assign_handler(admin, complaint.id, handler_id=shop.admin.id)
    page = await c.get(url)
    assert handled.decision_due.isoformat() == "2026-03-17"
    assert "2026年3月17日" in page.text  # decision due
    for internal in (secret_note, "NOTE-7c1e", "REASON-91b", shop.admin.name, shop.admin.email,
                     "李四", "13900139000", "退保手续费不合理"):
        assert internal not in page.text, internal

    await services.record_decision(admin, complaint.id, decision="partly", text="部分支持",
                                   remedy="退还手续费")
    await services.close_complaint(admin, complaint.id)
    closed = await c.get(url)
    assert closed.status_code == 200
    assert "NOTE-7c1e" not in closed.text and shop.admin.name not in closed.text
    assert "办结" in visible_text(closed.text) or "Closed" in closed.text


async def test_an_unknown_or_another_tenants_token_is_404(make_client, fresh_shop, other_shop):
    c = make_client()
    complaint = await file_online(fresh_shop)
    assert (await c.get(status_url(fresh_shop, complaint))).status_code == 200
    elsewhere = await c.get(f"/p/{other_shop.tenant.slug}/status/{complaint.public_token}")
    unknown = await c.get(f"/p/{fresh_shop.tenant.slug}/status/{'x' * 32}")
    too_long = await c.get(f"/p/{fresh_shop.tenant.slug}/status/{'x' * 500}")
    for response in (elsewhere, unknown, too_long):
        assert response.status_code == 404
        assert complaint.number not in response.text
    # The 404 shows the frame of the slug's own tenant (its links help), never the token's.
    assert fresh_shop.tenant.name not in elsewhere.text


@pytest.mark.parametrize("token_of", ["a", "b"])
async def test_the_cast_tenants_keep_their_tokens_apart(make_client, cast, token_of):
    c = make_client()
    shop_a = type("S", (), {"tenant": cast.tenant_a})
    shop_b = type("S", (), {"tenant": cast.tenant_b})
    owner, other = (shop_a, shop_b) if token_of == "a" else (shop_b, shop_a)
    complaint = await file_online(owner, category="other")
    assert (await c.get(status_url(owner, complaint))).status_code == 200
    assert (await c.get(f"/p/{other.tenant.slug}/status/{complaint.public_token}")).status_code == 404


async def test_provisional_dates_are_marked(make_client):
    shop = await make_shop()
    c = make_client()
    with clock.frozen(datetime(2027, 3, 1, 2, 0, tzinfo=UTC)):
        complaint = await file_online(shop)
        page = await c.get(status_url(shop, complaint))
    assert complaint.deadlines_provisional is True
    assert 'id="status-provisional"' in page.text
    settled = await file_online(shop, subject="另一件事")
    assert 'id="status-provisional"' not in (await c.get(status_url(shop, settled))).text


async def test_a_withdrawn_complaint_says_so_without_a_next_date(make_client, fresh_shop):
    c = make_client()
    complaint = await file_online(fresh_shop)
    admin = await staff(fresh_shop.tenant, fresh_shop.admin)
    await services.withdraw_complaint(admin, complaint.id, reason="投诉人来电撤回 WITHDRAW-REASON")
    page = await c.get(status_url(fresh_shop, complaint))
    assert page.status_code == 200
    assert "WITHDRAW-REASON" not in page.text
    assert "撤回" in page.text or "withdrew" in page.text
