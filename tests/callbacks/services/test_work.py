"""Working tasks: the queue (own tasks and the position's unowned ones, nearest due first), the
training gate, attempts with fallback to the next method and its position (art. 23), calling
hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kefu.audit.tables import AuditEvent
from kefu.callbacks import queries, schemas, services
from kefu.callbacks.tables import CallbackAttempt, CallbackTask
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.services import NotCleared
from tests.callbacks import factories as cf
from tests.callbacks.conftest import ROLES, Team
from tests.fixtures import staff_of


def attempt(outcome: str, **over: str) -> schemas.AttemptInput:
    return schemas.attempt_input(Form({"outcome": outcome, **over}), "Asia/Shanghai")


async def row(team: Team, task_id: int) -> dict:
    async with transaction(team.tenant.id, write=False):
        return await queries.task_row(team.tenant.id, task_id)


async def queue_ids(ctx) -> list[int]:
    async with transaction(ctx.tenant_id, write=False):
        return [r["id"] for r in (await queries.queue(ctx, None)).rows]


async def test_failed_attempts_fall_back_to_the_next_method_and_its_people(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head, limit=2, methods=("phone", "online", "onsite"))
    assert task_id in await queue_ids(team.agent) and task_id in await queue_ids(team.agent2)
    assert task_id not in await queue_ids(team.manager)
    await services.take_task(team.agent, task_id)
    assert task_id not in await queue_ids(team.agent2)  # taken: only its owner sees it now

    await services.log_attempt(team.agent, task_id, attempt("no_answer"))
    t = await row(team, task_id)
    assert (t["method"], t["failed_attempts"], t["owner_id"]) == ("phone", 1, team.agent.user.id)
    await services.log_attempt(team.agent, task_id, attempt("busy", note="占线"))
    t = await row(team, task_id)
    # Art. 22(4): the online questionnaire belongs to the service-management post.
    assert (t["method"], t["position"], t["owner_id"], t["failed_attempts"]) == ("online", "cs_manager", None, 0)
    assert t["fallen_back_at"] is not None
    assert task_id in await queue_ids(team.manager) and task_id not in await queue_ids(team.agent)
    with pytest.raises(Refused) as refused:
        await services.log_attempt(team.agent, task_id, attempt("no_answer"))
    assert refused.value.code == "not_yours"
    async with transaction(team.tenant.id, write=False):
        logged = await scoped(CallbackAttempt, team.tenant.id, CallbackAttempt.outcome).where(
            CallbackAttempt.task == task_id).order_by(CallbackAttempt.id)
        events = await scoped(AuditEvent, team.tenant.id, AuditEvent.action, AuditEvent.after).where(
            AuditEvent.object_type == "callback_task", AuditEvent.object_id == task_id).order_by(AuditEvent.id)
    assert [r["outcome"] for r in logged] == ["no_answer", "busy"]
    # the fallback to online sends the customer the questionnaire's link (services.online)
    assert [e["action"] for e in events] == ["callback_task.create", "callback_task.take", "callback_task.attempt",
                                             "callback_task.attempt", "callback_task.online_sent"]


async def test_last_method_exhausted_makes_the_task_unreachable(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head, limit=1, methods=("phone",))
    await services.log_attempt(team.agent, task_id, attempt("wrong_number"))
    assert (await row(team, task_id))["status"] == "unreachable"
    assert task_id not in await queue_ids(team.agent)


async def test_queue_is_nearest_due_first_and_paged(team: Team):
    late = await cf.task(team.tenant, ctx=team.head, due_in=20)
    soon = await cf.task(team.tenant, ctx=team.head, due_in=2)
    mid = await cf.task(team.tenant, ctx=team.head, due_in=9)
    ids = await queue_ids(team.agent)
    assert [i for i in ids if i in (late, soon, mid)] == [soon, mid, late]
    async with transaction(team.tenant.id, write=False):
        page = await queries.queue(team.agent, "2")
    assert page.number == 2 and page.rows == []


async def test_outside_calling_hours_a_call_is_refused_and_nothing_is_logged(team: Team, frozen_clock):
    task_id = await cf.task(team.tenant, ctx=team.head)
    frozen_clock.travel(datetime.combine(date(2026, 3, 2), time(21, 30), ZoneInfo("Asia/Shanghai")))
    with pytest.raises(Refused) as refused:
        await services.log_attempt(team.agent, task_id, attempt("no_answer"))
    assert refused.value.code == "outside_calling_hours"
    async with transaction(team.tenant.id, write=False):
        assert await scoped(CallbackAttempt, team.tenant.id).where(CallbackAttempt.task == task_id) == []
    assert (await row(team, task_id))["failed_attempts"] == 0


async def test_call_back_later_needs_a_future_time(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    with pytest.raises(FieldError) as bad:
        attempt("call_back")
    assert bad.value.field == "call_back_at"
    with pytest.raises(FieldError) as bad:
        attempt("call_back", call_back_at="明天")
    assert bad.value.field == "call_back_at"
    with pytest.raises(Refused):
        await services.log_attempt(team.agent, task_id, attempt("call_back", call_back_at="2026-03-01T10:00"))
    await services.log_attempt(team.agent, task_id, attempt("call_back", call_back_at="2026-03-03T15:00"))
    t = await row(team, task_id)
    assert t["next_call_at"].astimezone(ZoneInfo("Asia/Shanghai")).hour == 15 and t["failed_attempts"] == 0


async def test_only_staff_cleared_by_training_take_callbacks(team: Team):
    staff = await staff_of("insurance", {"agent": "agent", "head": "cs_head"}, cleared=False)
    untrained, head = await staff.ctx("agent"), await staff.ctx("head")
    task_id = await cf.task(staff.tenant, ctx=head)
    with pytest.raises(NotCleared):
        await services.take_task(untrained, task_id)
    with pytest.raises(NotCleared):
        await services.log_attempt(untrained, task_id, attempt("no_answer"))
    async with transaction(staff.tenant.id, write=False):
        owner = await scoped(CallbackTask, staff.tenant.id, CallbackTask.owner).where(CallbackTask.id == task_id)
    assert owner == [{"owner_id": None}]


async def test_a_manager_hands_a_task_to_a_cleared_member(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    await services.assign_task(team.head, task_id, team.agent2.user.id)
    assert task_id in await queue_ids(team.agent2) and task_id not in await queue_ids(team.agent)
    with pytest.raises(FieldError) as bad:
        await services.assign_task(team.head, task_id, 2**31 - 1)
    assert bad.value.field == "user_id"


def test_roles_cover_every_method_position():
    assert {"agent", "sales", "cs_manager"} <= set(ROLES.values())
