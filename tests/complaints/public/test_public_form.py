"""The public online form: no sign-in, CSRF from the page, honeypot, rate limit, double submit."""

from __future__ import annotations

import asyncio
import html
import re

from kefu import i18n
from kefu.complaints.controllers.public import RATE_LIMITED
from kefu.settings import get_settings
from tests.accounts.support import has_chinese
from tests.complaints.public.conftest import complaint_count, complaints, open_form, submit
from tests.fixtures import Client


def number_on(page: str) -> str:
    match = re.search(r'id="complaint-number">([^<]+)<', page)
    assert match, page[:2000]
    return match.group(1)


def status_link(page: str) -> str:
    match = re.search(r'id="status-link">([^<]+)<', page)
    assert match, page[:2000]
    return html.unescape(match.group(1))


def error_on(page: str, field: str) -> str:
    match = re.search(rf'id="{re.escape(field.replace(".", "-"))}-error">([^<]+)<', page)
    return html.unescape(match.group(1)) if match else ""


async def test_the_form_is_chinese_mobile_first_and_needs_no_signin(make_client, fresh_shop):
    c = make_client()
    response = await c.get(f"/p/{fresh_shop.tenant.slug}/complain")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page
    assert fresh_shop.tenant.name in page
    assert "投诉" in page and "理赔" in page  # the insurer's categories, in Chinese
    assert "kefu-tabs" not in page and "/signout" not in page  # no staff navigation
    assert "htmx" not in page  # no script to download on a slow connection
    assert response.headers["cache-control"] == "no-store"
    assert c.http.cookies.get("kefu_csrf")  # the cookie the POST will need


