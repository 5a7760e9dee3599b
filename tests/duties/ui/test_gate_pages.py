"""The training gate on the pages and the API: an untrained agent is refused a complaint with
the course named and nothing saved, and the manager's training page shows who is not cleared
and since when."""

from __future__ import annotations

from datetime import date

from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped_count
from kefu.db import transaction
from tests import factories
from tests.complaints.ui.support import api_data, form

ROLES = {"agent": "agent", "head": "cs_head"}


async def _count(tenant) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(Complaint, tenant.id)


async def test_an_untrained_agent_is_refused_on_the_form_and_the_api(make_staff, client, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    staff = await make_staff("insurance", ROLES, locale="zh_CN", cleared=False, fresh=True)
    agent = await staff.client("agent")
    page = await agent.post(staff.url("/complaints/"), form())
    assert page.status_code == 422
    assert "客服岗前培训" in page.text and "您尚不能办理此项工作" in page.text
    token = await factories.api_token(staff.tenant, staff.users["agent"])
    api = await client.http.post(f"/api/t/{staff.slug}/complaints/", json=api_data(),
                                 headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 409 and api.json()["error"]["code"] == "training_missing"
    assert await _count(staff.tenant) == 0


async def test_the_manager_sees_who_is_not_cleared_since_when(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    staff = await make_staff("insurance", ROLES, locale="zh_CN", cleared=False)
    head = await staff.client("head")
    page = await head.get(staff.url("/duties/training"))
    agent_id = staff.users["agent"].id
    row = page.text.split(f'id="clearance-{agent_id}"')[1].split("</tr>")[0]
    assert "自 2026年3月2日 起未获准上岗" in row  # never trained: since they started
    assert "客服岗前培训" in row
    # A pass that expired: not cleared since the day after it ran out.
    await head.post(staff.url("/duties/training"), {"user_id": str(agent_id), "course": "pre_job",
                                                    "session_on": "2025-02-01", "result": "passed"})
    page = await head.get(staff.url("/duties/training"))
    row = page.text.split(f'id="clearance-{agent_id}"')[1].split("</tr>")[0]
    assert "自 2026年2月1日 起未获准上岗" in row
