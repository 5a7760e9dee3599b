"""Duty tasks closed by a module's record: A art. 20's quarterly analysis report (a20) once a
report over a period covering the quarter is issued to management, C.i's monthly statistics
(c_i) once the month is filed; open before, and another tenant's record closes nothing. The
task page then names the record and links to it."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.complaints.queries.reports.periods import numbered_period
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.deskstats.services import file_month
from kefu.duties.services import sweep_tenant
from kefu.duties.tables import DutyTask
from tests.complaints.reports.support import issue_report
from tests.fixtures import staff_of


@pytest.fixture(autouse=True)
def nudges(monkeypatch):
    """The sweep's delivery jobs (reminders), recorded, not run: no SMTP here, and a delivery
    waiting on retries must not reach a later test's queue."""
    calls: list[tuple] = []

    async def record(name, *args):
        calls.append((name, *args))

    monkeypatch.setattr("kefu.workers.registry.enqueue", record)
    return calls


async def _task(tenant, code: str) -> dict:
    async with transaction(tenant.id, write=False):
        [row] = await scoped(DutyTask, tenant.id).where(DutyTask.duty_code == code)
    return row


async def test_the_quarterly_analysis_duty_closes_once_the_quarters_report_is_issued(app, frozen_clock):
    frozen_clock.travel(date(2026, 2, 10))
    staff = await staff_of("insurance", {"head": "cs_head"}, app=app, fresh=True)
    other = await staff_of("insurance", {"head": "cs_head"}, fresh=True)
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "a20")
    assert (task["period_key"], task["status"], task["evidence_kind"]) == ("2026Q1", "open", "record")
    # January's report does not cover the quarter; another insurer's quarter is not ours.
    await issue_report(await staff.ctx("head"), numbered_period("month", 2026, 1))
    await issue_report(await other.ctx("head"), numbered_period("quarter", 2026, 1))
    await sweep_tenant(staff.tenant)
    assert (await _task(staff.tenant, "a20"))["status"] == "open"
    issue_id = await issue_report(await staff.ctx("head"), numbered_period("quarter", 2026, 1))
    result = await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "a20")
    assert result.closed == 1
    assert (task["status"], task["evidence_ref"], task["done_on"]) == ("done", f"complaint_report:{issue_id}",
                                                                        date(2026, 2, 10))
    page = await (await staff.client("head")).get(staff.url(f"/duties/tasks/{task['id']}"))
    record = page.text.split('id="evidence-record"', 1)[1].split("</p>", 1)[0]
    assert f'href="/t/{staff.slug}/complaints/reports/issued/{issue_id}"' in record
    assert f"Issued complaint analysis report #{issue_id}" in record


async def test_the_monthly_statistics_duty_closes_once_the_month_is_filed(app, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    staff = await staff_of("property", {"sup": "relations_supervisor"}, app=app, fresh=True, locale="zh_CN")
    other = await staff_of("property", {"sup": "relations_supervisor"}, fresh=True)
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "c_i")
    assert (task["period_key"], task["status"], task["evidence_kind"]) == ("2026-12", "open", "record")
    await file_month(await other.ctx("sup"), date(2026, 12, 1))
    await sweep_tenant(staff.tenant)
    assert (await _task(staff.tenant, "c_i"))["status"] == "open"
    filing_id = await file_month(await staff.ctx("sup"), date(2026, 12, 1))
    result = await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "c_i")
    assert result.closed == 1
    assert (task["status"], task["evidence_ref"]) == ("done", f"desk_month:{filing_id}")
    page = await (await staff.client("sup")).get(staff.url(f"/duties/tasks/{task['id']}"))
    record = page.text.split('id="evidence-record"', 1)[1].split("</p>", 1)[0]
    assert f'href="/t/{staff.slug}/statistics?period=2026-12"' in record
    assert f"已提交的月度统计 #{filing_id}" in record


async def test_a_task_made_while_its_duty_wanted_an_upload_closes_by_the_record_too(app, frozen_clock):
    """Tasks made before a20's evidence became the issued report kept evidence "upload": the
    sweep asks the pack, not the stored kind, and the closed task says it was a record."""
    frozen_clock.travel(date(2026, 2, 10))
    staff = await staff_of("insurance", {"head": "cs_head"}, app=app, fresh=True)
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "a20")
    async with transaction(staff.tenant.id):
        await DutyTask.update({DutyTask.evidence_kind: "upload"}).where(DutyTask.id == task["id"])
    await sweep_tenant(staff.tenant)
    assert (await _task(staff.tenant, "a20"))["status"] == "open"
    issue_id = await issue_report(await staff.ctx("head"), numbered_period("quarter", 2026, 1))
    assert (await sweep_tenant(staff.tenant)).closed == 1
    task = await _task(staff.tenant, "a20")
    assert (task["status"], task["evidence_kind"], task["evidence_ref"]) == (
        "done", "record", f"complaint_report:{issue_id}")
