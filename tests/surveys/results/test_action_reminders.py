"""Overdue improvement actions remind their owners: on the first day overdue and once a week
after, by email through the outbox, once however often the sweep runs; not before the due day
is past, not for a closed action, not for an owner outside kefu."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.surveys.services import action_reminders
from kefu.surveys.services import schedule as survey_sweep
from tests.surveys.results.factories import make_action

pytestmark = pytest.mark.asyncio(loop_scope="session")

DUE = date(2026, 6, 10)


async def _reminders(office, action_id: int) -> list[dict]:
    async with transaction(office.tenant.id, write=False):
        return await scoped(Notice, office.tenant.id).where(
            Notice.kind == "survey_action_overdue", Notice.subject_id == action_id).order_by(Notice.id)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), ZoneInfo("Asia/Shanghai")).astimezone(UTC)


async def test_the_owner_is_reminded_once_a_week_while_overdue(office):
    owner = office.users["qa"]
    action_id = await make_action(office.tenant, "逾期", owner=owner.id, owner_name="", due_on=DUE)
    closed_id = await make_action(office.tenant, "已完成", owner=owner.id, owner_name="", due_on=DUE, status="done")
    outside_id = await make_action(office.tenant, "外包", due_on=DUE)  # an owner's name only
    with clock.frozen(_noon(DUE)):
        assert await action_reminders.remind_overdue_actions(office.tenant, force=True) == []
    with clock.frozen(_noon(DUE + timedelta(days=1))):
        await survey_sweep.sweep_tenant(office.tenant)  # the survey sweep's tick owes it
        await action_reminders.remind_overdue_actions(office.tenant, force=True)  # a second run: once
    first = await _reminders(office, action_id)
    assert len(first) == 1
    assert (first[0]["recipient_email"], first[0]["channel"]) == (owner.email, "email")
    data = first[0]["data"]
    assert (json.loads(data) if isinstance(data, str) else data)["days_overdue"] == 1
    with clock.frozen(_noon(DUE + timedelta(days=5))):
        await action_reminders.remind_overdue_actions(office.tenant, force=True)
    assert len(await _reminders(office, action_id)) == 1
    with clock.frozen(_noon(DUE + timedelta(days=8))):
        await action_reminders.remind_overdue_actions(office.tenant, force=True)
    assert len(await _reminders(office, action_id)) == 2
    assert await _reminders(office, closed_id) == [] and await _reminders(office, outside_id) == []
