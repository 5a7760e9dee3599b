"""The editor in a real headless Chromium against `kefu serve`: copy the pack's survey, type a
question and watch the preview follow (htmx posts the form on change and input; Chinese text
arrives as input without key events, as from an input method), add a question with its button,
save."""

from __future__ import annotations

import os
import re

import pytest

from kefu.db import transaction
from kefu.surveys.queries import templates
from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, browser_missing_reason
from tests.fixtures import staff_of

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


async def test_edit_a_copied_survey_with_live_preview(page):
    # A centre and an administrator of this test's own: the shared journey user's tenants are
    # changed by other browser tests (in a full run, whichever ran first in this worker).
    centre = await staff_of("property", {"admin": "admin"}, fresh=True, locale="zh_CN",
                            name=f"戊物业 E2E 模板 {factories.unique('t')}")
    prop, admin = centre.tenant, centre.users["admin"]
    await page.goto("/signin")
    await page.locator("main input[name=email]").fill(admin.email)
    await page.locator("main input[name=password]").fill(factories.PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await expect(page).not_to_have_url(re.compile(r"/signin"))  # home, or its one tenant

    await page.goto(f"/t/{prop.slug}/surveys/templates")
    await page.locator("#pack-templates .kefu-card", has_text="物业服务半年度满意度调查").get_by_role("button").click()
    await expect(page).to_have_url(re.compile(rf"/t/{re.escape(prop.slug)}/surveys/templates/\d+$"))
    preview = page.locator("#preview")
    await expect(preview.locator("#pv-q-comments")).to_contain_text("其他意见和建议")

    # Typing in a card: the preview follows without a reload.
    comments = page.locator("article.st-card", has=page.locator("input[value=comments]"))
    title = comments.locator("input[name$='.title']")
    await title.fill("")
    await expect(preview.locator("#preview-problems")).to_be_visible()  # a question without words
    await title.press_sequentially("还有什么想告诉我们的？")
    await expect(preview.locator("#pv-q-comments")).to_contain_text("还有什么想告诉我们的？")
    await expect(preview.locator("#preview-problems")).to_have_count(0)
    # Choosing another type is a change: the preview shows the question as a rating.
    await comments.locator("select[name$='.type']").select_option("rating")
    await expect(preview.locator("#pv-q-comments.sq-type-rating")).to_be_visible()
    # The card shows the fields of the chosen type at once (CSS only).
    await expect(comments.locator("input[name$='.in_index']")).to_be_visible()
    await expect(comments.locator("input[name$='.max_length']")).to_be_hidden()
    await comments.locator("select[name$='.type']").select_option("single")
    await expect(comments.locator("textarea[name$='.options']")).to_be_visible()
    await comments.locator("select[name$='.type']").select_option("text")
    await expect(preview.locator("#pv-q-comments.sq-type-text")).to_be_visible()

    # Add a single-choice question to the first section: the cursor is on its title.
    await page.locator("#section-0").get_by_role("button", name="+ 单选").click()
    title = page.locator("#q1-title")
    await expect(title).to_be_focused()
    await title.press_sequentially("您住在小区哪一期？")
    options = page.locator("#q1-options")
    await options.fill("")
    await options.press_sequentially("一期\n二期\n三期")
    await expect(preview.locator("#pv-q-q1")).to_contain_text("二期")

    await page.locator("#save").click()
    await expect(page.locator(".kefu-flash-success")).to_contain_text("模板已保存")
    template_id = int(page.url.rsplit("/", 1)[1])
    async with transaction(prop.id, write=False):
        row = await templates.get_template(prop.id, template_id)
    definition = templates.definition_of(row)
    assert definition.question("comments").title == "还有什么想告诉我们的？"
    assert [o.label for o in definition.question("q1").options] == ["一期", "二期", "三期"]
