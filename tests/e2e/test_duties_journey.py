"""Duties in a real headless Chromium against `kefu serve`: a manager assigns a relationship
supervisor in the assignments form; the scheduler's sweep gives her the half-yearly survey duty
(C.d), which she sees in "my duties"; it closes itself once a survey round of the half-year
closes with a valid response; the manager's scorecard of her shows the duty done on time. And
an agent without pre-job training is refused a complaint, the course named, and the manager's
training page shows why.

The sweeps run in the test process (the scheduler's work), on the same database as the server.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
import pytest_asyncio

from kefu.core import clock
from kefu.duties.policy import periods
from kefu.duties.policy.pack import duties_for
from kefu.duties.services import sweep_tenant
from kefu.surveys.tables import SurveyRound
from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, _check_same_database, browser_missing_reason
from tests.fixtures import Staff, staff_of

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

from kefu.db import transaction  # noqa: E402
from tests.surveys import factories as surveys  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def estate() -> Staff:
    _check_same_database()
    return await staff_of("property", {"mgr": "manager", "sup": "front_desk"},
                          name=f"丁物业 E2E 职责 {uuid.uuid4().hex[:6]}", locale="zh_CN",
                          names={"mgr": "孙经理", "sup": "陈静"})


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def office() -> Staff:
    _check_same_database()
    return await staff_of("insurance", {"agent": "agent", "head": "cs_head"},
                          name=f"戊保险 E2E 培训 {uuid.uuid4().hex[:6]}", locale="zh_CN",
                          names={"agent": "刘新", "head": "周主任"}, cleared=False)


async def signed_in(browser, live_server, user):
    context = await browser.new_context(base_url=await live_server.ready(), locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    tab = await context.new_page()
    await tab.goto("/signin")
    await tab.locator("main input[name=email]").fill(user.email)
    await tab.locator("main input[name=password]").fill(factories.PASSWORD)
    await tab.locator("main form button[type=submit]").click()
    await expect(tab).not_to_have_url(re.compile(r"/signin"))
    return context, tab


async def test_assigned_supervisor_gets_the_survey_duty_which_closes_itself(browser, live_server, estate):
    slug, sup = estate.tenant.slug, estate.users["sup"]
    survey_duty = duties_for("property").duty("c_d")[1].text

    # 孙经理 puts 陈静 on the relationship supervisor's position.
    mgr_ctx, mgr = await signed_in(browser, live_server, estate.users["mgr"])
    await mgr.goto(f"/t/{slug}/duties/assignments")
    form = mgr.locator("#assign-form")
    await form.locator("select[name=user_id]").select_option(str(sup.id))
    await form.locator("select[name=position]").select_option("relations_supervisor")
    async with mgr.expect_navigation():
        await form.locator("button[type=submit]").click()
    await expect(mgr.locator("#assignments")).to_contain_text("陈静")
    await expect(mgr.locator("#assignments")).to_contain_text("客户关系主管")

    # The scheduler's sweep makes this half-year's survey duty; she sees it in her list.
    await sweep_tenant(estate.tenant)
    sup_ctx, mine = await signed_in(browser, live_server, sup)
    await mine.goto(f"/t/{slug}/duties/")
    todo = mine.locator("#open-tasks tr", has_text=survey_duty)
    await expect(todo).to_have_count(1)
    await expect(todo).to_contain_text("待办")

    # A survey round of the half-year closes with a valid response: the next sweep closes the task.
    half = periods.period_of("half_yearly", clock.today_in(estate.tenant.timezone)).key
    round_row = await surveys.survey_round(estate.tenant, half_year=half)
    await surveys.response(estate.tenant, round_row)
    async with transaction(estate.tenant.id):
        await SurveyRound.update({SurveyRound.status: "closed"}).where(SurveyRound.id == round_row.id)
    result = await sweep_tenant(estate.tenant)
    assert result.closed == 1
    await mine.reload()
    await expect(mine.locator("#open-tasks tr", has_text=survey_duty)).to_have_count(0)
    await expect(mine.locator("#done-tasks tr", has_text=survey_duty)).to_contain_text("已完成")
    await sup_ctx.close()

    # The manager's scorecard of her: the one duty due and done, done on time.
    await mgr.goto(f"/t/{slug}/duties/scorecards/")
    await mgr.locator(f"#person-{sup.id} a").click()
    await expect(mgr.locator("main h1")).to_contain_text("陈静")
    await expect(mgr.locator("#figures tr[data-metric='duties.on_time'] td")).to_have_text("100.0% (1/1)")
    await mgr_ctx.close()


async def test_untrained_agent_is_refused_a_complaint_and_the_manager_sees_why(browser, live_server, office):
    slug = office.tenant.slug
    agent_ctx, agent = await signed_in(browser, live_server, office.users["agent"])
    await agent.goto(f"/t/{slug}/complaints/new")
    await agent.locator("input[name='complainant.phone']").fill("139 8765 4321")
    await agent.locator("input[name='complainant.name']").fill("钱女士")
    await agent.locator("select[name=category]").select_option("claims")
    await agent.locator("input[name=subject]").fill("理赔进度查询无人答复")
    await agent.locator("textarea[name=description]").fill("多次致电无人答复。")
    async with agent.expect_navigation():
        await agent.locator("#register-button").click()
    await expect(agent.locator("main")).to_contain_text("您尚不能办理此项工作")
    await expect(agent.locator("main")).to_contain_text("客服岗前培训")
    await agent_ctx.close()

    head_ctx, head = await signed_in(browser, live_server, office.users["head"])
    await head.goto(f"/t/{slug}/duties/training")
    row = head.locator(f"#clearance-{office.users['agent'].id}")
    await expect(row).to_contain_text("刘新")
    await expect(row).to_contain_text("起未获准上岗")
    await expect(row).to_contain_text("客服岗前培训")
    await head_ctx.close()
