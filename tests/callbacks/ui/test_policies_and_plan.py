"""The new-policy callbacks page and API, and the yearly plan page: an upload and a hand-entered
policy make tasks shown nearest due first; bad input is a 422 naming the field with nothing
written; the API answers 201 with each policy's task and refuses bad bodies; the plan is saved,
shown against the campaigns opened, and refused when a cell is bad; a property centre sees no
new-policy callbacks."""

from __future__ import annotations

import pytest

from kefu.callbacks.tables import CallbackPlan, CallbackTask
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests import factories as base
from tests.callbacks import factories as cf

ROLES = {"agent": "agent", "manager": "cs_manager", "head": "cs_head", "sales": "sales"}


@pytest.fixture
async def staff(make_staff, frozen_clock):
    from datetime import date

    frozen_clock.travel(date(2026, 3, 2))
    return await make_staff("insurance", ROLES, locale="zh_CN")


async def count(tenant, table) -> int:
    async with transaction(tenant.id, write=False):
        return len(await scoped(table, tenant.id, table.id))


async def test_a_manager_uploads_and_adds_policies_and_sees_them_nearest_due_first(staff):
    head = await staff.client("head")
    page = staff.url("/callbacks/policies/")
    shown = await head.get(page)
    assert shown.status_code == 200 and "新契约回访" in shown.text and "投资连结型保险" in shown.text
    csv = "保单号,险种,投保人,手机,签收日期\nP-900,终身寿险,李四,13900139000,2026-02-20\n"
    done = await head.post(staff.url("/callbacks/policies/upload"), files={"file": ("p.csv", csv.encode(), "text/csv")})
    assert done.status_code == 303, done.text
    added = await head.post(page, {"policy_no": "P-901", "product": "annuity", "holder_name": "王五",
                                   "holder_phone": "13900139001", "received_on": "2026-02-10"})
    assert added.status_code == 303, added.text
    listed = (await head.get(page)).text
    assert listed.index("P-901") < listed.index("P-900")  # due 25 Feb before 7 Mar
    assert "逾期" in listed  # P-901's cooling-off period is over
    agent = await staff.client("agent")
    assert "P-900" in (await agent.get(staff.url("/callbacks/"))).text  # the agents' queue


@pytest.mark.parametrize(("field", "value"), [("policy_no", ""), ("product", "car"), ("holder_phone", "x"),
                                              ("received_on", "2026-03-09")])
async def test_a_bad_policy_field_is_named_and_nothing_is_written(staff, field, value):
    head = await staff.client("head")
    good = {"policy_no": "P-1", "product": "annuity", "holder_name": "王五", "holder_phone": "13900139001",
            "received_on": "2026-02-10"}
    bad = await head.post(staff.url("/callbacks/policies/"), good | {field: value})
    assert bad.status_code == 422 and f'id="{field}-error"' in bad.text
    file = await head.post(staff.url("/callbacks/policies/upload"),
                           files={"file": ("p.csv", "保单号\nP-1\n".encode(), "text/csv")})
    assert file.status_code == 422 and 'id="file-error"' in file.text
    assert await count(staff.tenant, CallbackTask) == 0


async def test_an_agent_may_not_add_policies(staff):
    agent = await staff.client("agent")
    refused = await agent.post(staff.url("/callbacks/policies/"), {"policy_no": "P-1"})
    assert refused.status_code == 403
    assert await count(staff.tenant, CallbackTask) == 0


async def test_the_api_takes_new_policies_once_each(client, staff):
    token = await base.api_token(staff.tenant, staff.users["head"])
    api = f"/api/t/{staff.slug}/callbacks/policies"
    headers = {"Authorization": f"Bearer {token}"}
    body = {"policies": [{"policy_no": "P-77", "product": "universal", "holder_name": "赵六",
                          "holder_phone": "13700137000", "received_on": "2026-03-01"}]}
    made = await client.http.post(api, json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["created"] == 1 and set(made.json()["tasks"]) == {"P-77"}
    again = await client.http.post(api, json=body, headers=headers)
    assert again.json() == {"created": 0, "existing": 1, "tasks": made.json()["tasks"]}
    task = await client.http.get(f"/api/t/{staff.slug}/callbacks/tasks/{made.json()['tasks']['P-77']}",
                                 headers=headers)
    assert task.json()["due_on"] == "2026-03-16"
    assert "not_guaranteed" in [q["code"] for q in task.json()["questions"]]
    bad = await client.http.post(api, json={"policies": [body["policies"][0] | {"received_on": "2026-13-01"}]},
                                 headers=headers)
    assert bad.status_code == 422 and "policies[0].received_on" in bad.text
    unknown = await client.http.post(api, json={"policies": [], "extra": 1}, headers=headers)
    assert unknown.status_code == 400
    empty = await client.http.post(api, json={"policies": []}, headers=headers)
    assert empty.status_code == 422
    agent_token = await base.api_token(staff.tenant, staff.users["agent"])
    refused = await client.http.post(api, json=body, headers={"Authorization": f"Bearer {agent_token}"})
    assert refused.status_code == 403
    assert await count(staff.tenant, CallbackTask) == 1


async def test_a_property_centre_has_no_new_policy_callbacks(make_staff):
    estate = await make_staff("property", {"boss": "manager"}, locale="zh_CN")
    boss = await estate.client("boss")
    assert (await boss.get(estate.url("/callbacks/policies/"))).status_code == 404
    plan = await boss.get(estate.url("/callbacks/plan/"))
    assert plan.status_code == 200 and "新契约回访" not in plan.text and "维修回访" in plan.text
    token = await base.api_token(estate.tenant, estate.users["boss"])
    api = await boss.http.post(f"/api/t/{estate.slug}/callbacks/policies", json={"policies": []},
                               headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404


async def test_the_yearly_plan_is_saved_and_shown_against_the_campaigns_opened(staff):
    head = await staff.client("head")
    page = staff.url("/callbacks/plan/")
    empty = await head.get(page)
    assert empty.status_code == 200 and 'id="no-plan"' in empty.text
    saved = await head.post(page, {"year": "2026", "n_service_satisfaction_3": "1", "n_fraudulent_sales_1": "2",
                                   "note": "年度回访计划"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?year=2026")
    await cf.campaign_with_task(staff.tenant, "计划内")  # a service-satisfaction campaign opened today
    shown = (await head.get(page + "?year=2026")).text
    assert 'id="cell-service_satisfaction-3" data-state="met"' in shown
    assert 'id="cell-fraudulent_sales-1" data-state="missed"' in shown
    assert '<strong id="plan-opened">1</strong> / <span id="plan-planned">3</span>' in shown
    assert "年度回访计划" in shown
    bad = await head.post(page, {"year": "2026", "n_service_satisfaction_3": "-1"})
    assert bad.status_code == 422 and 'id="n_service_satisfaction_3-error"' in bad.text
    assert (await head.post(page, {"year": "1900"})).status_code == 422
    agent = await staff.client("agent")
    assert (await agent.post(page, {"year": "2026"})).status_code == 403
    async with transaction(staff.tenant.id, write=False):
        rows = await scoped(CallbackPlan, staff.tenant.id, CallbackPlan.year, CallbackPlan.note)
    assert rows == [{"year": 2026, "note": "年度回访计划"}]
