"""Deadlines in a year the official schedule does not cover yet are provisional, and are
recomputed once a platform admin loads that year (holidays.services.AFTER_LOAD)."""

from datetime import date

import pytest

from kefu.audit.tables import AuditEvent
from kefu.complaints import services
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.holidays import services as holidays
from kefu.holidays.tables import HolidayOverride, HolidayYear
from tests.complaints.services.conftest import complaint_data, reload

# Hypothetical 2027 schedule (not the State Council's): 元旦 Jan 1-4 off.
SCHEDULE_2027 = """
2027-01-01 off 元旦
2027-01-02 off
2027-01-03 off
2027-01-04 off
"""


@pytest.fixture
async def year_2027():
    yield
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day >= date(2027, 1, 1))
        await HolidayYear.delete().where(HolidayYear.year == 2027)


async def test_provisional_deadlines_are_recomputed_when_the_year_is_loaded(desk, travel, year_2027):
    assert services.recompute_provisional_deadlines in holidays.AFTER_LOAD
    travel(date(2026, 12, 21))
    c = await services.register_complaint(
        desk.agent, complaint_data(received_on="2026-12-20", materials_complete=True)
    )
    c = await services.review_complaint(desk.head, c.id, outcome="accept")
    # Day 15 is Mon 2027-01-04: a working day as far as anyone knows today.
    assert (c.decision_due, c.deadlines_provisional) == (date(2027, 1, 4), True)
    closed = await services.register_complaint(desk.agent, complaint_data(received_on="2026-12-20"))
    closed = await services.withdraw_complaint(desk.agent, closed.id)

    await holidays.load_year(2027, SCHEDULE_2027)

    c = await reload(desk, c.id)
    assert (c.decision_due, c.deadlines_provisional) == (date(2027, 1, 5), False)
    assert (c.next_due, c.next_remind_on) == (date(2027, 1, 5), date(2027, 1, 3))
    assert (await reload(desk, closed.id)).deadlines_provisional is True  # closed: left alone
    async with transaction(desk.tenant.id, write=False):
        events = await scoped(AuditEvent, desk.tenant.id, AuditEvent.actor, AuditEvent.after).where(
            AuditEvent.object_id == c.id, AuditEvent.action == "complaint.deadlines_recomputed"
        ).output(load_json=True)
    assert [e["after"]["deadlines"][2] for e in events] == ["2027-01-05"]
