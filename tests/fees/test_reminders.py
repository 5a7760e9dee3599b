"""C.j 催缴: the sweep owes each unit the reminder step its oldest unpaid bill has reached,
through the outbox, once however often it runs; a paid unit and a bill not yet due get none;
the schedule comes from the pack, a tenant's settings override it; table tests of the steps."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.fees import policy, services
from kefu.notifications.tables import Notice
from tests.fees import factories
from tests.units import factories as unit_factories

RULES = policy.Reminders(first_after_days=15, every_days=30)


@pytest.mark.parametrize(("today", "step"), [
    (date(2026, 11, 29), None), (date(2026, 11, 30), 1), (date(2026, 12, 29), 1),
    (date(2026, 12, 30), 2), (date(2027, 1, 29), 3), (date(2024, 1, 1), None),
])
def test_step_due(today, step):
    assert policy.step_due(date(2026, 11, 15), today, RULES) == step


@pytest.mark.parametrize(("settings", "expected"), [
    ({}, (15, 30)), ({"fee_reminders": {"first_after_days": 7, "every_days": 14}}, (7, 14)),
    ({"fee_reminders": {"first_after_days": -1, "every_days": 14}}, (15, 30)),
    ({"fee_reminders": {"first_after_days": 7, "every_days": 0}}, (15, 30)),
    ({"fee_reminders": "often"}, (15, 30)), (None, (15, 30)), ("{}", (15, 30)),
    ('{"fee_reminders": {"first_after_days": 3, "every_days": 7}}', (3, 7)),
])
def test_a_tenants_settings_override_the_pack(settings, expected):
    rules = policy.schedule(RULES, settings)
    assert (rules.first_after_days, rules.every_days) == expected
    assert policy.schedule(None, settings) is None


async def _notices(tenant) -> list[Notice]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Notice, tenant.id).where(Notice.kind == "fee_reminder").order_by(Notice.id)


async def test_each_reminder_is_owed_once_even_when_the_sweep_runs_twice(centre, frozen_clock):
    owing = await unit_factories.unit(centre.tenant, "5栋", "501", entrance="1")
    await unit_factories.residency(centre.tenant, owing, "业主甲", phone="13800000501")
    paid = await unit_factories.unit(centre.tenant, "5栋", "502")
    item = await factories.item(centre.tenant)
    await factories.bill(centre.tenant, unit_row=owing, item_row=item, amount="100", paid="30",
                         due_on=date(2026, 11, 15))
    await factories.bill(centre.tenant, unit_row=paid, item_row=item, amount="100", paid="100",
                         due_on=date(2026, 11, 15))
    frozen_clock.travel(date(2026, 11, 29))
    assert await services.sweep_reminders(centre.tenant) == 0          # not yet
    frozen_clock.travel(date(2026, 12, 1))
    assert await services.sweep_reminders(centre.tenant) == 1
    assert await services.sweep_reminders(centre.tenant) == 0          # the second run writes nothing
    [notice] = await _notices(centre.tenant)
    assert (notice.channel, notice.recipient_phone, notice.subject_id) == ("sms", "13800000501", owing.id)
    assert '"owed": "70.00"' in notice.data
    frozen_clock.travel(date(2026, 12, 31))                            # step 2, once
    assert await services.sweep_reminders(centre.tenant) == 1
    assert await services.sweep_reminders(centre.tenant) == 0
    assert len(await _notices(centre.tenant)) == 2


async def test_a_unit_nobody_lives_in_gets_a_letter(centre, frozen_clock):
    empty = await unit_factories.unit(centre.tenant, "6栋", "601")
    await factories.bill(centre.tenant, unit_row=empty, amount="50", due_on=date(2026, 11, 15))
    frozen_clock.travel(date(2026, 12, 1))
    assert await services.sweep_reminders(centre.tenant) == 1
    [notice] = await _notices(centre.tenant)
    assert notice.channel == "letter" and "601" in notice.recipient_address


async def test_an_insurer_owes_no_fee_reminders(insurer, frozen_clock):
    frozen_clock.travel(date(2026, 12, 1))
    assert await services.sweep_reminders(insurer.tenant) == 0
