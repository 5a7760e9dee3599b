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

# Hypothetical 2027 schedule (not the State Council's): 元旦 Jan 1-4 off. With `final` and every
# statutory holiday named it is the year's final schedule; without, the year stays provisional.
SCHEDULE_2027 = """
2027-01-01 off 元旦
2027-01-02 off
2027-01-03 off
2027-01-04 off
"""
FINAL_2027 = SCHEDULE_2027 + """
final
2027-02-06 off 春节
2027-02-07 off 春节
2027-02-08 off 春节
2027-02-09 off 春节
2027-04-05 off 清明节
2027-05-01 off 劳动节
2027-05-02 off 劳动节
2027-06-09 off 端午节
2027-09-15 off 中秋节
2027-10-01 off 国庆节
2027-10-02 off 国庆节
2027-10-03 off 国庆节
"""


@pytest.fixture
async def year_2027():
    yield
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day >= date(2027, 1, 1))
        await HolidayYear.delete().where(HolidayYear.year == 2027)


async def test_provisional_deadlines_are_recomputed_when_the_year_is_loaded(desk, travel, year_2027):
    assert services.recompute_deadlines in holidays.AFTER_LOAD
    travel(date(2026, 12, 21))
    c = await services.register_complaint(
        desk.agent, complaint_data(received_on="2026-12-20", materials_complete=True)
    )
    c = await services.review_complaint(desk.head, c.id, outcome="accept")
    # Day 15 is Mon 2027-01-04: a working day as far as anyone knows today.
    assert (c.decision_due, c.deadlines_provisional) == (date(2027, 1, 4), True)
    closed = await services.register_complaint(desk.agent, complaint_data(received_on="2026-12-20"))
    closed = await services.withdraw_complaint(desk.agent, closed.id)

    loaded = await holidays.load_year(2027, SCHEDULE_2027, final=True)  # asked, but incomplete
    assert (loaded.final, "春节" in loaded.missing) == (False, True)
    c = await reload(desk, c.id)
    assert (c.decision_due, c.deadlines_provisional) == (date(2027, 1, 5), True)

    loaded = await holidays.load_year(2027, FINAL_2027)
    assert (loaded.final, loaded.missing, loaded.final_changed) == (True, [], True)
    c = await reload(desk, c.id)
    assert (c.decision_due, c.deadlines_provisional) == (date(2027, 1, 5), False)
    # Reminded two working days before, counted back over the New Year holiday (01-01..01-04).
    assert (c.next_due, c.next_remind_on) == (date(2027, 1, 5), date(2026, 12, 30))
    assert (await reload(desk, closed.id)).deadlines_provisional is True  # closed: left alone
    async with transaction(desk.tenant.id, write=False):
        events = await scoped(AuditEvent, desk.tenant.id, AuditEvent.actor, AuditEvent.after).where(
            AuditEvent.object_id == c.id, AuditEvent.action == "complaint.deadlines_recomputed"
        ).output(load_json=True)
    assert [(e["after"]["deadlines"][2], e["after"]["provisional"]) for e in events] == [
        ("2027-01-05", True), ("2027-01-05", False)]
