"""Reads of surveys that other modules' pages show."""

from __future__ import annotations

from typing import Any

from kefu.core.scoping import scoped
from kefu.surveys.tables import SurveyInvitation


async def customer_invitations(tenant_id: int, customer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A customer's survey invitations, newest first: id, state, answered_at, round_id,
    round_title."""
    return await scoped(
        SurveyInvitation, tenant_id, SurveyInvitation.id, SurveyInvitation.state,
        SurveyInvitation.answered_at, SurveyInvitation.round.id.as_alias("round_id"),
        SurveyInvitation.round.title.as_alias("round_title"),
    ).where(SurveyInvitation.customer == customer_id).order_by(
        SurveyInvitation.id, ascending=False
    ).limit(limit)
