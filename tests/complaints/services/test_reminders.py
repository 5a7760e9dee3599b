"""The reminder sweep: every pending deadline is reminded before (in working days) and on the
day, and escalated each working day while overdue to the reviewers and the senior positions —
each reminder once, however often the sweep runs, in a few statements per batch."""

import asyncio
import inspect
import re
from datetime import date

import pytest

from kefu.complaints import services
from kefu.complaints.tables import ComplaintReminder
from kefu.core.scoping import scoped
from kefu.db import current_engine, transaction
from kefu.notifications.tables import Notice
from tests import factories
from tests.complaints.services.conftest import complaint_data, investigating, reload, under_review


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


async def sweep_on(desk, travel, day: date, times: int = 1) -> None:
    travel(day)
    for _ in range(times):
        await services.remind_tenant(desk.tenant)


async def test_each_reminder_goes_once_and_overdue_escalates_each_working_day(desk, travel):
    c = await investigating(desk)  # decision due Tue 2026-03-17; 2 working days before: Fri 03-13
    handler, head, ops = desk.handler.user.email, desk.head.user.email, desk.ops.user.email
    await sweep_on(desk, travel, date(2026, 3, 12))
    assert await reminders(desk.tenant.id, c.id) == []
    for day in (date(2026, 3, 13), date(2026, 3, 17), date(2026, 3, 18), date(2026, 3, 19),
                date(2026, 3, 21), date(2026, 3, 23)):
        await sweep_on(desk, travel, day, times=2)  # the sweep runs again: nothing more
    due = date(2026, 3, 17)
    # Saturday 03-21 is no working day: no escalation that day.
    assert await reminders(desk.tenant.id, c.id) == [
        ("decision", due, "before"), ("decision", due, "on_day"), ("decision", due, "overdue"),
        ("decision", due, "overdue"), ("decision", due, "overdue"),
    ]
    # Overdue: the handler, the reviewers and the pack's senior position (ops_head) hear of it.
    sent = await reminder_notices(desk.tenant.id, c.id)
    assert sent[:2] == [(handler, "before"), (handler, "on_day")]
    assert sorted(sent[2:5]) == sorted([(handler, "overdue"), (head, "overdue"), (ops, "overdue")])
    assert len(sent) == 2 + 3 * 3
    assert desk.qa.user.email not in {email for email, _ in sent}
    assert (await reload(desk, c.id)).next_remind_on == date(2026, 3, 24)


async def test_a_decided_complaint_is_reminded_no_more(desk, travel):
    c = await investigating(desk)
    await services.record_decision(desk.handler, c.id, decision="not_upheld", text="经核实")
    assert (await reload(desk, c.id)).next_remind_on is None


async def test_a_late_sweep_sends_only_the_current_stage(desk, travel):
    c = await investigating(desk)
    await sweep_on(desk, travel, date(2026, 3, 20))
    assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "overdue")]


async def test_concurrent_sweeps_claim_each_reminder_once(desk, travel):
    made = [await investigating(desk) for _ in range(3)]
    travel(date(2026, 3, 17))
    await asyncio.gather(*[services.remind_tenant(desk.tenant) for _ in range(3)])
    for c in made:
        assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "on_day")]
        assert len(await reminder_notices(desk.tenant.id, c.id)) == 1


async def test_while_waiting_for_materials_the_deadlines_are_still_watched(desk, travel):
    c = await services.register_complaint(desk.agent, complaint_data())  # notice due Mon 03-09
    assert (c.next_due_kind, c.next_due) == ("materials_notice", date(2026, 3, 9))
    await sweep_on(desk, travel, date(2026, 3, 5))  # Thu, 2 working days before
    assert await reminders(desk.tenant.id, c.id) == [
        ("materials_notice", date(2026, 3, 9), "before")
    ]
    assert await reminder_notices(desk.tenant.id, c.id) == [(desk.agent.user.email, "before")]
    # Once the notice is owed, the decision (15 days from receipt) is still watched.
    c = await services.request_materials(desk.agent, c.id, missing="身份证复印件")
    assert (c.status, c.next_due_kind, c.next_due) == (
        "materials_incomplete", "decision", date(2026, 3, 17))
    await sweep_on(desk, travel, date(2026, 3, 18))
    assert (await reminders(desk.tenant.id, c.id))[-1] == ("decision", date(2026, 3, 17), "overdue")


async def test_under_review_both_the_acceptance_notice_and_the_decision_are_reminded(desk, travel):
    c = await under_review(desk)  # acceptance notice due Mon 03-16, decision Tue 03-17
    assert (c.next_due_kind, c.next_due) == ("acceptance_notice", date(2026, 3, 16))
    await sweep_on(desk, travel, date(2026, 3, 13))
    assert await reminders(desk.tenant.id, c.id) == [
        ("acceptance_notice", date(2026, 3, 16), "before"), ("decision", date(2026, 3, 17), "before"),
    ]
    await sweep_on(desk, travel, date(2026, 3, 17))
    assert (await reminders(desk.tenant.id, c.id))[2:] == [
        ("acceptance_notice", date(2026, 3, 16), "overdue"), ("decision", date(2026, 3, 17), "on_day"),
    ]


