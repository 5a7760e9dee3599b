"""The Content-Security-Policy in a real browser (Debian's chromium through Playwright, against
`kefu serve`): the pages still work — sign in, the tenant switcher that submits on change, an
htmx filter that swaps its results, the worklist's "/" shortcut, the public complaint form —
and the console reports no CSP violation on any of them."""

from __future__ import annotations

import os
import re

import pytest

from kefu.settings import get_settings
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, browser_missing_reason
from tests.jobs import run_jobs

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


async def test_pages_work_under_the_csp_without_violations(page, journey):
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 and not r.url.endswith("/favicon.ico") else None)
    ins, prop = journey.insurance, journey.property

    response = await page.goto("/signin")
    assert "frame-ancestors 'none'" in (await response.all_headers())["content-security-policy"]
    await page.locator("main input[name=email]").fill(journey.email)
    await page.locator("main input[name=password]").fill(journey.password)
    await page.locator("main form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(r"/$"))

    # the switcher submits on change (a handler in static/js/kefu.js, no inline onchange)
    await page.goto(f"/t/{ins.slug}/")
    await page.wait_for_function("() => !!window.htmx")
    await page.locator("form#tenant-switcher select[name=slug]").select_option(prop.slug)
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/?$"))

    # htmx runs under the policy: a filter swaps #results in place
    await page.goto(f"/t/{prop.slug}/audit")
    await page.wait_for_function("() => !!window.htmx")
    await page.evaluate("() => { window.__kefuMarker = 'still here'; }")
    form = page.locator("main form[hx-get]")
    await form.locator("input[name=action]").fill("test.")
    async with page.expect_response(lambda r: "/audit" in r.url and "action=test." in r.url):
        await form.locator("button[type=submit]").click()
    # test.marker, in words: the journey user's language is whichever an earlier test left
    await expect(page.locator("#results")).to_contain_text(re.compile("Other change|其他变更"))
    assert await page.evaluate("() => window.__kefuMarker") == "still here", "the page reloaded"

    # the worklist's "/" shortcut, moved out of the template
    await page.goto(f"/t/{ins.slug}/complaints")
    await page.wait_for_load_state("load")
    await page.locator("main h1").click()
    await page.keyboard.press("/")
    await expect(page.locator("#worklist-filters input[name=q]")).to_be_focused()

    # a public page, its stylesheet from static/css
    await page.goto(f"/p/{prop.slug}/complain")
    await expect(page.locator("form button[type=submit]").first).to_be_visible()
    font_size = await page.evaluate("() => getComputedStyle(document.querySelector('button[type=submit]')).minHeight")
    assert font_size not in ("", "auto", "0px"), "public.css did not apply"

    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, "\n".join(violations)
    assert not missing, f"pages asked for what does not exist: {missing}"
    errors = [m for m in messages if m.startswith(("error", "pageerror")) and "404 (Not Found)" not in m]
    assert not errors, "\n".join(errors)


async def test_an_import_runs_as_a_job_and_lands_on_its_preview_under_the_csp(page, journey, tmp_path):
    # The upload answers with the job's page, which htmx polls (no inline script) until the
    # job sends the browser on to the preview.
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    prop = journey.property
    await page.goto("/signin")
    await page.locator("main input[name=email]").fill(journey.email)
    await page.locator("main input[name=password]").fill(journey.password)
    await page.locator("main form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(r"/$"))

    upload = tmp_path / "住户.csv"
    upload.write_bytes("姓名,类型,楼栋,房号\n浏览器甲,业主,1栋,101\n浏览器乙,住户,1栋,102\n".encode())
    await page.goto(f"/t/{prop.slug}/customers/import/")
    await page.locator("#import-form input[type=file]").set_input_files(str(upload))
    await page.locator("#upload-button").click()
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/jobs/\d+$"))
    if get_settings().redis_url:
        # The Redis run's server has no worker of its own: the job runs here, as a worker would.
        await run_jobs(prop.id, int(page.url.rsplit("/", 1)[1]))
    # The in-process worker may first be busy with start-up sweeps: wait for the job, not a clock.
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/customers/import/\d+$"), timeout=60_000)
    await expect(page.locator("#import-clean")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("浏览器乙")

    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, "\n".join(violations)
