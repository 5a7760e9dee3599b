"""New-policy callbacks (A art. 24(1)): policies sent in become tasks of the pack's new-policy
kind due on the last day of the cooling-off period, grouped into one open campaign per product
and month whose questions are the product's checklist; sending a policy again makes nothing
more; an uploaded file is refused whole on a bad row, a large one read by a job; the campaign's
analysis shows the on-time rate; a property centre has none of it."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException
from openpyxl import Workbook

from kefu.audit.tables import AuditEvent
from kefu.callbacks import schemas
from kefu.callbacks import services as callbacks
from kefu.callbacks.policy.policies import NewPolicy
from kefu.callbacks.queries import policies as policy_queries
from kefu.callbacks.queries import reports
from kefu.callbacks.services import policies as svc
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.core.errors import FieldError
from kefu.core.files import Upload
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.workers.registry import load_jobs
from kefu.workers.services import Job
from tests.callbacks.conftest import TODAY, Team
from tests.fixtures import staff_of
from tests.jobs import run_jobs


def policy(no: str, product: str = "whole_life", received: date = TODAY - timedelta(days=1), name: str = "张三"):
    return NewPolicy(policy_no=no, product=product, holder_name=name, holder_phone="13800138000", received_on=received)


async def tasks_of(team: Team) -> list[dict]:
    async with transaction(team.tenant.id, write=False):
        return await scoped(CallbackTask, team.tenant.id, CallbackTask.id, CallbackTask.reference, CallbackTask.kind,
                            CallbackTask.origin, CallbackTask.product, CallbackTask.due_on, CallbackTask.method,
                            CallbackTask.position, CallbackTask.campaign.as_alias("campaign_id"),
                            CallbackTask.unique_key).order_by(CallbackTask.id)


async def test_each_policy_becomes_a_task_due_on_the_last_day_of_its_cooling_off_period(team: Team):
    result = await svc.add_policies(team.head, [policy("P-1"), policy("P-2", "universal"),
                                                policy("P-3", received=date(2026, 2, 14))], source="api",
                                    want_ids=True)
    assert (result.created, result.existing) == (3, 0) and set(result.tasks) == {"P-1", "P-2", "P-3"}
    rows = {r["reference"]: r for r in await tasks_of(team)}
    assert rows["P-1"]["due_on"] == date(2026, 3, 16)  # received Sunday 1 March: 15 natural days
    assert rows["P-3"]["due_on"] == date(2026, 3, 2)
    for r in rows.values():
        assert (r["kind"], r["origin"], r["method"], r["position"]) == ("fraudulent_sales", "policy", "phone", "agent")
        assert r["unique_key"] == f"policy:{r['reference']}"
    # one campaign per product and month of receipt, its questions the product's checklist
    assert len({r["campaign_id"] for r in rows.values()}) == 3
    async with transaction(team.tenant.id, write=False):
        campaign = await scoped(CallbackCampaign, team.tenant.id, CallbackCampaign.status, CallbackCampaign.questions,
                                CallbackCampaign.window_end, CallbackCampaign.task_count).where(
            CallbackCampaign.id == rows["P-2"]["campaign_id"]).first()
    questions = [q["code"] for q in json.loads(campaign["questions"]) if isinstance(campaign["questions"], str)] or [
        q["code"] for q in campaign["questions"]]
    assert campaign["status"] == "open" and campaign["task_count"] == 1 and "not_guaranteed" in questions
    assert campaign["window_end"] >= rows["P-2"]["due_on"]
    async with transaction(team.tenant.id, write=False):  # the record form asks them
        assert await callbacks.questions_of(team.tenant.id, rows["P-1"]["campaign_id"])


async def test_a_policy_sent_again_makes_no_second_task_and_joins_its_months_campaign(team: Team):
    first = await svc.add_policies(team.head, [policy("P-10")], source="api")
    again = await svc.add_policies(team.head, [policy("P-10"), policy("P-11")], source="upload")
    assert (first.created, again.created, again.existing) == (1, 1, 1)
    rows = await tasks_of(team)
    assert [r["reference"] for r in rows] == ["P-10", "P-11"]
    assert rows[0]["campaign_id"] == rows[1]["campaign_id"]
    async with transaction(team.tenant.id, write=False):
        counts = await scoped(CallbackCampaign, team.tenant.id, CallbackCampaign.task_count)
        events = await scoped(AuditEvent, team.tenant.id, AuditEvent.after).where(
            AuditEvent.action == "callback_policies.add")
    assert [c["task_count"] for c in counts] == [2] and len(events) == 2


async def test_only_a_manager_adds_policies_and_a_property_centre_has_none(team: Team):
    with pytest.raises(PermissionDeniedException):
        await svc.add_policies(team.agent, [policy("P-20")], source="api")
    estate = await staff_of("property", {"boss": "manager"})
    with pytest.raises(NotFoundException):
        await svc.add_policies(await estate.ctx("boss"), [policy("P-21")], source="api")
    assert await tasks_of(team) == []


def workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["保单号", "险种", "投保人", "手机", "签收日期"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_an_uploaded_file_with_a_bad_row_is_refused_whole(team: Team):
    csv = "保单号,险种,投保人,手机,签收日期\nP-30,终身寿险,李四,13900139000,2026-02-28\nP-31,汽车险,王五,13900139001,2026-02-28\n"
    with pytest.raises(FieldError) as refused:
        await svc.upload_policies(team.head, Upload("new.csv", "text/csv", csv.encode()))
    assert refused.value.field == "file" and "3" in refused.value.translated()
    assert await tasks_of(team) == []
    missing = "保单号,投保人\nP-30,李四\n"
    with pytest.raises(FieldError):
        await svc.upload_policies(team.head, Upload("new.csv", "text/csv", missing.encode()))
    twice = "保单号,险种,投保人,手机,签收日期\nP-30,终身寿险,李四,13900139000,2026-02-28\nP-30,终身寿险,李四,13900139000,2026-02-28\n"
    with pytest.raises(FieldError):
        await svc.upload_policies(team.head, Upload("new.csv", "text/csv", twice.encode()))


async def test_a_small_file_is_added_at_once_and_a_large_one_by_a_job(team: Team, monkeypatch):
    load_jobs()  # without the app fixture no module's jobs are registered yet
    small = workbook([["P-40", "年金保险", "赵六", "13700137000", "2026-02-20"]])
    result = await svc.upload_policies(team.head, Upload("new.xlsx", "application/octet-stream", small))
    assert not isinstance(result, Job) and result.created == 1
    monkeypatch.setattr("kefu.callbacks.policy_schemas.INLINE_BYTES", 10)
    large = workbook([[f"P-5{i}", "定期寿险", "孙七", "13700137001", "2026-02-21"] for i in range(5)])
    job = await svc.upload_policies(team.head, Upload("many.xlsx", "application/octet-stream", large))
    assert isinstance(job, Job)
    await run_jobs(team.tenant.id, job.id)
    assert sorted(r["reference"] for r in await tasks_of(team)) == ["P-40", "P-50", "P-51", "P-52", "P-53", "P-54"]


async def test_the_on_time_rate_inside_the_cooling_off_period(team: Team, frozen_clock):
    result = await svc.add_policies(team.head, [policy("P-60"), policy("P-61"), policy("P-62")], source="api",
                                    want_ids=True)
    early, late = result.tasks["P-60"], result.tasks["P-61"]
    for task_id in (early, late):
        await callbacks.take_task(team.agent, task_id)
    await callbacks.save_record(team.agent, early, schemas.RecordInput(answers={"identity": "是"}, notes="ok",
                                                                        recording_ref="", callback_on=None), submit=True)
    frozen_clock.travel(date(2026, 3, 17))  # a day past P-61's cooling-off period
    await callbacks.save_record(team.agent, late, schemas.RecordInput(answers={}, notes="late", recording_ref="",
                                                                       callback_on=None), submit=True)
    figures = await policy_queries.watch_figures(team.head)
    assert (figures["done"], figures["on_time"], figures["late"], figures["overdue"]) == (2, 1, 1, 1)
    assert figures["on_time_rate"] == 50.0
    rows = await tasks_of(team)
    found = await reports.analysis(team.head, rows[0]["campaign_id"])
    assert found["progress"].on_time == 1 and found["progress"].done == 2
    listed = await policy_queries.policy_tasks(team.head, None, "open")
    assert [r["reference"] for r in listed.rows] == ["P-62"]
