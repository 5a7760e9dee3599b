"""A front-desk clerk's counter work in a real Chromium against `kefu serve`: signed in, she
opens Paid services from the menu, takes an order for 3-2-1501, assigns it to herself and marks
it done (charged on the unit's next bill); then takes a renovation application for the same
unit, and finds it waiting for approval on her home page (the desk's day, loaded by htmx).

Selectors lean on field names and ids, not on catalog wording.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
import pytest_asyncio

from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.desk.tables import Renovation, ServiceOrder
from kefu.tenancy.services import add_member
from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, _check_same_database, browser_missing_reason
from tests.units import factories as unit_factories

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def counter():
    _check_same_database()
    tenant = await factories.tenant(kind="property", name=f"戊物业 E2E 前台 {uuid.uuid4().hex[:6]}")
    clerk = await factories.user(name="刘洋", locale="zh_CN")
    await add_member(tenant=tenant, user=clerk, positions=["front_desk"])
    await factories.clear_training(tenant, clerk, ["front_desk"])
    unit = await unit_factories.unit(tenant, "3栋", "1501", entrance="2", occupancy="owner_occupied")
    return tenant, clerk, unit


async def _rows(tenant, table) -> list:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(table, tenant.id)


async def test_a_clerk_takes_a_paid_service_order_and_a_renovation_application(browser, live_server, counter):
    tenant, clerk, unit = counter
    context = await browser.new_context(base_url=await live_server.ready(), locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto("/signin")
    await page.locator("main input[name=email]").fill(clerk.email)
    await page.locator("main input[name=password]").fill(factories.PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(tenant.slug)}/?$"))

    # The menu has the desk's entries; the order form takes the unit as the desk writes it.
    await page.locator(f'nav a[href="/t/{tenant.slug}/desk/orders"]').first.click()
    form = page.locator("form#order-form")
    await form.locator("input[name=unit]").fill("3-2-1501")
    await form.locator("select[name=service]").select_option("pipe")
    await form.locator("input[name=quantity]").fill("1")
    await form.locator("input[name=contact]").fill("李四")
    await form.locator("input[name=phone]").fill("138 0013 8000")
    await form.locator("button#order-button").click()
    row = page.locator('table#orders tbody tr[data-state="open"]')
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("80.00")
    [order] = await _rows(tenant, ServiceOrder)
    assert (order.unit, order.service, order.phone) == (unit.id, "pipe", "13800138000")

    await row.locator("a").first.click()
    await page.locator("form#assign-form select[name=assignee]").select_option(str(clerk.id))
    await page.locator("button#assign-button").click()
    await expect(page.locator("#order-state")).to_have_attribute("data-state", "assigned")
    await page.locator("button#complete-button").click()
    await expect(page.locator("#order-state")).to_have_attribute("data-state", "done")
    await expect(page.locator("#order-bill")).to_contain_text("80.00")

    # The renovation application for the same unit.
    await page.locator(f'nav a[href="/t/{tenant.slug}/desk/renovations"]').first.click()
    form = page.locator("form#renovation-form")
    await form.locator("input[name=unit]").fill("3-2-1501")
    await form.locator("input[name=applicant]").fill("李四")
    await form.locator("input[name=contractor]").fill("好家装饰公司")
    await form.locator("input[name=starts_on]").fill("2026-12-10")
    await form.locator("input[name=ends_on]").fill("2027-01-31")
    await expect(form.locator("input[name=deposit]")).to_have_value("2000.00")  # the pack's deposit
    await form.locator("button#renovation-button").click()
    await expect(page.locator('table#renovations tbody tr[data-state="applied"]')).to_have_count(1)
    [application] = await _rows(tenant, Renovation)
    assert (application.unit, application.contractor) == (unit.id, "好家装饰公司")

    # Her home shows it waiting for approval (the desk's day, swapped in by htmx).
    await page.goto(f"/t/{tenant.slug}/")
    await expect(page.locator(f'#day-renovations li[data-id="{application.id}"]')).to_be_visible()
    await context.close()


async def test_a_resident_orders_a_paid_service_on_a_phone(browser, live_server, counter):
    tenant, _, unit = counter
    context = await browser.new_context(
        base_url=await live_server.ready(), viewport={"width": 390, "height": 844}, device_scale_factor=3,
        is_mobile=True, has_touch=True, locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(f"/p/{tenant.slug}/services")
    await page.locator('#price-list tr[data-code="cleaning"] a.pub-order-link').click()
    form = page.locator("form#order-form")
    await expect(form.locator("select[name=service]")).to_have_value("cleaning")
    await form.locator("input[name=unit]").fill("3栋2单元1501")
    await form.locator("input[name=contact]").fill("赵女士")
    await form.locator("input[name=phone]").fill("137 0000 2468")
    await form.locator("button#order-button").click()
    await expect(page.locator("#order-placed")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.locator("a#status-link").click()
    await expect(page.locator("#order-state")).to_be_visible()
    orders = [o for o in await _rows(tenant, ServiceOrder) if o.source == "public"]
    assert [(o.unit, o.service, o.state, o.phone) for o in orders] == [(unit.id, "cleaning", "open", "13700002468")]
    await context.close()
