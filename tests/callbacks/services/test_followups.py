"""A closed complaint gets its complaint-handling callback once (A art. 24(2)), workable after
the pack's delay, however often the close is retried or the sweep runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.callbacks import queries, services
from kefu.callbacks.tables import CallbackTask
from kefu.complaints import services as complaints
from kefu.complaints.services import TransitionNotAllowed
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.callbacks.conftest import TODAY, Team
from tests.complaints.payloads import complaint_payload


async def closed_complaint(team: Team) -> int:
    c = await complaints.register_complaint(team.agent, complaint_payload(complainant_name="李女士", materials_complete=True))
    c = await complaints.review_complaint(team.head, c.id, outcome="accept")
    c = await complaints.assign_handler(team.head, c.id, handler_id=team.handler.user.id)
    c = await complaints.record_decision(team.handler, c.id, decision="upheld", text="属实", remedy="赔付")
    await complaints.close_complaint(team.handler, c.id)
    return c.id


async def followups(team: Team, complaint_id: int) -> list[dict]:
    async with transaction(team.tenant.id, write=False):
        return await scoped(CallbackTask, team.tenant.id, CallbackTask.id, CallbackTask.kind, CallbackTask.opens_on,
                            CallbackTask.method, CallbackTask.position, CallbackTask.customer_name).where(
            CallbackTask.subject_type == "complaint", CallbackTask.subject_id == complaint_id)


async def test_closing_a_complaint_creates_its_follow_up_once(team: Team, frozen_clock):
    complaint_id = await closed_complaint(team)
    with pytest.raises(TransitionNotAllowed):  # the close retried
        await complaints.close_complaint(team.handler, complaint_id)
    for _ in range(3):  # the sweep each minute, and a second scheduler
        await services.sweep_tenant(team.tenant)
    made = await followups(team, complaint_id)
    assert len(made) == 1
    task = made[0]
    assert (task["kind"], task["method"], task["position"], task["customer_name"]) == (
        "complaint_handling", "phone", "agent", "李女士")
    assert task["opens_on"] == TODAY + timedelta(days=3)  # tenants/insurance/callbacks.toml
    # Not in the queue before the delay; there after it.
    async with transaction(team.tenant.id, write=False):
        assert task["id"] not in [r["id"] for r in (await queries.queue(team.agent, None)).rows]
    frozen_clock.travel(TODAY + timedelta(days=3))
    await services.sweep_tenant(team.tenant)
    assert len(await followups(team, complaint_id)) == 1
    async with transaction(team.tenant.id, write=False):
        assert task["id"] in [r["id"] for r in (await queries.queue(team.agent, None)).rows]


async def test_concurrent_inserts_of_one_follow_up_make_one_task(team: Team):
    complaint_id = await closed_complaint(team)
    # Two sweeps that both read "no follow-up yet" insert under the same unique key: DO NOTHING.
    from kefu.callbacks.policy.pack import callbacks_for
    from kefu.callbacks.policy.tasks import NewTask
    from kefu.callbacks.services.followups import _insert_ignoring_duplicates
    from kefu.core import clock

    pack = callbacks_for("insurance")
    task = NewTask(kind="complaint_handling", origin="complaint", methods=pack.default_methods, attempt_limit=3,
                   opens_on=TODAY, due_on=TODAY, unique_key=f"complaint:{complaint_id}", subject_type="complaint",
                   subject_id=complaint_id)
    async with transaction(team.tenant.id):
        first = await CallbackTask.raw(_insert_ignoring_duplicates(), *task.values(team.tenant.id, pack, clock.now()))
        second = await CallbackTask.raw(_insert_ignoring_duplicates(), *task.values(team.tenant.id, pack, clock.now()))
    assert (len(first), len(second)) == (1, 0)
    await services.sweep_tenant(team.tenant)
    assert len(await followups(team, complaint_id)) == 1


async def test_a_property_centre_follows_up_with_its_own_kind_and_desk():
    from tests.fixtures import staff_of

    staff = await staff_of("property", {"agent": "front_desk", "head": "manager", "handler": "relations_supervisor"})
    desk, head, handler = await staff.ctx("agent"), await staff.ctx("head"), await staff.ctx("handler")
    c = await complaints.register_complaint(desk, complaint_payload(
        complainant_name="业主周先生", materials_complete=True, category="repair"))
    await complaints.review_complaint(head, c.id, outcome="accept")
    await complaints.assign_handler(head, c.id, handler_id=handler.user.id)
    await complaints.record_decision(handler, c.id, decision="upheld", text="属实", remedy="维修")
    await complaints.close_complaint(handler, c.id)
    await services.sweep_tenant(staff.tenant)
    async with transaction(staff.tenant.id, write=False):
        made = await scoped(CallbackTask, staff.tenant.id, CallbackTask.kind, CallbackTask.position,
                            CallbackTask.opens_on).where(CallbackTask.subject_id == c.id)
    # tenants/property/callbacks.toml: its own kind, the front desk phones, one day later.
    assert made == [{"kind": "complaint_followup", "position": "front_desk", "opens_on": TODAY + timedelta(days=1)}]
