"""Announcements in a real Chromium against `kefu serve`: the manager drafts a community event
with three places and publishes it; residents on a phone open the public notice page, sign up
(the page fits the phone's width), and the event refuses more people than it has places; the
manager corrects the published event and the public page says it was updated.

Selectors lean on field names and ids, not on catalog wording.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
import pytest_asyncio

from kefu.bulletins.tables import Bulletin, Signup
from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.tenancy.services import add_member
from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, _check_same_database, browser_missing_reason

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def estate():
    _check_same_database()
    tenant = await factories.tenant(kind="property", name=f"己物业 E2E 公告 {uuid.uuid4().hex[:6]}")
    manager = await factories.user(name="吴经理", locale="zh_CN")
    await add_member(tenant=tenant, user=manager, positions=["manager"])
    await factories.clear_training(tenant, manager, ["manager"])
    return tenant, manager


async def _rows(tenant, table) -> list:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(table, tenant.id).order_by(table.id)


async def _sign_up(browser, base: str, slug: str, bulletin_id: int, name: str, phone: str, people: str):
    context = await browser.new_context(base_url=base, **PHONE)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(f"/p/{slug}/bulletins/")
    await page.locator(f'article[data-id="{bulletin_id}"] h2 a').click()
    form = page.locator("form#signup-form")
    await form.locator("input[name=name]").fill(name)
    await form.locator("input[name=phone]").fill(phone)
    await form.locator("input[name=people]").fill(people)
    await form.locator("button#signup-button").click()
    return context, page


async def test_an_event_is_published_signed_up_to_on_a_phone_and_corrected(browser, live_server, estate):
    tenant, manager = estate
    base = await live_server.ready()
    context = await browser.new_context(base_url=base, locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto("/signin")
    await page.locator("main input[name=email]").fill(manager.email)
    await page.locator("main input[name=password]").fill(factories.PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(tenant.slug)}/?$"))

    # The draft, from the menu.
    await page.locator(f'nav a[href="/t/{tenant.slug}/bulletins"]').first.click()
    await page.locator("a#new-event-link").click()
    form = page.locator("form#bulletin-form")
    await form.locator("select[name=category]").select_option("community")
    await form.locator("input[name=title]").fill("元旦亲子游园会")
    await form.locator("textarea[name=body]").fill("欢迎业主带孩子参加。\n地点：中心花园。")
    await form.locator("input[name=starts_at]").fill("2099-01-01T09:30")
    await form.locator("input[name=place]").fill("中心花园")
    await form.locator("input[name=capacity]").fill("3")
    await form.locator("button#save-button").click()
    await expect(page.locator("#bulletin-state")).to_be_visible()
    [bulletin] = await _rows(tenant, Bulletin)
    assert (bulletin.state, bulletin.kind, bulletin.capacity) == ("draft", "event", 3)
    # Not on the public page while a draft.
    await page.goto(f"/p/{tenant.slug}/bulletins/")
    await expect(page.locator(f'article[data-id="{bulletin.id}"]')).to_have_count(0)
    await page.goto(f"/t/{tenant.slug}/bulletins/{bulletin.id}")
    await page.locator("button#publish-button").click()
    await expect(page.locator("form#withdraw-form")).to_be_visible()

    # A resident on a phone signs up two people; the page fits the phone's width.
    first, phone_page = await _sign_up(browser, base, tenant.slug, bulletin.id, "李阿姨", "139 0000 1234", "2")
    await expect(phone_page.locator("#signed-up")).to_be_visible()
    width = await phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    await first.close()
    # A second one asks for two of the one place left: refused; one person fits.
    second, phone_page = await _sign_up(browser, base, tenant.slug, bulletin.id, "王先生", "138 0000 5678", "2")
    await expect(phone_page.locator("#signup-refused")).to_be_visible()
    await phone_page.locator("form#signup-form input[name=people]").fill("1")
    await phone_page.locator("form#signup-form button#signup-button").click()
    await expect(phone_page.locator("#signed-up")).to_be_visible()
    await second.close()
    signups = await _rows(tenant, Signup)
    assert sorted((s.name, s.people) for s in signups) == [("李阿姨", 2), ("王先生", 1)]

    # The manager sees them, and corrects the place; the public page says it was updated.
    await page.reload()
    await expect(page.locator("#signed-up")).to_have_text("3 / 3")
    await expect(page.locator("table#signups tbody tr")).to_have_count(2)
    await page.locator("a#edit-link").click()
    await expect(page.locator("#revision-note")).to_be_visible()
    await page.locator("form#bulletin-form input[name=place]").fill("会所二楼")
    await page.locator("button#save-button").click()
    await expect(page.locator("#revised-at")).to_be_visible()
    phone = await browser.new_context(base_url=base, **PHONE)
    public = await phone.new_page()
    await public.goto(f"/p/{tenant.slug}/bulletins/{bulletin.id}")
    await expect(public.locator("#revised-at")).to_be_visible()
    await expect(public.locator("main")).to_contain_text("会所二楼")
    await phone.close()
    await context.close()
