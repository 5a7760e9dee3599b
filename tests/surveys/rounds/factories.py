"""Objects for the rounds tests and the isolation sweep: customers inserted directly, rounds made
through the services or directly.

ID_FACTORIES gives the sweep a round (open, with an open link, so its poster prints) whose title
carries the marker.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kefu.core import clock
from kefu.customers.tables import Customer, CustomerTag
from kefu.db import transaction
from kefu.surveys.policy.audience import Audience
from kefu.surveys.services import rounds
from tests.surveys import factories as survey_factories


async def customer(tenant: Any, name: str = "张三", *, kind: str = "owner", phone: str = "13800138000",
                   email: str = "", building: str = "1栋", consent: bool = True, channel: str = "sms",
                   active: bool = True, tags: tuple[str, ...] = (), external_ref: str = "") -> Customer:
    row = Customer(
        tenant=tenant.id, kind=kind, name=name, phone=phone, email=email, building=building,
        household=f"{building}|{name}", consent_contact=consent, preferred_channel=channel,
        is_active=active, external_ref=external_ref, created_at=clock.now(), updated_at=clock.now(),
    )
    async with transaction(tenant.id):
        await row.save()
        for tag in tags:
            await CustomerTag(tenant=tenant.id, customer=row.id, tag=tag).save()
    return row


async def scheduled_round(tenant: Any, audience: Audience | None = None, *, title: str = "2026年满意度调查",
                          days: int = 14, reminder_after_days: int = 0, open_link: bool = False,
                          template_row: Any = None):
    template_row = template_row or await survey_factories.template(tenant)
    now = clock.now()
    data = rounds.RoundInput(
        template_id=template_row.id, title=title, audience=audience or Audience(kind="all"),
        opens_at=now, closes_at=now + timedelta(days=days), reminder_after_days=reminder_after_days,
        open_link=open_link,
    )
    return await rounds.create_round(tenant, None, data)


async def _round_id(tenant: Any, marker: str) -> int:
    row = await survey_factories.survey_round(tenant, title=f"调查 {marker}", open_link=True)
    return row.id


ID_FACTORIES = {"round_id": _round_id}
