"""The follow-through pages (A art. 26–27): a problem raised from a record page, a bad field a
422 naming it with nothing saved, closed by its assignee; QA scores a record from the sample."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.callbacks.tables import CallbackProblem, CallbackScore
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests import factories as base
from tests.callbacks import factories as cf

ROLES = {"agent": "agent", "manager": "cs_manager", "head": "cs_head", "qa": "qa"}


@pytest.fixture
async def staff(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    return await make_staff("insurance", ROLES, locale="zh_CN")


async def problems(staff) -> list[dict]:
    async with transaction(staff.tenant.id, write=False):
        return await scoped(CallbackProblem, staff.tenant.id)


async def test_a_problem_is_raised_from_a_record_page_and_closed_by_its_department(staff):
    _, record_id, _ = await cf.submitted_record(staff.tenant)
    agent = await staff.client("head")  # the head of the office reads the archive and raises it
    record_page = await agent.get(staff.url(f"/callbacks/archive/{record_id}"))
    assert 'id="raise-problem"' in record_page.text
    form = await agent.get(staff.url(f"/callbacks/records/{record_id}/problems/new"))
    assert form.status_code == 200 and "销售误导" in form.text
    bad = await agent.post(staff.url(f"/callbacks/records/{record_id}/problems"),
                           {"cause": "nonsense", "summary": "", "due_on": "2026-02-30"})
    assert bad.status_code == 422
    assert 'id="cause-error"' in bad.text and 'id="summary-error"' in bad.text and 'id="due_on-error"' in bad.text
    assert await problems(staff) == []
    done = await agent.post(staff.url(f"/callbacks/records/{record_id}/problems"),
                            {"cause": "misleading", "summary": "客户称未告知退保损失"})
    assert done.status_code == 303
    [row] = await problems(staff)
    assert row["position"] == "cs_manager"
    manager = await staff.client("manager")  # cs_manager: the department the pack sends problems to
    listed = await manager.get(staff.url("/callbacks/problems"))
    assert "客户称未告知退保损失" in listed.text
    no_text = await manager.post(staff.url(f"/callbacks/problems/{row['id']}/close"), {"resolution": ""})
    assert no_text.status_code == 422 and 'id="resolution-error"' in no_text.text
    closed = await manager.post(staff.url(f"/callbacks/problems/{row['id']}/close"), {"resolution": "已回电解释"})
    assert closed.status_code == 303
    assert (await problems(staff))[0]["status"] == "closed"


async def test_qa_scores_a_record_and_a_point_over_the_maximum_names_the_item(staff):
    _, record_id, _ = await cf.submitted_record(staff.tenant)
    qa = await staff.client("qa")
    page = staff.url(f"/callbacks/records/{record_id}/score")
    assert (await qa.get(page)).status_code == 200
    bad = await qa.post(page, {"item_identity": "99", "item_script": "30", "item_record": "30", "item_manner": "20"})
    assert bad.status_code == 422 and 'id="item_identity-error"' in bad.text
    async with transaction(staff.tenant.id, write=False):
        assert await scoped(CallbackScore, staff.tenant.id) == []
    ok = await qa.post(page, {"item_identity": "20", "item_script": "30", "item_record": "25", "item_manner": "20"})
    assert ok.status_code == 303
    shown = await qa.get(page)
    assert "95 / 100" in shown.text
    agent = await staff.client("agent")
    assert (await agent.get(page)).status_code == 403



async def test_the_api_raises_at_once_names_a_bad_field_and_closes(client, staff):
    agent_token = await base.api_token(staff.tenant, staff.users["agent"])
    head_token = await base.api_token(staff.tenant, staff.users["head"])
    task_id = await cf.task(staff.tenant, ctx=await staff.ctx("head"), reference="P-2026-0009")
    api = f"/api/t/{staff.slug}/callbacks"
    auth = {"Authorization": f"Bearer {agent_token}"}
    bad = await client.http.post(f"{api}/tasks/{task_id}/problems", headers=auth,
                                 json={"cause": "misleading", "summary": "非立即原因"})
    assert bad.status_code == 422 and "cause" in bad.text
    unknown = await client.http.post(f"{api}/tasks/{task_id}/problems", headers=auth,
                                     json={"cause": "not_signed", "summary": "x", "tenant_id": 9})
    assert unknown.status_code == 400 and "tenant_id" in unknown.text
    assert await problems(staff) == []
    raised = await client.http.post(f"{api}/tasks/{task_id}/problems", headers=auth,
                                    json={"cause": "not_signed", "summary": "投保人称非本人签名"})
    assert raised.status_code == 201, raised.text
    problem_id = raised.json()["id"]
    head = {"Authorization": f"Bearer {head_token}"}
    listed = (await client.http.get(f"{api}/problems", headers=head)).json()
    assert [p["id"] for p in listed["items"]] == [problem_id]
    empty = await client.http.post(f"{api}/problems/{problem_id}/close", headers=head, json={"resolution": ""})
    assert empty.status_code == 422 and "resolution" in empty.text
    closed = await client.http.post(f"{api}/problems/{problem_id}/close", headers=head, json={"resolution": "已核实"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = await client.http.post(f"{api}/problems/{problem_id}/close", headers=head, json={"resolution": "再"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "problem_closed"
