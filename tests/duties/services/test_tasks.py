"""Completing a task: only with its evidence, only by its holder or a manager, never a task that
closes by itself; each refusal changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import get_in_tenant
from kefu.db import transaction
from kefu.duties.services import complete_task
from kefu.duties.tables import DutyTask
from tests.duties import factories as duties
from tests.fixtures import staff_of

ROLES = {"mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}


async def _status(tenant, task_id):
    async with transaction(tenant.id, write=False):
        return (await get_in_tenant(DutyTask, tenant.id, task_id)).status


async def test_only_the_holder_or_a_manager_completes_a_task(frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await staff_of("property", ROLES)
    sup, desk, mgr = await staff.ctx("sup"), await staff.ctx("desk"), await staff.ctx("mgr")
    row = await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_j", assignee=sup.user.id)
    with pytest.raises(Refused) as refused:
        await complete_task(desk, row.id, note="我来做")
    assert refused.value.code == "task_not_yours" and await _status(staff.tenant, row.id) == "open"
    with pytest.raises(FieldError) as missing:
        await complete_task(sup, row.id, note="   ")
    assert missing.value.field == "note" and await _status(staff.tenant, row.id) == "open"
    done = await complete_task(mgr, row.id, note="已催缴 3 户，1 户拒交：对维修不满")
    assert (done.status, done.done_by, done.done_on) == ("done", mgr.user.id, date(2026, 11, 2))
    with pytest.raises(Refused) as again:
        await complete_task(sup, row.id, note="again")
    assert again.value.code == "task_done"


async def test_a_record_task_cannot_be_ticked_off_by_hand(frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await staff_of("property", ROLES)
    sup = await staff.ctx("sup")
    row = await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_d", recurrence="half_yearly",
                            period_key="2026H2", start=date(2026, 7, 1), assignee=sup.user.id, evidence_kind="record")
    with pytest.raises(Refused) as refused:
        await complete_task(sup, row.id, note="做过了")
    assert refused.value.code == "task_record" and await _status(staff.tenant, row.id) == "open"


async def test_another_tenants_task_is_not_found(frozen_clock):
    from litestar.exceptions import NotFoundException

    staff, other = await staff_of("property", ROLES), await staff_of("property", ROLES)
    row = await duties.task(other.tenant, position="relations_supervisor", duty_code="c_j")
    with pytest.raises(NotFoundException):
        await complete_task(await staff.ctx("mgr"), row.id, note="x")
    assert await _status(other.tenant, row.id) == "open"
