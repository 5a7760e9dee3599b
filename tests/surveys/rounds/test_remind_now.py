""""Remind now": an open round's non-responders get a survey_reminder notice through the outbox,
each at most once a day (the tenant's day, shared with the scheduled reminder); the counts say
what was queued and who was left out; a closed round is refused; the button is for members who
manage surveys."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kefu.audit.tables import AuditEvent
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.scoping import scoped
from kefu.customers.services import withdraw_consent
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.surveys.policy import rounds as policy
from kefu.surveys.services import remind_now, rounds
from kefu.surveys.tables import SurveyInvitation
from tests import factories
from tests.surveys.rounds.factories import customer, scheduled_round

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(("reminded", "now", "again"), [
    (None, at(date(2026, 6, 2), 10), True),
    (at(date(2026, 6, 2), 0, 1), at(date(2026, 6, 2), 23, 59), False),
    (at(date(2026, 6, 1), 23, 59), at(date(2026, 6, 2), 0, 1), True),  # the tenant's day, not UTC's
    (at(date(2026, 6, 2), 7), at(date(2026, 6, 2), 9), False),  # 23:00 UTC the day before
])
def test_an_invitee_may_be_reminded_once_a_day(reminded, now, again):
    assert policy.may_remind_again(reminded, now, SHANGHAI) is again


def test_only_an_open_round_may_be_reminded_now():
    assert policy.REMIND_NOW in policy.round_actions("open", has_open_link=False, can_manage=True)
    assert policy.REMIND_NOW not in policy.round_actions("open", has_open_link=False, can_manage=False)
    assert policy.REMIND_NOW not in policy.round_actions("scheduled", has_open_link=False, can_manage=True)
    assert policy.refusal(policy.REMIND_NOW, "closed")[0] == "round_not_open"


@pytest.fixture
async def estate():
    t = await factories.tenant(kind="property", name="提醒物业 " + factories.unique("r"))
    await customer(t, "业主甲", phone="13800000001")
    await customer(t, "业主乙", phone="", email="yi@example.cn", channel="email")
    await customer(t, "写信的", channel="letter")
    await customer(t, "已作答", phone="13800000004")
    await customer(t, "退订的", phone="13800000005")
    return t


async def _opened(t):
    with clock.frozen(at(date(2026, 6, 1), 9)):
        row = await scheduled_round(t, title="六月满意度调查")
        await rounds.open_round(t, row.id)
    async with transaction(t.id):
        invites = {i["name"]: i for i in await scoped(SurveyInvitation, t.id).where(SurveyInvitation.round == row.id)}
        await SurveyInvitation.update({SurveyInvitation.state: "answered"}).where(
            SurveyInvitation.tenant == t.id, SurveyInvitation.id == invites["已作答"]["id"])
    await withdraw_consent(t.id, invites["退订的"]["customer_id"], via="survey_link")
    return row


async def _reminders(t):
    async with transaction(t.id, write=False):
        return await scoped(Notice, t.id).where(Notice.kind == "survey_reminder").order_by(Notice.id)


async def test_remind_now_queues_one_reminder_per_reachable_non_responder(estate):
    row = await _opened(estate)
    with clock.frozen(at(date(2026, 6, 3), 10)):
        done = await remind_now.remind_now(estate, row.id, actor_id=None)
    assert done == remind_now.Reminded(queued=2, reminded_today=0, no_channel=1, withdrew=1)
    notices = await _reminders(estate)
    assert sorted(n["recipient_name"] for n in notices) == ["业主乙", "业主甲"]
    assert {n["unique_key"].rsplit(":", 1)[1] for n in notices} == {"2026-06-03"}
    assert all("answer_url" in str(n["data"]) for n in notices)
    async with transaction(estate.id, write=False):
        audit = await scoped(AuditEvent, estate.id).where(AuditEvent.action == "survey_round.remind_now")
    assert len(audit) == 1


async def test_twice_the_same_day_reminds_nobody_and_says_so(estate):
    row = await _opened(estate)
    with clock.frozen(at(date(2026, 6, 3), 10)):
        await remind_now.remind_now(estate, row.id, actor_id=None)
    with clock.frozen(at(date(2026, 6, 3), 23, 50)):
        again = await remind_now.remind_now(estate, row.id, actor_id=None)
    assert again == remind_now.Reminded(queued=0, reminded_today=2, no_channel=1, withdrew=1)
    assert len(await _reminders(estate)) == 2
    # The next day (Shanghai), once more.
    with clock.frozen(at(date(2026, 6, 4), 0, 10)):
        next_day = await remind_now.remind_now(estate, row.id, actor_id=None)
    assert next_day.queued == 2 and len(await _reminders(estate)) == 4


async def test_the_scheduled_reminder_skips_who_was_reminded_now(estate):
    row = await _opened(estate)
    with clock.frozen(at(date(2026, 6, 3), 10)):
        await remind_now.remind_now(estate, row.id, actor_id=None)
        assert await rounds.remind_round(estate, row.id) == 0
    assert len(await _reminders(estate)) == 2


async def test_a_closed_round_is_refused_and_nothing_is_queued(estate):
    row = await _opened(estate)
    await rounds.close_round(estate, row.id)
    with pytest.raises(Refused):
        await remind_now.remind_now(estate, row.id, actor_id=None)
    assert await _reminders(estate) == []


async def test_the_button_queues_and_says_how_many(centre_pages):
    t = centre_pages.tenant
    await customer(t, "业主甲", phone="13800000001")
    await customer(t, "写信的", channel="letter")
    row = await scheduled_round(t, title="按钮提醒")
    await rounds.open_round(t, row.id)
    me = await centre_pages.client("supervisor")
    url = centre_pages.url(f"/rounds/{row.id}")
    assert 'id="remind-button"' in (await me.get(url)).text
    response = await me.post(url + "/remind")
    assert response.status_code == 303
    page = await me.get(response.headers["location"])
    assert "已为 1 位未作答者排队发送提醒。" in page.text and "1 人没有可用于提醒的手机号或邮箱。" in page.text
    again = await me.get((await me.post(url + "/remind")).headers["location"])
    assert "没有排队发送任何提醒。" in again.text and "1 人今天已提醒过" in again.text
    desk = await centre_pages.client("desk")
    assert (await desk.post(url + "/remind")).status_code == 403
    assert 'id="remind-button"' not in (await desk.get(url)).text
    assert len(await _reminders(t)) == 1
