"""`kefu demo` gives each demo tenant a living complaints desk: every state of the workflow,
received days before today, so what is due, soon or overdue moves with the day it is loaded;
loading twice adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kefu.complaints.demo import load_demo
from kefu.complaints.policy import STATUSES
from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.fixtures import staff_of

ROLES = {"insurance": {"admin": "admin", "head": "cs_head", "agent": "agent"},
         "property": {"admin": "admin", "head": "manager", "desk": "front_desk"}}


async def _rows(tenant) -> list[dict]:
    async with transaction(tenant.id, write=False):
        return await scoped(Complaint, tenant.id, Complaint.status, Complaint.received_on, Complaint.next_due,
                            Complaint.paused_since, Complaint.extensions_granted, Complaint.channel,
                            Complaint.regulator_report_due)


@pytest.mark.parametrize("kind", ["insurance", "property"])
async def test_every_state_with_dates_relative_to_today(kind, frozen_clock, caplog):
    frozen_clock.travel(date(2026, 6, 15))
    staff = await staff_of(kind, ROLES[kind], fresh=True)
    made = await load_demo(staff.tenant)
    assert not [r for r in caplog.records if "refused" in r.getMessage()]  # every step went through
    rows = await _rows(staff.tenant)
    assert made == len(rows) >= 14
    assert set(STATUSES) <= {r["status"] for r in rows}, {r["status"] for r in rows}
    today = date(2026, 6, 15)
    assert max(r["received_on"] for r in rows) == today
    assert any(r["next_due"] and r["next_due"] < today for r in rows)  # overdue
    assert any(r["next_due"] and r["next_due"] >= today for r in rows)  # still to come
    assert any(r["paused_since"] for r in rows) and any(r["extensions_granted"] for r in rows)
    assert any(r["regulator_report_due"] == today + timedelta(days=3) for r in rows)
    assert await load_demo(staff.tenant) == 0 and len(await _rows(staff.tenant)) == len(rows)