async def test_the_regulators_report_is_a_deadline_until_it_is_sent(desk, travel):
    c = await services.register_complaint(desk.agent, complaint_data(
        channel="regulator", materials_complete=True,
        regulator={"unit": "上海监管局", "reference": "沪金监转〔2026〕1号", "report_due": "2026-03-06"},
    ))
    assert (c.next_due_kind, c.next_due) == ("regulator_report", date(2026, 3, 6))
    await sweep_on(desk, travel, date(2026, 3, 9))
    assert await reminders(desk.tenant.id, c.id) == [
        ("regulator_report", date(2026, 3, 6), "overdue")
    ]
    c = await services.record_regulator_report(desk.head, c.id)
    assert c.next_due_kind == "acceptance_notice"


async def test_a_paused_complaint_stays_watched_and_its_handler_is_reminded_to_resume(desk, travel):
    c = await investigating(desk)
    travel(date(2026, 3, 5))
    c = await services.pause_for_appraisal(desk.handler, c.id, reason="委托第三方鉴定")
    # Five working days after the pause began: Thu 03-12.
    assert (c.next_due_kind, c.next_due) == ("appraisal_pause", date(2026, 3, 12))
    await sweep_on(desk, travel, date(2026, 3, 17))  # the paused decision date is not reminded
    assert await reminders(desk.tenant.id, c.id) == [
        ("appraisal_pause", date(2026, 3, 12), "resume")
    ]
    assert await reminder_notices(desk.tenant.id, c.id) == [(desk.handler.user.email, "resume")]
    assert (await reload(desk, c.id)).next_remind_on == date(2026, 3, 24)


async def test_a_moved_deadline_gets_its_own_reminders(desk, travel):
    c = await investigating(desk)
    await sweep_on(desk, travel, date(2026, 3, 13))
    c = await services.grant_extension(desk.head, c.id, reason="复杂")
    assert c.next_due == date(2026, 4, 1)
    await sweep_on(desk, travel, date(2026, 3, 30))
    assert [r[1:] for r in await reminders(desk.tenant.id, c.id)] == [
        (date(2026, 3, 17), "before"), (date(2026, 4, 1), "before")
    ]


async def test_a_batch_writes_one_statement_per_kind(desk, travel, monkeypatch):
    made = [await investigating(desk) for _ in range(6)]
    engine = current_engine()
    sent: list[str] = []
    original = type(engine).run_querystring

    async def counting(self, querystring, in_pool=True):
        sql = querystring.compile_string(engine_type=self.engine_type)[0]
        found = re.match(r'\s*(INSERT\s+INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
        if found:
            sent.append(f"{found.group(1).split()[0].upper()} {found.group(2)}")
        return await original(self, querystring, in_pool)

    monkeypatch.setattr(type(engine), "run_querystring", counting)
    await sweep_on(desk, travel, date(2026, 3, 18))  # 6 complaints x 3 people overdue
    # One claim INSERT, one UPDATE of the next days, one notice INSERT: not four per reminder.
    # (Only the sweep's own writes: a notice being delivered meanwhile updates `notice`.)
    mine = [s for s in sent if s in ("INSERT complaint_reminder", "UPDATE complaint", "INSERT notice")]
    assert sorted(mine) == ["INSERT complaint_reminder", "INSERT notice", "UPDATE complaint"], sent
    for c in made:
        assert len(await reminder_notices(desk.tenant.id, c.id)) == 3


async def test_the_sweep_is_a_registered_job(desk, travel):
    import kefu.complaints.jobs as jobs
    from kefu.workers.registry import JOBS, SWEEPS

    assert "sweep_complaint_reminders" in SWEEPS
    # The registry wraps it (the deactivated-tenant guard, the sweep's last-run record).
    assert inspect.unwrap(JOBS["sweep_complaint_reminders"]) is jobs.sweep_complaint_reminders
    c = await investigating(desk)
    travel(date(2026, 3, 17))
    await jobs.sweep_complaint_reminders()  # every tenant, each with its own RLS scope
    await jobs.sweep_complaint_reminders()
    assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "on_day")]


async def test_with_nothing_due_the_sweep_is_one_call_and_opens_no_transaction(desk, travel, monkeypatch):
    from kefu.complaints.services import reminders as sweep
    from kefu.db import is_postgres

    if not is_postgres():
        pytest.skip("SQLite has no such call: the batch's own query finds out (the tests above)")
    c = await investigating(desk)  # first reminder Fri 2026-03-13
    fresh = await factories.tenant(kind="insurance", name=f"无投诉 {factories.unique('t')}")
    travel(date(2026, 3, 13))
    assert await sweep.anything_due(desk.tenant.id, date(2026, 3, 13))
    assert not await sweep.anything_due(desk.tenant.id, date(2026, 3, 12))
    assert not await sweep.anything_due(fresh.id, date(2026, 3, 13))  # another tenant's due rows are not its own

    def no_transaction(*args, **kwargs):
        raise AssertionError("the nothing-due sweep opened a transaction")

    with monkeypatch.context() as m:
        m.setattr(sweep, "transaction", no_transaction)
        travel(date(2026, 3, 12))
        assert await services.remind_tenant(desk.tenant) == 0
    await sweep_on(desk, travel, date(2026, 3, 13))
    assert await reminders(desk.tenant.id, c.id) == [("decision", date(2026, 3, 17), "before")]
