"""Notices and survey invitations reach customers only inside the tenant's sending hours
(default 08:00-21:00 in its time zone); outside them they wait for the window to open."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kefu.core import clock
from kefu.db import transaction
from kefu.notifications import delivery, services
from kefu.notifications.policy import next_send_time
from kefu.notifications.services import Recipient
from tests import factories as platform
from tests.fixtures import context
from tests.notifications.factories import owe
from tests.notifications.support import notice_row

SH = ZoneInfo("Asia/Shanghai")


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SH).astimezone(UTC)


@pytest.mark.parametrize(("now", "send_from", "send_until", "expected"), [
    (sh(5, 10), 480, 1260, sh(5, 10)),  # inside: now
    (sh(5, 8), 480, 1260, sh(5, 8)),  # the first minute is inside
    (sh(5, 7, 59), 480, 1260, sh(5, 8)),  # early morning: today at 08:00
    (sh(5, 21), 480, 1260, sh(6, 8)),  # 21:00 is already outside: tomorrow at 08:00
    (sh(5, 23, 30), 480, 1260, sh(6, 8)),
    (sh(5, 0, 10), 480, 1260, sh(5, 8)),  # after midnight: the same day at 08:00
    (sh(31, 22), 480, 1260, datetime(2027, 1, 1, 8, tzinfo=SH).astimezone(UTC)),  # over the year's end
    (sh(5, 3), 0, 0, sh(5, 3)),  # equal bounds: no quiet hours
    (sh(5, 23), 1320, 360, sh(5, 23)),  # a window across midnight (22:00-06:00): inside
    (sh(5, 12), 1320, 360, sh(5, 22)),  # outside it: tonight at 22:00
])
def test_next_send_time(now, send_from, send_until, expected):
    assert next_send_time(now, SH, send_from, send_until) == expected


async def test_an_sms_owed_at_night_waits_for_the_morning_without_using_an_attempt(quiet_hours, accepting_sms):
    tenant = await platform.tenant()
    with clock.frozen(sh(5, 22, 30)):
        notice_id = await owe(tenant, channel="sms")
        assert await delivery.deliver(tenant.id, notice_id) is None
        assert await delivery.due_ids(tenant.id) == []
    row = await notice_row(tenant, notice_id)
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 0, sh(6, 8))
    assert accepting_sms == []
    with clock.frozen(sh(6, 8, 1)):
        assert await delivery.due_ids(tenant.id) == [notice_id]
        assert await delivery.deliver(tenant.id, notice_id) == "sent"
    assert len(accepting_sms) == 1


async def test_a_survey_invitation_waits_too_but_staff_notices_and_letters_do_not(quiet_hours, smtp):
    tenant = await platform.tenant()
    with clock.frozen(sh(5, 23)):
        invitation = await owe(tenant, channel="email", kind="survey_invitation")
        staff = await owe(tenant, channel="email", kind="assignment_notice")
        letter = await owe(tenant, channel="letter", kind="decision_notice")
        assert await delivery.deliver(tenant.id, invitation) is None
        assert await delivery.deliver(tenant.id, staff) == "sent"
        assert await delivery.deliver(tenant.id, letter) == "ready"
    assert (await notice_row(tenant, invitation)).next_attempt_at == sh(6, 8)


async def test_the_tenant_sets_its_own_sending_hours(quiet_hours, accepting_sms):
    tenant = await platform.tenant()
    admin = await context(tenant, await platform.member(tenant, ["admin"]))
    async with transaction(tenant.id):
        await services.save_sending_hours(admin, 9 * 60, 18 * 60)
    with clock.frozen(sh(5, 8, 30)):
        notice_id = await owe(tenant, channel="sms", recipient=Recipient(name="李四", phone="13900000000"))
        assert await delivery.deliver(tenant.id, notice_id) is None
    assert (await notice_row(tenant, notice_id)).next_attempt_at == datetime.combine(
        sh(5, 9).astimezone(SH).date(), time(9), SH).astimezone(UTC)
