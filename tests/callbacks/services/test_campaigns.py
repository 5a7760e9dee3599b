"""Campaigns (art. 23(2)): tasks made in bulk for the target (a segment, the complainants of a
period, an uploaded list), opened on their day by the scheduler once; bad input names its field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.callbacks import queries, schemas, services
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.core.errors import FieldError
from kefu.core.files import Upload
from kefu.core.scoping import scoped
from kefu.customers import services as customers
from kefu.db import transaction
from tests.callbacks import factories as cf
from tests.callbacks.conftest import TODAY, Team
from tests.callbacks.services.test_followups import closed_complaint

PACK = callbacks_for("insurance")


async def tasks_of(team: Team, campaign_id: int) -> list[dict]:
    async with transaction(team.tenant.id, write=False):
        return await scoped(CallbackTask, team.tenant.id, CallbackTask.customer_name, CallbackTask.method,
                            CallbackTask.position, CallbackTask.due_on, CallbackTask.attempt_limit,
                            CallbackTask.reference).where(CallbackTask.campaign == campaign_id).order_by(CallbackTask.id)


async def test_a_segment_campaign_makes_a_task_per_customer(team: Team):
    for name in ("甲客户", "乙客户"):
        await customers.create_customer(team.head, ({"kind": "policyholder", "name": name, "phone": "13800138000",
                                                         "tags": "VIP", "consent_contact": "on"}))
    data = schemas.campaign_input(cf.campaign_form(target="segment", segment="VIP"), PACK)
    campaign = await services.create_campaign(team.head, data)
    made = await tasks_of(team, campaign.id)
    assert sorted(t["customer_name"] for t in made) == ["乙客户", "甲客户"]
    assert {(t["method"], t["position"], t["attempt_limit"]) for t in made} == {("phone", "agent", 2)}
    assert campaign.status == "open" and campaign.task_count == 2


async def test_complainants_of_a_period(team: Team):
    await closed_complaint(team)
    data = schemas.campaign_input(cf.campaign_form(target="complaints", kind="complaint_handling",
                                                   closed_from=TODAY.isoformat(), closed_to=TODAY.isoformat()), PACK)
    campaign = await services.create_campaign(team.head, data)
    made = await tasks_of(team, campaign.id)
    assert [t["customer_name"] for t in made] == ["李女士"] and made[0]["reference"]


async def test_an_uploaded_list(team: Team):
    from kefu.callbacks.services.lists import read_list

    content = "姓名,手机,保单号\n张三,13900139000,P-001\n李四,13900139001,P-002\n".encode()
    rows = await read_list(team.tenant.id, Upload("名单.csv", "text/csv", content))
    data = schemas.campaign_input(cf.campaign_form(target="list"), PACK)
    campaign = await services.create_campaign(team.head, data, rows)
    assert [(t["customer_name"], t["reference"]) for t in await tasks_of(team, campaign.id)] == [
        ("张三", "P-001"), ("李四", "P-002")]
    with pytest.raises(FieldError) as bad:
        await read_list(team.tenant.id, Upload("名单.csv", "text/csv", "姓名,手机\n张三,12\n".encode()))
    assert bad.value.field == "list"


async def test_the_scheduler_opens_a_campaign_on_its_day_once(team: Team, frozen_clock):
    later = TODAY + timedelta(days=7)
    data = schemas.campaign_input(cf.campaign_form(target="complaints", closed_from="2026-01-01",
                                                   closed_to="2026-12-31", opens_on=later.isoformat()), PACK)
    await closed_complaint(team)
    campaign = await services.create_campaign(team.head, data)
    assert campaign.status == "draft" and await tasks_of(team, campaign.id) == []
    await services.sweep_tenant(team.tenant)
    assert await tasks_of(team, campaign.id) == []
    frozen_clock.travel(later)
    for _ in range(2):
        await services.sweep_tenant(team.tenant)
    assert len(await tasks_of(team, campaign.id)) == 1
    assert await services.open_campaign(team.tenant.id, "insurance", campaign.id) == 0
    async with transaction(team.tenant.id, write=False):
        page = await queries.campaigns(team.head, None)
    assert page.rows[0]["progress"] == {"open": 1}


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"kind": "fraud"}, "kind"),
        ({"window_start": "2026-02-30"}, "window_start"),
        ({"window_end": "2026-01-01"}, "window_end"),
        ({"opens_on": "2027-12-31"}, "opens_on"),
        ({"target": "everyone"}, "target"),
        ({"target": "segment", "segment": ""}, "segment"),
        ({"target": "complaints", "closed_from": "", "closed_to": "2026-03-01"}, "closed_from"),
        ({"target": "complaints", "closed_from": "2026-03-02", "closed_to": "2026-03-01"}, "closed_to"),
        ({"questions": "\n".join(f"问题{i}" for i in range(31))}, "questions"),
        ({"questions": "问" * 201}, "questions"),
        ({"attempt_limit": "0"}, "attempt_limit"),
        ({"attempt_limit": "３"}, "attempt_limit"),
        ({"manager_id": "abc"}, "manager_id"),
        ({"methods": "phone,phone"}, "methods"),
        ({"methods": "fax"}, "methods"),
        ({"focus": "x\x00"}, "focus"),
    ],
)
async def test_bad_campaign_input_names_the_field_and_saves_nothing(team: Team, over, field):
    async with transaction(team.tenant.id, write=False):
        before = len(await scoped(CallbackCampaign, team.tenant.id, CallbackCampaign.id))
    with pytest.raises(FieldError) as bad:
        data = schemas.campaign_input(cf.campaign_form(**over), PACK)
        await services.create_campaign(team.head, data)
    assert field in bad.value.translated_all()
    async with transaction(team.tenant.id, write=False):
        assert len(await scoped(CallbackCampaign, team.tenant.id, CallbackCampaign.id)) == before


async def test_a_manager_who_is_not_a_member_is_refused(team: Team):
    data = schemas.campaign_input(cf.campaign_form(manager_id=str(2**31 - 1)), PACK)
    with pytest.raises(FieldError) as bad:
        await services.create_campaign(team.head, data)
    assert bad.value.field == "manager_id"
