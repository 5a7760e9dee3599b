"""The callbacks pages: the empty queue, working a task through the forms (fallback shown to the
new position), the campaign form (a bad field is a 422 naming it, nothing saved), the archive
and its XLSX; navigation for the positions that use it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kefu.callbacks.tables import CallbackCampaign
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.callbacks import factories as cf

ROLES = {"agent": "agent", "manager": "cs_manager", "head": "cs_head", "qa": "qa", "sales": "sales"}


@pytest.fixture
async def staff(make_staff, frozen_clock):
    from datetime import date

    frozen_clock.travel(date(2026, 3, 2))
    return await make_staff("insurance", ROLES, locale="zh_CN")


async def test_agent_works_a_phone_task_until_it_falls_back(staff):
    agent = await staff.client("agent")
    empty = await agent.get(staff.url("/callbacks/"))
    assert empty.status_code == 200 and "目前没有待办的回访。" in empty.text
    assert "我的回访" in empty.text  # the navigation entry of tenants/insurance/pack.toml
    task_id = await cf.task(staff.tenant, ctx=await staff.ctx("head"), limit=2, name="赵先生")
    queue = await agent.get(staff.url("/callbacks/"))
    assert "赵先生" in queue.text
    page = staff.url(f"/callbacks/tasks/{task_id}")
    assert (await agent.post(f"{page}/take", {})).status_code == 303
    for outcome in ("no_answer", "busy"):
        done = await agent.post(f"{page}/attempts", {"outcome": outcome})
        assert done.status_code == 303, done.text
    manager = await staff.client("manager")
    assert "赵先生" in (await manager.get(staff.url("/callbacks/"))).text
    shown = await manager.get(page)
    assert "线上问卷" in shown.text and "无人接听" in shown.text and "占线" in shown.text
    bad = await manager.post(f"{page}/record", {"callback_on": "2026-02-30", "notes": "ok", "submit": "1"})
    assert bad.status_code == 422 and 'id="callback_on-error"' in bad.text
    assert (await manager.post(f"{page}/record", {"notes": "问卷已答", "submit": "1"})).status_code == 303
    locked = await manager.post(f"{page}/record", {"notes": "改", "submit": "1"})
    assert locked.status_code == 409 and "只能添加更正" in locked.text


async def test_a_bad_campaign_field_is_named_and_nothing_saved(staff):
    head = await staff.client("head")
    form = await head.get(staff.url("/callbacks/campaigns/new"))
    assert form.status_code == 200 and "回访方式顺序" in form.text
    response = await head.post(staff.url("/callbacks/campaigns/"), {
        "title": "回访", "kind": "service_satisfaction", "window_start": "2026-03-02", "window_end": "2026-02-01",
        "target": "none", "methods": "phone"})
    assert response.status_code == 422 and 'id="window_end-error"' in response.text
    async with transaction(staff.tenant.id, write=False):
        assert await scoped(CallbackCampaign, staff.tenant.id, CallbackCampaign.id) == []
    made = await head.post(staff.url("/callbacks/campaigns/"), {
        "title": "三月满意度回访", "kind": "service_satisfaction", "window_start": "2026-03-02",
        "window_end": "2026-03-31", "target": "none", "methods": "phone", "questions": "满意吗？"})
    assert made.status_code == 303, made.text
    listed = await head.get(staff.url("/callbacks/campaigns/"))
    assert "三月满意度回访" in listed.text


async def test_archive_search_and_export(staff):
    _, record_id, _ = await cf.submitted_record(staff.tenant, "档案标记")
    qa = await staff.client("qa")
    found = await qa.get(staff.url("/callbacks/archive/?customer=档案标记"))
    assert found.status_code == 200 and f"record-{record_id}" in found.text
    none = await qa.get(staff.url("/callbacks/archive/?customer=无此人&from=bad"))
    assert "没有符合条件的回访记录。" in none.text
    detail = await qa.get(staff.url(f"/callbacks/archive/{record_id}"))
    assert "更正 档案标记" in detail.text
    export = await qa.get(staff.url("/callbacks/archive/export?customer=档案标记"))
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "档案" and rows[1][0] == record_id and "记录 档案标记" in rows[1]


async def test_a_large_archive_export_is_written_by_a_job(staff, monkeypatch):
    from tests.jobs import large_export

    # Given an archive over the size a request writes itself (the limit lowered to 0),
    _, record_id, _ = await cf.submitted_record(staff.tenant, "大档案")
    await cf.submitted_record(staff.tenant, "别的客户")
    # when the export is asked for, a job writes it with the archive's filters.
    _, got = await large_export(await staff.client("qa"), staff.url("/callbacks/archive/export"), staff.tenant.id,
                                monkeypatch, params={"customer": "大档案"})
    rows = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [record_id]


async def test_sales_without_the_archive_permission_is_refused(staff):
    sales = await staff.client("sales")
    assert (await sales.get(staff.url("/callbacks/archive/"))).status_code == 403
    assert (await sales.get(staff.url("/callbacks/"))).status_code == 200
