"""The training gate (A art. 8): staff whose position requires training they have not passed, or
whose certificate has expired, are refused service work, with the missing course named; the
complaint services (register, assign a handler, accept, decide) call it."""

from __future__ import annotations

from datetime import date

import pytest

from kefu import i18n
from kefu.complaints import services as complaints
from kefu.duties.services import NotCleared, record_training, require_cleared
from tests import factories
from tests.complaints.payloads import complaint_payload
from tests.fixtures import staff_of

ROLES = {"agent": "agent", "head": "cs_head", "handler": "cs_manager"}


@pytest.fixture(autouse=True)
def today(frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    return frozen_clock


async def test_an_untrained_agent_cannot_register_and_is_told_which_course(today):
    staff = await staff_of("insurance", ROLES, cleared=False)
    agent = await staff.ctx("agent")
    with i18n.using_locale("zh_CN"), pytest.raises(NotCleared) as refused:
        await complaints.register_complaint(agent, complaint_payload())
    assert refused.value.code == "training_missing"
    with i18n.using_locale("zh_CN"):
        assert "客服岗前培训" in refused.value.translated()
    head = await staff.ctx("head")  # 客服处负责人: no pre-job course required of the position
    await record_training(head, user_id=agent.user.id, course="pre_job", session_on=date(2026, 3, 1), score=88)
    c = await complaints.register_complaint(agent, complaint_payload())
    assert c.number


async def test_an_expired_certificate_no_longer_clears(today):
    staff = await staff_of("insurance", ROLES, cleared=False)
    agent, head = await staff.ctx("agent"), await staff.ctx("head")
    await record_training(head, user_id=agent.user.id, course="pre_job", session_on=date(2025, 3, 10))
    await require_cleared(agent, agent.user.id, "complaints.register")  # valid to 2026-03-09
    today.travel(date(2026, 3, 10))
    with pytest.raises(NotCleared):
        await require_cleared(agent, agent.user.id, "complaints.register")


async def test_a_failed_result_does_not_clear(today):
    staff = await staff_of("insurance", ROLES, cleared=False)
    agent, head = await staff.ctx("agent"), await staff.ctx("head")
    await record_training(head, user_id=agent.user.id, course="pre_job", session_on=date(2026, 3, 1), result="failed")
    with pytest.raises(NotCleared):
        await require_cleared(agent, agent.user.id, "complaints.register")


async def test_an_untrained_handler_cannot_be_assigned_nor_decide(today):
    staff = await staff_of("insurance", ROLES, cleared=False)
    agent, head, handler = await staff.ctx("agent"), await staff.ctx("head"), await staff.ctx("handler")
    await factories.clear_training(staff.tenant, agent.user, ["agent"])
    c = await complaints.register_complaint(agent, complaint_payload(materials_complete=True))
    await complaints.review_complaint(head, c.id, outcome="accept")  # cs_head needs no course
    with pytest.raises(NotCleared) as refused:
        await complaints.assign_handler(head, c.id, handler_id=handler.user.id)
    assert "This member cannot take this work yet" in refused.value.message
    await complaints.assign_handler(head, c.id, handler_id=head.user.id)
    with pytest.raises(NotCleared):
        await complaints.record_decision(handler, c.id, decision="not_upheld", text="经核实，理赔流程符合约定。")


async def test_the_gate_follows_a_running_assignment(today):
    # Given a cleared admin and an untrained sales member (sales needs no course) ...
    staff = await staff_of("insurance", {"boss": "admin", "sales": "sales"}, cleared=False)
    boss, sales = await staff.ctx("boss"), await staff.ctx("sales")
    await require_cleared(boss, sales.user.id, "complaints.handle")
    # ... acting as an agent from today brings the agent's course requirement with it,
    from kefu.duties.services import assign_position, end_assignment

    row = await assign_position(boss, user_id=sales.user.id, position="agent", role="acting", starts_on=date(2026, 3, 2))
    with pytest.raises(NotCleared):
        await require_cleared(boss, sales.user.id, "complaints.handle")
    # and ending it ends that at once.
    await end_assignment(boss, row.id)
    await require_cleared(boss, sales.user.id, "complaints.handle")


async def test_permissions_follow_a_running_assignment(make_staff, today):
    # Given a sales member (no complaint permissions) made acting agent from tomorrow ...
    staff = await make_staff("insurance", {"boss": "admin", "sales": "sales"})
    boss = await staff.ctx("boss")
    from kefu.duties.services import assign_position, end_assignment, sweep_tenant

    sales = await staff.client("sales")
    url = staff.url("/complaints/")
    assert (await sales.get(url)).status_code == 403
    row = await assign_position(boss, user_id=staff.users["sales"].id, position="agent", role="acting",
                                starts_on=date(2026, 3, 3))
    assert (await sales.get(url)).status_code == 403
    # ... the day it starts, the sweep grants the agent's permissions,
    today.travel(date(2026, 3, 3))
    await sweep_tenant(staff.tenant)
    assert (await sales.get(url)).status_code == 200
    assert "complaints.register" in (await staff.ctx("sales")).permissions
    # and ending it takes them away at once.
    await end_assignment(boss, row.id)
    assert (await sales.get(url)).status_code == 403
