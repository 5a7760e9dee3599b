"""A change of the official holiday schedule recomputes every open deadline it touches, not
only provisional ones: a loaded year corrected, or one day overridden in a year chinesecalendar
knows. Notices still owed move with their deadline; every change is audited; the worklist
marks what moved. Loading refuses conflicting lines with both line numbers, and a year is final
only when asked for and complete."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.audit.tables import AuditEvent
from kefu.complaints import services
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.holidays import services as holidays
from kefu.holidays.tables import HolidayOverride, HolidayYear
from tests.complaints.services.conftest import complaint_data, notices, reload
from tests.complaints.services.test_provisional import FINAL_2027

CORRECTED_2027 = FINAL_2027 + "2027-01-05 off 元旦（更正）\n"


@pytest.fixture
async def year_2027():
    yield
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day >= date(2027, 1, 1))
        await HolidayYear.delete().where(HolidayYear.year == 2027)


@pytest.fixture
async def override_2026():
    """Each test's overrides of 2026 days are removed after it, and the deadlines they moved
    recomputed back (the schedule is platform-wide)."""
    made: list[date] = []
    yield made
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day.is_in(made or [date(2000, 1, 1)]))
    await services.recompute_deadlines(2026, holidays.Loaded(0, False, [], sorted(made), False))


async def _recomputed(desk, complaint_id: int) -> list[dict]:
    async with transaction(desk.tenant.id, write=False):
        return await scoped(AuditEvent, desk.tenant.id, AuditEvent.before, AuditEvent.after).where(
            AuditEvent.object_id == complaint_id, AuditEvent.action == "complaint.deadlines_recomputed"
        ).output(load_json=True)


@pytest.mark.parametrize(("text", "fragment"), [
    ("2027-01-01 off 元旦\n2027-01-01 work", "Lines 1 and 2"),
    ("2027-01-01 off\n\n# a comment\n2027-03-01 work\n2027-01-01 work 调休", "Lines 1 and 5"),
])
def test_conflicting_lines_for_one_date_are_refused_with_both_line_numbers(text, fragment):
    with pytest.raises(FieldError) as refused:
        holidays.parse_schedule(2027, text)
    assert refused.value.field == "schedule"
    assert fragment in refused.value.message % refused.value.variables


def test_the_same_line_twice_is_not_a_conflict_and_final_is_said_in_the_file():
    schedule = holidays.parse_schedule(2027, "2027-01-01 off 元旦\n2027-01-01 off\nfinal\n")
    assert schedule.days == {date(2027, 1, 1): (False, "元旦")} and schedule.final_marked


@pytest.mark.parametrize(("drop", "missing"), [
    ("", []),
    ("春节", ["春节"]),
    ("2027-10-03 off 国庆节", ["2027-10-03"]),
])
def test_a_final_schedule_names_every_statutory_holiday(drop, missing):
    text = "\n".join(line for line in FINAL_2027.splitlines() if not drop or drop not in line)
    assert holidays.missing_holidays(2027, holidays.parse_schedule(2027, text).days) == missing


async def test_correcting_a_final_year_moves_deadlines_that_were_not_provisional(desk, travel, year_2027):
    await holidays.load_year(2027, FINAL_2027)
    travel(date(2026, 12, 28))
    c = await services.register_complaint(desk.agent, complaint_data(received_on="2026-12-28"))
    c = await services.request_materials(desk.agent, c.id, missing="保单复印件")
    # 5 working days after Mon 12-28: 12-29, 12-30, 12-31, (01-01..01-04 off), 01-05, 01-06.
    assert (c.materials_notice_due, c.deadlines_provisional) == (date(2027, 1, 6), False)
    [owed] = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "materials_notice"]
    assert owed["due_on"] == date(2027, 1, 6)

    loaded = await holidays.load_year(2027, CORRECTED_2027)
    assert loaded.changed == [date(2027, 1, 5)] and loaded.final

    c = await reload(desk, c.id)
    assert (c.materials_notice_due, c.deadlines_provisional) == (date(2027, 1, 7), False)
    assert c.deadlines_moved_on == date(2026, 12, 28)
    [owed] = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "materials_notice"]
    assert owed["due_on"] == date(2027, 1, 7)  # the owed notice moved with its deadline
    [event] = await _recomputed(desk, c.id)
    assert (event["before"]["deadlines"][0], event["after"]["deadlines"][0]) == ("2027-01-06", "2027-01-07")

    again = await holidays.load_year(2027, CORRECTED_2027)  # nothing changed: nothing recomputed
    assert again.changed == [] and len(await _recomputed(desk, c.id)) == 1


async def test_an_override_in_a_year_chinesecalendar_knows_moves_open_deadlines(desk, override_2026):
    c = await services.register_complaint(desk.agent, complaint_data(materials_complete=True))
    # Materials complete on Mon 03-02: the acceptance notice 10 working days later, 03-16.
    assert (c.acceptance_notice_due, c.deadlines_provisional) == (date(2026, 3, 16), False)
    closed = await services.register_complaint(desk.agent, complaint_data(materials_complete=True))
    closed = await services.withdraw_complaint(desk.agent, closed.id)

    override_2026.append(date(2026, 3, 10))
    loaded = await holidays.set_day(date(2026, 3, 10), False, "临时调整")
    assert loaded.changed == [date(2026, 3, 10)]

    c = await reload(desk, c.id)
    assert c.acceptance_notice_due == date(2026, 3, 17)
    assert c.deadlines_moved_on == date(2026, 3, 2)
    assert len(await _recomputed(desk, c.id)) == 1
    assert (await reload(desk, closed.id)).acceptance_notice_due == date(2026, 3, 16)  # closed: left alone
    assert await _recomputed(desk, closed.id) == []

    unchanged = await holidays.set_day(date(2026, 3, 10), False, "临时调整")
    assert unchanged.changed == [] and len(await _recomputed(desk, c.id)) == 1
