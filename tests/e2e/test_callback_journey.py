"""A callback that falls back to the online method, in a real Chromium against `kefu serve`
(A art. 23): 钱敏 (agent) rings the customer twice without reaching him and logs each call; after
the campaign's limit of two the task passes to the online questionnaire and leaves her queue.
The customer opens the link he was sent on his phone, answers the campaign's questions without
signing in, and is thanked; his answer completes the task with a locked record (art. 25), which
孙涛 (head) finds in the archive by the customer's name and opens.

The calls are logged at a time inside yesterday's (or the last calling day's) calling hours, so
the journey passes whatever the hour it runs. Selectors lean on ids and field names.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from kefu.callbacks import schemas, services
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import NewTask
from kefu.callbacks.tables import CallbackOnline, CallbackRecord, CallbackTask
from kefu.core import clock
from kefu.core.forms import Form
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.surveys.tables import SurveyInvitation
from tests import factories
from tests.e2e.conftest import BROWSER_TIMEOUT_MS, _check_same_database, browser_missing_reason
from tests.fixtures import staff_of

_missing = browser_missing_reason()
if _missing and os.environ.get("KEFU_CI") != "1":
    pytest.skip(f"browser tests need Debian's chromium and Playwright: {_missing}", allow_module_level=True)

from playwright.async_api import expect  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="session")
expect.set_options(timeout=BROWSER_TIMEOUT_MS)
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
TZ = "Asia/Shanghai"


def last_calling_day_at(hour: int, minute: int) -> datetime:
    """A moment in the calling hours of the last calling day before today (Shanghai time)."""
    days = callbacks_for("insurance").calling_days
    day = clock.today_in(TZ) - timedelta(days=1)
    while day.isoweekday() not in days:
        day -= timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TZ))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def callback():
    """An insurer, its agent and head, a campaign (phone → online → on-site, two failed calls
    each) and one customer's task, made a week ago."""
    _check_same_database()
    marker = uuid.uuid4().hex[:6]
    staff = await staff_of("insurance", {"agent": "agent", "head": "cs_head"},
                           name=f"戊保险 E2E 回访 {marker}", locale="zh_CN", names={"agent": "钱敏", "head": "孙涛"})
    head = await staff.ctx("head")
    today = clock.today_in(TZ)
    form = Form({"title": f"新契约回访 {marker}", "kind": "service_satisfaction",
                 "window_start": (today - timedelta(days=7)).isoformat(),
                 "window_end": (today + timedelta(days=20)).isoformat(), "target": "none",
                 "questions": "您是否亲自签署了投保单？\n您对我们的服务还有什么建议？", "attempt_limit": "2"},
                {"methods": ["phone", "online", "onsite"]})
    campaign = await services.create_campaign(head, schemas.campaign_input(form, callbacks_for("insurance")))
    customer = f"周先生{marker}"
    task = await services.add_task(head, NewTask(
        kind="service_satisfaction", origin="campaign", campaign_id=campaign.id, methods=("phone", "online", "onsite"),
        attempt_limit=2, opens_on=today - timedelta(days=7), due_on=today + timedelta(days=10),
        customer_name=customer, customer_phone="13700137000", reference=f"P-E2E-{marker}"))
    async with transaction(staff.tenant.id):  # made a week ago: yesterday's calls come after it
        await CallbackTask.update({CallbackTask.created_at: clock.now() - timedelta(days=7)}).where(
            CallbackTask.tenant == staff.tenant.id, CallbackTask.id == task.id)
    return staff, task.id, customer, campaign.title


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


async def log_call(tab, outcome: str, at: datetime) -> None:
    form = tab.locator("#attempt-form")
    await form.locator("select[name=outcome]").select_option(outcome)
    await form.locator("input[name=attempted_at]").fill(at.strftime("%Y-%m-%dT%H:%M"))
    async with tab.expect_navigation():
        await form.locator("button[type=submit]").click()
    await expect(tab.locator("#task-error")).to_have_count(0)


async def test_two_failed_calls_fall_back_to_online_and_the_customers_answer_is_archived(browser, live_server, callback):
    staff, task_id, customer, campaign_title = callback
    slug = staff.tenant.slug
    task_url = f"/t/{slug}/callbacks/tasks/{task_id}"

    # The agent sees the task in her queue and logs two calls that did not reach him.
    agent_context, agent = await signed_in(browser, live_server, staff.users["agent"])
    await agent.goto(f"/t/{slug}/callbacks/")
    await expect(agent.locator(f"a[href='{task_url}']")).to_have_count(1)
    await agent.goto(task_url)
    await log_call(agent, "no_answer", last_calling_day_at(10, 0))
    await expect(agent).to_have_url(re.compile(re.escape(task_url) + "$"))
    await expect(agent.locator("#attempts li")).to_have_count(1)
    await log_call(agent, "busy", last_calling_day_at(15, 30))
    # The limit is reached: the task is the online method's now, and no longer hers.
    await expect(agent).to_have_url(re.compile(rf"/t/{slug}/callbacks/?$"))
    await expect(agent.locator(f"a[href='{task_url}']")).to_have_count(0)
    await agent_context.close()

    async with transaction(staff.tenant.id, write=False):
        task = await scoped(CallbackTask, staff.tenant.id).where(CallbackTask.id == task_id).first()
        link = await scoped(CallbackOnline, staff.tenant.id).where(CallbackOnline.task == task_id).first()
        invitation = await scoped(SurveyInvitation, staff.tenant.id, SurveyInvitation.token).where(
            SurveyInvitation.id == link["invitation_id"]).first()
    assert (task["method"], task["status"], task["owner_id"]) == ("online", "open", None)

    # The customer opens the link on his phone and answers, without signing in.
    phone_context = await browser.new_context(base_url=await live_server.ready(), **PHONE)
    phone_context.set_default_timeout(BROWSER_TIMEOUT_MS)
    phone = await phone_context.new_page()
    await phone.goto(f"/p/{slug}/s/{invitation['token']}")
    await expect(phone.locator("h1")).to_contain_text(campaign_title)
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await phone.locator("textarea[name=q_q1]").fill("是本人签署的")
    await phone.locator("textarea[name=q_q2]").fill("理赔再快一点")
    async with phone.expect_navigation():
        await phone.locator("button[type=submit].pub-primary").tap()
    await expect(phone).to_have_url(re.compile(r"/thanks$"))
    await phone_context.close()

    async with transaction(staff.tenant.id, write=False):
        task = await scoped(CallbackTask, staff.tenant.id).where(CallbackTask.id == task_id).first()
        record = await scoped(CallbackRecord, staff.tenant.id).where(CallbackRecord.task == task_id).first()
    assert task["status"] == "done"
    assert record["status"] == "submitted" and record["locked_at"] is not None and record["method"] == "online"

    # The head finds the locked record in the archive by the customer's name.
    head_context, head = await signed_in(browser, live_server, staff.users["head"])
    await head.goto(f"/t/{slug}/callbacks/archive/")
    await head.locator("#archive-filters input[name=customer]").fill(customer)
    async with head.expect_navigation():
        await head.locator("#archive-filters button[type=submit]").click()
    row = head.locator(f"#record-{record['id']}")
    await expect(row).to_contain_text(customer)
    await expect(head.locator("#record-list tbody tr")).to_have_count(1)
    async with head.expect_navigation():
        await row.locator("a").click()
    await expect(head.locator("main")).to_contain_text("理赔再快一点")
    await head.goto(task_url)
    await expect(head.locator("#online-status strong")).to_have_count(1)  # answered, with its time
    await head_context.close()
