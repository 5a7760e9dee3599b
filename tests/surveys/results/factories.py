"""Objects of the results part for the isolation sweep: `action_id`, an improvement action whose
title carries the marker. `round_id` comes from tests/surveys/rounds/factories.py (a round whose
title carries the marker, which the results, comments and responses pages show)."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.db import transaction
from kefu.surveys.tables import ImprovementAction


async def make_action(tenant, marker: str = "改进措施", round_id: int | None = None, **over) -> int:
    today = clock.today_in(tenant.timezone)
    row = ImprovementAction(
        tenant=tenant.id, round=round_id, title=f"改进 {marker}", description="加强保洁巡查",
        owner_name="保洁外包公司", due_on=today + timedelta(days=30), created_at=clock.now(), updated_at=clock.now(),
    )
    for key, value in over.items():
        setattr(row, key, value)
    async with transaction(tenant.id):
        await row.save()
    return row.id


ID_FACTORIES = {"action_id": make_action}
