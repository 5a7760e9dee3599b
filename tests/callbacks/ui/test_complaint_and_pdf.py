"""The complaint page's callbacks section (callbacks' own route, loaded by htmx, a plain link
without JavaScript): the art. 26 problem that became the complaint and the complaint's
follow-up callback with its outcome. The campaign analysis printed to PDF by the print_pdf job,
with the embedded CJK font."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kefu.callbacks import schemas, services
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import NewTask
from kefu.callbacks.services import problems as problem_services
from kefu.core import clock
from tests.callbacks import factories as cf
from tests.callbacks import sweep_factories as sf
from tests.complaints.reports.support import pdf_fonts, pdf_text
from tests.jobs import finish

ROLES = {"agent": "agent", "head": "cs_head"}


@pytest.fixture
async def staff(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    return await make_staff("insurance", ROLES, locale="zh_CN")


async def test_the_complaint_page_shows_its_callback_problem_and_follow_up(staff):
    head = await staff.ctx("head")
    problem_id, _ = await sf.problem(staff.tenant, "回访问题 K7", ctx=head)
    complaint_id = await problem_services.problem_to_complaint(head, problem_id)
    pack = callbacks_for("insurance")
    today = clock.today_in("Asia/Shanghai")
    followup = await services.add_task(head, NewTask(
        kind=pack.complaint_followup_kind, origin="complaint", methods=("phone",), attempt_limit=2, opens_on=today,
        due_on=today + timedelta(days=5), customer_name="投诉人", subject_type="complaint", subject_id=complaint_id,
        unique_key=f"complaint:{complaint_id}"))
    await services.take_task(head, followup.id)
    await services.save_record(head, followup.id, schemas.RecordInput(
        answers={}, notes="客户对处理结果满意 F9", recording_ref="", callback_on=None), submit=True)

    client = await staff.client("head")
    page = await client.get(staff.url(f"/complaints/{complaint_id}"))
    section_url = staff.url(f"/callbacks/complaints/{complaint_id}")
    assert page.status_code == 200 and f'hx-get="{section_url}"' in page.text
    assert f'<a href="{section_url}">' in page.text  # without JavaScript: a plain link
    fragment = await client.get(section_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "回访问题 K7" in fragment.text
    assert f"/callbacks/problems/{problem_id}" in fragment.text
    assert f"/callbacks/tasks/{followup.id}" in fragment.text and "客户对处理结果满意 F9" in fragment.text
    whole = await client.get(section_url)  # the page of its own
    assert whole.status_code == 200 and "<html" in whole.text and "客户对处理结果满意 F9" in whole.text
    assert (await client.get(staff.url("/callbacks/complaints/999999"))).status_code == 404
    agent = await staff.client("agent")  # no callbacks.view: neither the section nor its link
    assert (await agent.get(section_url)).status_code == 403


async def test_a_complaint_without_callbacks_says_so(staff):
    head = await staff.ctx("head")
    problem_id, _ = await sf.problem(staff.tenant, "无回访", ctx=head)
    complaint_id = await problem_services.problem_to_complaint(head, problem_id)
    client = await staff.client("head")
    fragment = await client.get(staff.url(f"/callbacks/complaints/{complaint_id}"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'id="complaint-followups"' not in fragment.text


async def test_the_campaign_analysis_prints_to_pdf_in_a_job(staff):
    head = await staff.ctx("head")
    campaign_id, task_id = await cf.campaign_with_task(staff.tenant, "打印")
    await services.take_task(head, task_id)
    await services.save_record(head, task_id, schemas.RecordInput(answers={}, notes="好", recording_ref="",
                                                                  callback_on=None), submit=True)
    client = await staff.client("head")
    page = await client.get(staff.url(f"/callbacks/campaigns/{campaign_id}/analysis"))
    action = staff.url(f"/callbacks/campaigns/{campaign_id}/analysis/report")
    assert f'action="{action}"' in page.text
    started = await client.post(action)
    done = await finish(client, started, staff.tenant.id)
    assert done.status_code == 200 and 'id="job-file"' in done.text
    got = await client.get(started.headers["location"] + "/file")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = pdf_text(got.content)
    assert "回访计划分析报告" in text and "2026 年服务满意度回访" in text
    assert any(name.endswith("Kefu-Sans-SC") for name in pdf_fonts(got.content))
    agent = await staff.client("agent")
    assert (await agent.post(action)).status_code == 403
