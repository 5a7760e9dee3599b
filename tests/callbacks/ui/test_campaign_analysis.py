"""A campaign's analysis (A art. 22(4)): progress (done, reached, unreachable, fallen back), the
success and on-time rates, problems by cause, on the page with its chart and in the XLSX."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from kefu.callbacks import schemas, services
from kefu.callbacks.problem_schemas import ProblemInput
from kefu.callbacks.services import problems as problem_services
from kefu.core.forms import Form
from tests.callbacks import factories as cf

ROLES = {"agent": "agent", "head": "cs_head", "qa": "qa"}


@pytest.fixture
async def staff(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    return await make_staff("insurance", ROLES, locale="zh_CN")


async def test_the_analysis_shows_progress_rates_and_problems(staff):
    head = await staff.ctx("head")
    campaign_id, first = await cf.campaign_with_task(staff.tenant, "A1")  # attempt limit 2, phone first
    await services.take_task(head, first)
    for outcome in ("reached",):
        await services.log_attempt(head, first, schemas.attempt_input(Form({"outcome": outcome}), "Asia/Shanghai"))
    rec = await services.save_record(head, first, schemas.RecordInput(answers={}, notes="满意", recording_ref="",
                                                                      callback_on=date(2026, 3, 2)), submit=True)
    await problem_services.raise_from_record(head, rec.id, ProblemInput(
        cause="misleading", summary="误导", detail="", position="", assignee_id=None, due_on=None))
    client = await staff.client("head")
    page = await client.get(staff.url(f"/callbacks/campaigns/{campaign_id}/analysis"))
    assert page.status_code == 200, page.text
    assert 'id="progress-chart"' in page.text and "销售误导" in page.text
    assert 'id="success-rate">100.0<' in page.text and 'id="on-time-rate">100.0<' in page.text
    xlsx = await client.get(staff.url(f"/callbacks/campaigns/{campaign_id}/analysis.xlsx"))
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:6]] == [1, 1, 1, 0, 0]  # tasks, done, reached, unreachable, fallen back
    assert rows[6][1] == 100.0 and rows[7][1] == 100.0 and rows[8][1] == 1  # success, on time, problems
    agent = await staff.client("agent")  # no callbacks.view
    assert (await agent.get(staff.url(f"/callbacks/campaigns/{campaign_id}/analysis"))).status_code == 403
