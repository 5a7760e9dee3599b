"""The answers of invitations another module sent (services.direct), for its own catch-up sweep."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kefu.core.scoping import scoped
from kefu.surveys.schemas.direct import Answered
from kefu.surveys.tables import SurveyResponse


async def answers_of(tenant_id: int, invitation_ids: Sequence[int]) -> dict[int, Answered]:
    """The stored answers of these invitations, by invitation id (those not answered are left out)."""
    found: dict[int, Answered] = {}
    ids = list(invitation_ids)
    for start in range(0, len(ids), 1000):
        rows = await scoped(SurveyResponse, tenant_id, SurveyResponse.id, SurveyResponse.round.as_alias("round"),
                            SurveyResponse.invitation.as_alias("invitation"), SurveyResponse.answers).where(
            SurveyResponse.invitation.is_in(ids[start:start + 1000]))
        for r in rows:
            value = r["answers"]
            found[r["invitation"]] = Answered(tenant_id=tenant_id, round_id=r["round"], invitation_id=r["invitation"],
                                              response_id=r["id"],
                                              answers=json.loads(value) if isinstance(value, str) else dict(value))
    return found
