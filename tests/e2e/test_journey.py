"""One journey in a real headless Chromium against `kefu serve`: sign in, switch tenant, see the
tenant's home, change language, sign out; and an htmx filter that swaps #results in place.

Assertions lean on what the locale decides in the templates (the html lang, the language
button, the pack's position names), not on catalog wording, so they hold as translations grow.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.e2e.conftest import BROWSER_TIMEOUT_MS, browser_missing_reason

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


async def sign_in(page, journey) -> None:
    await page.goto("/signin")
    await page.locator("main input[name=email]").fill(journey.email)
    await page.locator("main input[name=password]").fill(journey.password)
    await page.locator("main form button[type=submit]").click()
    # Two tenants: the chooser at "/" (one tenant would go straight to its home).
    await expect(page).to_have_url(re.compile(r"/$"))
    # The URL changes when the chooser's document commits, before it is parsed: the callers
    # count its language button at once (count() does not wait).
    await page.wait_for_load_state()


async def test_sign_in_switch_tenant_language_and_sign_out(page, journey):
    ins, prop = journey.insurance, journey.property
    await sign_in(page, journey)
    if await page.get_by_role("button", name="中文").count():  # the audit test ran first
        await page.get_by_role("button", name="中文").click()
    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    await expect(page.locator(".kefu-card", has_text=ins.name)).to_be_visible()
    await expect(page.locator(".kefu-card", has_text=prop.name)).to_be_visible()

    await page.locator(".kefu-card", has_text=ins.name).click()
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(ins.slug)}/?$"))
    await expect(page.locator("main h1")).to_have_text(ins.name)
    await expect(page.locator("main mark").filter(has_text="客服岗")).to_have_count(1)
    # The switcher submits from kefu.js's change handler: a deferred script, which may not have
    # run yet when the page's elements are there (the choice would then submit nothing).
    await page.wait_for_load_state()

    switcher = page.locator("form#tenant-switcher select[name=slug]")
    await expect(switcher).to_have_value(ins.slug)
    await switcher.select_option(prop.slug)  # onchange submits the form
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/?$"))
    await expect(page.locator("main h1")).to_have_text(prop.name)
    await expect(page.locator(".kefu-tenant-name")).to_have_text(prop.name)
    await expect(page.locator("main mark").filter(has_text="租户管理员")).to_have_count(1)
    await expect(page.locator("form#tenant-switcher select[name=slug]")).to_have_value(prop.slug)

    await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/?$"))
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("button", name="中文")).to_be_visible()
    await expect(page.locator("main mark").filter(has_text="Tenant administrator")).to_have_count(1)

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/signin$"))
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.locator("main input[name=password]")).to_be_visible()
    await expect(page.locator("form#tenant-switcher")).to_have_count(0)
    # Signed out for real: a tenant page now sends the browser back to sign in.
    await page.goto(f"/t/{prop.slug}/")
    await expect(page.locator("main input[name=password]")).to_be_visible()


async def test_audit_filter_swaps_results_without_reload(page, journey):
    prop = journey.property
    await sign_in(page, journey)
    await page.goto(f"/t/{prop.slug}/audit")
    # The journey's user is shared: whether the language test ran first decides the saved
    # language, so this test chooses its own.
    if await page.get_by_role("button", name="English").count():
        await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    results = page.locator("#results")
    # Actions show in words: member.positions as "Member changed", the factory's test.marker
    # (a code no module declares) as "Other change".
    await expect(results).to_contain_text("Member changed")
    await expect(results).to_contain_text("Other change")
    # After the language button's reload, htmx must have processed the form before it is sent:
    # window.htmx exists once its deferred script ran, but it binds hx-* at DOMContentLoaded.
    await page.wait_for_load_state()
    await page.evaluate("() => { window.__kefuMarker = 'still here'; }")

    form = page.locator("main form[hx-get]")
    await form.locator("input[name=action]").fill("test.")
    async with page.expect_response(lambda r: "/audit" in r.url and "action=test." in r.url) as caught:
        await form.locator("button[type=submit]").click()
    response = await caught.value
    assert response.status == 200
    assert (await response.request.all_headers()).get("hx-request") == "true"
    body = await response.text()
    assert body.lstrip().startswith('<section id="results">'), body[:200]

    await expect(page).to_have_url(re.compile(r"action=test\."))  # hx-push-url
    await expect(results).to_contain_text("Other change")
    await expect(results).not_to_contain_text("Member changed")
    await expect(page.locator("#results")).to_have_count(1)
    assert await page.evaluate("() => window.__kefuMarker") == "still here", "the page reloaded"
