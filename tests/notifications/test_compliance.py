from datetime import UTC, date, datetime

from kefu.core import clock
from kefu.db import transaction
from kefu.notifications import delivery, services
from kefu.notifications.services import ComplianceRow
from tests import factories as platform
from tests.notifications.factories import owe

SHANGHAI_EVENING = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)  # 23:30 on 12-05 in Shanghai
SHANGHAI_AFTER_MIDNIGHT = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)  # 00:30 on 12-06 in Shanghai


async def _sent_at(tenant, at: datetime, *, kind: str, due_on: date, subject_id: int = 1) -> int:
    with clock.frozen(at):
        notice_id = await owe(tenant, channel="sms", kind=kind, due_on=due_on, subject_id=subject_id)
        assert await delivery.deliver(tenant.id, notice_id) == "sent"
    return notice_id


async def _open(tenant, *, kind: str, due_on: date, subject_id: int = 1) -> int:
    with clock.frozen(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)):
        return await owe(tenant, channel="sms", kind=kind, due_on=due_on, subject_id=subject_id)


async def test_on_time_means_sent_by_the_due_date_in_the_tenant_time_zone(accepting_sms):
    tenant = await platform.tenant()
    evening = await _sent_at(tenant, SHANGHAI_EVENING, kind="materials_notice", due_on=date(2026, 12, 5), subject_id=7)
    late = await _sent_at(tenant, SHANGHAI_AFTER_MIDNIGHT, kind="materials_notice", due_on=date(2026, 12, 5), subject_id=7)
    still_open = await _open(tenant, kind="acceptance_notice", due_on=date(2026, 12, 20), subject_id=7)

    with clock.frozen(datetime(2026, 12, 15, 2, 0, tzinfo=UTC)):
        async with transaction(tenant.id, write=False):
            views = {v.id: v for v in await services.notices_for(tenant.id, "complaint", 7)}

    assert views[evening].on_time is True and views[evening].sent_on == date(2026, 12, 5)
    assert views[late].on_time is False and views[late].sent_on == date(2026, 12, 6)
    assert views[still_open].on_time is None and views[still_open].overdue is False
    assert views[still_open].channel == "sms" and views[still_open].due_on == date(2026, 12, 20)


async def test_compliance_counts_owed_on_time_late_open_and_overdue_per_kind(accepting_sms):
    tenant = await platform.tenant()
    # acceptance notices due in December: on time, late, open (due later), overdue (never sent)
    await _sent_at(tenant, datetime(2026, 12, 9, 2, 0, tzinfo=UTC), kind="acceptance_notice", due_on=date(2026, 12, 10))
    await _sent_at(tenant, datetime(2026, 12, 12, 2, 0, tzinfo=UTC), kind="acceptance_notice", due_on=date(2026, 12, 10))
    await _open(tenant, kind="acceptance_notice", due_on=date(2026, 12, 20))
    await _open(tenant, kind="acceptance_notice", due_on=date(2026, 12, 11))
    # outside the period, or with no legal due date: not counted
    await _open(tenant, kind="acceptance_notice", due_on=date(2027, 1, 5))
    await _open(tenant, kind="acceptance_notice", due_on=None)
    # materials notices: one on time at the last minute in Shanghai, one late by half an hour
    await _sent_at(tenant, SHANGHAI_EVENING, kind="materials_notice", due_on=date(2026, 12, 5))
    await _sent_at(tenant, SHANGHAI_AFTER_MIDNIGHT, kind="materials_notice", due_on=date(2026, 12, 5))
    # another tenant's notices never count
    other = await platform.tenant()
    await _open(other, kind="acceptance_notice", due_on=date(2026, 12, 11))

    with clock.frozen(datetime(2026, 12, 15, 2, 0, tzinfo=UTC)):
        async with transaction(tenant.id, write=False):
            rows = await services.compliance(
                tenant.id, ["acceptance_notice", "materials_notice", "decision_notice"],
                date(2026, 12, 1), date(2026, 12, 31),
            )

    assert rows == [
        ComplianceRow(kind="acceptance_notice", owed=4, on_time=1, late=1, open=1, overdue=1),
        ComplianceRow(kind="materials_notice", owed=2, on_time=1, late=1, open=0, overdue=0),
        ComplianceRow(kind="decision_notice", owed=0, on_time=0, late=0, open=0, overdue=0),
    ]


async def test_a_letter_counts_as_sent_on_the_day_it_was_posted(as_alice, cast):
    with clock.frozen(datetime(2026, 11, 2, 1, 0, tzinfo=UTC)):
        notice_id = await owe(cast.tenant_a, channel="letter", due_on=date(2026, 11, 4), subject_id=99)
        await delivery.deliver(cast.tenant_a.id, notice_id)
    with clock.frozen(datetime(2026, 11, 9, 1, 0, tzinfo=UTC)):
        await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/{notice_id}/posted", {"posted_on": "2026-11-05"})
        async with transaction(cast.tenant_a.id, write=False):
            [view] = [v for v in await services.notices_for(cast.tenant_a.id, "complaint", 99) if v.id == notice_id]
    assert view.state == "sent" and view.sent_on == date(2026, 11, 5) and view.on_time is False
