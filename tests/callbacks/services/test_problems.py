"""Problems found in callbacks (A art. 26): raised from a record or at once from a task,
assigned with a due date, closed only by whoever is responsible, reminded and escalated once
each by the sweep, and made a complaint in one step, linked both ways."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.audit.tables import AuditEvent
from kefu.callbacks.policy import quality as rules
from kefu.callbacks.problem_schemas import ProblemInput
from kefu.callbacks.queries import problems as problem_queries
from kefu.callbacks.services import my_positions
from kefu.callbacks.services import problems as svc
from kefu.callbacks.services.problem_sweep import remind_problems
from kefu.callbacks.tables import CallbackProblem
from kefu.complaints.tables import Complaint
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.callbacks import factories as cf
from tests.callbacks import sweep_factories as sf
from tests.callbacks.conftest import TODAY, Team


def given(cause: str = "misleading", **over: object) -> ProblemInput:
    values: dict = {"cause": cause, "summary": "客户称销售未说明退保损失", "detail": "详见录音", "position": "",
                    "assignee_id": None, "due_on": None} | over
    return ProblemInput(**values)


async def row(team: Team, problem_id: int) -> dict:
    async with transaction(team.tenant.id, write=False):
        return (await scoped(CallbackProblem, team.tenant.id).where(CallbackProblem.id == problem_id))[0]


async def test_a_problem_raised_from_a_record_goes_to_the_packs_post_with_its_due_date(team: Team):
    _, record_id, _ = await cf.submitted_record(team.tenant)
    problem = await svc.raise_from_record(team.agent, record_id, given())
    stored = await row(team, problem.id)
    assert stored["record_id"] == record_id and stored["status"] == "open"
    assert stored["position"] == "cs_manager"  # default_position of tenants/insurance/callback_quality.toml
    assert stored["due_on"] == TODAY + timedelta(days=5)  # problem_due_days
    async with transaction(team.tenant.id, write=False):
        events = await scoped(AuditEvent, team.tenant.id, AuditEvent.action).where(
            AuditEvent.object_type == "callback_problem", AuditEvent.object_id == problem.id)
    assert [e["action"] for e in events] == ["callback_problem.raise"]


async def test_only_an_immediate_cause_is_raised_from_a_task_before_any_record(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head, reference="P-2026-0001")
    with pytest.raises(FieldError) as bad:
        await svc.raise_from_task(team.agent, task_id, given("misleading"))
    assert bad.value.field == "cause"
    async with transaction(team.tenant.id, write=False):
        assert await scoped(CallbackProblem, team.tenant.id).where(CallbackProblem.task == task_id) == []
    problem = await svc.raise_from_task(team.agent, task_id, given("not_signed", summary="投保人称非本人签名"))
    stored = await row(team, problem.id)
    assert stored["record_id"] is None and stored["cause"] == "not_signed"


async def test_an_assignee_outside_the_tenant_is_a_field_error_and_nothing_is_written(team: Team):
    _, record_id, _ = await cf.submitted_record(team.tenant)
    with pytest.raises(FieldError) as bad:
        await svc.raise_from_record(team.agent, record_id, given(assignee_id=2**31 - 1))
    assert bad.value.field == "assignee_id"
    async with transaction(team.tenant.id, write=False):
        assert await scoped(CallbackProblem, team.tenant.id).where(CallbackProblem.record == record_id) == []


async def test_only_the_responsible_person_or_a_manager_closes_a_problem_and_only_once(team: Team):
    problem_id, _ = await sf.problem(team.tenant)
    await svc.assign_problem(team.head, problem_id, position="cs_manager", assignee_id=team.handler.user.id,
                             due_on=TODAY + timedelta(days=2))
    with pytest.raises(Refused) as refused:
        await svc.close_problem(team.agent, problem_id, "已处理", my_positions(team.agent))
    assert refused.value.code == "not_yours"
    await svc.close_problem(team.handler, problem_id, "已重新解释退保规则，客户认可", my_positions(team.handler))
    stored = await row(team, problem_id)
    assert stored["status"] == "closed" and stored["resolution"] == "已重新解释退保规则，客户认可"
    with pytest.raises(Refused) as again:
        await svc.close_problem(team.head, problem_id, "再次关闭", my_positions(team.head))
    assert again.value.code == "problem_closed"
    assert (await row(team, problem_id))["resolution"] == "已重新解释退保规则，客户认可"


async def test_a_problem_becomes_a_complaint_in_one_step_linked_both_ways(team: Team):
    problem_id, _ = await sf.problem(team.tenant, "M1")
    complaint_id = await svc.problem_to_complaint(team.head, problem_id)
    assert (await row(team, problem_id))["complaint_id"] == complaint_id
    async with transaction(team.tenant.id, write=False):
        complaint = (await scoped(Complaint, team.tenant.id).where(Complaint.id == complaint_id))[0]
        back = await problem_queries.problem_of_complaint(team.tenant.id, complaint_id)
    assert back == problem_id
    assert f"#{problem_id}" in complaint["description"] and complaint["subject"] == "问题 M1"
    with pytest.raises(Refused) as again:
        await svc.problem_to_complaint(team.head, problem_id)
    assert again.value.code == "already_complaint"
    async with transaction(team.tenant.id, write=False):
        assert len(await scoped(Complaint, team.tenant.id)) == 1


async def test_the_sweep_reminds_before_the_due_date_and_escalates_once_overdue(team: Team, frozen_clock):
    problem_id, _ = await sf.problem(team.tenant)
    await svc.assign_problem(team.head, problem_id, position="cs_manager", assignee_id=team.handler.user.id,
                             due_on=TODAY + timedelta(days=3))

    async def owed() -> list[dict]:
        async with transaction(team.tenant.id, write=False):
            return await scoped(Notice, team.tenant.id, Notice.recipient_name, Notice.unique_key).where(
                Notice.subject_type == "callback_problem", Notice.subject_id == problem_id)

    assert await remind_problems(team.tenant, TODAY) == []  # three days ahead: not yet
    sent = await remind_problems(team.tenant, TODAY + timedelta(days=2))  # the day before
    assert len(sent) == 1 and len(await owed()) == 1
    assert await remind_problems(team.tenant, TODAY + timedelta(days=2)) == []  # once
    escalated = await remind_problems(team.tenant, TODAY + timedelta(days=4))
    names = {n["recipient_name"] for n in await owed()}
    assert len(escalated) >= 2  # the assignee and the cs_head (escalate_positions)
    assert team.handler.user.name in names and team.head.user.name in names
    assert await remind_problems(team.tenant, TODAY + timedelta(days=5)) == []


@pytest.mark.parametrize(("days_left", "reminded", "escalated", "stage"), [
    (3, False, False, ""), (1, False, False, "before"), (0, False, False, "before"), (1, True, False, ""),
    (-1, True, False, "overdue"), (-1, False, False, "overdue"), (-2, True, True, ""),
])
def test_reminder_stage(days_left: int, reminded: bool, escalated: bool, stage: str):
    pack = rules.quality_for("insurance")  # problem_remind_days = 1
    assert rules.reminder_stage(TODAY + timedelta(days=days_left), TODAY, pack, reminded=reminded,
                                escalated=escalated) == stage
