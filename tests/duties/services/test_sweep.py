"""The duty sweep: each period's task once (run twice, or concurrently), C.d closing itself
when its survey round closes with a valid response, reminders and escalation once."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties import jobs  # noqa: F401  (declares the sweep)
from kefu.duties.policy.pack import duties_for
from kefu.duties.services import sweep_tenant
from kefu.duties.tables import DutyTask
from kefu.notifications.tables import Notice
from kefu.workers.registry import JOBS, SWEEPS
from tests.fixtures import staff_of
from tests.surveys import factories as surveys

ROLES = {"mgr": "manager", "sup": "relations_supervisor"}


@pytest.fixture(autouse=True)
def nudges(monkeypatch):
    """The delivery jobs the sweep asks for, recorded, not run: the notices are what is tested,
    and a delivery failing here (no SMTP) must not be retried into a later test's mailbox."""
    calls: list[tuple] = []

    async def record(name, *args):
        calls.append((name, *args))

    monkeypatch.setattr("kefu.workers.registry.enqueue", record)
    return calls


async def _tasks(tenant, **where):
    async with transaction(tenant.id, write=False):
        query = scoped(DutyTask, tenant.id).order_by(DutyTask.id)
        for key, value in where.items():
            query = query.where(getattr(DutyTask, key) == value)
        return await query


async def _notices(tenant):
    async with transaction(tenant.id, write=False):
        return await scoped(Notice, tenant.id).where(Notice.kind == "duty_reminder").order_by(Notice.id)


def test_the_sweep_is_registered():
    assert "sweep_duties" in SWEEPS and "sweep_duties" in JOBS


async def test_each_recurring_duty_once_per_period_even_swept_twice(frozen_clock):
    staff = await staff_of("property", ROLES)
    frozen_clock.travel(date(2026, 12, 6))
    first = await sweep_tenant(staff.tenant)
    again = await sweep_tenant(staff.tenant)
    rows = await _tasks(staff.tenant)
    recurring = duties_for("property").recurring()
    assert first.created == len(rows) == len(recurring) and again.created == 0
    survey = next(r for r in rows if r["duty_code"] == "c_d")
    assert (survey["period_key"], survey["due_on"], survey["assignee_id"]) == ("2026H2", date(2026, 12, 31), staff.users["sup"].id)
    monthly = next(r for r in rows if r["duty_code"] == "c_i")
    assert (monthly["period_key"], monthly["period_start"]) == ("2026-12", date(2026, 12, 1))
    # A new month brings the monthly ones again, not the half-yearly ones.
    frozen_clock.travel(date(2027, 1, 2))
    await sweep_tenant(staff.tenant)
    assert [r["period_key"] for r in await _tasks(staff.tenant, duty_code="b_d")] == ["2026", "2027"]
    assert [r["period_key"] for r in await _tasks(staff.tenant, duty_code="c_d")] == ["2026H2", "2027H1"]
    assert [r["period_key"] for r in await _tasks(staff.tenant, duty_code="c_i")] == ["2026-12", "2027-01"]
    frozen_clock.travel(date(2027, 2, 1))
    await sweep_tenant(staff.tenant)
    assert [r["period_key"] for r in await _tasks(staff.tenant, duty_code="c_d")] == ["2026H2", "2027H1"]
    assert len(await _tasks(staff.tenant, duty_code="c_i")) == 3


async def test_concurrent_sweeps_create_each_task_once(frozen_clock):
    staff = await staff_of("property", ROLES)
    frozen_clock.travel(date(2026, 12, 6))
    results = await asyncio.gather(*(sweep_tenant(staff.tenant) for _ in range(3)))
    rows = await _tasks(staff.tenant)
    assert sum(r.created for r in results) == len(rows) == len(duties_for("property").recurring())
    assert len({(r["position"], r["duty_code"], r["period_key"]) for r in rows}) == len(rows)


async def test_a_vacant_position_gets_no_tasks(frozen_clock):
    staff = await staff_of("property", {"mgr": "manager"})
    frozen_clock.travel(date(2026, 12, 6))
    await sweep_tenant(staff.tenant)
    assert {r["position"] for r in await _tasks(staff.tenant)} == {"manager"}


async def test_the_half_year_survey_duty_closes_itself(frozen_clock):
    staff = await staff_of("property", ROLES)
    frozen_clock.travel(date(2026, 11, 2))
    await sweep_tenant(staff.tenant)
    # An open round, or a closed one with only invalid answers, is not yet the evidence.
    running = await surveys.survey_round(staff.tenant, half_year="2026H2")
    await surveys.response(staff.tenant, running)
    closed = await surveys.survey_round(staff.tenant, status="closed")
    await surveys.response(staff.tenant, closed, is_valid=False, invalid_reason="too_fast")
    await sweep_tenant(staff.tenant)
    [task] = await _tasks(staff.tenant, duty_code="c_d")
    assert task["status"] == "open"
    async with transaction(staff.tenant.id):
        from kefu.surveys.tables import SurveyRound
        await SurveyRound.update({SurveyRound.status: "closed"}).where(SurveyRound.id == running.id)
    result = await sweep_tenant(staff.tenant)
    [task] = await _tasks(staff.tenant, duty_code="c_d")
    assert result.closed == 1
    assert (task["status"], task["evidence_ref"], task["done_on"]) == ("done", f"survey_round:{running.id}", date(2026, 11, 2))


async def test_reminded_before_the_due_date_and_escalated_once_overdue(frozen_clock, nudges):
    staff = await staff_of("property", ROLES, locale="zh_CN")
    frozen_clock.travel(date(2026, 11, 2))  # a Monday: nothing is near its due date yet
    await sweep_tenant(staff.tenant)
    assert await _notices(staff.tenant) == []
    [task] = await _tasks(staff.tenant, duty_code="c_i")
    frozen_clock.travel(date(2026, 11, 27))  # monthly: reminded three days before the 30th
    await sweep_tenant(staff.tenant)
    await sweep_tenant(staff.tenant)
    sup, mgr = staff.users["sup"].email, staff.users["mgr"].email
    about = [n for n in await _notices(staff.tenant) if n["subject_id"] == task["id"]]
    assert [(n["recipient_email"], n["unique_key"].split(":")[2]) for n in about] == [(sup, "before")]
    frozen_clock.travel(date(2026, 12, 1))
    await sweep_tenant(staff.tenant)
    await sweep_tenant(staff.tenant)
    overdue = [n for n in await _notices(staff.tenant) if n["subject_id"] == task["id"] and ":overdue:" in n["unique_key"]]
    assert sorted(n["recipient_email"] for n in overdue) == sorted([sup, mgr])
    assert '"stage": "overdue"' in overdue[0]["data"]
    assert {n["id"] for n in overdue} <= {c[2] for c in nudges if c[:2] == ("deliver_notice", staff.tenant.id)}
