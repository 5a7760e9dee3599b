"""The reminder sweep: before each deadline, on the day, and escalated when overdue — each
reminder once, however often the sweep runs."""

import asyncio
from datetime import date

from kefu.complaints import services
from kefu.complaints.tables import ComplaintReminder
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.complaints.services.conftest import complaint_data, investigating, reload


async def reminders(tenant_id: int, complaint_id: int) -> list[tuple]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(ComplaintReminder, tenant_id, ComplaintReminder.kind,
                            ComplaintReminder.due_on, ComplaintReminder.stage).where(
            ComplaintReminder.complaint == complaint_id
        ).order_by(ComplaintReminder.id)
    return [(r["kind"], r["due_on"], r["stage"]) for r in rows]


async def reminder_notices(tenant_id: int, complaint_id: int) -> list[tuple]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(Notice, tenant_id, Notice.recipient_email, Notice.data).where(
            Notice.subject_id == complaint_id, Notice.kind == "deadline_reminder"
        ).order_by(Notice.id).output(load_json=True)
    return [(r["recipient_email"], r["data"]["stage"]) for r in rows]


async def test_each_reminder_goes_once_and_overdue_escalates(desk, travel):
    c = await investigating(desk)  # decision due Tue 2026-03-17; reminders from 03-15
    handler, head = desk.handler.user.email, desk.head.user.email
    travel(date(2026, 3, 14))
    await services.remind_tenant(desk.tenant)
    assert await reminders(desk.tenant.id, c.id) == []
    for day, stage in ((date(2026, 3, 15), "before"), (date(2026, 3, 17), "on_day"),
                       (date(2026, 3, 18), "overdue")):
        travel(day)
        await services.remind_tenant(desk.tenant)
        await services.remind_tenant(desk.tenant)  # the sweep runs again: nothing more
        assert (await reminders(desk.tenant.id, c.id))[-1][2] == stage
    assert await reminders(desk.tenant.id, c.id) == [
        ("decision", date(2026, 3, 17), "before"),
        ("decision", date(2026, 3, 17), "on_day"),
        ("decision", date(2026, 3, 17), "overdue"),
    ]
    # Overdue: the handler and the supervisors (complaints.review holders) hear of it.
    assert await reminder_notices(desk.tenant.id, c.id) == [
        (handler, "before"), (handler, "on_day"), (handler, "overdue"), (head, "overdue"),
    ]
    assert (await reload(desk, c.id)).next_remind_on is None  # nothing more to remind


async def test_a_late_sweep_sends_only_the_current_stage(desk, travel):
    c = await investigating(desk)
    travel(date(2026, 3, 20))
    await services.remind_tenant(desk.tenant)
    assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "overdue")]


async def test_concurrent_sweeps_claim_each_reminder_once(desk, travel):
    made = [await investigating(desk) for _ in range(3)]
    travel(date(2026, 3, 17))
    await asyncio.gather(*[services.remind_tenant(desk.tenant) for _ in range(3)])
    for c in made:
        assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "on_day")]
        assert len(await reminder_notices(desk.tenant.id, c.id)) == 1


async def test_the_materials_notice_deadline_reminds_whoever_registered_it(desk, travel):
    c = await services.register_complaint(desk.agent, complaint_data())  # due 03-09
    travel(date(2026, 3, 7))
    await services.remind_tenant(desk.tenant)
    assert await reminders(desk.tenant.id, c.id) == [
        ("materials_notice", date(2026, 3, 9), "before")
    ]
    assert await reminder_notices(desk.tenant.id, c.id) == [(desk.agent.user.email, "before")]
    # Once the notice is owed, that deadline is no longer watched.
    c = await services.request_materials(desk.agent, c.id, missing="身份证复印件")
    assert (c.next_due, c.next_remind_on) == (None, None)


async def test_a_moved_deadline_gets_its_own_reminders(desk, travel):
    c = await investigating(desk)
    travel(date(2026, 3, 15))
    await services.remind_tenant(desk.tenant)
    c = await services.grant_extension(desk.head, c.id, reason="复杂")
    assert (c.next_due, c.next_remind_on) == (date(2026, 4, 1), date(2026, 3, 30))
    travel(date(2026, 3, 30))
    await services.remind_tenant(desk.tenant)
    assert [r[1:] for r in await reminders(desk.tenant.id, c.id)] == [
        (date(2026, 3, 17), "before"), (date(2026, 4, 1), "before")
    ]


async def test_the_sweep_is_a_registered_job(desk, travel):
    import kefu.complaints.jobs as jobs
    from kefu.workers.registry import JOBS, SWEEPS

    assert "sweep_complaint_reminders" in SWEEPS
    assert JOBS["sweep_complaint_reminders"] is jobs.sweep_complaint_reminders
    c = await investigating(desk)
    travel(date(2026, 3, 17))
    await jobs.sweep_complaint_reminders()  # every tenant, each with its own RLS scope
    await jobs.sweep_complaint_reminders()
    assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "on_day")]
