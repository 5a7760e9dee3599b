"""Objects of the results part for the isolation sweep: `round_id` (a round whose title carries
the marker; the results, comments and responses pages show it) and `action_id` (an improvement
action whose title carries it). tests/surveys_rounds may define round_id too; either will do."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.db import transaction
from kefu.surveys.tables import ImprovementAction
from tests import survey_factories as sf


async def make_round(tenant, marker: str = "结果轮次") -> int:
    round_row = await sf.survey_round(tenant, title=f"满意度调查 {marker}")
    invitation = await sf.invitation(tenant, round_row, name=marker)
    await sf.response(tenant, round_row, invitation_row=invitation,
                      answers={**sf.GOOD_ANSWERS, "comments": f"意见 {marker}"})
    return round_row.id


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


ID_FACTORIES = {"round_id": make_round, "action_id": make_action}