async def test_a_complaint_filed_online_gets_a_number_and_a_status_link(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(c, slug, hidden)
    assert response.status_code == 200, response.text
    number = number_on(response.text)
    assert number == "TS2026-000001"
    link = status_link(response.text)
    # from KEFU_PUBLIC_URL, never from the request's Host header
    assert link.startswith(f"{get_settings().public_url}/p/{slug}/status/")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    [row] = await complaints(fresh_shop.tenant.id)
    assert (row["channel"], row["source"], row["registered_by_id"]) == ("online", "public", None)
    assert (row["complainant_name"], row["complainant_phone"]) == ("李四", "13900139000")
    assert row["status"] == "registered" and row["materials_incomplete"] is True
    assert link.endswith(row["public_token"])
    status = await c.get(link.removeprefix("http://testserver"))
    assert status.status_code == 200 and number in status.text


async def test_a_double_submit_creates_one_complaint(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    first, second = await asyncio.gather(submit(c, slug, hidden), submit(c, slug, hidden))
    third = await submit(c, slug, hidden)  # the refresh of the thank-you page
    assert first.status_code == second.status_code == third.status_code == 200
    assert number_on(first.text) == number_on(second.text) == number_on(third.text)
    assert await complaint_count(fresh_shop.tenant.id) == 1
    # Back to the same page, and a different complaint: that is a second one, not swallowed.
    other = await submit(c, slug, hidden, subject="另一件事：理赔员态度恶劣")
    assert number_on(other.text) != number_on(first.text)
    assert await complaint_count(fresh_shop.tenant.id) == 2


async def test_a_filled_honeypot_creates_nothing_but_looks_normal(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(c, slug, hidden, company_site="http://spam.example")
    assert response.status_code == 200
    assert "我们已收到您的投诉" in response.text or "received your complaint" in response.text
    assert 'id="complaint-number"' not in response.text
    assert await complaint_count(fresh_shop.tenant.id) == 0


async def test_the_rate_limit_answers_429_in_chinese(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    for i in range(5):
        ok = await submit(c, slug, hidden, subject=f"第{i}件事")
        assert ok.status_code == 200, ok.text
    limited = await submit(c, slug, hidden, subject="第六件事")
    assert limited.status_code == 429
    with i18n.using_locale("zh_CN"):
        message = i18n.gettext(RATE_LIMITED)
    assert has_chinese(message) and html.escape(message) in limited.text
    assert await complaint_count(fresh_shop.tenant.id) == 5
    # Another tenant's form is counted apart.
    from tests.complaints.public.conftest import make_shop

    elsewhere = await make_shop()
    other_hidden = await open_form(c, elsewhere.tenant.slug)
    assert (await submit(c, elsewhere.tenant.slug, other_hidden)).status_code == 200


async def test_bad_input_is_422_naming_the_field_in_chinese_and_keeps_the_entries(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(
        c, slug, hidden, **{"complainant.name": "", "complainant.email": "不是邮箱",
                            "subject": "题" * 201, "category": "cars"},
    )
    assert response.status_code == 422
    page = response.text
    assert error_on(page, "complainant.name") == "此项为必填项。"
    assert error_on(page, "complainant.email") == "请输入有效的值。"
    assert error_on(page, "subject") == "最多 200 个字符。"
    assert error_on(page, "category") == "请从列出的选项中选择。"
    assert 'aria-invalid="true"' in page
    assert "办理退保时被收取了高额手续费" in page  # what was typed is kept
    assert f'value="{hidden["form_nonce"]}"' in page  # same form, same double-submit key
    assert await complaint_count(fresh_shop.tenant.id) == 0


async def test_no_contact_at_all_is_refused_on_the_phone_field(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(c, slug, hidden, **{"complainant.phone": ""})
    assert response.status_code == 422
    assert error_on(response.text, "complainant.phone") == "请至少填写电话号码、邮箱或通信地址中的一项。"


async def test_the_form_cannot_claim_a_regulator_or_another_channel(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(c, slug, hidden, channel="regulator", is_major="1",
                            materials_complete="1", received_on="2026-01-01")
    assert response.status_code == 200
    [row] = await complaints(fresh_shop.tenant.id)
    assert (row["channel"], row["is_major"], row["regulator_unit"]) == ("online", False, "")
    assert row["received_on"].isoformat() == "2026-03-02" and row["materials_incomplete"] is True


async def test_a_post_without_the_csrf_token_is_refused(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    hidden.pop("_csrf_token")
    response = await submit(c, slug, hidden)
    assert response.status_code == 403
    assert await complaint_count(fresh_shop.tenant.id) == 0


async def test_unknown_or_inactive_tenant_is_404(make_client, fresh_shop):
    from kefu.tenancy.tables import Tenant

    c = make_client()
    for path in ("complain", "contact", "status/abc"):
        response = await c.get(f"/p/no-such-tenant-here/{path}")
        assert response.status_code == 404
    slug = fresh_shop.tenant.slug
    await Tenant.update({Tenant.is_active: False}).where(Tenant.id == fresh_shop.tenant.id)
    try:
        assert (await c.get(f"/p/{slug}/complain")).status_code == 404
        assert (await c.get(f"/p/{slug}/contact")).status_code == 404
    finally:
        await Tenant.update({Tenant.is_active: True}).where(Tenant.id == fresh_shop.tenant.id)


async def test_english_on_request(make_client, fresh_shop):
    c: Client = make_client()
    slug = fresh_shop.tenant.slug
    await open_form(c, slug)
    switched = await c.post("/account/locale", {"locale": "en", "next": f"/p/{slug}/complain"})
    assert switched.status_code in (302, 303)
    assert switched.headers["location"] == f"/p/{slug}/complain"
    page = (await c.get(f"/p/{slug}/complain")).text
    assert '<html lang="en">' in page and "Claims" in page


async def test_a_nul_character_is_refused_on_its_field(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    hidden = await open_form(c, slug)
    response = await submit(c, slug, hidden, subject="退保\x00手续费")
    assert response.status_code == 422
    assert error_on(response.text, "subject") == "请输入有效的值。"
    assert await complaint_count(fresh_shop.tenant.id) == 0


async def test_odd_slugs_and_tokens_are_404_never_500(make_client, fresh_shop):
    c = make_client()
    slug = fresh_shop.tenant.slug
    for path in (f"/p/{slug}%00/contact", "/p/%00/complain", f"/p/{slug.upper()}/contact",
                 f"/p/{slug}/status/abc%00def", f"/p/{slug}/status/{'a' * 65}",
                 f"/p/{slug}/status/..%2F..%2Fetc", f"/p/{'x' * 300}/contact"):
        response = await c.get(path)
        assert response.status_code == 404, (path, response.status_code)
