"""C.d: a closed round counts for its half-year only with at least one valid response, and every
past half-year since the tenant started is checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kefu.core import clock
from kefu.db import transaction
from kefu.surveys.queries import dashboard
from kefu.tenancy.tables import Tenant
from tests import factories
from tests.surveys import factories as sf


async def _closed_round(tenant, half_year: str, *, valid: bool):
    row = await sf.survey_round(tenant, status="closed", half_year=half_year)
    await sf.response(tenant, row, is_valid=valid, invalid_reason="" if valid else "too_fast")
    return row


async def test_every_past_half_without_a_valid_closed_round_is_missed():
    tenant = await factories.tenant(kind="property")
    async with transaction(tenant.id):
        await Tenant.update({Tenant.created_at: datetime(2025, 3, 1, tzinfo=UTC)}).where(Tenant.id == tenant.id)
    tenant.created_at = datetime(2025, 3, 1, tzinfo=UTC)
    with clock.frozen(datetime(2026, 7, 2, 2, tzinfo=UTC)):
        await _closed_round(tenant, "2025H2", valid=False)  # closed, but nobody's answer counts
        await _closed_round(tenant, "2026H1", valid=True)
        async with transaction(tenant.id, write=False):
            status = await dashboard.half_year_status(tenant)
    assert status.missed_all == ["2025H1", "2025H2"] and status.missed == "2025H2"


@pytest.fixture
def enqueued_jobs(monkeypatch):
    calls: list[tuple] = []

    async def record(name, *args):
        calls.append((name, *args))

    monkeypatch.setattr("kefu.workers.registry.enqueue", record)
    return calls


async def test_a_missed_half_notifies_the_supervisor_and_the_manager_once(enqueued_jobs):
    from kefu.core.scoping import scoped
    from kefu.notifications.tables import Notice
    from kefu.surveys.services.missed import notify_missed
    from tests.fixtures import staff_of

    staff = await staff_of("property", {"manager": "manager", "supervisor": "relations_supervisor",
                                        "desk": "front_desk"})
    tenant = staff.tenant
    async with transaction(tenant.id):
        await Tenant.update({Tenant.created_at: datetime(2025, 9, 1, tzinfo=UTC)}).where(Tenant.id == tenant.id)
    tenant.created_at = datetime(2025, 9, 1, tzinfo=UTC)
    with clock.frozen(datetime(2026, 7, 2, 2, tzinfo=UTC)):
        first = await notify_missed(tenant)
        assert await notify_missed(tenant) == []  # checked today already
        assert await notify_missed(tenant, force=True) == []  # owed once per half and member
        async with transaction(tenant.id, write=False):
            rows = await scoped(Notice, tenant.id, Notice.recipient_email, Notice.unique_key, Notice.data).where(
                Notice.kind == "survey_missed").output(load_json=True)
    assert len(first) == 4  # 2025H2 and 2026H1, to two members each
    emails = {r["recipient_email"] for r in rows}
    assert emails == {staff.users["manager"].email, staff.users["supervisor"].email}
    assert {r["data"]["half_year_code"] for r in rows} == {"2025H2", "2026H1"}
    assert [j for j in enqueued_jobs if j[0] == "deliver_notice"]  # nudged through the outbox
