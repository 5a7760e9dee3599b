"""The survey sweep under a frozen clock (Asia/Shanghai): it creates the half-year round on its
day (the next working day when that is a holiday) and opens it at 09:00, reminds non-responders once, closes the round; running it twice changes
nothing more; a worker killed half-way leaves no half round."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.surveys.policy import schedule as rules
from kefu.surveys.policy.audience import Audience
from kefu.surveys.services import invitations
from kefu.surveys.services import schedule as jobs
from kefu.surveys.tables import SurveyInvitation, SurveyRound
from kefu.workers.registry import JOBS, SWEEPS
from tests import factories
from tests.surveys import factories as survey_factories
from tests.surveys.rounds.factories import customer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI).astimezone(UTC)


@pytest.fixture
async def centre():
    t = await factories.tenant(kind="property", name="半年调查物业 " + factories.unique("c"))
    template = await survey_factories.template(t)
    await customer(t, "业主甲", phone="13800000001")
    await customer(t, "业主乙", phone="13800000002")
    await customer(t, "不接受联系", consent=False)
    with clock.frozen(at(date(2026, 4, 1))):
        await jobs.save_schedule(
            t, None, template_id=template.id, enabled=True,
            rules=rules.ScheduleRules("05-01", "11-01", 14, 7), audience=Audience(kind="all"), open_link=True)
    return t


async def _rounds(t):
    async with transaction(t.id, write=False):
        return await scoped(SurveyRound, t.id).order_by(SurveyRound.id)


async def _notices(t, kind):
    async with transaction(t.id, write=False):
        return await scoped(Notice, t.id).where(Notice.kind == kind).order_by(Notice.id)


async def _sweep(centre, day: date, hour: int = 9, times: int = 1, *, everyone: bool = False):
    """A tick for this centre (sweep_tenant), or the whole job (sweep_all: every tenant the test
    database holds, which is slow in a full run, so only where the job itself is the point)."""
    with clock.frozen(at(day, hour)):
        for _ in range(times):
            await (jobs.sweep_all() if everyone else jobs.sweep_tenant(centre))


def test_the_sweep_is_registered():
    assert "sweep_survey_rounds" in SWEEPS and "sweep_survey_rounds" in JOBS


async def test_nothing_before_the_opening_day(centre):
    await _sweep(centre, date(2026, 4, 30), 23)
    assert await _rounds(centre) == []


async def test_creates_opens_reminds_once_and_closes(centre):
    # 1 May 2026 is Labour Day (off to 5 May): the H1 round waits for the next working day.
    await _sweep(centre, date(2026, 5, 1), 9, everyone=True)
    assert await _rounds(centre) == []
    # 6 May, 00:05: created, to open at 09:00; twice swept = once.
    await _sweep(centre, date(2026, 5, 6), 0, times=2)
    [row] = await _rounds(centre)
    assert (row["status"], row["half_year"]) == ("scheduled", "2026H1")
    assert row["opens_at"] == datetime(2026, 5, 6, 1, tzinfo=UTC)  # 6 May 09:00 in Shanghai
    assert await _notices(centre, "survey_invitation") == []
    await _sweep(centre, date(2026, 5, 6), 9, times=2)
    [row] = await _rounds(centre)
    assert (row["status"], row["invited_count"]) == ("open", 3)
    assert row["open_token"]
    assert len(await _notices(centre, "survey_invitation")) == 2
    # Someone answers; 7 days after opening the two others are reminded — those with a channel.
    async with transaction(centre.id, write=False):
        first = await scoped(SurveyInvitation, centre.id).where(SurveyInvitation.round == row["id"]).order_by(
            SurveyInvitation.id).first()
    async with transaction(centre.id):
        await SurveyInvitation.update({SurveyInvitation.state: "answered"}).where(
            SurveyInvitation.tenant == centre.id, SurveyInvitation.id == first["id"])
    await _sweep(centre, date(2026, 5, 12), 23)
    assert await _notices(centre, "survey_reminder") == []
    await _sweep(centre, date(2026, 5, 13), 9, times=2)
    reminders = await _notices(centre, "survey_reminder")
    assert [n["recipient_name"] for n in reminders] == ["业主乙"]
    assert json.loads(reminders[0]["data"])["closes_on"] == "2026-05-19"
    await _sweep(centre, date(2026, 5, 15))
    assert len(await _notices(centre, "survey_reminder")) == 1  # once
    # 20 May 00:00 Shanghai: the window has passed; closed, and no second H1 round appears.
    await _sweep(centre, date(2026, 5, 20), 0, times=2)
    [row] = await _rounds(centre)
    assert row["status"] == "closed" and row["reminders_sent_at"] is not None


async def test_a_missed_window_makes_no_late_round(centre):
    await _sweep(centre, date(2026, 5, 25))
    assert await _rounds(centre) == []


async def test_a_killed_worker_leaves_no_half_round(centre, monkeypatch):
    async def killed(*args, **kwargs):
        raise RuntimeError("worker killed mid-sweep")

    monkeypatch.setattr(invitations, "owe_notices", killed)
    # 1 November 2026 is a Sunday: the H2 round opens on Monday the 2nd.
    await _sweep(centre, date(2026, 11, 2), everyone=True)  # the failure is logged per tenant
    assert await _rounds(centre) == []
    monkeypatch.undo()
    await _sweep(centre, date(2026, 11, 2), 10)
    [row] = await _rounds(centre)
    assert row["half_year"] == "2026H2" and row["invited_count"] == 3
    assert len(await _notices(centre, "survey_invitation")) == 2


async def test_a_killed_reminder_is_sent_by_the_next_tick(centre, monkeypatch):
    await _sweep(centre, date(2026, 5, 6))

    async def killed(*args, **kwargs):
        raise RuntimeError("worker killed mid-reminder")

    monkeypatch.setattr(invitations, "mark_reminded", killed)
    with pytest.raises(RuntimeError, match="mid-reminder"):
        await _sweep(centre, date(2026, 5, 13))
    assert await _notices(centre, "survey_reminder") == []
    [row] = await _rounds(centre)
    assert row["reminders_sent_at"] is None  # the claim rolled back with the notices
    monkeypatch.undo()
    await _sweep(centre, date(2026, 5, 13), 10)
    assert len(await _notices(centre, "survey_reminder")) == 2


async def test_a_disabled_schedule_does_nothing(centre):
    async with transaction(centre.id):
        from kefu.surveys.tables import SurveySchedule

        await SurveySchedule.update({SurveySchedule.enabled: False}).where(SurveySchedule.tenant == centre.id)
    await _sweep(centre, date(2026, 5, 6))
    assert await _rounds(centre) == []


async def test_scheduled_manual_rounds_open_on_their_day(centre):
    template = await survey_factories.template(centre)
    from kefu.surveys.services import rounds

    with clock.frozen(at(date(2026, 8, 1))):
        row = await rounds.create_round(centre, None, rounds.RoundInput(
            template_id=template.id, title="八月专项调查", audience=Audience(kind="all"),
            opens_at=rules.local_midnight(date(2026, 8, 3), "Asia/Shanghai"),
            closes_at=rules.local_midnight(date(2026, 8, 10), "Asia/Shanghai")))
    await _sweep(centre, date(2026, 8, 2))
    assert (await _rounds(centre))[0]["status"] == "scheduled"
    await _sweep(centre, date(2026, 8, 3), 0)
    [stored] = await _rounds(centre)
    assert stored["id"] == row.id and stored["status"] == "open" and stored["invited_count"] == 3
