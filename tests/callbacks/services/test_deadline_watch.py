"""The deadline watch of every callback task (services.deadline_sweep): the owner, or while
nobody owns it the task's position, is reminded before the due day; at the pack's escalation
day the campaign's manager (or the pack's escalation positions) is told too; each once, however
many sweeps run; a person gets one notice listing their tasks; property tasks are watched too."""

from __future__ import annotations

import json
from datetime import date, timedelta

from kefu.callbacks import schemas
from kefu.callbacks import services as callbacks
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import NewTask
from kefu.callbacks.services import policies as policy_svc
from kefu.callbacks.services.deadline_sweep import KIND, watch_tasks
from kefu.callbacks.tables import CallbackTask
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.callbacks import factories as cf
from tests.callbacks.conftest import TODAY, Team
from tests.callbacks.services.test_policies import policy
from tests.fixtures import staff_of


async def notices_of(tenant_id: int) -> list[dict]:
    async with transaction(tenant_id, write=False):
        return await scoped(Notice, tenant_id, Notice.recipient_name, Notice.data, Notice.kind,
                            Notice.subject_id).where(Notice.kind == KIND).order_by(Notice.id)


def data_of(notice: dict) -> dict:
    return notice["data"] if isinstance(notice["data"], dict) else json.loads(notice["data"])


def names(found: list[dict]) -> list[str]:
    return sorted(n["recipient_name"] for n in found)


async def test_a_new_policy_is_reminded_then_escalated_once_each(team: Team):
    # received 1 March: due 16 March; insurance reminds 3 days before and escalates 1 day before
    result = await policy_svc.add_policies(team.head, [policy("P-1")], source="api", want_ids=True)
    task_id = result.tasks["P-1"]
    assert await watch_tasks(team.tenant, TODAY) == []
    assert await watch_tasks(team.tenant, date(2026, 3, 12)) == []  # four days before
    reminded = await watch_tasks(team.tenant, date(2026, 3, 13))
    found = await notices_of(team.tenant.id)
    # nobody owns it yet: the holders of its position (two agents) hear of it
    agents = sorted([team.agent.user.name, team.agent2.user.name])
    assert len(reminded) == 2 and names(found) == agents
    data = data_of(found[0])
    assert data["stage"] == "reminder" and data["count"] == 1 and data["tasks"][0]["reference"] == "P-1"
    assert await watch_tasks(team.tenant, date(2026, 3, 14)) == []  # once
    await callbacks.take_task(team.agent, task_id)
    escalated = await watch_tasks(team.tenant, date(2026, 3, 15))
    # the owner now, and the pack's escalation post (the campaign has no manager)
    assert len(escalated) == 2
    latest = (await notices_of(team.tenant.id))[2:]
    assert names(latest) == sorted([team.agent.user.name, team.head.user.name])
    assert await watch_tasks(team.tenant, date(2026, 3, 16)) == []
    assert await watch_tasks(team.tenant, date(2026, 3, 20)) == []
    async with transaction(team.tenant.id, write=False):
        row = await scoped(CallbackTask, team.tenant.id, CallbackTask.reminded_at, CallbackTask.escalated_at).where(
            CallbackTask.id == task_id).first()
    assert row["reminded_at"] is not None and row["escalated_at"] is not None


async def test_a_done_task_is_not_watched_and_a_late_task_goes_straight_to_escalation(team: Team):
    done = await cf.task(team.tenant, ctx=team.head, due_in=2, name="甲")
    late = await cf.task(team.tenant, ctx=team.head, due_in=-1, name="乙")
    await callbacks.take_task(team.agent, done)
    await callbacks.save_record(team.agent, done, schemas.RecordInput(answers={}, notes="ok", recording_ref="",
                                                                       callback_on=None), submit=True)
    assert await watch_tasks(team.tenant, TODAY)  # only the late one
    found = await notices_of(team.tenant.id)
    assert {n["subject_id"] for n in found} == {late}
    data = [data_of(n) for n in found]
    assert {d["stage"] for d in data} == {"escalation"}


async def test_a_campaigns_manager_hears_of_the_escalation_and_one_notice_lists_many_tasks(team: Team):
    form = cf.campaign_form(manager_id=str(team.manager.user.id))
    campaign = await callbacks.create_campaign(team.head, schemas.campaign_input(form, callbacks_for("insurance")))
    for n in range(3):
        await callbacks.add_task(team.head, NewTask(
            kind="service_satisfaction", origin="campaign", campaign_id=campaign.id, methods=("phone",),
            attempt_limit=2, opens_on=TODAY, due_on=TODAY + timedelta(days=1), customer_name=f"客户{n}",
            unique_key=f"t:{n}"))
    await watch_tasks(team.tenant, TODAY)
    found = await notices_of(team.tenant.id)
    assert team.manager.user.name in names(found) and team.head.user.name not in names(found)
    for n in found:
        data = data_of(n)
        assert data["count"] == 3 and len(data["tasks"]) == 3


async def test_property_tasks_are_watched_by_their_own_pack():
    estate = await staff_of("property", {"desk": "front_desk", "boss": "manager"})
    task_id = await cf.task(estate.tenant, ctx=await estate.ctx("boss"), due_in=0, name="业主")
    assert await watch_tasks(estate.tenant, TODAY)  # property escalates on the due day itself
    found = await notices_of(estate.tenant.id)
    assert {n["subject_id"] for n in found} == {task_id}
    assert estate.users["boss"].name in names(found) and estate.users["desk"].name in names(found)
