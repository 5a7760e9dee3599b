"""C.j 催缴, the scheduler's sweep: per active tenant whose pack keeps fee reminders, every unit
that owes gets the reminder step its oldest unpaid bill has reached, owed through the
notification outbox to its current residents (SMS to a phone, else a printable letter to the
unit). The outbox's unique key (unit, oldest due day, step) makes a second sweep write nothing.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from piccolo.query.functions.aggregate import Min, Sum

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.fees import policy
from kefu.fees.tables import Bill
from kefu.notifications.services import OwedNotice, Recipient, nudge, owe_notices
from kefu.tenancy.queries import active_tenants
from kefu.units import queries as units

log = logging.getLogger("kefu.fees")
KIND = "fee_reminder"


async def _owing(tenant_id: int, today: date) -> list[dict[str, Any]]:
    """Units with unpaid bills already due: the oldest due day and what they owe."""
    return await scoped(Bill, tenant_id, Bill.unit.as_alias("unit"), Min(Bill.due_on).as_alias("oldest"),
                        Sum(Bill.amount).as_alias("billed"), Sum(Bill.paid).as_alias("paid"),
                        Bill.unit.address_key.as_alias("address")).where(
        Bill.paid < Bill.amount, Bill.due_on <= today).group_by(Bill.unit, Bill.unit.address_key)


def _notices(owing: list[dict[str, Any]], people: dict[int, list[dict[str, Any]]], today: date,
             rules: policy.Reminders) -> list[OwedNotice]:
    found: list[OwedNotice] = []
    for r in owing:
        oldest = r["oldest"] if isinstance(r["oldest"], date) else date.fromisoformat(str(r["oldest"]))
        step = policy.step_due(oldest, today, rules)
        if step is None:
            continue
        unit = r["address"].replace("|", "-").replace("--", "-").upper()
        data = {"unit": unit, "owed": str(policy.money(r["billed"]) - policy.money(r["paid"])),
                "oldest_due": oldest, "step": step}
        key = policy.reminder_key(r["unit"], oldest, step)
        residents = people.get(r["unit"]) or [{"name": unit, "phone": ""}]
        for i, p in enumerate(residents[:3]):
            channel = "sms" if p["phone"] else "letter"
            recipient = Recipient(name=p["name"], phone=p["phone"], postal_address=unit)
            found.append(OwedNotice(subject_id=r["unit"], recipient=recipient, channel=channel,
                                    data=data, unique_key=f"{key}:{i}"))
    return found


async def sweep_tenant(tenant: Any) -> int:
    """The reminders `tenant` owes today, written once; how many notices were written."""
    rules = policy.schedule(policy.fees_pack(tenant.kind).reminders, tenant.settings or {})
    if rules is None:
        return 0
    today = clock.today_in(tenant.timezone)
    async with transaction(tenant.id):
        owing = await _owing(tenant.id, today)
        if not owing:
            return 0
        people: dict[int, list[dict[str, Any]]] = {}
        for r in await units.residents_of(tenant.id, [o["unit"] for o in owing], current_only=True):
            people.setdefault(r["unit"], []).append(r)
        ids = await owe_notices(tenant_id=tenant.id, kind=KIND, subject_type="unit",
                                notices=_notices(owing, people, today, rules))
    await nudge(tenant.id, ids)
    return len(ids)


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("fee reminder sweep failed for tenant %s", tenant.id)
